"""A self-contained HTML page for reviewers: one file, no network, readable on a phone."""

from __future__ import annotations

from collections import Counter
from itertools import groupby
from pathlib import Path

from .. import __version__
from ..findings import RULES_BY_CODE, plural
from ..output import atomic_write_text
from ..validate import ValidationResult


def render_html(result: ValidationResult) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("toolkit.report", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters["aantal"] = plural
    groups = []
    for (sheet, record), items in groupby(result.findings, key=lambda f: (f.sheet, f.record)):
        found = list(items)
        groups.append({
            "sheet": sheet, "record": record or sheet, "findings": found,
            "errors": sum(1 for f in found if f.severity == "fout"),
            "warnings": sum(1 for f in found if f.severity == "waarschuwing"),
        })
    per_code = sorted(Counter((f.code, str(f.severity)) for f in result.findings).items())
    return env.get_template("validatie.html").render(
        result=result, groups=groups, counts=result.counts, version=__version__,
        per_code=[(code, sev, n, RULES_BY_CODE[code].title) for (code, sev), n in per_code],
        peildatum=result.peildatum.strftime("%d-%m-%Y") if result.peildatum else "geen",
    )


def write_html_report(result: ValidationResult, path: Path) -> Path:
    return atomic_write_text(path, render_html(result))
