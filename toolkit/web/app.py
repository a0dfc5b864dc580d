"""The web application: the whole edition cycle behind Dutch pages.

*Register controleren*, *Bijlagen maken* (Word and PDF, with the warnings and every
report on the page), *Edities vergelijken*, *Volgende editie*, *Nieuw register*,
*Bijlagen inlezen* (last edition's Word annexes into a register) and *Sjablonen* (the
organisation's templates, and starting templates for an own annex type). Each calls the
same library functions as the command line (jobs.py).

Private and stateless: every request works in its own folder inside the server's
temporary folder, removed before the response leaves, whatever happens; downloads travel
inside the response (data: links on the page, or the file itself), so nothing of a
register stays on the server, and any server behind a load balancer can answer any
request. The server's temporary folder is locked while it runs; one left by a server
that was killed is removed at the next start (scratch.py). The log names only method,
path, status and duration. Uploads are limited in size and rows; the work runs on
workers with a queue of known depth (lanes.py).
"""

from __future__ import annotations

import asyncio
import logging
import time
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Message

from toolkit import __version__
from toolkit.web import jobs
from toolkit.web.jobs import FULL, Refused, Upload, disk_full, safe_upload_name
from toolkit.web.lanes import Busy, Crashed, Gone, Lane, build_niceness
from toolkit.web.pages import Answer, render
from toolkit.web.settings import Settings
from toolkit.web.warm import warm_up

#: A body this much over the limit is still read (and thrown away) so that the browser
#: receives the Dutch message instead of a broken connection; beyond it, the connection
#: is simply closed.
DRAIN_FACTOR = 4
#: a declaration of an own annex type is a small text file
MAX_DECLARATION = 256 * 1024
SCRATCH_PREFIX = "toolkit-web-"
RETRY_AFTER = "60"
BUSY = (
    "Het is nu te druk op de server: er wachten al veel verzoeken. Probeer het over een "
    "minuut opnieuw. Er is niets van uw bestand bewaard."
)
#: per kind of work: how many files its form may carry, and its lane
FILES = {
    "controleren": 1,
    "bijlagen": 2,
    "vergelijken": 2,
    "volgende-editie": 1,
    "importeren": 10,
    "nieuw": 0,
    "sjablonen": 0,
    "beginsjabloon": 1,
}

log = logging.getLogger("toolkit.web")

# kept for callers of the first version
MAX_UPLOAD = Settings.max_upload
WORKERS = Settings.workers
__all__ = ["Settings", "create_app", "safe_upload_name", "state_of", "warm_up"]


class UploadTooLarge(Refused):
    pass


