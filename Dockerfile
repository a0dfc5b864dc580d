# The toolkit's web application for a department's intranet server.
# It runs the README's own commands (section "Webapplicatie"): pip install uv, then
# uv run toolkit serve --host 0.0.0.0. Put it behind the municipality's own sign-in:
# the application has no accounts.
FROM python:3.12-slim

# Fonts for the reports, and fonts with the widths of the templates' fonts (Carlito for
# Calibri, Caladea for Cambria, Liberation for Arial, Times New Roman and Courier New), so
# that PDFs paginate like the Word files. Add libreoffice-writer-nogui here for the PDF option.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core \
    fonts-crosextra-carlito fonts-crosextra-caladea fonts-liberation2 \
 && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir uv

RUN useradd --create-home --uid 10001 toolkit
WORKDIR /app
COPY --chown=toolkit:toolkit . .
USER toolkit

# The server needs no test tools (the dev group); install once, at build time.
ENV UV_NO_DEV=1 UV_COMPILE_BYTECODE=1 PYTHONUNBUFFERED=1
RUN uv sync

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/status', timeout=4)"
CMD ["uv", "run", "toolkit", "serve", "--host", "0.0.0.0", "--port", "8000"]
