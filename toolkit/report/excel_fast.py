"""The annotated Excel copy without loading the register into openpyxl.

Loading and saving a 10,000-pilot register with openpyxl took most of `toolkit validate`'s
time (issue 12). The copy differs from the register in few places, so here the register's
zip is copied part by part and only what changes is patched:

- styles.xml gets a few fills, fonts and cell formats (a coloured cell keeps its own
  format, only with the fill replaced, as `cell.fill = …` does in openpyxl);
- the sheets with findings get the `s` attribute of those cells changed (cells and rows
  that do not exist yet are inserted in order) and a legacyDrawing for the comments; the
  sheet XML is scanned linearly as bytes, the rest of it is copied as it is;
- comments and their VML drawing are written by openpyxl's own classes, so they look as
  they did;
- the sheet Bevindingen, its table and hyperlinks are written as XML, first in the
  workbook, with workbook.xml, its relationships and [Content_Types].xml patched.

Everything else (validations, conditional formats, tables, defined names, even parts
openpyxl would drop) is copied unchanged. What this cannot patch safely raises
`Unsupported`; the caller then uses the openpyxl path. The register is only read.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections import Counter, defaultdict
from io import BytesIO
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape, quoteattr

from toolkit.core.output import shown
from toolkit.declarations.findings import Finding, Severity, summary, titles, visible
from toolkit.validation.validate import ValidationResult

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_DOC = REL + "/officeDocument"
WORKSHEET_TYPE = REL + "/worksheet"
TABLE_TYPE = REL + "/table"
COMMENTS_TYPE = REL + "/comments"
VML_TYPE = REL + "/vmlDrawing"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
TABLE_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
COMMENTS_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
VML_CT = "application/vnd.openxmlformats-officedocument.vmlDrawing"

_ROW = re.compile(rb"<row\b([^>]*?)(/?)>")
_CELL = re.compile(rb"<c\b([^>]*?)(/?)>")
_R_ATTR = re.compile(rb'(?:^|\s)r="([A-Z]+)?(\d+)"')
_S_ATTR = re.compile(rb'(\s)s="(\d+)"')
_SPANS = re.compile(rb'\sspans="[^"]*"')
_REF = re.compile(r"([A-Z]{1,3})(\d+)")
_ROOT = re.compile(rb"<worksheet\b[^>]*>")
# the elements a worksheet may have after legacyDrawing (ECMA-376 CT_Worksheet order)
_AFTER_LEGACY = (
    b"<legacyDrawingHF",
    b"<drawingHF",
    b"<picture",
    b"<oleObjects",
    b"<controls",
    b"<webPublishItems",
    b"<tableParts",
    b"<extLst",
)


class Unsupported(Exception):
    """The register has something the fast path does not patch safely."""


def _column_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _q(tag: str, ns: str = MAIN) -> str:
    return f"{{{ns}}}{tag}"


def _xml(data: bytes):  # type: ignore[no-untyped-def]
    from lxml import etree

    return etree.fromstring(data, parser=etree.XMLParser(huge_tree=True, resolve_entities=False))


def _tostring(root) -> bytes:  # type: ignore[no-untyped-def]
    from lxml import etree

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _resolve(base: str, target: str) -> str:
    """A relationship's target as a part name in the zip (no leading slash)."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _free(names: set[str], pattern: str) -> str:
    number = 1
    while pattern.format(number) in names:
        number += 1
    names.add(pattern.format(number))
    return pattern.format(number)


def _add_rel(root, rel_type: str, target: str) -> str:  # type: ignore[no-untyped-def]
    from lxml import etree

    used = {el.get("Id") for el in root}
    number = 1
    while f"rId{number}" in used:
        number += 1
    etree.SubElement(root, _q("Relationship", PKG_REL), Id=f"rId{number}", Type=rel_type, Target="/" + target)
    return f"rId{number}"


