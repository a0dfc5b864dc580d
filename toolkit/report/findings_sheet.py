"""The look of the Bevindingen sheet, shared by both ways of writing it.

The annotated copy is written by openpyxl (report.excel) or, for registers it can
patch, by copying the zip and changing only what changes (report.excel_fast); both
must give the same sheet, so its columns, fills and VML ids are declared here once.
"""

from __future__ import annotations

import re

from toolkit.declarations.findings import Finding, Severity

FILL = {Severity.ERROR: "FFC7CE", Severity.WARNING: "FFEB9C"}
SHEET = "Bevindingen"
HEADERS = (
    "Nr",
    "Ernst",
    "Code",
    "Tabblad",
    "Cel",
    "Rij",
    "Kolom",
    "Waarde",
    "Melding",
    "Hoe op te lossen",
)
#: The summary above the table shares its columns: Aantal over Nr, Code over Code, so
#: column C holds the longest rule code (test_reports checks every code fits).
WIDTHS = (8, 13, 24, 12, 8, 34, 30, 40, 60, 60)
SUMMARY_HEADERS = ("Aantal", "Ernst", "Code", "Wat")


def quoted(title: str) -> str:
    """A sheet title inside '…' in a reference: an apostrophe is doubled."""
    return title.replace("'", "''")


VML_IDMAP = re.compile(rb'(<\w+:idmap\b[^>]*?\bdata=")[^"]*(")')
VML_SHAPE_ID = re.compile(rb"_x0000_s\d+")


def row_values(number: int, finding: Finding) -> tuple[object, ...]:
    """A finding's row under HEADERS, the same from either writer."""
    f = finding
    return (number, str(f.severity), f.code, f.sheet, f.cell, f.record, f.label, f.value, f.message, f.hint)
