"""Frozen copy of toolkit/layouts/wordread.py as of commit e71c826, before issue #12 (the oracle of
tests/test_wordread_stream.py: run on python-docx's tree, as the import did then).

A Word document's body as plain blocks (paragraphs and tables), read in one linear pass.

python-docx's proxies look a paragraph's style up by scanning the styles, find a merged
cell's top by searching earlier rows, and rebuild a row's cells on every access: fine for
a report, quadratic for a 200,000-paragraph or 50,000-row file someone hands to
`toolkit import`. Here the body's XML is walked once with lxml; each paragraph becomes
its text, whether it is a heading and whether it is a list item, and each table its rows
of distinct cells. The text is what python-docx's `paragraph.text` gives, plus runs in
tracked insertions, smart tags and inline content controls (python-docx drops those).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _R, _SDT = W + "p", W + "tbl", W + "tr", W + "tc", W + "r", W + "sdt"
_T, _TAB, _PTAB, _BR, _CR, _NBH = (W + "t", W + "tab", W + "ptab", W + "br", W + "cr", W + "noBreakHyphen")
_CUSTOM_XML = W + "customXml"
_FLDCHAR, _INSTR = W + "fldChar", W + "instrText"
_VAL, _TYPE = W + "val", W + "type"
#: containers of runs inside a paragraph whose text is part of the paragraph
_RUN_CONTAINERS = frozenset(
    W + name
    for name in ("hyperlink", "ins", "smartTag", "customXml", "fldSimple", "moveTo", "sdtContent", "sdt")
)

HEADING_PREFIXES = ("heading", "kop", "title", "titel")
LIST_PREFIXES = ("list bullet", "lijstopsommingsteken")
#: table-of-contents entries: Word's internal "toc 1", Dutch style ids "Inhopg1"
TOC_PREFIXES = ("toc ", "inhopg", "inhoudsopgave ")


@dataclass(slots=True)
class Paragraph:
    text: str
    heading: bool = False
    listed: bool = False
    toc: bool = False  # an entry of a filled table of contents


@dataclass(slots=True)
class Cell:
    paragraphs: list[Paragraph]

    @property
    def text(self) -> str:
        """As python-docx's `cell.text`: the paragraphs joined with newlines."""
        return "\n".join(p.text for p in self.paragraphs)

    @property
    def lines(self) -> str:
        """The cell as register text: non-empty paragraphs, list items as "• "."""
        out = []
        for paragraph in self.paragraphs:
            text = paragraph.text.strip()
            if not text:
                continue
            if paragraph.listed and not text.startswith("•"):
                text = "• " + text
            out.append(text)
        return "\n".join(out)


@dataclass(slots=True)
class Table:
    rows: list[list[Cell]] = field(default_factory=list)  # distinct cells per row
    nested: int = 0  # tables inside cells (not read)
    paragraphs: int = 0  # in all its cells


Block = Paragraph | Table


@dataclass(slots=True)
class _Style:
    name: str
    based_on: str | None
    outline: int | None


class _Styles:
    """Paragraph styles by id, resolved once: name, heading (name or outline level), list."""

    def __init__(self, styles_element) -> None:  # type: ignore[no-untyped-def]
        raw: dict[str, _Style] = {}
        self.default: str | None = None
        if styles_element is not None:
            for style in styles_element.iterchildren(W + "style"):
                if style.get(_TYPE) != "paragraph":
                    continue
                style_id = style.get(W + "styleId") or ""
                name_el = style.find(W + "name")
                based = style.find(W + "basedOn")
                ppr = style.find(W + "pPr")
                outline = None
                if ppr is not None:
                    level = ppr.find(W + "outlineLvl")
                    if level is not None:
                        outline = _int(level.get(_VAL), 9)
                name = (name_el.get(_VAL) if name_el is not None else "") or ""
                raw[style_id] = _Style(name, based.get(_VAL) if based is not None else None, outline)
                if style.get(W + "default") in ("1", "true", "on") and self.default is None:
                    self.default = style_id
        self._raw = raw
        self._resolved: dict[str | None, tuple[bool, bool, bool]] = {}

    def flags(self, style_id: str | None) -> tuple[bool, bool, bool]:
        """(heading, list, toc) for a paragraph with this pStyle (None: the default style)."""
        found = self._resolved.get(style_id)
        if found is not None:
            return found
        key = style_id if style_id in self._raw else self.default
        style = self._raw.get(key or "")
        if style is None:
            result = (False, False, False)
        else:
            name = style.name.casefold()
            outline = self._outline(key)
            result = (
                name.startswith(HEADING_PREFIXES) or (outline is not None and outline < 9),
                name.startswith(LIST_PREFIXES),
                name.startswith(TOC_PREFIXES) or (key or "").casefold().startswith("inhopg"),
            )
        self._resolved[style_id] = result
        return result

    def _outline(self, style_id: str | None) -> int | None:
        seen: set[str] = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            style = self._raw.get(style_id)
            if style is None:
                return None
            if style.outline is not None:
                return style.outline
            style_id = style.based_on
        return None


def _int(text: str | None, default: int) -> int:
    try:
        return int(text or "")
    except ValueError:
        return default


