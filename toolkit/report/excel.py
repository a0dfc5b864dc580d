"""An annotated copy of the register: problem cells coloured, with a comment each.

The copy is made by reading the register's bytes and saving elsewhere; the original is
never opened for writing. A first sheet Bevindingen lists every finding in a filterable
table with a link to its cell.

`write_excel_report` patches the register's zip part by part (excel_fast.py); the
openpyxl load and save here is the fallback for registers that path refuses, and the
reference the tests compare it with, cell by cell.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

from toolkit.core.output import atomic_write, shown
from toolkit.declarations.findings import Finding, Severity, summary, titles, visible
from toolkit.report.findings_sheet import (
    FILL,
    HEADERS,
    SHEET,
    SUMMARY_HEADERS,
    VML_IDMAP,
    VML_SHAPE_ID,
    WIDTHS,
    quoted,
    row_values,
)
from toolkit.validation.validate import ValidationResult


def set_text(cell, value: object) -> None:  # type: ignore[no-untyped-def]
    """Write as text, always: '=SOM(…)' or '@x' from a register must not become a formula,
    and a control character shows as its code instead of making openpyxl refuse the cell."""
    cell.value = "" if value is None else visible(str(value))
    cell.data_type = "s"


def _annotate(workbook, findings: list[Finding]) -> None:  # type: ignore[no-untyped-def]
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    by_cell: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.cell and f.sheet in workbook.sheetnames:
            by_cell[(f.sheet, f.cell)].append(f)
    for (sheet, ref), found in by_cell.items():
        cell = workbook[sheet][ref]
        worst = Severity.ERROR if any(f.severity is Severity.ERROR for f in found) else Severity.WARNING
        cell.fill = PatternFill("solid", start_color=FILL[worst], end_color=FILL[worst])
        text = "\n\n".join(f"{f.severity.upper()}: {f.message}\n{f.hint}" for f in found)
        comment = Comment(visible(text), "toolkit validate")
        comment.width, comment.height = 320, 160
        cell.comment = comment


def _findings_sheet(workbook, result: ValidationResult) -> None:  # type: ignore[no-untyped-def]
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink
    from openpyxl.worksheet.table import Table, TableStyleInfo

    ws = workbook.create_sheet(SHEET, 0)
    workbook.active = 0
    set_text(ws["A1"], f"Bevindingen bij {shown(result.register.path.name)}")
    ws["A1"].font = Font(bold=True, size=14)
    peil = result.peildatum.strftime("%d-%m-%Y") if result.peildatum else "geen"
    c = result.counts
    set_text(
        ws["A2"], f"Peildatum {peil}: {summary(c)}. Klik op een cel in kolom Cel om naar de plek te gaan."
    )
    row = 4
    for col, header in enumerate(SUMMARY_HEADERS, start=1):
        ws.cell(row, col, header).font = Font(bold=True)
    per_code = Counter((f.code, str(f.severity)) for f in result.findings)
    names = titles(result.findings)
    for (code, severity), number in sorted(per_code.items()):
        row += 1
        ws.cell(row, 1, number)
        ws.cell(row, 2, severity)
        ws.cell(row, 3, code)
        ws.cell(row, 4, names[code])
    row += 2
    first = row
    for col, header in enumerate(HEADERS, start=1):
        cell = ws.cell(row, col, header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", start_color="1F4E79", end_color="1F4E79")
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, f in enumerate(result.findings, start=1):
        row += 1
        values = row_values(number, f)
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row, col)
            if isinstance(value, int):
                cell.value = value
            else:
                set_text(cell, value)
            cell.alignment = wrap
        if f.cell:
            link = ws.cell(row, 5)
            link.hyperlink = Hyperlink(
                ref=link.coordinate, location=f"'{quoted(f.sheet)}'!{f.cell}", tooltip="Ga naar de cel"
            )
            link.font = Font(color="0563C1", underline="single")
        ws.cell(row, 2).fill = PatternFill("solid", start_color=FILL[f.severity], end_color=FILL[f.severity])
    last = max(row, first + 1)
    if row == first:
        set_text(ws.cell(first + 1, 9), "Geen bevindingen.")
    table = Table(displayName="Bevindingen", ref=f"A{first}:J{last}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(table)
    for index, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[chr(64 + index)].width = width
    ws.freeze_panes = ws.cell(first + 1, 1)


_VML = re.compile(r"xl/drawings/commentsDrawing(\d+)\.vml")


def unique_vml_ids(data: bytes) -> bytes:
    """Give each sheet's comment drawing its own VML id block.

    openpyxl writes every comment drawing with block 1 (o:idmap data="1", shapes
    _x0000_s1026 …); with comments on two sheets Excel then offers to repair the file.
    Block n holds shape ids n×1024 … n×1024+1023.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    drawings = sorted((int(m.group(1)), name) for name in source.namelist() if (m := _VML.fullmatch(name)))
    if len(drawings) < 2:
        return data
    blocks = {name: index for index, (_, name) in enumerate(drawings, start=1)}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            block = blocks.get(item.filename)
            if block is not None:
                content = _in_block(content, block)
            target.writestr(item, content)
    return out.getvalue()


def _in_block(drawing: bytes, block: int) -> bytes:
    """One comment drawing moved to VML id block `block`, its shapes numbered within it."""
    drawing = VML_IDMAP.sub(lambda m: m.group(1) + str(block).encode() + m.group(2), drawing)
    numbers = iter(range(block * 1024 + 1, block * 1024 + 1024))
    return VML_SHAPE_ID.sub(lambda _m: b"_x0000_s%d" % next(numbers), drawing)