class _Styles:
    """styles.xml with the formats the report adds; each added once."""

    def __init__(self, data: bytes) -> None:
        from lxml import etree

        self.root = _xml(data)
        self.fonts = self.root.find(_q("fonts"))
        self.fills = self.root.find(_q("fills"))
        self.xfs = self.root.find(_q("cellXfs"))
        if (
            self.fonts is None
            or self.fills is None
            or self.xfs is None
            or not len(self.xfs)
            or self.root.find(_q("borders")) is None
        ):
            raise Unsupported("styles.xml zonder fonts, fills of cellXfs")
        self._etree = etree
        self._filled: dict[tuple[int, int], int] = {}
        self._fill_ids: dict[str, int] = {}

    def fill(self, rgb: str) -> int:
        """A solid fill as openpyxl writes PatternFill('solid', start_color=rgb, end_color=rgb)."""
        if rgb not in self._fill_ids:
            element = self._etree.SubElement(self.fills, _q("fill"))
            pattern = self._etree.SubElement(element, _q("patternFill"), patternType="solid")
            self._etree.SubElement(pattern, _q("fgColor"), rgb=f"00{rgb}")
            self._etree.SubElement(pattern, _q("bgColor"), rgb=f"00{rgb}")
            self.fills.set("count", str(len(self.fills)))
            self._fill_ids[rgb] = len(self.fills) - 1
        return self._fill_ids[rgb]

    def font(
        self, bold: bool = False, size: int | None = None, color: str | None = None, underline: bool = False
    ) -> int:
        element = self._etree.SubElement(self.fonts, _q("font"))
        if bold:
            self._etree.SubElement(element, _q("b"), val="1")
        if underline:
            self._etree.SubElement(element, _q("u"), val="single")
        if size:
            self._etree.SubElement(element, _q("sz"), val=str(size))
        if color:
            self._etree.SubElement(element, _q("color"), rgb=f"00{color}")
        self.fonts.set("count", str(len(self.fonts)))
        return len(self.fonts) - 1

    def xf(self, font: int = 0, fill: int = 0, wrap: bool = False) -> int:
        element = self._etree.SubElement(
            self.xfs, _q("xf"), numFmtId="0", fontId=str(font), fillId=str(fill), borderId="0", xfId="0"
        )
        if font:
            element.set("applyFont", "1")
        if fill:
            element.set("applyFill", "1")
        if wrap:
            element.set("applyAlignment", "1")
            self._etree.SubElement(element, _q("alignment"), wrapText="1", vertical="top")
        self.xfs.set("count", str(len(self.xfs)))
        return len(self.xfs) - 1

    def with_fill(self, index: int, fill: int) -> int:
        """The cell's own format with another fill: what `cell.fill = …` does in openpyxl."""
        key = (index, fill)
        if key not in self._filled:
            if index >= len(self.xfs):
                raise Unsupported(f"celopmaak {index} bestaat niet")
            element = self._etree.fromstring(self._etree.tostring(self.xfs[index]))
            element.set("fillId", str(fill))
            element.set("applyFill", "1")
            self.xfs.append(element)
            self.xfs.set("count", str(len(self.xfs)))
            self._filled[key] = len(self.xfs) - 1
        return self._filled[key]