class _Fields:
    """Follows complex fields across paragraphs, to know when we are inside a TOC field."""

    def __init__(self) -> None:
        self.depth = 0
        self.toc_depth: int | None = None
        self._pending_begin = False
        self.touched = False  # inside a TOC field at some point of the current paragraph

    def run(self, run) -> None:  # type: ignore[no-untyped-def]
        for child in run:
            tag = child.tag
            if tag == _FLDCHAR:
                kind = child.get(W + "fldCharType")
                if kind == "begin":
                    self.depth += 1
                    self._pending_begin = True
                elif kind == "end":
                    if self.toc_depth is not None and self.depth <= self.toc_depth:
                        self.toc_depth = None
                    self.depth = max(0, self.depth - 1)
                elif kind == "separate":
                    self._pending_begin = False
            elif tag == _INSTR and self._pending_begin:
                if (child.text or "").strip().upper().startswith("TOC") and self.toc_depth is None:
                    self.toc_depth = self.depth
                self._pending_begin = False
            if self.toc_depth is not None:
                self.touched = True

    @property
    def in_toc(self) -> bool:
        return self.toc_depth is not None


def _run_text(run, parts: list[str]) -> None:  # type: ignore[no-untyped-def]
    for child in run:
        tag = child.tag
        if tag == _T:
            if child.text:
                parts.append(child.text)
        elif tag == _TAB or tag == _PTAB:
            parts.append("\t")
        elif tag == _BR:
            if child.get(_TYPE) in (None, "textWrapping"):
                parts.append("\n")
        elif tag == _CR:
            parts.append("\n")
        elif tag == _NBH:
            parts.append("-")


def _collect(element, parts: list[str], fields: _Fields) -> None:  # type: ignore[no-untyped-def]
    for child in element:
        tag = child.tag
        if tag == _R:
            fields.run(child)
            _run_text(child, parts)
        elif tag in _RUN_CONTAINERS:
            _collect(child, parts, fields)


def paragraph(p, styles: _Styles, fields: _Fields) -> Paragraph:  # type: ignore[no-untyped-def]
    style_id = None
    numbered = False
    ppr = p.find(W + "pPr")
    if ppr is not None:
        pstyle = ppr.find(W + "pStyle")
        if pstyle is not None:
            style_id = pstyle.get(_VAL)
        numbered = ppr.find(W + "numPr") is not None
    fields.touched = fields.in_toc
    parts: list[str] = []
    _collect(p, parts, fields)
    heading, listed, toc = styles.flags(style_id)
    if ppr is not None and not heading:
        level = ppr.find(W + "outlineLvl")
        heading = level is not None and _int(level.get(_VAL), 9) < 9
    return Paragraph("".join(parts), heading, listed or numbered, toc or fields.touched)


def table(tbl, styles: _Styles, fields: _Fields) -> Table:  # type: ignore[no-untyped-def]
    """Rows of distinct cells: a horizontally merged cell once, a vertically merged
    cell's continuation as the cell it continues (as python-docx does)."""
    result = Table()
    above: dict[int, Cell] = {}
    for tr in tbl.iterchildren(_TR):
        offset = 0
        trpr = tr.find(W + "trPr")
        if trpr is not None:
            before = trpr.find(W + "gridBefore")
            if before is not None:
                offset = _int(before.get(_VAL), 0)
        row: list[Cell] = []
        current: dict[int, Cell] = {}
        for tc in tr.iterchildren(_TC):
            span = 1
            continues = False
            tcpr = tc.find(W + "tcPr")
            if tcpr is not None:
                grid_span = tcpr.find(W + "gridSpan")
                if grid_span is not None:
                    span = max(1, _int(grid_span.get(_VAL), 1))
                merge = tcpr.find(W + "vMerge")
                continues = merge is not None and merge.get(_VAL) in (None, "continue")
            cell = above.get(offset) if continues else None
            if cell is None:
                paragraphs = []
                for child in _blocks_in(tc):
                    if child.tag == _P:
                        paragraphs.append(paragraph(child, styles, fields))
                    else:
                        result.nested += 1
                cell = Cell(paragraphs)
                result.paragraphs += len(paragraphs)
            if not row or row[-1] is not cell:
                row.append(cell)
            current[offset] = cell
            offset += span
        above = current
        result.rows.append(row)
    return result


def blocks(document) -> Iterator[Block]:  # type: ignore[no-untyped-def]
    """The body's paragraphs and tables in order (content controls are opened: their
    paragraphs and tables count as the body's)."""
    styles = _Styles(_styles_element(document))
    fields = _Fields()
    yield from _body(document.element.body, styles, fields)


def _body(element, styles: _Styles, fields: _Fields) -> Iterator[Block]:  # type: ignore[no-untyped-def]
    for child in _blocks_in(element):
        if child.tag == _P:
            yield paragraph(child, styles, fields)
        else:
            yield table(child, styles, fields)


def _blocks_in(element):  # type: ignore[no-untyped-def]
    """The w:p and w:tbl children of a body or cell, with those inside content controls
    and custom XML (Word wraps a contents list or a form field in them)."""
    for child in element.iterchildren():
        tag = child.tag
        if tag == _P or tag == _TBL:
            yield child
        elif tag == _SDT:
            content = child.find(W + "sdtContent")
            if content is not None:
                yield from _blocks_in(content)
        elif tag == _CUSTOM_XML:
            yield from _blocks_in(child)


def _styles_element(document):  # type: ignore[no-untyped-def]
    try:
        return document.part.styles.element  # the part's <w:styles>, parsed once
    except (AttributeError, KeyError, NotImplementedError):
        return None
