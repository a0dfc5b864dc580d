"""A self-contained HTML page for reviewers: one file, no network, readable on a phone.

The findings are grouped per owner (Eigenaar of a pilot, Trekker of an action), with a
table of contents of anchors and a filter that needs no JavaScript; the web application
shows the same part (`_bevindingen.html`) inside its own pages.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from toolkit import __version__
from toolkit.core.output import atomic_write_text, ensure_dir
from toolkit.declarations.findings import Finding, counts, plural, titles
from toolkit.report.owners import OwnerGroup, owner_file_name, owner_groups
from toolkit.validation.validate import ValidationResult, sheet_order


@lru_cache(maxsize=1)
def report_css() -> str:
    return files("toolkit.report").joinpath("templates", "report.css").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def environment():  # type: ignore[no-untyped-def]
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("toolkit.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    env.filters["aantal"] = plural
    return env


def findings_context(result: ValidationResult, owners: list[OwnerGroup] | None = None) -> dict[str, object]:
    """What `_bevindingen.html` needs: for all owners, or only the ones given."""
    owners = owner_groups(result) if owners is None else owners
    findings: list[Finding] = [f for o in owners for f in o.findings]
    per_code = sorted(Counter((f.code, str(f.severity)) for f in findings).items())
    names = titles(findings)
    sheets = sorted({f.sheet for f in findings}, key=sheet_order)
    return {
        "result": result,
        "owners": owners,
        "counts": counts(findings),
        "sheets": sheets,
        "per_code": [(code, sev, n, names[code]) for (code, sev), n in per_code],
        "filter": True,
    }


def render_html(result: ValidationResult, owner: OwnerGroup | None = None) -> str:
    """The whole report, or with `owner` only that owner's findings."""
    context = findings_context(result, None if owner is None else [owner])
    return (
        environment()
        .get_template("validatie.html")
        .render(
            context,
            version=__version__,
            css=report_css(),
            owner=owner.name if owner else None,
            peildatum=result.peildatum.strftime("%d-%m-%Y") if result.peildatum else "geen",
        )
    )


def write_html_report(result: ValidationResult, path: Path) -> Path:
    return atomic_write_text(path, render_html(result))


def write_owner_reports(result: ValidationResult, folder: Path) -> list[Path]:
    """One small report per owner with findings, with a file name that is safe to mail.

    The folder is the toolkit's own: a report left from an earlier run (an owner whose
    rows are now in order) is removed, so nobody mails on an old list."""
    ensure_dir(folder)
    taken: set[str] = set()
    written = []
    for owner in owner_groups(result):
        name = owner_file_name(owner.name, taken)
        written.append(atomic_write_text(folder / name, render_html(result, owner)))
    for old in set(folder.glob("*.html")) - set(written):
        old.unlink(missing_ok=True)
    return written