def _patch_sheet(data: bytes, styles: dict[str, int], legacy_rid: str) -> bytes:
    """Give the cells in `styles` (ref -> new format) their format; add the legacyDrawing.

    A linear scan over the rows as bytes: only rows with a finding are taken apart.
    """
    root = _ROOT.search(data, 0, 4096)
    if root is None or f'xmlns="{MAIN}"'.encode() not in root.group(0):
        raise Unsupported("werkblad zonder de gewone naamruimte")
    if data.count(b"<sheetData") != 1 or b"<legacyDrawing " in data or b"<legacyDrawing>" in data:
        raise Unsupported("werkblad met opmerkingen of zonder sheetData")
    start = data.index(b"<sheetData")
    empty = data.startswith(b"<sheetData/>", start)
    body_start = start + len(b"<sheetData/>") if empty else data.index(b">", start) + 1
    end = body_start if empty else data.index(b"</sheetData>", body_start)

    wanted: dict[int, dict[int, int]] = defaultdict(dict)  # row -> column -> format
    for ref, style in styles.items():
        parsed = _REF.fullmatch(ref)
        if not parsed:
            raise Unsupported(f"celverwijzing {ref}")
        wanted[int(parsed.group(2))][_column_number(parsed.group(1))] = style
    rows = sorted(wanted)
    out: list[bytes] = [data[:start], b"<sheetData>"]
    position = body_start
    index = 0
    for match in _ROW.finditer(data, body_start, end):
        if index == len(rows):
            break
        r = _R_ATTR.search(match.group(1))
        if r is None or r.group(1):
            raise Unsupported("rij zonder nummer")
        number = int(r.group(2))
        while index < len(rows) and rows[index] < number:  # a row that is not there yet
            out.append(data[position : match.start()])
            position = match.start()
            out.append(_new_row(rows[index], wanted[rows[index]]))
            index += 1
        if index < len(rows) and rows[index] == number:
            closing = match.group(2) == b"/"
            row_end = match.end() if closing else data.index(b"</row>", match.end()) + 6
            out.append(data[position : match.start()])
            out.append(
                _patch_row(
                    data[match.start() : row_end],
                    match.end() - match.start(),
                    closing,
                    number,
                    wanted[number],
                )
            )
            position = row_end
            index += 1
    out.append(data[position:end])
    for number in rows[index:]:
        out.append(_new_row(number, wanted[number]))
    out.append(b"</sheetData>")
    tail = data[end + (0 if empty else len(b"</sheetData>")) :]
    cut = min(
        (i for i in (tail.find(tag) for tag in _AFTER_LEGACY) if i >= 0), default=tail.rindex(b"</worksheet>")
    )
    drawing = f'<legacyDrawing xmlns:r="{REL}" r:id="{legacy_rid}"/>'.encode()
    out += [tail[:cut], drawing, tail[cut:]]
    return b"".join(out)


def _new_row(number: int, cells: dict[int, int]) -> bytes:
    return b'<row r="%d">%s</row>' % (
        number,
        b"".join(
            b'<c r="%s%d" s="%d"/>' % (_column_letters(c).encode(), number, s)
            for c, s in sorted(cells.items())
        ),
    )


def _patch_row(row: bytes, head: int, closing: bool, number: int, cells: dict[int, int]) -> bytes:
    """One row with the formats changed and the missing cells inserted in column order."""
    opening = row[:head]
    if closing:
        opening = opening[:-2] + b">"
        content, close = b"", b"</row>"
    else:
        content, close = row[head:-6], b"</row>"
    todo = sorted(cells.items())
    out: list[bytes] = []
    position = 0
    inserted = False
    for match in _CELL.finditer(content):
        if match.start() < position:  # inside a cell already passed (cannot happen in valid XML)
            continue
        r = _R_ATTR.search(match.group(1))
        if r is None or not r.group(1) or int(r.group(2)) != number:
            raise Unsupported("cel zonder geldige verwijzing")
        column = _column_number(r.group(1).decode())
        cell_end = match.end() if match.group(2) == b"/" else content.index(b"</c>", match.end()) + 4
        while todo and todo[0][0] < column:
            out.append(content[position : match.start()])
            position = match.start()
            out.append(b'<c r="%s%d" s="%d"/>' % (_column_letters(todo[0][0]).encode(), number, todo[0][1]))
            todo.pop(0)
            inserted = True
        if todo and todo[0][0] == column:
            attrs = match.group(1)
            s_attr = b' s="%d"' % todo[0][1]
            attrs = _S_ATTR.sub(s_attr, attrs, count=1) if _S_ATTR.search(attrs) else attrs + s_attr
            out.append(content[position : match.start()])
            out.append(b"<c" + attrs + match.group(2) + b">")
            position = match.end()
            todo.pop(0)
        else:
            out.append(content[position:cell_end])
            position = cell_end
    out.append(content[position:])
    for column, style in todo:
        out.append(b'<c r="%s%d" s="%d"/>' % (_column_letters(column).encode(), number, style))
        inserted = True
    if inserted:
        opening = _SPANS.sub(b"", opening)  # spans is only a hint; a new cell may lie outside
    return opening + b"".join(out) + close


