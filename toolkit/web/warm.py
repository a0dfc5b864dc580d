"""Warm a worker up before the first officer arrives.

A fresh worker process would spend its first request importing pandas, pandera,
openpyxl and python-docx; the lanes (lanes.py) run this in every new worker, and the
application once at start-up.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from toolkit.core.bundled import bundled
from toolkit.web import jobs
from toolkit.web.pages import render
from toolkit.web.settings import Settings


def warm_up(settings: Settings) -> None:
    """Load pandas, pandera, openpyxl and python-docx and run the example once, so the
    first officer does not wait for imports (checking the example then takes well under
    half a second); compile the pages."""
    from toolkit.build.documents import build_documents
    from toolkit.register.read import read_register
    from toolkit.report import write_reports
    from toolkit.report.html import findings_context
    from toolkit.validation.validate import validate_register
    from toolkit.web.pages import pdf_available

    pdf_available()
    register = read_register(bundled("examples", "voorbeeld_register.xlsx"))
    with tempfile.TemporaryDirectory(prefix="opwarmen-") as folder:
        result = validate_register(register)
        write_reports(result, Path(folder) / "rapport")
        build_documents(register, Path(folder) / "uitvoer", parallel=False)
    context: dict[str, Any] = {"downloads": [], **findings_context(result)}
    for name in sorted(set(jobs.TEMPLATE.values()) | {"fout.html"}):
        render(name, "/", settings, **context)
