"""Run the web application with uvicorn: localhost by default, a log without content.

One uvicorn process answers every connection; the work runs on worker processes
(lanes.py), so admission is by queued work and every core is used. The log is one JSON
object per line (or plain text), in a form an IT department's log collector reads.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

from toolkit.core.errors import ToolkitError
from toolkit.web.logs import log_config
from toolkit.web.settings import Settings


#: uvicorn's messages (their %-templates) in Dutch; the server's log is read by the
#: department's administrator, who should not meet English either.
class PortInUse(ToolkitError):
    pass


def check_port(host: str, port: int) -> None:
    """A Dutch message instead of uvicorn's English one when the port is taken."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise PortInUse(
            f"Het adres '{host}' is onbekend. Gebruik bijvoorbeeld 127.0.0.1 of 0.0.0.0."
        ) from exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise PortInUse(
                f"Poort {port} op {host} is niet beschikbaar (al in gebruik, of geen rechten). "
                f"Kies een andere poort, bijvoorbeeld --port 8080."
            ) from exc


def config(host: str, port: int, app=None, log_format: str = "json"):  # type: ignore[no-untyped-def]
    """uvicorn without its own connection limit (its refusal is English plain text without
    Retry-After): the application admits by queued work and answers "te druk" itself."""
    import uvicorn

    from toolkit.web.app import create_app

    return uvicorn.Config(
        app or create_app(),
        host=host,
        port=port,
        log_config=log_config(log_format),
        access_log=False,
        server_header=False,
        proxy_headers=True,
        timeout_keep_alive=5,
        limit_concurrency=None,
        backlog=4096,
        timeout_graceful_shutdown=30,
    )


def run(
    host: str,
    port: int,
    echo: Callable[[str], object] = print,
    templates: Path | None = None,
    settings: Settings | None = None,
) -> None:
    """templates (serve --sjablonen): the server's folder of Word templates and own annex
    types, checked before the server starts. settings: the rest of the options."""
    import uvicorn

    from toolkit.web.app import create_app

    settings = settings or Settings(processes=True)
    if templates is not None:
        from toolkit.core.errors import TemplateError
        from toolkit.declarations.annextypes import BUILTIN

        if not templates.is_dir():
            raise TemplateError(
                f"De map met Word-sjablonen '{templates}' bestaat niet. Maak "
                f"hem met 'toolkit sjablonen {templates}'."
            )
        own = [t.name for t in BUILTIN.with_folder(templates).types if not t.bundled]
        echo(f"Sjablonen uit {templates}" + (f"; eigen bijlagetypen: {', '.join(own)}." if own else "."))
        settings = Settings(**{**vars(settings), "templates": templates.resolve()})
    check_port(host, port)
    shown = f"[{host}]" if ":" in host else host
    echo(
        f"Toolkit-webapplicatie starten op http://{shown}:{port}/ met {settings.workers} "
        f"werker(s) voor controleren en {settings.build_workers} voor bijlagen maken "
        f"(bibliotheken laden en het voorbeeldregister een keer controleren; stoppen met "
        f"Ctrl+C)."
    )
    if host not in ("127.0.0.1", "localhost", "::1"):
        echo(
            "Let op: de applicatie is nu bereikbaar voor anderen op het netwerk en heeft geen "
            "inlog. Zet hem achter de inlog van de gemeente (zie docs/webapplicatie.md)."
        )
    uvicorn.Server(config(host, port, create_app(settings), settings.log_format)).run()
