"""The server's log: one JSON object per line (or plain text), in Dutch, without content.

The front process and every worker process configure it the same way, so it lives
apart from the server that starts them.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

#: uvicorn's messages (their %-templates) in Dutch; the server's log is read by the
#: department's administrator, who should not meet English either.

DUTCH_LOG = {
    "Started server process [%d]": "Serverproces %d gestart.",
    "Waiting for application startup.": "De webapplicatie wordt voorbereid.",
    "Application startup complete.": "De webapplicatie is klaar.",
    "Uvicorn running on %s://%s:%d (Press CTRL+C to quit)": "Bereikbaar op %s://%s:%d (stoppen met Ctrl+C).",
    "Uvicorn running on %s://[%s]:%d (Press CTRL+C to quit)": "Bereikbaar op %s://[%s]:%d (stoppen met Ctrl+C).",
    "Shutting down": "De server stopt.",
    "Waiting for connections to close. (CTRL+C to force quit)": "Wachten tot open verbindingen klaar zijn (Ctrl+C om direct te stoppen).",
    "Waiting for background tasks to complete. (CTRL+C to force quit)": "Wachten tot lopende taken klaar zijn (Ctrl+C om direct te stoppen).",
    "Waiting for application shutdown.": "De webapplicatie wordt afgesloten.",
    "Application shutdown complete.": "De webapplicatie is afgesloten.",
    "Finished server process [%d]": "Serverproces %d gestopt.",
    "Application startup failed. Exiting.": "De webapplicatie kon niet starten; de server stopt.",
    "Application shutdown failed. Exiting.": "De webapplicatie kon niet netjes afsluiten.",
    "Cancel %s running task(s), timeout graceful shutdown exceeded": "%s lopende taak/taken afgebroken: netjes stoppen duurde te lang.",
    "Invalid HTTP request received.": "Ongeldig HTTP-verzoek ontvangen (genegeerd).",
    "Unsupported upgrade request.": "Verzoek om een ander protocol genegeerd.",
    "Exceeded concurrency limit.": "Te veel gelijktijdige verzoeken; dit verzoek is geweigerd.",
    "Exception in ASGI application\n": "Onverwachte fout in de webapplicatie.",
}

LEVELS = {"DEBUG": "DEBUG", "INFO": "INFO", "WARNING": "WAARSCHUWING", "ERROR": "FOUT", "CRITICAL": "KRITIEK"}


class DutchLog(logging.Filter):
    """uvicorn's lines in Dutch. An unknown informational line of uvicorn is left out;
    an unknown warning or error keeps its text (the administrator needs it) after a
    Dutch lead-in, so it is never silently lost. levels: the level names in Dutch too (the
    text log; the JSON log keeps the standard names a log collector filters on)."""

    def __init__(self, levels: bool = False) -> None:
        super().__init__()
        self.levels = levels

    def filter(self, record: logging.LogRecord) -> bool:
        if self.levels:
            record.levelname = LEVELS.get(record.levelname, record.levelname)
        if not record.name.startswith("uvicorn"):
            return True
        template = record.msg if isinstance(record.msg, str) else None
        if template in DUTCH_LOG:
            record.msg = DUTCH_LOG[template]
            return True
        if record.levelno < logging.WARNING:
            return False
        # without args, logging does not %-format msg again
        record.msg = "Technische melding van de webserver uvicorn: " + record.getMessage()
        record.args = ()
        return True


#: fields of a log record that are not the application's own extras
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "color_message",
}  # uvicorn's copy with terminal colours


class JsonLines(logging.Formatter):
    """One JSON object per line: time (ISO 8601, UTC), level, logger, message, and for a
    request its method, path, status and duration_ms. Never a file name or cell content:
    the application logs none."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        data.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info and record.exc_info[0] is not None:
            data["error"] = record.exc_info[0].__name__  # the type only: a message may quote
        return json.dumps(data, ensure_ascii=False, default=str)


def log_config(fmt: str = "json") -> dict[str, Any]:
    """uvicorn's own access log prints the request line, query string included; it is off,
    and the application's Guard logs method, path, status and duration instead."""
    formatter = {"()": JsonLines} if fmt == "json" else {"format": "%(asctime)s %(levelname)s %(message)s"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"standard": formatter},
        "filters": {"dutch": {"()": DutchLog, "levels": fmt != "json"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "standard",
                "filters": ["dutch"],
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "toolkit.web": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        },
    }


#: kept for callers of the first version
LOG_CONFIG = log_config("tekst")


def default_format(stream: Any) -> str:
    """Plain lines for someone watching a terminal, JSON for a log collector (a service,
    a container): what --log-format gives when it is not given."""
    isatty = getattr(stream, "isatty", None)
    return "tekst" if isatty is not None and isatty() else "json"


def configure_logging(fmt: str = "json") -> None:
    import logging.config

    logging.config.dictConfig(log_config(fmt))