class App:
    """The routes with their settings and lanes."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.checks = Lane("controleren", settings.workers, settings, recycle=settings.recycle)
        self.builds = Lane("bouwen", settings.build_workers, settings, niceness=build_niceness(settings))
        self.libreoffice: bool | None = None
        self._own_scratch = False

    # -- pages -------------------------------------------------------------------------

    def page(
        self,
        template: str,
        request: Request,
        status: int = 200,
        headers: dict[str, str] | None = None,
        **context: Any,
    ) -> Response:
        return respond(render(template, request.url.path, self.settings, status, **context), headers)

    def form_page(self, request: Request) -> Response:
        kind = KIND_OF_PATH[request.url.path]
        return self.page(jobs.TEMPLATE[kind], request)

    async def tags_page(self, request: Request) -> Response:
        """Which tags and styles a template may use: on the server, since the
        documentation folder is not where the coordinator is."""
        from toolkit.web.pages import template_reference

        return self.page("sjabloontags.html", request, reference=template_reference(self.settings.templates))

    async def health(self, request: Request) -> Response:
        """For a load balancer and monitoring: always answers, at once."""
        return JSONResponse(
            {
                "status": "ok",
                "versie": __version__,
                "libreoffice": bool(self.libreoffice),
                "sjablonen": self.settings.templates.name if self.settings.templates else None,
                "werkers": {"controleren": self.checks.status(), "bouwen": self.builds.status()},
            }
        )

    async def report_css(self, request: Request) -> Response:
        """The reports' own stylesheets, so the findings look as in the HTML report."""
        from importlib.resources import files

        name = request.path_params["name"]
        if name not in ("rapport", "verschillen"):
            return PlainTextResponse("", status_code=404)
        css = files("toolkit.report").joinpath("templates", f"{'report' if name == 'rapport' else name}.css")
        return Response(css.read_text(encoding="utf-8"), media_type="text/css")

    # -- work ----------------------------------------------------------------------------

    async def work(self, request: Request) -> Response:
        """Read the form within the limits, hand the work to a worker of its lane, and
        answer; a refusal becomes the form's page with a Dutch message."""
        kind = KIND_OF_PATH[request.url.path]
        template = jobs.TEMPLATE[kind]
        form: FormData | None = None
        try:
            form = await self._read_form(request, FILES[kind])
            fields, uploads = await self._contents(form)
        except Refused as exc:
            return self.page(template, request, exc.status, exc.headers, error=str(exc))
        finally:
            if form is not None:
                await form.close()
        gone = asyncio.Event()

        async def watch() -> None:
            while True:
                message = await request.receive()
                if message["type"] == "http.disconnect":
                    gone.set()
                    return

        watcher = asyncio.ensure_future(watch())
        lane = self.builds if kind == "bijlagen" else self.checks
        try:
            answer = await lane.run(jobs.execute, self.settings, kind, fields, uploads, gone=gone)
        except Busy:
            return self.page(template, request, 503, {"Retry-After": RETRY_AFTER}, error=BUSY)
        except Gone:
            return Response(status_code=499)  # nobody reads it; the log says so
        except Crashed:
            return self.page(
                template,
                request,
                500,
                error=(
                    "De server kon dit verzoek niet afmaken (te weinig geheugen?). Er is niets van "
                    "uw bestand bewaard. Probeer het opnieuw; blijft het gebeuren, geef dan de tijd "
                    "door aan de beheerder."
                ),
            )
        finally:
            watcher.cancel()
        return respond(answer)

    async def _read_form(self, request: Request, files: int) -> FormData:
        """The multipart form, refused once the body passes the upload limit."""
        limit = self.settings.max_upload * max(files, 1) + 1024 * 1024
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
            return await limited_request.form(max_files=max(files, 1), max_fields=20)
        except UploadTooLarge:
            raise
        except Exception as exc:  # noqa: BLE001 - starlette's own (English) refusals
            if disk_full(exc):
                log.error("Schijf vol in de tijdelijke map bij het lezen van een formulier")
                raise Refused(FULL, 503, {"Retry-After": "120"}) from exc
            raise Refused(
                "Het formulier kon niet worden gelezen. Kies het bestand opnieuw en probeer het nog eens."
            ) from exc

    async def _contents(self, form: FormData) -> tuple[dict[str, str | list[str]], dict[str, list[Upload]]]:
        """The form as plain data for a worker: text fields, and each file's bytes (the
        spooled copy is closed right after; nothing of it stays on disk)."""
        fields: dict[str, str | list[str]] = {}
        uploads: dict[str, list[Upload]] = {}
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                if not value.filename:
                    continue
                limit = MAX_DECLARATION if name == "verklaring" else self.settings.max_upload
                safe = safe_upload_name(
                    value.filename,
                    "verklaring.toml"
                    if name == "verklaring"
                    else "bijlagen.docx"
                    if name == "bijlagen"
                    else "register.xlsx",
                )
                if (value.size or 0) > limit:
                    raise self._too_large(f"Het bestand '{safe}'", limit)
                try:
                    await value.seek(0)
                    data = await value.read()
                except OSError as exc:
                    if disk_full(exc):
                        raise Refused(FULL, 503, {"Retry-After": "120"}) from exc
                    raise
                uploads.setdefault(name, []).append(Upload(safe, data))
            else:
                text = str(value)[:2000]
                if name in fields:
                    previous = fields[name]
                    fields[name] = [*previous, text] if isinstance(previous, list) else [previous, text]
                else:
                    fields[name] = [text] if name == "bijlagetype" else text
        return fields, uploads

    def _too_large(self, what: str, limit: int | None = None) -> UploadTooLarge:
        limit = limit or self.settings.max_upload
        return UploadTooLarge(
            f"{what} is te groot: de webapplicatie neemt bestanden tot "
            f"{max(limit / (1024 * 1024), 0.25):.0f} MB aan (en registers tot "
            f"{self.settings.max_rows:,} rijen). Een register is meestal kleiner dan 1 MB; "
            f"staan er afbeeldingen of andere tabbladen in? Haal die eruit en probeer het "
            f"opnieuw.".replace(",", "."),
            status=413,
        )

    # -- start and stop ------------------------------------------------------------------

    @asynccontextmanager
    async def lifespan(self, app: Starlette):  # type: ignore[no-untyped-def]
        from toolkit.core import scratch

        if self.settings.scratch is None:
            # this server's own temporary folder; one left by a killed server goes now
            for stale in scratch.clean_stale(SCRATCH_PREFIX):
                log.info("Tijdelijke map van een gestopte server opgeruimd")
                del stale
            self.settings = replace(self.settings, scratch=scratch.claim(SCRATCH_PREFIX))
            self._own_scratch = True
        for lane in (self.checks, self.builds):
            lane.settings = self.settings
        if not self.settings.processes:
            from toolkit.core.parallel import keep_heap_unfrozen

            keep_heap_unfrozen()  # this process builds again and again
        self.libreoffice = await asyncio.to_thread(libreoffice_works)
        if self.settings.warm and not self.settings.processes:
            await asyncio.to_thread(warm_up, self.settings)
        await asyncio.gather(self.checks.start(), self.builds.start())
        try:
            yield
        finally:
            self.checks.stop()
            self.builds.stop()
            if self._own_scratch and self.settings.scratch is not None:
                scratch.release(self.settings.scratch)


