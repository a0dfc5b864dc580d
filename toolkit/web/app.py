"""The web application: the toolkit's own library calls behind three Dutch pages.

*Register controleren* (validate and show the findings per owner, with the annotated
Excel copy and the JSON to download), *Bijlagen maken* (the annexes, manifest and
reports as one zip; validation errors stop it as on the command line) and *Edities
vergelijken* (the diff report).

Private and stateless: every request works in its own temporary folder that is removed
before the response leaves, whatever happens; downloads travel inside the response
(a zip, or data: links on the page), so nothing of a register stays on the server. The
log names only method, path, status and duration. Uploads are limited in size and go
through the same file checks as the command line; at most WORKERS requests work at
once, in threads, while the heavy libraries stay loaded.
"""

from __future__ import annotations

import base64
import io
import logging
import re
import shutil
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import anyio
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Message

from .. import __version__
from ..bundled import bundled
from ..errors import ToolkitError
from ..findings import plural

MAX_UPLOAD = 25 * 1024 * 1024  # per register
WORKERS = 2  # requests that validate or build at the same time; the others wait
#: A body this much over the limit is still read (and thrown away) so that the browser
#: receives the Dutch message instead of a broken connection; beyond it, the connection
#: is simply closed.
DRAIN_FACTOR = 4
PAGES = (("/", "Register controleren"), ("/bijlagen", "Bijlagen maken"),
         ("/vergelijken", "Edities vergelijken"))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

log = logging.getLogger("toolkit.web")


class Refused(Exception):
    """A request the application answers with a Dutch message on the page."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class UploadTooLarge(Refused):
    pass


@dataclass(frozen=True)
class Settings:
    max_upload: int = MAX_UPLOAD
    workers: int = WORKERS
    warm: bool = True  # validate and build the example register once at start
    #: the server's folder of Word templates and own annex types (serve --sjablonen); an
    #: uploaded register's own setting is never followed
    templates: Path | None = None


def _environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader([PackageLoader("toolkit.web", "templates"),
                             PackageLoader("toolkit.report", "templates")]),
        autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters["aantal"] = plural
    env.filters["mb"] = lambda n: f"{n / (1024 * 1024):.0f} MB"
    return env


def safe_upload_name(name: str | None, fallback: str = "register.xlsx") -> str:
    """The browser's file name without folders or characters a file system refuses; the
    messages of the file checks name it, so it stays recognisable."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r'[\x00-\x1f<>:"|?*]', "", base).strip(" .")[:120]
    return base or fallback


