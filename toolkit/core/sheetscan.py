"""How far a register's sheets reach, read from their XML before any reader sees them.

calamine (the fast reader) allocates the rectangle from A1 to the farthest cell it meets
and aborts the whole process when that is too large; openpyxl (the careful reader)
fills every gap between rows; openpyxl's full load (the Excel report) makes an object
for every cell of a merged range. So every XML part of a register is scanned first,
while filecheck streams it:

* a quick pass (byte searches, in C) checks that every cell is spelled the way Excel
  writes it (`<c r="B7" s="1" t="s">`) inside the area the fast reader may take, and
  counts rows, cells and merged ranges;
* a part spelled any other way (no or a repeated `r`, other quotes or case, a namespace
  prefix, character references, comments, another encoding) is parsed again with
  expat, which gives every cell the position the readers give it (a cell without `r`
  follows the one before); such a register goes to the careful reader only.

Beyond the limits below a register is refused with a Dutch message that names the
limit: a municipal register has hundreds of rows, not hundreds of thousands.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from toolkit.core.errors import RegisterUnreadable

MAX_ROWS = 250_000  # per sheet; the benchmark's largest register has 150,000 actions
MAX_COLUMNS = 200  # up to column GR
MAX_CELLS = 3_000_000  # per sheet
MAX_MERGED_CELLS = 100_000  # all merged ranges of the workbook together
#: all cells under hyperlinks together: openpyxl (the Excel report) copies a range's
#: hyperlink into every cell of it
MAX_LINKED_CELLS = 100_000
#: the fast reader takes sheets up to column Z and MAX_ROWS rows, or up to MAX_COLUMNS
#: columns and this many rows (so at most 6.5 million cells); larger goes to openpyxl
FAST_WIDE_ROWS = 25_000


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _letters(n: int) -> str:
    name = ""
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(65 + rest) + name
    return name


def _column(letters: str) -> int:
    n = 0
    for char in letters.upper():
        n = n * 26 + ord(char) - 64
    return n


def _at_most(limit: str, first: str, low: str, high: str) -> str:
    """A regex for the strings of an ordered alphabet low..high that compare <= limit.

    Decimal numbers without leading zeros (first="1") and column letters (first="A")
    are ordered like this: a shorter string is smaller, equal lengths compare by place.
    """

    def below(char: str, start: str) -> str | None:
        return None if char == start else f"[{start}-{chr(ord(char) - 1)}]"

    size = len(limit)
    alternatives = []
    if size > 1:
        alternatives.append(f"[{first}-{high}][{low}-{high}]{{0,{size - 2}}}")
    for i, char in enumerate(limit):
        smaller = below(char, first if i == 0 else low)
        if smaller:
            rest = size - i - 1
            alternatives.append(limit[:i] + smaller + (f"[{low}-{high}]{{{rest}}}" if rest else ""))
    alternatives.append(limit)
    return "(?:" + "|".join(alternatives) + ")"


_ROWS = _at_most(str(MAX_ROWS), "1", "0", "9")
_WIDE_ROWS = _at_most(str(FAST_WIDE_ROWS), "1", "0", "9")
_COLUMNS = _at_most(_letters(MAX_COLUMNS), "A", "A", "Z")
_NEAR = f"(?:[A-Z]{_ROWS}|{_COLUMNS}{_WIDE_ROWS})".encode()
#: a cell or row start tag not spelled as Excel spells it (`<c r="B7" s="1" t="s">`,
#: `<row r="7" ...>`), or outside the fast reader's area: a missing or repeated r,
#: other quotes or another order all count as odd
_CELL_ODD = re.compile(
    rb'<c(?=[\s/>])(?! r="' + _NEAR + rb'"(?: s="[0-9]{1,6}")?+(?: t="[a-zA-Z]{1,9}")?+/?>)'
)
_ROW_ODD = re.compile(rb'<row(?=[\s/>])(?! r="' + _ROWS.encode() + rb'")')
_ROW_START = re.compile(rb"<(?:[^\s<>/!?:]+:)?row[\s/>]")
_CELL_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})')
_PREFIXED_HINT = re.compile(rb":(?:c|row|mergeCell|dimension|sheetData|hyperlink)[\s/>]")
_PREFIXED = re.compile(rb"<[^\s<>/!?:]+:(?:c|row|mergeCell|dimension|sheetData|hyperlink)[\s/>]")
_REF = rb"([A-Z]{1,3})([1-9][0-9]{0,6})"
_LONGEST_TAG = 1 << 20
_MERGE = re.compile(rb'<mergeCell ref="' + _REF + rb":" + _REF + rb'"\s*/>')
_LINK = re.compile(rb'<hyperlink ref="' + _REF + rb"(?::" + _REF + rb')?"')
_DIMENSION = re.compile(rb'<dimension ref="' + _REF + rb"(?::" + _REF + rb')?"\s*/>')
_DECLARATION = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")
#: openpyxl's own pattern for a cell reference (openpyxl.utils.cell.COORD_RE)
_COORD = re.compile(r"^[$]?([A-Za-z]{1,3})[$]?(\d+)$")


@dataclass
class _Part:
    """What the scan saw of one member."""

    name: str
    rows: int = 0
    cells: int = 0
    odd: bool = False  # needs the exact pass
    sheetlike: bool = False  # has cells, rows, merged ranges or a dimension
    merges: list[tuple[str, int, int, int, int]] = field(default_factory=list)
    linked: int = 0  # cells under hyperlinks
    carry: bytes = b""
    head: bytes | None = None  # the first bytes, once seen
    columns: set[bytes] = field(default_factory=set)  # letters of every cell (quick pass)
    encoded: bool = False  # not plain UTF-8: the byte searches cannot see its markup


class SheetScan:
    """Rides along filecheck.scan_package; call finish() once every member was fed."""

    def __init__(self, path: Path, archive: zipfile.ZipFile) -> None:
        self.path = path
        self.archive = archive
        self.parts: list[_Part] = []
        self._titles: dict[str, str] | None = None
        self._merged_area = 0
        self._linked_area = 0
        #: False when some part needs the careful reader
        self.fast_reader_safe = True
        #: per sheet title, the column letters of all its cells, where the quick pass saw
        #: every cell (new-edition: does any cell lie outside the declared columns?)
        self.columns: dict[str, frozenset[str]] = {}

    # -- the quick pass -------------------------------------------------------------
    def consumer(self, info: zipfile.ZipInfo):  # type: ignore[no-untyped-def]
        part = _Part(info.filename)
        self.parts.append(part)

        def feed(chunk: bytes) -> None:
            if part.head is None:
                part.head = chunk[:512]
                if not _utf8(chunk):
                    part.encoded = part.odd = True
            if part.odd and not part.encoded:
                # the exact pass will count; a rough count refuses a huge sheet at once
                part.rows += len(_ROW_START.findall(chunk))
                self._check_counts(part)
                return
            if not chunk:
                self._quick(part, part.carry)
                part.carry = b""
                return
            data = part.carry + chunk if part.carry else chunk
            cut = data.rfind(b"<")
            if cut < 0 or data.find(b">", cut) >= 0:  # every tag in it is complete
                part.carry = b""
                self._quick(part, data)
                return
            if len(data) - cut > _LONGEST_TAG:  # a tag longer than Excel ever writes
                part.odd = True
                part.carry = b""
                return
            part.carry = data[cut:]  # the unfinished tag waits for the next chunk
            self._quick(part, data[:cut])

        return feed

    def _quick(self, part: _Part, data: bytes) -> None:
        """Counts and checks in C; any doubt marks the part for the exact pass."""
        if not data:
            return
        cells = data.count(b'<c r="')
        rows = data.count(b'<row r="')
        merges = data.count(b"<mergeCell")
        links = data.count(b"<hyperlink")
        dimensions = data.count(b"<dimension")
        part.cells += cells
        part.rows += rows
        if cells:
            part.columns.update(_CELL_COLUMN.findall(data))
        if cells or rows or merges or dimensions or links:
            part.sheetlike = True
        self._check_counts(part)
        if (
            _CELL_ODD.search(data)
            or _ROW_ODD.search(data)
            or (_PREFIXED_HINT.search(data) and _PREFIXED.search(data))
        ):
            part.odd = True
            return
        if merges:
            merges -= data.count(b"<mergeCells")
            found = _MERGE.findall(data)
            if len(found) != merges:
                part.odd = True
                return
            for c0, r0, c1, r1 in found:
                self._merge(part, c0.decode(), int(r0), c1.decode(), int(r1))
        if links:
            links -= data.count(b"<hyperlinks")
            found = _LINK.findall(data)
            if len(found) != links:
                part.odd = True
                return
            for c0, r0, c1, r1 in found:
                self._link(part, c0.decode(), int(r0), (c1 or c0).decode(), int(r1 or r0))
        if dimensions:
            found = _DIMENSION.findall(data)
            if len(found) != dimensions:
                part.odd = True
                return
            for c0, r0, c1, r1 in found:
                first, top = _column(c0.decode()), int(r0)
                last, bottom = (_column(c1.decode()), int(r1)) if c1 else (first, top)
                if first > last or top > bottom or not _fits_fast(last, bottom):
                    part.odd = True  # a dimension calamine would reserve room for

    # -- the exact pass -------------------------------------------------------------
    def _exact(self, part: _Part) -> None:
        """Every position as openpyxl gives it, with expat; stops at the first excess."""
        part.rows = part.cells = 0
        part.merges = []
        state = {"row": 0, "col": 0}
        parser = expat.ParserCreate(namespace_separator="\x01")

        def start(tag: str, attrs: dict[str, str]) -> None:
            local = tag.rpartition("\x01")[2]
            if local == "c":
                part.cells += 1
                ref = attrs.get("r")
                if ref:
                    match = _COORD.match(ref)
                    if not match:
                        self._refuse_ref(part, ref)
                    state["col"] = column = _column(match.group(1))  # type: ignore[union-attr]
                    row = int(match.group(2))  # type: ignore[union-attr]
                else:
                    state["col"] += 1
                    column, row = state["col"], state["row"]
                if row < 1:
                    self._refuse_ref(part, ref or "")
                if row > MAX_ROWS or column > MAX_COLUMNS:
                    self._refuse_far(part, f"een cel op {_letters(column)}{row}")
                self._check_counts(part)
            elif local == "row":
                part.rows += 1
                ref = attrs.get("r")
                try:
                    state["row"] = int(ref) if ref is not None else state["row"] + 1
                except ValueError:
                    self._refuse_ref(part, ref or "")
                state["col"] = 0
                if state["row"] < 1:
                    self._refuse_ref(part, ref or "")
                if state["row"] > MAX_ROWS:
                    self._refuse_far(part, f"een rij {_number(state['row'])}")
                self._check_counts(part)
            elif local in ("mergeCell", "hyperlink"):
                ref = attrs.get("ref", "")
                ends = [_COORD.match(end) for end in ref.split(":")]
                if len(ends) not in (1, 2) or not all(ends):
                    self._refuse_ref(part, ref)
                (c0, r0), (c1, r1) = (
                    (m.group(1), int(m.group(2)))  # type: ignore[union-attr]
                    for m in (ends[0], ends[-1])
                )
                (self._merge if local == "mergeCell" else self._link)(part, c0, r0, c1, r1)
            elif local not in ("dimension", "sheetData"):
                return
            part.sheetlike = True

        parser.StartElementHandler = start
        part.sheetlike = False
        try:
            with self.archive.open(part.name) as stream:
                while chunk := stream.read(1 << 20):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except expat.ExpatError as exc:
            # Not XML to expat (an image, or damaged): a reader could still find cells
            # in it if its bytes name sheetData or it starts like XML in another encoding.
            head = (part.head or b"").lstrip(b" \t\r\n")
            if (
                part.sheetlike
                or _names_sheet_data(self.archive, part.name)
                or (part.encoded and head.startswith(_XML_LIKE))
            ):
                raise RegisterUnreadable(
                    f"Onderdeel '{part.name}' van '{self.path.name}' is geen geldige XML "
                    f"(regel {exc.lineno}); het bestand is beschadigd of niet door Excel "
                    f"gemaakt. Open het in Excel, sla het opnieuw op en probeer het nog eens."
                ) from exc

    # -- limits ---------------------------------------------------------------------
    def _check_counts(self, part: _Part) -> None:
        if part.rows > MAX_ROWS:
            raise RegisterUnreadable(
                f"Tabblad '{self._title(part)}' van '{self.path.name}' heeft meer dan "
                f"{_number(MAX_ROWS)} rijen; meer leest de toolkit niet (een register heeft "
                f"er honderden). Verwijder de lege of overbodige rijen onder de tabel "
                f"(selecteer ze, rechtermuisknop > Verwijderen) en sla het register op."
            )
        if part.cells > MAX_CELLS:
            raise RegisterUnreadable(
                f"Tabblad '{self._title(part)}' van '{self.path.name}' heeft meer dan "
                f"{_number(MAX_CELLS)} cellen; meer leest de toolkit niet. Verwijder wat "
                f"buiten de tabel staat (ook lege, opgemaakte cellen) en sla het register op."
            )

    def _refuse_far(self, part: _Part, ref: str) -> None:
        raise RegisterUnreadable(
            f"Tabblad '{self._title(part)}' van '{self.path.name}' heeft {ref}, "
            f"buiten wat de toolkit leest ({_number(MAX_ROWS)} rijen en {MAX_COLUMNS} "
            f"kolommen, tot kolom {_letters(MAX_COLUMNS)}). Verwijder de inhoud en opmaak "
            f"buiten de tabel (selecteer die rijen of kolommen, rechtermuisknop > "
            f"Verwijderen) en sla het register op."
        )

    def _refuse_ref(self, part: _Part, ref: str) -> None:
        raise RegisterUnreadable(
            f"Tabblad '{self._title(part)}' van '{self.path.name}' bevat een ongeldige "
            f"celverwijzing ('{ref[:40]}'); zo schrijft Excel geen werkmap. Open het register "
            f"in Excel, sla het opnieuw op en probeer het nog eens."
        )

    def _merge(self, part: _Part, c0: str, r0: int, c1: str, r1: int) -> None:
        first, last = _column(c0), _column(c1)
        ref = f"{c0.upper()}{r0}:{c1.upper()}{r1}"
        if max(r0, r1) > MAX_ROWS or max(first, last) > MAX_COLUMNS or min(r0, r1) < 1:
            self._refuse_merge(
                part,
                ref,
                f"reiken verder dan de toolkit leest ({_number(MAX_ROWS)} rijen, {MAX_COLUMNS} kolommen)",
            )
        part.merges.append((ref, first, r0, last, r1))
        self._merged_area += (abs(last - first) + 1) * (abs(r1 - r0) + 1)
        if self._merged_area > MAX_MERGED_CELLS:
            self._refuse_merge(
                part,
                ref,
                "maken samen met de andere samengevoegde cellen "
                f"meer dan {_number(MAX_MERGED_CELLS)} cellen één",
            )

    def _refuse_merge(self, part: _Part, ref: str, why: str) -> None:
        raise RegisterUnreadable(
            f"Tabblad '{self._title(part)}' van '{self.path.name}' heeft samengevoegde "
            f"cellen {ref}; die {why}. Selecteer ze, hef de samenvoeging op (Start > "
            f"Samenvoegen en centreren) en sla het register op."
        )

    def _link(self, part: _Part, c0: str, r0: int, c1: str, r1: int) -> None:
        first, last = _column(c0), _column(c1)
        area = (abs(last - first) + 1) * (abs(r1 - r0) + 1)
        part.linked += area
        self._linked_area += area
        if (
            max(r0, r1) > MAX_ROWS
            or max(first, last) > MAX_COLUMNS
            or min(r0, r1) < 1
            or self._linked_area > MAX_LINKED_CELLS
        ):
            raise RegisterUnreadable(
                f"Tabblad '{self._title(part)}' van '{self.path.name}' heeft een hyperlink op "
                f"{c0.upper()}{r0}:{c1.upper()}{r1}; die reikt verder dan de toolkit leest "
                f"({_number(MAX_ROWS)} rijen, {MAX_COLUMNS} kolommen, samen hoogstens "
                f"{_number(MAX_LINKED_CELLS)} cellen met een hyperlink). Verwijder de "
                f"hyperlink (rechtermuisknop > Hyperlink verwijderen) en sla het register op."
            )

    def _title(self, part: _Part) -> str:
        if self._titles is None:
            self._titles = _sheet_titles(self.archive)
        return self._titles.get(part.name, part.name)

    def finish(self) -> None:
        """The exact pass for every part the quick pass had doubts about."""
        for part in self.parts:
            if part.odd:
                self._merged_area -= sum((abs(m[3] - m[1]) + 1) * (abs(m[4] - m[2]) + 1) for m in part.merges)
                self._linked_area -= part.linked
                part.linked = 0
                self._exact(part)
                if part.sheetlike:
                    self.fast_reader_safe = False
            elif part.sheetlike and not part.encoded:
                self.columns[self._title(part)] = frozenset(c.decode() for c in part.columns)
        self.archive = None  # type: ignore[assignment]

    @property
    def merged(self) -> dict[str, list[str]]:
        """Merged ranges per member, as far as they were read."""
        return {p.name: [m[0] for m in p.merges] for p in self.parts if p.merges}


_XML_LIKE = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"<", b"\x00<", b"<\x00")


def _utf8(head: bytes) -> bool:
    """The byte searches see the markup of UTF-8 (and ASCII) only; other parts get expat."""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:512]:
        return False
    declared = _DECLARATION.match(head)
    return declared is None or declared.group(1).lower() in (b"utf-8", b"utf8")


def _names_sheet_data(archive: zipfile.ZipFile, name: str) -> bool:
    """Whether a part expat cannot read says sheetData anywhere (a reader starts there)."""
    tail = b""
    with archive.open(name) as stream:
        while chunk := stream.read(1 << 20):
            if b"sheetData" in tail + chunk[:16] or b"sheetData" in chunk:
                return True
            tail = chunk[-16:]
    return False


def _fits_fast(column: int, row: int) -> bool:
    return row <= MAX_ROWS and (column <= 26 or (column <= MAX_COLUMNS and row <= FAST_WIDE_ROWS))


def _sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Member name -> sheet title, for messages; empty when the workbook is unreadable."""
    try:
        from defusedxml.ElementTree import fromstring

        rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {}
        for rel in rels:
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[rel.get("Id")] = target
        workbook = fromstring(archive.read("xl/workbook.xml"))
        titles = {}
        for sheet in workbook.iter():
            if sheet.tag.endswith("}sheet"):
                rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
                if rid in targets:
                    titles[targets[rid]] = sheet.get("name", "")
        return titles
    except Exception:  # noqa: BLE001 - only for a friendlier message
        return {}