def libreoffice_works() -> bool:
    """LibreOffice is there and starts (for the PDFs and the health endpoint)."""
    import subprocess

    from toolkit.build.pdf import soffice_path

    office = soffice_path()
    if office is None:
        return False
    try:
        done = subprocess.run([office, "--version"], capture_output=True, timeout=60)
    except (subprocess.SubprocessError, OSError):
        return False
    return done.returncode == 0


def respond(answer: Answer, headers: dict[str, str] | None = None) -> Response:
    return Response(
        answer.body,
        status_code=answer.status,
        media_type=answer.media_type,
        headers={**answer.headers, **(headers or {})},
    )


KIND_OF_PATH = {jobs.page_path(kind): kind for kind in jobs.TEMPLATE if kind != "beginsjabloon"}
KIND_OF_PATH["/controleren"] = "controleren"
KIND_OF_PATH["/sjablonen/begin"] = "beginsjabloon"


class Guard:
    """Security headers on every answer; one log line per request without any content
    (method, path without query string, status, duration); and past max_connections
    open requests, the Dutch "te druk" page at once (the status endpoint always
    answers)."""

    HEADERS = [
        (
            b"content-security-policy",
            b"default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"cache-control", b"no-store"),
        (b"x-frame-options", b"DENY"),
    ]

    def __init__(self, app: Any, state: App) -> None:
        self.app = app
        self.state = state
        self.open = 0

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
                if status == 499:
                    return  # the browser went away: nothing to send
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    h for h in self.HEADERS if h[0] not in names
                ]
            elif status == 499:
                return
            await send(message)

        self.open += 1
        try:
            if self.open > self.state.settings.max_connections and scope.get("path") != "/status":
                await self._busy(scope, send_guarded)
            else:
                await self.app(scope, receive, send_guarded)
        finally:
            self.open -= 1
            log.info(
                "%s %s %s %.0f ms",
                scope.get("method", ""),
                scope.get("path", ""),
                status,
                (time.perf_counter() - start) * 1000,
                extra={
                    "method": scope.get("method", ""),
                    "path": scope.get("path", ""),
                    "status": status,
                    "duration_ms": round((time.perf_counter() - start) * 1000),
                },
            )

    async def _busy(self, scope: dict[str, Any], send: Any) -> None:
        answer = render(
            "fout.html", scope.get("path", "/"), self.state.settings, 503, title="Te druk", error=BUSY
        )
        response = respond(answer, {"Retry-After": RETRY_AFTER, "Connection": "close"})
        await response(scope, _nothing, send)


async def _nothing() -> dict[str, Any]:
    return {"type": "http.disconnect"}


def create_app(settings: Settings | None = None) -> Any:
    """The ASGI application (Starlette, wrapped in the Guard)."""
    from starlette.exceptions import HTTPException

    state = App(settings or Settings())

    async def not_found(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 405:
            return state.page(
                "fout.html",
                request,
                status=405,
                title="Niet zo te gebruiken",
                error="Deze pagina werkt alleen via het formulier.",
            )
        return state.page(
            "fout.html",
            request,
            status=exc.status_code,
            title="Pagina niet gevonden",
            error="Deze pagina bestaat niet. Kies hieronder wat u wilt doen.",
        )

    async def form_page(request: Request) -> Response:
        return state.form_page(request)

    static = Path(__file__).parent / "static"
    routes = [Route(path, form_page, methods=["GET"]) for path in KIND_OF_PATH if path != "/sjablonen/begin"]
    routes += [Route(path, state.work, methods=["POST"]) for path in KIND_OF_PATH if path != "/"]
    app = Starlette(
        routes=[
            *routes,
            Route("/sjablonen/tags", state.tags_page, methods=["GET"]),
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
    return Guard(app, state)


def state_of(app: Any) -> App:
    """The App behind create_app's answer (tests, the load test)."""
    return app.state.toolkit if not isinstance(app, Guard) else app.state