def _text_cell(ref: str, value: object, style: int = 0) -> str:
    """A cell as openpyxl's set_text or ws.cell(row, col, value) would give it."""
    s = f' s="{style}"' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    text = "" if value is None else str(value)
    if not text:
        return f'<c r="{ref}"{s}/>'
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def _findings_sheet(result: ValidationResult, st: _Styles, table_rid: str) -> tuple[bytes, str, list[str]]:
    """The sheet XML of Bevindingen, its table's ref and the header names (as excel.py)."""
    from toolkit.report.findings_sheet import FILL, HEADERS, SUMMARY_HEADERS, WIDTHS, quoted, row_values

    title = st.xf(font=st.font(bold=True, size=14))
    bold = st.xf(font=st.font(bold=True))
    head = st.xf(font=st.font(bold=True, color="FFFFFF"), fill=st.fill("1F4E79"))
    wrap = st.xf(wrap=True)
    link = st.xf(font=st.font(color="0563C1", underline=True), wrap=True)
    severity = {sev: st.xf(fill=st.fill(rgb), wrap=True) for sev, rgb in FILL.items()}

    rows: list[str] = []
    peil = result.peildatum.strftime("%d-%m-%Y") if result.peildatum else "geen"
    heading = visible(f"Bevindingen bij {shown(result.register.path.name)}")
    intro = visible(
        f"Peildatum {peil}: {summary(result.counts)}. Klik op een cel in kolom Cel om naar de plek te gaan."
    )
    rows.append(f'<row r="1">{_text_cell("A1", heading, title)}</row>')
    rows.append(f'<row r="2">{_text_cell("A2", intro)}</row>')
    row = 4
    rows.append(
        '<row r="4">'
        + "".join(
            _text_cell(f"{chr(64 + col)}4", header, bold) for col, header in enumerate(SUMMARY_HEADERS, 1)
        )
        + "</row>"
    )
    per_code = Counter((f.code, str(f.severity)) for f in result.findings)
    names = titles(result.findings)
    for (code, sev), number in sorted(per_code.items()):
        row += 1
        rows.append(
            f'<row r="{row}">{_text_cell(f"A{row}", number)}{_text_cell(f"B{row}", sev)}'
            f"{_text_cell(f'C{row}', code)}"
            f"{_text_cell(f'D{row}', names[code])}</row>"
        )
    row += 2
    first = row
    rows.append(
        f'<row r="{row}">'
        + "".join(_text_cell(f"{chr(64 + col)}{row}", header, head) for col, header in enumerate(HEADERS, 1))
        + "</row>"
    )
    links: list[str] = []
    for number, f in enumerate(result.findings, start=1):
        row += 1
        values = row_values(number, f)
        cells = []
        for col, value in enumerate(values, start=1):
            if not isinstance(value, int):
                value = "" if value is None else visible(str(value))
            style = wrap
            if col == 2:
                style = severity[f.severity]
            elif col == 5 and f.cell:
                style = link
            cells.append(_text_cell(f"{chr(64 + col)}{row}", value, style))
        rows.append(f'<row r="{row}">{"".join(cells)}</row>')
        if f.cell:
            target = quoteattr(f"'{quoted(f.sheet)}'!{f.cell}")
            links.append(f'<hyperlink ref="E{row}" location={target} tooltip="Ga naar de cel"/>')
    last = max(row, first + 1)
    if row == first:
        rows.append(f'<row r="{first + 1}">{_text_cell(f"I{first + 1}", "Geen bevindingen.")}</row>')
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(WIDTHS, start=1)
    )
    top = f"A{first + 1}"
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><dimension ref="A1:J{last}"/>'
        f'<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
        f'<pane ySplit="{first}" topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
        f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/></sheetView>'
        f'</sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols>'
        f"<sheetData>{''.join(rows)}</sheetData>"
        + (f"<hyperlinks>{''.join(links)}</hyperlinks>" if links else "")
        + '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" '
        f'footer="0.5"/><tableParts count="1"><tablePart r:id="{table_rid}"/></tableParts>'
        "</worksheet>"
    )
    return xml.encode("utf-8"), f"A{first}:J{last}", list(HEADERS)


