"""The reviewers' reports, all written from the same findings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from toolkit.core.output import ensure_dir
from toolkit.validation.validate import ValidationResult


@dataclass(frozen=True)
class ReportPaths:
    excel: Path
    html: Path
    json: Path


def report_paths(register: Path, report_dir: Path) -> ReportPaths:
    stem = f"{register.stem}_validatie"
    return ReportPaths(report_dir / f"{stem}.xlsx", report_dir / f"{stem}.html", report_dir / f"{stem}.json")


def write_reports(result: ValidationResult, report_dir: Path, excel: bool = True) -> ReportPaths:
    """Excel copy with annotations, HTML page and JSON; each written atomically.

    The annotated Excel copy is the biggest one (a copy of the whole register, patched
    part by part, see excel_fast.py); a successful build leaves it out and `toolkit
    validate` always writes it.
    """
    from toolkit.report.excel import write_excel_report
    from toolkit.report.html import write_html_report
    from toolkit.report.json import write_json_report

    ensure_dir(report_dir)
    paths = report_paths(result.register.path, report_dir)
    write_json_report(result, paths.json)
    write_html_report(result, paths.html)
    if excel:
        write_excel_report(result, paths.excel)
    else:
        paths.excel.unlink(missing_ok=True)  # never leave a stale copy beside new reports
    return paths
