"""Run the web application with uvicorn: localhost by default, a log without content."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

from ..errors import ToolkitError

#: uvicorn's own access log prints the request line, query string included; it is off,
#: and the application's Guard logs method, path, status and duration instead.
LOG_CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain",
                            "stream": "ext://sys.stderr"}},
    "loggers": {
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"level": "INFO"},
        "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        "toolkit.web": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}


class PortInUse(ToolkitError):
    pass


def check_port(host: str, port: int) -> None:
    """A Dutch message instead of uvicorn's English one when the port is taken."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise PortInUse(f"Het adres '{host}' is onbekend. Gebruik bijvoorbeeld 127.0.0.1 of "
                        f"0.0.0.0.") from exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise PortInUse(
                f"Poort {port} op {host} is niet beschikbaar (al in gebruik, of geen rechten). "
                f"Kies een andere poort, bijvoorbeeld --port 8080.") from exc


def config(host: str, port: int, app=None):  # type: ignore[no-untyped-def]
    import uvicorn

    from .app import create_app

    return uvicorn.Config(app or create_app(), host=host, port=port, log_config=LOG_CONFIG,
                          access_log=False, server_header=False, proxy_headers=True,
                          timeout_keep_alive=5, limit_concurrency=64)


def run(host: str, port: int, echo: Callable[[str], object] = print,
        templates: Path | None = None) -> None:
    """templates (serve --sjablonen): the server's folder of Word templates and own annex
    types, checked before the server starts."""
    import uvicorn

    from .app import Settings, create_app

    app = None
    if templates is not None:
        from ..annextypes import BUILTIN
        from ..errors import TemplateError

        if not templates.is_dir():
            raise TemplateError(f"De map met Word-sjablonen '{templates}' bestaat niet. Maak "
                                f"hem met 'toolkit sjablonen {templates}'.")
        own = [t.name for t in BUILTIN.with_folder(templates).types if not t.bundled]
        echo(f"Sjablonen uit {templates}" + (f"; eigen bijlagetypen: {', '.join(own)}."
                                               if own else "."))
        app = create_app(Settings(templates=templates))
    check_port(host, port)
    shown = f"[{host}]" if ":" in host else host
    echo(f"Toolkit-webapplicatie starten op http://{shown}:{port}/ (bibliotheken laden en "
         f"het voorbeeldregister een keer controleren; stoppen met Ctrl+C).")
    if host not in ("127.0.0.1", "localhost", "::1"):
        echo("Let op: de applicatie is nu bereikbaar voor anderen op het netwerk en heeft geen "
             "inlog. Zet hem achter de inlog van de gemeente (zie de README).")
    uvicorn.Server(config(host, port, app)).run()
