# The toolkit's web application for a department's intranet server.
# It runs the README's own commands (docs/webapplicatie.md): pip install uv, then
# uv sync, then toolkit serve --host 0.0.0.0. Put it behind the municipality's own sign-in:
# the application has no accounts.
#
# Run it as a non-root user with a read-only file system; only /tmp is writable:
#   docker run -d --read-only --tmpfs /tmp:rw,noexec,nosuid,size=512m \
#     -p 127.0.0.1:8000:8000 toolkit-web
# Configuration by environment variables (docs/webapplicatie.md, "Instellingen van de server"), e.g.
#   -e TOOLKIT_WORKERS=4 -e TOOLKIT_SJABLONEN=/sjablonen -v /srv/huisstijl:/sjablonen:ro
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

# The server needs no test tools (the dependency groups); install once, at build time,
# with the bytecode compiled now: at run time nothing under /app is written.
ENV UV_NO_DEFAULT_GROUPS=1 UV_COMPILE_BYTECODE=1 PYTHONUNBUFFERED=1
# No uv.lock is committed (pyproject.toml pins minimum versions), so uv resolves here;
# --frozen would refuse a checkout without a lock file.
RUN uv sync

# At run time only /tmp is written (the server's own temporary folder, LibreOffice's
# profile); caches that a library might want go there too.
ENV PATH=/app/.venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 TMPDIR=/tmp HOME=/tmp \
    XDG_CACHE_HOME=/tmp/.cache TOOLKIT_HOST=0.0.0.0 TOOLKIT_PORT=8000

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/status', timeout=4)"
# The installed command itself (not `uv run`, which would want to write its cache).
CMD ["toolkit", "serve", "--host", "0.0.0.0", "--port", "8000"]