def data_link(content: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def zip_folder(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


class App:
    """The routes with their settings, templates and worker limit."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.env = _environment()
        self.limiter: anyio.CapacityLimiter | None = None
        self.pdf_available = False

    # -- pages -------------------------------------------------------------------------

    def page(self, template: str, request: Request, status: int = 200, **context: Any
             ) -> HTMLResponse:
        html = self.env.get_template(template).render(
            path=request.url.path, pages=PAGES, version=__version__,
            max_upload=self.settings.max_upload, pdf_available=self.pdf_available, **context)
        return HTMLResponse(html, status_code=status)

    async def check_form(self, request: Request) -> Response:
        return self.page("controleren.html", request)

    async def build_form(self, request: Request) -> Response:
        return self.page("bijlagen.html", request)

    async def compare_form(self, request: Request) -> Response:
        return self.page("vergelijken.html", request)

    async def health(self, request: Request) -> Response:
        return PlainTextResponse("ok")

    async def report_css(self, request: Request) -> Response:
        """The reports' own stylesheets, so the findings look as in the HTML report."""
        from importlib.resources import files

        name = request.path_params["name"]
        if name not in ("rapport", "verschillen"):
            return PlainTextResponse("", status_code=404)
        css = files("toolkit.report").joinpath("templates", f"{'report' if name == 'rapport' else name}.css")
        return Response(css.read_text(encoding="utf-8"), media_type="text/css")

    # -- work ----------------------------------------------------------------------------

    async def check(self, request: Request) -> Response:
        return await self._handle(request, "controleren.html", self._check, files=1)

    async def build(self, request: Request) -> Response:
        return await self._handle(request, "bijlagen.html", self._build, files=2)

    async def compare(self, request: Request) -> Response:
        return await self._handle(request, "vergelijken.html", self._compare, files=2)

    async def _handle(self, request: Request, template: str,
                      work: Callable[[FormData, Path], dict[str, Any] | Response],
                      files: int) -> Response:
        """Read the form within the limits, do the work in a worker thread inside a
        temporary folder, and answer; every failure becomes the page with a message."""
        form: FormData | None = None
        try:
            form = await self._read_form(request, files)
            assert self.limiter is not None
            with tempfile.TemporaryDirectory(prefix="toolkit-web-",
                                             ignore_cleanup_errors=True) as folder:
                outcome = await anyio.to_thread.run_sync(
                    partial(work, form, Path(folder)), limiter=self.limiter)
            if isinstance(outcome, Response):
                return outcome
            status = outcome.pop("status", 200)
            return self.page(template, request, status=status, **outcome)
        except Refused as exc:
            return self.page(template, request, status=exc.status, error=str(exc))
        except ToolkitError as exc:
            return self.page(template, request, status=400, error=str(exc))
        except Exception as exc:  # noqa: BLE001 - never a traceback for the user
            # The type and where it happened, never the message: it may quote a cell.
            frames = traceback.extract_tb(exc.__traceback__)[-3:]
            where = "; ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in frames)
            log.error("Onverwachte fout %s op %s (%s)", type(exc).__name__, request.url.path,
                      where)
            return self.page(template, request, status=500, error=(
                "Er ging iets onverwachts mis. Er is niets van uw bestand bewaard. Probeer het "
                "opnieuw; blijft het gebeuren, geef dan de tijd door aan de beheerder."))
        finally:
            if form is not None:
                await form.close()

    async def _read_form(self, request: Request, files: int) -> FormData:
        """The multipart form, refused once the body passes the upload limit."""
        limit = self.settings.max_upload * files + 1024 * 1024
        too_large = self._too_large("Het bestand")
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit * DRAIN_FACTOR:
            raise too_large
        received = 0
        receive = request.receive

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    while message.get("more_body") and received <= limit * DRAIN_FACTOR:
                        message = await receive()
                        received += len(message.get("body", b""))
                    raise too_large
            return message

        limited_request = Request(request.scope, limited)
        try:
            return await limited_request.form(max_files=files, max_fields=10)
        except UploadTooLarge:
            raise
        except Exception as exc:  # noqa: BLE001 - starlette's own (English) refusals
            raise Refused("Het formulier kon niet worden gelezen. Kies het bestand opnieuw en "
                          "probeer het nog eens.") from exc

    def _save(self, form: FormData, field: str, folder: Path, what: str,
              required: bool = True) -> Path | None:
        upload = form.get(field)
        if not isinstance(upload, UploadFile) or not upload.filename:
            if required:
                raise Refused(f"Kies eerst {what} (een .xlsx-bestand).")
            return None
        if (upload.size or 0) > self.settings.max_upload:
            raise self._too_large(f"Het bestand '{safe_upload_name(upload.filename)}'")
        target = folder / field / safe_upload_name(upload.filename)
        target.parent.mkdir()
        upload.file.seek(0)
        with target.open("wb") as out:
            shutil.copyfileobj(upload.file, out)
        return target

    def _too_large(self, what: str) -> UploadTooLarge:
        return UploadTooLarge(
            f"{what} is te groot: de webapplicatie neemt registers tot "
            f"{self.settings.max_upload / (1024 * 1024):.0f} MB aan. Een register is meestal "
            f"kleiner dan 1 MB; staan er afbeeldingen of andere tabbladen in? Gebruik anders "
            f"'toolkit validate' op uw eigen computer.", status=413)

    @staticmethod
    def _peildatum(form: FormData) -> date | None:
        from ..dates import parse_peildatum

        text = str(form.get("peildatum") or "").strip()
        if not text:
            return None
        parsed = parse_peildatum(text)
        if parsed is None:
            raise Refused(f"'{text[:40]}' is geen dag. Schrijf de peildatum bijvoorbeeld als "
                          f"1-4-2024 of 1 april 2024, of laat het veld leeg.")
        return parsed

    def _findings(self, result) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        from ..report.html import findings_context

        return findings_context(result)

    def _check(self, form: FormData, folder: Path) -> dict[str, Any]:
        from ..report import write_reports
        from ..validate import validate_register

        peildatum = self._peildatum(form)
        path = self._save(form, "register", folder, "een register")
        assert path is not None
        result = validate_register(self._read(path), peildatum)
        paths = write_reports(result, folder / "rapport")
        return {
            **self._findings(result), "checked": path.name,
            "open_in_excel": result.register.open_in_excel,
            "peildatum": result.peildatum.strftime("%d-%m-%Y") if result.peildatum else "geen",
            "downloads": [
                (paths.excel.name, data_link(paths.excel.read_bytes(), XLSX),
                 "Excel-kopie met gekleurde cellen en opmerkingen"),
                (paths.html.name, data_link(paths.html.read_bytes(), "text/html"),
                 "HTML-rapport (deze bevindingen) om te bewaren of door te sturen"),
                (paths.json.name, data_link(paths.json.read_bytes(), "application/json"),
                 "JSON, voor scripts"),
            ],
        }

    def _read(self, path: Path):  # type: ignore[no-untyped-def]
        """An uploaded register, with the server's own annex types (serve --sjablonen) and
        never the folder its setting names: that is a path on someone else's computer."""
        from ..register import read_register

        return read_register(path, templates=self.settings.templates, use_setting=False)

    def _build(self, form: FormData, folder: Path) -> dict[str, Any] | Response:
        from ..build import build_documents
        from ..pdf import convert_to_pdf

        peildatum = self._peildatum(form)
        want_pdf = form.get("pdf") == "ja"
        path = self._save(form, "register", folder, "een register")
        previous = self._save(form, "vorige", folder, "", required=False)
        assert path is not None
        register = self._read(path)
        before = self._read(previous) if previous else None
        out = folder / "uitvoer"
        # the register arrives without its folder: its own template folder is not here
        result = build_documents(register, out, peildatum, previous=before, parallel=False,
                                 templates=self.settings.templates, use_setting=False)
        if result.validation.errors:
            return {**self._findings(result.validation), "status": 422, "refused": path.name,
                    "peildatum": (result.validation.peildatum.strftime("%d-%m-%Y")
                                  if result.validation.peildatum else "geen")}
        if want_pdf:
            convert_to_pdf(result.documents, out)
        name = f"bijlagen_{Path(path.name).stem}.zip"
        plain = re.sub(r"[^A-Za-z0-9._-]+", "_", name)
        return Response(zip_folder(out), media_type="application/zip", headers={
            "Content-Disposition": f"attachment; filename=\"{plain}\"; "
                                   f"filename*=UTF-8''{_quote(name)}"})

    def _compare(self, form: FormData, folder: Path) -> dict[str, Any]:
        from ..diff import compare
        from ..report.diff import diff_context, write_diff_reports

        old = self._save(form, "oud", folder, "het register van de vorige editie")
        new = self._save(form, "nieuw", folder, "het register van de nieuwe editie")
        assert old is not None and new is not None
        result = compare(self._read(old), self._read(new))
        paths = write_diff_reports(result, folder / "rapport")
        return {
            **diff_context(result), "compared": (old.name, new.name),
            "downloads": [
                (paths.excel.name, data_link(paths.excel.read_bytes(), XLSX),
                 "Excel, per tabblad een tabel"),
                (paths.html.name, data_link(paths.html.read_bytes(), "text/html"),
                 "HTML-pagina om te bewaren of te mailen"),
                (paths.json.name, data_link(paths.json.read_bytes(), "application/json"),
                 "JSON, voor scripts"),
            ],
        }

    # -- start ---------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Load pandas, pandera, openpyxl and python-docx and run the example once, so the
        first officer does not wait for imports (checking the example then takes well
        under half a second)."""
        from ..build import build_documents
        from ..pdf import soffice_path
        from ..register import read_register
        from ..report import write_reports
        from ..validate import validate_register

        self.pdf_available = soffice_path() is not None
        if not self.settings.warm:
            return
        from ..report.html import findings_context

        register = read_register(bundled("examples", "voorbeeld_register.xlsx"))
        with tempfile.TemporaryDirectory(prefix="toolkit-web-") as folder:
            result = validate_register(register)
            write_reports(result, Path(folder) / "rapport")
            build_documents(register, Path(folder) / "uitvoer", parallel=False)
        # compile the page templates (and the report parts they include) now
        context = {"pages": PAGES, "max_upload": self.settings.max_upload, "downloads": [],
                   **findings_context(result)}
        for name in ("controleren.html", "bijlagen.html", "vergelijken.html", "fout.html"):
            self.env.get_template(name).render(context)
        self.env.get_template("controleren.html").render(context, checked="x")

    @asynccontextmanager
    async def lifespan(self, app: Starlette):  # type: ignore[no-untyped-def]
        self.limiter = anyio.CapacityLimiter(self.settings.workers)
        await anyio.to_thread.run_sync(self.warm_up)
        yield


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


class Guard:
    """Security headers on every answer and a log line without any content: method,
    path (never a query string), status and duration."""

    HEADERS = [
        (b"content-security-policy",
         b"default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
         b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"cache-control", b"no-store"),
        (b"x-frame-options", b"DENY"),
    ]

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_guarded(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    h for h in self.HEADERS if h[0] not in names]
            await send(message)

        try:
            await self.app(scope, receive, send_guarded)
        finally:
            log.info("%s %s %s %.0f ms", scope.get("method", ""), scope.get("path", ""), status,
                     (time.perf_counter() - start) * 1000)


def create_app(settings: Settings | None = None) -> Any:
    """The ASGI application (Starlette, wrapped in the Guard)."""
    from starlette.exceptions import HTTPException

    state = App(settings or Settings())

    async def not_found(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 405:
            return state.page("fout.html", request, status=405, title="Niet zo te gebruiken",
                              error="Deze pagina werkt alleen via het formulier.")
        return state.page("fout.html", request, status=exc.status_code,
                          title="Pagina niet gevonden",
                          error="Deze pagina bestaat niet. Kies hieronder wat u wilt doen.")

    static = Path(__file__).parent / "static"
    app = Starlette(
        routes=[
            Route("/", state.check_form, methods=["GET"]),
            Route("/controleren", state.check, methods=["POST"]),
            Route("/bijlagen", state.build_form, methods=["GET"]),
            Route("/bijlagen", state.build, methods=["POST"]),
            Route("/vergelijken", state.compare_form, methods=["GET"]),
            Route("/vergelijken", state.compare, methods=["POST"]),
            Route("/controleren", state.check_form, methods=["GET"]),
            Route("/status", state.health, methods=["GET"]),
            Route("/stijl/{name}.css", state.report_css, methods=["GET"]),
            Mount("/static", StaticFiles(directory=static), name="static"),
        ],
        # starlette types every handler as taking Exception; one for HTTPException is what
        # its documentation shows (typing limitation: Kludex/starlette#2403)
        exception_handlers={HTTPException: not_found},  # type: ignore[dict-item]
        lifespan=state.lifespan,
    )
    app.state.toolkit = state
    return Guard(app)
