"""How one server is set up: command-line options and TOOLKIT_… environment variables
(toolkit serve) end up here, and every worker process gets a copy."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024


def cores() -> int:
    """The processor cores this process may use (a container's share, where it is set)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Settings:
    #: bytes per uploaded file; a register is rarely over 1 MB
    max_upload: int = 10 * MB
    #: rows of a register (all sheets together) that a server checks within seconds
    max_rows: int = 20_000
    #: how many checks (and the other light work) run at the same time
    workers: int = 2
    #: how many builds run at the same time, beside the checks
    build_workers: int = 1
    #: requests that may wait for a free worker, per worker; beyond it: "te druk" (each
    #: holds its upload in memory meanwhile, so this bounds the server's memory too)
    queue: int = 25
    #: seconds a request may wait for a worker (a proxy gives up after 60)
    max_wait: float = 45.0
    #: open requests beyond which the server answers "te druk" at once
    max_connections: int = 1000
    #: True: the workers are processes (toolkit serve); False: threads in this process
    processes: bool = False
    #: a process's worker for the light work is replaced after this many requests
    #: (0: never), so no memory can accumulate
    recycle: int = 0
    warm: bool = True  # validate and build the example register once at start
    #: the server's folder of Word templates and own annex types (serve --sjablonen); an
    #: uploaded register's own setting is never followed
    templates: Path | None = None
    #: the server's own temporary folder (scratch.py), made at start
    scratch: Path | None = None
    #: "json" (one JSON object per line) or "tekst"
    log_format: str = "json"