def _comment_parts(found: dict[str, list[Finding]], block: int) -> tuple[bytes, bytes]:
    """comments XML and VML drawing, by openpyxl's classes, with the sheet's own id block."""
    from openpyxl.comments.comment_sheet import CommentRecord, CommentSheet
    from openpyxl.xml.functions import tostring

    from toolkit.report.findings_sheet import VML_IDMAP, VML_SHAPE_ID

    records = []
    for ref, items in found.items():
        record = CommentRecord(ref=ref, author="toolkit validate")
        record.text.t = visible("\n\n".join(f"{f.severity.upper()}: {f.message}\n{f.hint}" for f in items))
        record.width, record.height = 320, 160
        records.append(record)
    sheet = CommentSheet.from_comments(records)
    vml = sheet.write_shapes()
    # a block holds 1024 shape ids: a sheet with more comments gets consecutive blocks
    blocks = range(block, block + _blocks_needed(len(records)))
    listed = ",".join(map(str, blocks)).encode()
    vml = VML_IDMAP.sub(lambda m: m.group(1) + listed + m.group(2), vml)
    numbers = iter(range(block * 1024 + 1, (blocks[-1] + 1) * 1024))
    vml = VML_SHAPE_ID.sub(lambda _m: b"_x0000_s%d" % next(numbers), vml)
    return tostring(sheet.to_tree()), vml


def _blocks_needed(shapes: int) -> int:
    """VML id blocks for this many shapes, numbered from the block's id + 1."""
    return (shapes + 1) // 1024 + 1