def write_excel_report(result: ValidationResult, path: Path) -> Path:
    """The annotated copy: patched part by part (fast), else through openpyxl.

    The fast path (excel_fast.py) copies the register's zip and patches only what changes;
    it refuses registers it cannot patch safely (an existing sheet, table or name
    Bevindingen, comments already on a sheet with findings, Strict OOXML, sheets in another
    namespace prefix, rows or cells without a position) and then the openpyxl load and
    save below makes the copy as before. So does XML the byte scan did not expect.
    """
    from toolkit.report.excel_fast import Unsupported, excel_report_bytes

    result = _on_workbook_titles(result)
    source = transitional(result.register.path.read_bytes())
    try:
        content = excel_report_bytes(result, io.BytesIO(source))
    except (Unsupported, ValueError, KeyError, IndexError, SyntaxError):
        # Unsupported: a register the patching does not handle; the others: XML the byte
        # scan did not expect (lxml's parse errors are SyntaxErrors). openpyxl reads both.
        content = openpyxl_report_bytes(result, source)
    content = without_macros(content)
    _check_sheets_kept(result, content)
    return atomic_write(path, lambda tmp: tmp.write_bytes(content), protect=(result.register.path,))


def _on_workbook_titles(result: ValidationResult) -> ValidationResult:
    """Findings on the sheets as the workbook spells them: a sheet 'pilots ' is read as
    Pilots, and its cells must still be coloured and linked in the copy."""
    from dataclasses import replace

    from toolkit.register.read import sheet_title

    titles = result.register.titles
    moved = {}
    for f in result.findings:
        if f.sheet and f.sheet not in titles and f.sheet not in moved:
            moved[f.sheet] = sheet_title(titles, f.sheet) or f.sheet
    if not any(title != name for name, title in moved.items()):
        return result
    return replace(result, findings=[replace(f, sheet=moved.get(f.sheet, f.sheet)) for f in result.findings])


#: Strict OOXML's namespaces and relationship types, and their transitional spelling (the
#: one openpyxl and the fast path read); longer names first
_STRICT = (
    (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships/extendedProperties",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships/customProperties",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
        b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/customProperties",
        b"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes",
        b"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/math",
        b"http://schemas.openxmlformats.org/officeDocument/2006/math",
    ),
    (
        b"http://purl.oclc.org/ooxml/spreadsheetml/main",
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    ),
    (
        b"http://purl.oclc.org/ooxml/drawingml/spreadsheetDrawing",
        b"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
    ),
    (
        b"http://purl.oclc.org/ooxml/drawingml/chart",
        b"http://schemas.openxmlformats.org/drawingml/2006/chart",
    ),
    (b"http://purl.oclc.org/ooxml/drawingml/main", b"http://schemas.openxmlformats.org/drawingml/2006/main"),
)
_CONFORMANCE = re.compile(rb'\sconformance\s*=\s*["\']strict["\']')


def transitional(data: bytes) -> bytes:
    """A register saved as Strict Open XML, respelled in the transitional namespaces both
    copy paths read (openpyxl alone would keep none of its sheets); any other register as
    it is. The content is the same: Strict differs from transitional in its names."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        workbook = next((n for n in source.namelist() if n.endswith("workbook.xml")), None)
        if workbook is None or b"purl.oclc.org/ooxml/spreadsheetml" not in source.read(workbook):
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                content = source.read(item)
                if item.filename.endswith((".xml", ".rels", ".vml")):
                    for strict, plain in _STRICT:
                        content = content.replace(strict, plain)
                    content = _CONFORMANCE.sub(b"", content, count=1)
                target.writestr(item, content)
    return out.getvalue()


def _check_sheets_kept(result: ValidationResult, content: bytes) -> None:
    """Every sheet of the register is in its annotated copy; a copy that lost one (links
    in Bevindingen would point nowhere) is not written."""
    from defusedxml.ElementTree import fromstring

    from toolkit.core.errors import OutputError

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        book = fromstring(archive.read("xl/workbook.xml"))
    copied = {el.get("name") for el in book.iter() if el.tag.rsplit("}", 1)[-1] == "sheet"}
    from toolkit.core.packageparts import macro_sheets

    lost = [t for t in result.register.titles if t not in copied]
    if lost:  # a macro sheet is left out on purpose
        lost = [t for t in lost if t not in macro_sheets(result.register.path.read_bytes())]
    if lost:
        raise OutputError(
            f"De Excel-kopie met bevindingen van '{shown(result.register.path.name)}' kan niet "
            f"worden gemaakt: de tabbladen {', '.join(lost)} zouden erin ontbreken. Open het "
            f"register in Excel en sla het op als Excel-werkmap (*.xlsx), niet als 'Strikt "
            f"Open XML'; de andere rapporten zijn wel gemaakt."
        )


def without_macros(content: bytes) -> bytes:
    """The copy never carries the register's macros (a VBA project, macro sheets, ActiveX):
    opened in Excel it would run them under the report's name."""
    from toolkit.core.packageparts import strip_macros

    return strip_macros(content)[0]


def openpyxl_report_bytes(result: ValidationResult, data: bytes | None = None) -> bytes:
    """The annotated copy through a full openpyxl load and save of the register (slow)."""
    from io import BytesIO

    from openpyxl import load_workbook

    source = BytesIO(result.register.path.read_bytes() if data is None else data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = load_workbook(source)
    if SHEET in workbook.sheetnames:
        del workbook[SHEET]
    _annotate(workbook, result.findings)
    _findings_sheet(workbook, result)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return unique_vml_ids(buffer.getvalue())