def excel_report_bytes(result: ValidationResult, path: Path | IO[bytes] | None = None) -> bytes:
    """The annotated copy of the register at `path`, a file or its bytes (default: the
    result's register)."""
    from lxml import etree

    from toolkit.core.output import COMPRESS_LEVEL
    from toolkit.report.findings_sheet import FILL, SHEET

    source = zipfile.ZipFile(path or result.register.path)
    infos = source.infolist()
    names = {info.filename for info in infos}
    if len(names) != len(infos):
        raise Unsupported("dubbele onderdelen in het zip-bestand")
    parts: dict[str, bytes] = {}

    def read(name: str) -> bytes:
        if name not in parts:
            parts[name] = source.read(name)
        return parts[name]

    root_rels = _xml(read("_rels/.rels"))
    workbook_part = next(
        (_resolve("", el.get("Target")) for el in root_rels if el.get("Type") == OFFICE_DOC), None
    )
    if workbook_part is None or workbook_part not in names:
        raise Unsupported("geen werkmap gevonden")
    workbook = _xml(read(workbook_part))
    if workbook.tag != _q("workbook"):
        raise Unsupported("werkmap in een andere naamruimte (strict?)")
    wb_rels_name = _rels_name(workbook_part)
    wb_rels = _xml(read(wb_rels_name))
    targets = {
        el.get("Id"): _resolve(workbook_part, el.get("Target"))
        for el in wb_rels
        if el.get("TargetMode") != "External"
    }
    sheets_el = workbook.find(_q("sheets"))
    sheet_parts: dict[str, str] = {}
    for el in sheets_el:
        part = targets.get(el.get(_q("id", REL)))
        if part is None or part not in names:
            raise Unsupported(f"tabblad {el.get('name')} zonder onderdeel")
        sheet_parts[el.get("name")] = part
    if SHEET in sheet_parts:
        raise Unsupported("het register heeft al een tabblad Bevindingen")
    for name in names:
        if name.endswith(".xml") and "/tables/" in name and b'displayName="Bevindingen"' in read(name):
            raise Unsupported("er is al een tabel Bevindingen")
    defined = workbook.find(_q("definedNames"))
    if defined is not None and any(el.get("name", "").lower() == "bevindingen" for el in defined):
        raise Unsupported("er is al een naam Bevindingen")

    by_sheet: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for f in result.findings:
        if f.cell and f.sheet in sheet_parts:
            by_sheet[f.sheet][f.cell].append(f)

    styles_part = next(
        (
            p
            for i, p in targets.items()
            if wb_rels.find(f"{{{PKG_REL}}}Relationship[@Id='{i}']").get("Type") == REL + "/styles"
        ),
        None,
    )
    if styles_part is None or styles_part not in names:
        raise Unsupported("geen styles.xml")
    st = _Styles(read(styles_part))
    fills = {sev: st.fill(rgb) for sev, rgb in FILL.items()}
    content_types = _xml(read("[Content_Types].xml"))
    defaults = {el.get("Extension", "").lower() for el in content_types if el.tag == _q("Default", CT)}
    new_names = set(names)
    new_parts: dict[str, bytes] = {}

    block = 1
    for sheet, found in sorted(by_sheet.items(), key=lambda item: list(sheet_parts).index(item[0])):
        part = sheet_parts[sheet]
        data = read(part)
        cell_styles: dict[str, int] = {}
        current = _current_styles(data, set(found))
        for ref, items in found.items():
            worst = Severity.ERROR if any(f.severity is Severity.ERROR for f in items) else Severity.WARNING
            cell_styles[ref] = st.with_fill(current.get(ref, 0), fills[worst])
        rels_name = _rels_name(part)
        if rels_name in names:
            sheet_rels = _xml(read(rels_name))
            if any(el.get("Type") in (COMMENTS_TYPE, VML_TYPE) for el in sheet_rels):
                raise Unsupported(f"tabblad {sheet} heeft al opmerkingen")
        else:
            sheet_rels = etree.Element(_q("Relationships", PKG_REL), nsmap={None: PKG_REL})
        comments_part = _free(new_names, "xl/comments/comment{}.xml")
        vml_part = _free(new_names, "xl/drawings/commentsDrawing{}.vml")
        _add_rel(sheet_rels, COMMENTS_TYPE, comments_part)
        vml_rid = _add_rel(sheet_rels, VML_TYPE, vml_part)
        parts[part] = _patch_sheet(data, cell_styles, vml_rid)
        parts[rels_name] = _tostring(sheet_rels)
        if rels_name not in names:
            new_parts[rels_name] = parts[rels_name]
        new_parts[comments_part], new_parts[vml_part] = _comment_parts(found, block)
        block += _blocks_needed(len(found))
        etree.SubElement(
            content_types, _q("Override", CT), PartName="/" + comments_part, ContentType=COMMENTS_CT
        )
    if by_sheet and "vml" not in defaults:
        etree.SubElement(content_types, _q("Default", CT), Extension="vml", ContentType=VML_CT)

    # the sheet Bevindingen, first
    sheet_part = _free(new_names, "xl/worksheets/sheet{}.xml")
    table_part = _free(new_names, "xl/tables/table{}.xml")
    sheet_rels = etree.Element(_q("Relationships", PKG_REL), nsmap={None: PKG_REL})
    table_rid = _add_rel(sheet_rels, TABLE_TYPE, table_part)
    new_parts[sheet_part], ref, headers = _findings_sheet(result, st, table_rid)
    new_parts[_rels_name(sheet_part)] = _tostring(sheet_rels)
    table_ids = [
        int(m.group(1))
        for name in names
        if "/tables/" in name and name.endswith(".xml")
        for m in [re.search(rb'<table\b[^>]*?\sid="(\d+)"', read(name))]
        if m
    ]
    columns = "".join(f'<tableColumn id="{i}" name={quoteattr(h)}/>' for i, h in enumerate(headers, start=1))
    new_parts[table_part] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<table xmlns="{MAIN}" '
        f'id="{max(table_ids, default=0) + 1}" name="{SHEET}" displayName="{SHEET}" ref="{ref}">'
        f'<autoFilter ref="{ref}"/><tableColumns count="{len(headers)}">{columns}</tableColumns>'
        '<tableStyleInfo name="TableStyleLight9" showFirstColumn="0" showLastColumn="0" '
        'showRowStripes="1" showColumnStripes="0"/></table>'
    ).encode()
    for part, kind in ((sheet_part, SHEET_CT), (table_part, TABLE_CT)):
        etree.SubElement(content_types, _q("Override", CT), PartName="/" + part, ContentType=kind)
    sheet_rid = _add_rel(wb_rels, WORKSHEET_TYPE, sheet_part)
    sheet_ids = [int(el.get("sheetId", "0")) for el in sheets_el]
    new_sheet = etree.Element(_q("sheet"), name=SHEET, sheetId=str(max(sheet_ids, default=0) + 1))
    new_sheet.set(_q("id", REL), sheet_rid)
    sheets_el.insert(0, new_sheet)
    if defined is not None:
        for el in defined:
            if el.get("localSheetId") is not None:
                el.set("localSheetId", str(int(el.get("localSheetId")) + 1))
    views = workbook.find(_q("bookViews"))
    for view in views if views is not None else ():
        view.set("activeTab", "0")
        if view.get("firstSheet") is not None:
            view.set("firstSheet", "0")
    parts[workbook_part] = _tostring(workbook)
    parts[wb_rels_name] = _tostring(wb_rels)
    parts["[Content_Types].xml"] = _tostring(content_types)
    parts[styles_part] = _tostring(st.root)

    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as out:
        for info in infos:
            data = read(info.filename)
            if info.filename in sheet_parts.values():
                head_end = data.find(b"<sheetData")
                head = data[:head_end]
                if b'tabSelected="1"' in head:  # Bevindingen is the selected sheet now
                    data = head.replace(b' tabSelected="1"', b"") + data[head_end:]
            out.writestr(info.filename, data)
            parts.pop(info.filename, None)  # the big sheets need not stay in memory
        for name, data in new_parts.items():
            out.writestr(name, data)
    return buffer.getvalue()


def _current_styles(data: bytes, refs: set[str]) -> dict[str, int]:
    """The format index of each of `refs` that exists in the sheet XML (scanned linearly)."""
    rows = {int(parsed.group(2)) for ref in refs if (parsed := _REF.fullmatch(ref))}
    found: dict[str, int] = {}
    start = data.find(b"<sheetData")
    end = data.find(b"</sheetData>", start)
    if end < 0:
        return found
    for match in _ROW.finditer(data, start, end):
        r = _R_ATTR.search(match.group(1))
        if r is None or int(r.group(2)) not in rows or match.group(2) == b"/":
            continue
        row_end = data.index(b"</row>", match.end())
        for cell in _CELL.finditer(data, match.end(), row_end):
            cr = _R_ATTR.search(cell.group(1))
            if cr and cr.group(1):
                ref = cr.group(1).decode() + cr.group(2).decode()
                if ref in refs:
                    s = _S_ATTR.search(cell.group(1))
                    found[ref] = int(s.group(2)) if s else 0
    return found
