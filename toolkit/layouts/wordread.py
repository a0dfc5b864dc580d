"""A Word document's body as plain blocks (paragraphs and tables), read in one linear pass.

python-docx's proxies look a paragraph's style up by scanning the styles, find a merged
cell's top by searching earlier rows, and rebuild a row's cells on every access: fine for
a report, quadratic for a 200,000-paragraph or 50,000-row file someone hands to
`toolkit import`. Here the body's XML is walked once with lxml; each paragraph becomes
its text, whether it is a heading and whether it is a list item, and each table its rows
of distinct cells. The text is what python-docx's `paragraph.text` gives, plus runs in
tracked insertions, smart tags and inline content controls (python-docx drops those).

`WordPackage` reads a .docx without python-docx at all: python-docx parses the whole
document.xml into a tree of its own element classes (a Python object per element
touched, 1.5 GiB for a 10,000-pilot annex). Here document.xml is streamed with
iterparse and each top-level paragraph or table is dropped from the tree once read, so
only the blocks stay in memory; styles and headers come from their own parts.
"""

from __future__ import annotations

import gc
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _R, _SDT = W + "p", W + "tbl", W + "tr", W + "tc", W + "r", W + "sdt"
_T, _TAB, _PTAB, _BR, _CR, _NBH = (W + "t", W + "tab", W + "ptab", W + "br", W + "cr", W + "noBreakHyphen")
_CUSTOM_XML = W + "customXml"
_FLDCHAR, _INSTR, _FLDCHAR_TYPE = W + "fldChar", W + "instrText", W + "fldCharType"
_VAL, _TYPE = W + "val", W + "type"
_PPR, _PSTYLE, _NUMPR, _OUTLINE = W + "pPr", W + "pStyle", W + "numPr", W + "outlineLvl"
_TRPR, _GRID_BEFORE, _TCPR, _GRID_SPAN, _VMERGE = (
    W + "trPr",
    W + "gridBefore",
    W + "tcPr",
    W + "gridSpan",
    W + "vMerge",
)
_SDT_CONTENT = W + "sdtContent"
_RPR, _RSTYLE, _VANISH, _SPEC_VANISH = W + "rPr", W + "rStyle", W + "vanish", W + "specVanish"
_TXBX, _ALT_CHUNK = W + "txbxContent", W + "altChunk"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
#: run children that may hold a text box (a shape, VML, an object, either of Word's two)
_OBJECTS = frozenset((W + "drawing", W + "pict", W + "object", _MC + "AlternateContent"))
#: what a run may hold that is no text of the paragraph: a symbol from a symbol font,
#: a reference to a footnote, endnote or comment (their text lives in other parts)
_SYM = W + "sym"
_MARKS = {
    W + "footnoteReference": "voetnoot",
    W + "endnoteReference": "eindnoot",
    W + "commentReference": "opmerking",
}
#: a toggle property switched off
_OFF = frozenset(("0", "false", "off"))
_BOOKMARK_START, _NAME = W + "bookmarkStart", W + "name"
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
    #: the list level, 0 for the first (List Bullet, ilvl 0), 1 for List Bullet 2 …
    level: int = 0

    def register_text(self, text: str) -> str:
        """text (this paragraph's, stripped) as a register cell writes it: a list item
        with its marker, "• " on the first level and "◦ " below, as richtext reads them."""
        if self.listed and not text.startswith(("•", "◦")):
            return ("◦ " if self.level else "• ") + text
        return text


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
            if text:
                out.append(paragraph.register_text(text))
        return "\n".join(out)


@dataclass(slots=True)
class Table:
    rows: list[list[Cell]] = field(default_factory=list)  # distinct cells per row
    nested: int = 0  # tables inside cells (not read)
    paragraphs: int = 0  # in all its cells


Block = Paragraph | Table


@dataclass(slots=True)
class LeftOut:
    """Something in the document that is not read as its text, for the import report."""

    #: "verborgen" (hidden text), "tekstvak" (a text box), "altchunk", "symbool",
    #: "voetnoot", "eindnoot", "opmerking"
    kind: str
    text: str  # (the start of) what was left out; for an altChunk the kind of part
    heading: str  # the last heading above it ("" before the first)
    paragraph: str = ""  # the start of the visible text of its paragraph


#: noted per kind; beyond this only counted (a hostile file may hide every paragraph)
MAX_NOTED = 50


class Seen:
    """What a reading leaves out, and the styles that say what is hidden.

    Hidden text (w:vanish, w:specVanish: Word neither shows nor prints it, so it is not
    in the published annex) is kept out of the paragraphs' text; text boxes and
    embedded parts (w:altChunk) are not read as blocks. Each is noted with the heading
    above it, so the import report can say what was not read and where. (w:webHidden
    hides only in Word's web view; it prints, so its text is read.)
    """

    __slots__ = (
        "styles",
        "found",
        "counts",
        "headings",
        "hidden",
        "default",
        "parts",
        "style",
        "marks",
        "may_hide",
    )

    def __init__(self, styles: _Styles | None = None, parts: dict[str, str] | None = None) -> None:
        self.styles = styles
        self.found: list[LeftOut] = []
        self.counts: dict[str, int] = {}
        self.headings: list[str] = []  # the text of the headings above, by level
        self.style: str | None = None  # the current paragraph's style id
        self.hidden: list[str] = []  # the hidden text of the current paragraph
        self.default = False  # the current paragraph's style hides its runs
        self.parts = parts or {}  # rId -> the kind of an embedded part
        #: symbols, footnote, endnote and comment references of the current paragraph
        self.marks: list[tuple[str, str]] = []
        #: False while neither the styles nor the XML read so far say w:vanish anywhere:
        #: then no run's properties need a look (the usual annex, 320,000 runs at 10,000
        #: pilots); WordPackage.blocks sets it as the bytes arrive
        self.may_hide = True

    @property
    def heading(self) -> str:
        """The headings above, "Pilot › Korte omschrijving": made only for a note (an
        annex has tens of thousands of headings and, usually, nothing to note)."""
        return " › ".join(_short(h, 60) for h in self.headings if h)

    def note(self, kind: str, text: str, paragraph: str = "") -> None:
        count = self.counts[kind] = self.counts.get(kind, 0) + 1
        if count <= MAX_NOTED:
            self.found.append(LeftOut(kind, _short(text), self.heading, _short(paragraph)))

    def hides(self, rpr) -> bool | None:  # type: ignore[no-untyped-def]
        """Whether a run with these properties is hidden (None: they do not say)."""
        style = None
        for prop in rpr:
            tag = prop.tag
            if tag == _VANISH or tag == _SPEC_VANISH:
                return prop.get(_VAL) not in _OFF
            if tag == _RSTYLE:
                style = prop.get(_VAL)
        if style is not None and self.styles is not None:
            return self.styles.hidden(style)
        return None

    def objects(self, element) -> None:  # type: ignore[no-untyped-def]
        """The text boxes in a drawing, VML shape or object (of mc:AlternateContent its
        first choice that has one: the fallback repeats the same box)."""
        if element.tag == _MC + "AlternateContent":
            for choice in element:
                if any(True for _ in choice.iter(_TXBX)):
                    element = choice
                    break
        for box in element.iter(_TXBX):
            parent = box.getparent()
            while parent is not None and parent is not element and parent.tag != _TXBX:
                parent = parent.getparent()
            if parent is not None and parent.tag == _TXBX:
                continue  # a box in a box: its text is the outer box's
            text = " / ".join(
                text
                for text in ("".join(t.text or "" for t in q.iter(_T)).strip() for q in box.iter(_P))
                if text
            )
            if text:  # a shape without text holds nothing to read
                self.note("tekstvak", text)

    def chunk(self, element) -> None:  # type: ignore[no-untyped-def]
        self.note("altchunk", self.parts.get(element.get(_R_ID) or "", "een ingevoegd deel"))


_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")


def _searchable(head: bytes) -> bool:
    """Whether a part's markup can be found in its bytes: UTF-8 (the default, with or
    without its mark) or ASCII, which is what Word writes."""
    head = head.removeprefix(b"\xef\xbb\xbf")
    if not head.startswith(b"<"):
        return False
    declared = _ENCODING.match(head)
    return declared is None or declared.group(1).strip().lower() in (b"utf-8", b"utf8", b"us-ascii", b"ascii")


def _short(text: str, length: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


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
        #: style id -> its own w:vanish (paragraph and character styles), with basedOn
        vanish: dict[str, bool] = {}
        based_on: dict[str, str] = {}
        if styles_element is not None:
            for style in styles_element.iterchildren(W + "style"):
                if style.get(_TYPE) in ("paragraph", "character"):
                    _style_vanish(style, vanish, based_on)
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
        self._vanish = vanish
        self._based_on = based_on
        self._hidden: dict[str | None, bool] = {}
        self._levels: dict[str | None, int] = {}

    @property
    def hide_any(self) -> bool:
        """Whether any style hides its text (its own w:vanish)."""
        return any(self._vanish.values())

    def hidden(self, style_id: str | None) -> bool:
        """Whether text in this style is hidden (its own w:vanish or its basedOn's)."""
        found = self._hidden.get(style_id)
        if found is None:
            found = False
            seen: set[str] = set()
            key = style_id if style_id is not None else self.default
            while key and key not in seen:
                seen.add(key)
                if key in self._vanish:
                    found = self._vanish[key]
                    break
                key = self._based_on.get(key)
            self._hidden[style_id] = found
        return found

    def list_level(self, style_id: str | None) -> int:
        """The level a list style stands for: List Bullet 2 (Lijstopsommingsteken 2) is
        the second, so an imported annex keeps its sub-items as sub-items."""
        style = self._raw.get(style_id or "")
        if style is None:
            return 0
        last = style.name.rsplit(" ", 1)[-1]
        return int(last) - 1 if last.isdigit() and 1 <= int(last) <= 9 else 0

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

    def level(self, style_id: str | None) -> int:
        """A heading style's level (Title 0, Heading 1 1, ...; by outline level else);
        asked for every heading of the body, so worked out once per style."""
        found = self._levels.get(style_id)
        if found is None:
            found = self._levels[style_id] = self._level(style_id)
        return found

    def _level(self, style_id: str | None) -> int:
        key = style_id if style_id in self._raw else self.default
        style = self._raw.get(key or "")
        if style is None:
            return 1
        name = style.name.casefold()
        if name.startswith(("title", "titel")):
            return 0
        digits = re.search(r"(\d+)$", name)
        if digits:
            return int(digits.group(1))
        outline = self._outline(key)
        return outline + 1 if outline is not None else 1

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


def _style_vanish(style, vanish: dict[str, bool], based_on: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    style_id = style.get(W + "styleId") or ""
    based = style.find(W + "basedOn")
    if based is not None and based.get(_VAL):
        based_on[style_id] = based.get(_VAL)
    rpr = style.find(_RPR)
    if rpr is not None:
        for prop in rpr:
            if prop.tag == _VANISH or prop.tag == _SPEC_VANISH:
                vanish[style_id] = prop.get(_VAL) not in _OFF
                break


def _int(text: str | None, default: int) -> int:
    try:
        return int(text or "")
    except ValueError:
        return default


class _Fields:
    """Follows complex fields across paragraphs, to know when we are inside a TOC field."""

    __slots__ = ("depth", "toc_depth", "pending_begin", "touched")

    def __init__(self) -> None:
        self.depth = 0
        self.toc_depth: int | None = None
        self.pending_begin = False
        self.touched = False  # inside a TOC field at some point of the current paragraph

    def char(self, child) -> None:  # type: ignore[no-untyped-def]
        """A w:fldChar: a field begins, has its result next, or ends."""
        kind = child.get(_FLDCHAR_TYPE)
        if kind == "begin":
            self.depth += 1
            self.pending_begin = True
        elif kind == "end":
            if self.toc_depth is not None and self.depth <= self.toc_depth:
                self.toc_depth = None
            self.depth = max(0, self.depth - 1)
        elif kind == "separate":
            self.pending_begin = False

    def instruction(self, child) -> None:  # type: ignore[no-untyped-def]
        """A w:instrText: the first one after a begin says whether the field is a TOC."""
        if not self.pending_begin:
            return
        if (child.text or "").strip().upper().startswith("TOC") and self.toc_depth is None:
            self.toc_depth = self.depth
            self.touched = True
        self.pending_begin = False

    @property
    def in_toc(self) -> bool:
        return self.toc_depth is not None


def _run(  # type: ignore[no-untyped-def]
    run,
    parts: list[str],
    fields: _Fields,
    seen: Seen | None = None,
) -> None:
    """A run's text, and its field characters, in one pass over its children.

    (A paragraph is marked as touched by a TOC field when it starts inside one or when
    an instruction opens one; a field's end can only close what was already touching.)
    seen: symbols, references and text boxes are noted; once the document may hide text
    (seen.may_hide), hidden text goes to seen.hidden instead of parts.
    """
    hiding = seen is not None and seen.may_hide
    if hiding:
        visible = parts
        if seen.default:  # type: ignore[union-attr]
            parts = seen.hidden  # type: ignore[union-attr]
    for child in run:
        tag = child.tag
        if tag == _T:
            text = child.text
            if text:
                parts.append(text)
        elif tag == _RPR:
            if hiding:  # else nothing in a run's properties matters here
                hidden = seen.hides(child)  # type: ignore[union-attr]
                if hidden is not None:
                    parts = seen.hidden if hidden else visible  # type: ignore[union-attr]
        elif tag == _TAB or tag == _PTAB:
            parts.append("\t")
        elif tag == _BR:
            if child.get(_TYPE) in (None, "textWrapping"):
                parts.append("\n")
        elif tag == _CR:
            parts.append("\n")
        elif tag == _NBH:
            parts.append("-")
        elif tag == _FLDCHAR:
            fields.char(child)
        elif tag == _INSTR:
            fields.instruction(child)
        elif seen is not None:
            _noted(child, tag, seen)


def _noted(child, tag: str, seen: Seen) -> None:  # type: ignore[no-untyped-def]
    """A run's child that is no text: a text box, a symbol, a note or comment reference."""
    if tag in _OBJECTS:
        seen.objects(child)
    elif tag == _SYM:
        font, char = child.get(W + "font") or "", child.get(W + "char") or ""
        seen.marks.append(("symbool", f"{font} {char}".strip()))
    elif tag in _MARKS:
        seen.marks.append((_MARKS[tag], child.get(W + "id") or ""))


def _run_text(run, parts: list[str]) -> None:  # type: ignore[no-untyped-def]
    """A run's text as python-docx gives it (for headers: no fields followed)."""
    _run(run, parts, _Fields())


def _collect(  # type: ignore[no-untyped-def]
    element,
    parts: list[str],
    fields: _Fields,
    seen: Seen | None = None,
) -> None:
    """The runs in a run container (a hyperlink, an insertion, ...), containers in
    containers as a loop: a hostile file may nest them thousands deep."""
    stack = [iter(element)]
    while stack:
        for child in stack[-1]:
            tag = child.tag
            if tag == _R:
                _run(child, parts, fields, seen)
            elif tag in _RUN_CONTAINERS:
                stack.append(iter(child))
                break
        else:
            stack.pop()


def paragraph(  # type: ignore[no-untyped-def]
    p,
    styles: _Styles,
    fields: _Fields,
    seen: Seen | None = None,
) -> Paragraph:
    """One pass over the paragraph's children; lxml's find() goes through its Python
    ElementPath code, so children are looked at in loops instead.

    seen (the import): hidden text is left out of the text and noted there, as are text
    boxes. A paragraph of hidden text only stays, empty, as Word shows its mark."""
    if seen is not None:
        return _seen_paragraph(p, styles, fields, seen)
    fields.touched = fields.toc_depth is not None
    parts: list[str] = []
    ppr = None
    for child in p:
        tag = child.tag
        if tag == _R:
            _run(child, parts, fields)
        elif tag == _PPR:
            if ppr is None:
                ppr = child
        elif tag in _RUN_CONTAINERS:
            _collect(child, parts, fields)
    return _paragraph_of(parts, _properties(ppr), styles, fields)


def _seen_paragraph(  # type: ignore[no-untyped-def]
    p,
    styles: _Styles,
    fields: _Fields,
    seen: Seen,
) -> Paragraph:
    """paragraph() with what is left out noted. Once text may be hidden (seen.may_hide),
    the paragraph style's w:vanish is the runs' default and a run's own (or its
    character style's) decides; until then one pass over the children, as paragraph()."""
    fields.touched = fields.toc_depth is not None
    parts: list[str] = []
    if seen.may_hide:
        seen.hidden = []
        properties = _properties(_property_child(p, _PPR))
        seen.default = styles.hidden(properties[0])
        for child in p:
            tag = child.tag
            if tag == _R:
                _run(child, parts, fields, seen)
            elif tag in _RUN_CONTAINERS:
                _collect(child, parts, fields, seen)
            elif tag in _OBJECTS:
                seen.objects(child)
    else:
        ppr = None
        for child in p:
            tag = child.tag
            if tag == _R:
                _run(child, parts, fields, seen)
            elif tag == _PPR:
                if ppr is None:
                    ppr = child
            elif tag in _RUN_CONTAINERS:
                _collect(child, parts, fields, seen)
            elif tag in _OBJECTS:
                seen.objects(child)
        properties = _properties(ppr)
    seen.style = properties[0]
    seen.default = False
    result = _paragraph_of(parts, properties, styles, fields)
    if seen.hidden:
        hidden = "".join(seen.hidden)
        if hidden.strip():
            seen.note("verborgen", hidden, result.text)
        seen.hidden = []
    if seen.marks:
        for kind, text in seen.marks:
            seen.note(kind, text, result.text)
        seen.marks = []
    return result


#: what a paragraph's w:pPr says: its style id, whether it is numbered, its w:outlineLvl
#: and its list level (w:ilvl)
_Properties = tuple[str | None, bool, object, int | None]
_NO_PROPERTIES: _Properties = (None, False, None, None)


def _properties(ppr) -> _Properties:  # type: ignore[no-untyped-def]
    """One pass over a paragraph's w:pPr (its first w:pStyle counts, as in python-docx)."""
    if ppr is None:
        return _NO_PROPERTIES
    pstyle = outline = None
    numbered = False
    level: int | None = None
    for child in ppr:
        tag = child.tag
        if tag == _PSTYLE:
            if pstyle is None:
                pstyle = child
        elif tag == _NUMPR:
            numbered = True
            ilvl = child.find(W + "ilvl")
            if ilvl is not None:
                level = min(max(_int(ilvl.get(_VAL), 0), 0), 8)
        elif tag == _OUTLINE and outline is None:
            outline = child
    return (pstyle.get(_VAL) if pstyle is not None else None), numbered, outline, level


def _paragraph_of(
    parts: list[str],
    properties: _Properties,
    styles: _Styles,
    fields: _Fields,
) -> Paragraph:
    style_id, numbered, outline, level = properties
    heading, listed, toc = styles.flags(style_id)
    if outline is not None and not heading:
        heading = _int(outline.get(_VAL), 9) < 9  # type: ignore[attr-defined]
    if listed and level is None:
        level = styles.list_level(style_id)
    return Paragraph("".join(parts), heading, listed or numbered, toc or fields.touched, level or 0)


def _property_child(element, tag: str):  # type: ignore[no-untyped-def]
    """The first child with this tag, where the schema puts it first (w:tcPr, w:trPr):
    the first child is looked at directly; iterchildren(tag) costs a microsecond."""
    for child in element:
        if child.tag == tag:
            return child
        break
    else:
        return None
    return _first(element, tag)


def _first(element, tag: str):  # type: ignore[no-untyped-def]
    """The first child with this tag (what element.find(tag) gives, without ElementPath)."""
    for child in element.iterchildren(tag):
        return child
    return None


def table(  # type: ignore[no-untyped-def]
    tbl,
    styles: _Styles,
    fields: _Fields,
    seen: Seen | None = None,
) -> Table:
    """Rows of distinct cells: a horizontally merged cell once, a vertically merged
    cell's continuation as the cell it continues (as python-docx does)."""
    reader = _TableReader(styles, fields, seen)
    reader.add(tbl)
    return reader.finish()


class _TableReader:
    """A table read row by row, so that the streamed reader can read the rows of a long
    table as they arrive and drop them from the tree (see WordPackage.blocks)."""

    __slots__ = ("styles", "fields", "seen", "result", "above", "count")

    def __init__(self, styles: _Styles, fields: _Fields, seen: Seen | None) -> None:
        self.styles = styles
        self.fields = fields
        self.seen = seen
        self.result = Table()
        self.above: dict[int, Cell] = {}
        self.count = 0

    def finish(self) -> Table:
        self.result.paragraphs = self.count
        return self.result

    def add(self, trs) -> None:  # type: ignore[no-untyped-def]
        """Rows (the w:tr among these elements) in order."""
        styles, fields, seen, result = self.styles, self.fields, self.seen, self.result
        above = self.above
        rows = result.rows
        count = self.count
        for tr in trs:  # plain loops: iterchildren(tag) costs more than the tag comparisons
            if tr.tag != _TR:
                continue
            offset = 0
            trpr = _property_child(tr, _TRPR)
            if trpr is not None:
                for before in trpr:
                    if before.tag == _GRID_BEFORE:
                        offset = _int(before.get(_VAL), 0)
                        break
            row: list[Cell] = []
            current: dict[int, Cell] = {}
            last_tc = None
            for tc in tr:
                if tc.tag != _TC:
                    continue
                span = 1
                continues = False
                tcpr = _property_child(tc, _TCPR)
                if tcpr is not None:
                    grid_span = merge = None
                    for child in tcpr:
                        tag = child.tag
                        if tag == _GRID_SPAN:
                            if grid_span is None:
                                grid_span = child
                        elif tag == _VMERGE and merge is None:
                            merge = child
                    if grid_span is not None:
                        span = max(1, _int(grid_span.get(_VAL), 1))
                    continues = merge is not None and merge.get(_VAL) in (None, "continue")
                cell = above.get(offset) if continues else None
                if cell is None:
                    paragraphs = []
                    for child in tc:
                        tag = child.tag
                        if tag == _P:
                            paragraphs.append(paragraph(child, styles, fields, seen))
                        elif tag == _TBL:
                            result.nested += 1
                        elif tag == _SDT or tag == _CUSTOM_XML:
                            for inner in _blocks_in_element(child, seen):
                                if inner.tag == _P:
                                    paragraphs.append(paragraph(inner, styles, fields, seen))
                                else:
                                    result.nested += 1
                        elif tag == _ALT_CHUNK and seen is not None:
                            seen.chunk(child)
                    cell = Cell(paragraphs)
                    count += len(paragraphs)
                if not row or row[-1] is not cell:
                    row.append(cell)
                    last_tc = tc
                current[offset] = cell
                offset += span
            above = current
            if rows and _continues(row, rows[-1]):
                # whether the continuing text starts mid-paragraph: looked for only here,
                # not in every cell of a long table
                _join(rows[-1][1], row[1], last_tc is not None and _cut_start(last_tc))
                continue
            rows.append(row)
        self.above = above
        self.count = count


#: the label of a card row that continues the row above (continued.CONTINUED), and the
#: bookmark that marks a paragraph cut in two at a page-sized piece (continued.CUT_MARK)
_CONTINUED = " (vervolg)"
_CUT_MARK = "_Vervolg"


def _cut_start(tc) -> bool:  # type: ignore[no-untyped-def]
    """Whether the cell's first paragraph is the rest of a paragraph cut by the build."""
    first = next((child for child in tc if child.tag == _P), None)
    return first is not None and any(
        (mark.get(_NAME) or "").startswith(_CUT_MARK) for mark in first.iter(_BOOKMARK_START)
    )


def _continues(row: list[Cell], before: list[Cell]) -> bool:
    """A label | text row labelled 'Label (vervolg)' under the row of that label."""
    if len(row) != 2 or len(before) != 2:
        return False
    label = row[0].text.strip()
    return (
        label.endswith(_CONTINUED)
        and label.removesuffix(_CONTINUED).strip() == before[0].text.strip().removesuffix(_CONTINUED).strip()
    )


def _join(cell: Cell, more: Cell, cut: bool) -> None:
    """The continuing row's text back into the cell it continues; a cut paragraph whole."""
    paragraphs = list(more.paragraphs)
    if cut and paragraphs and cell.paragraphs:
        last = cell.paragraphs[-1]
        last.text = f"{last.text.rstrip()} {paragraphs.pop(0).text.lstrip()}"
    cell.paragraphs.extend(paragraphs)


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


def _blocks_in(element, seen: Seen | None = None):  # type: ignore[no-untyped-def]
    """The w:p and w:tbl children of a body or cell, with those inside content controls
    and custom XML (Word wraps a contents list or a form field in them), controls in
    controls as a loop (a hostile file may nest them deeply); seen notes embedded parts."""
    stack = [element.iterchildren()]
    while stack:
        for child in stack[-1]:
            tag = child.tag
            if tag == _P or tag == _TBL:
                yield child
            elif tag == _SDT:
                content = _first(child, _SDT_CONTENT)
                if content is not None:
                    stack.append(content.iterchildren())
                    break
            elif tag == _CUSTOM_XML:
                stack.append(child.iterchildren())
                break
            elif tag == _ALT_CHUNK and seen is not None:
                seen.chunk(child)
        else:
            stack.pop()


def _blocks_in_element(child, seen: Seen | None = None):  # type: ignore[no-untyped-def]
    """The blocks inside one content control or custom XML element."""
    if child.tag == _SDT:
        content = _first(child, _SDT_CONTENT)
        return _blocks_in(content, seen) if content is not None else iter(())
    return _blocks_in(child, seen)


def _styles_element(document):  # type: ignore[no-untyped-def]
    try:
        return document.part.styles.element  # the part's <w:styles>, parsed once
    except (AttributeError, KeyError, NotImplementedError):
        return None


# -- reading a .docx package without python-docx -----------------------------------------

_PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
#: the only main part python-docx opens: not a template (.dotx) or macro document (.docm)
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_BODY, _SECT_PR, _HYPERLINK = W + "body", W + "sectPr", W + "hyperlink"


class Unreadable(Exception):
    """The file is no Word document python-docx would open (wrong part, broken XML)."""


class TooLong(Unreadable):
    """The document is beyond what an annex can be: more paragraphs or rows than the
    limits, one paragraph, row or content control over MAX_HELD bytes, or XML nested
    deeper than the parser follows. what: "paragraphs", "rows", "held" or "depth"."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


_CHUNK = 1 << 20
#: bytes of XML of one element the reader holds whole (a paragraph, a table row, a
#: content control): the largest table of a 2,000-pilot annex is 1.5 MB
MAX_HELD = 16 * 1024 * 1024


def _parser() -> etree.XMLParser:
    """python-docx's parser settings, so that text nodes come out the same."""
    return etree.XMLParser(remove_blank_text=True, resolve_entities=False)


class WordPackage:
    """A .docx read as python-docx would read it, for the blocks of its body and the
    paragraphs of its section headers; document.xml is streamed, never held whole.

    Parts are found as python-docx finds them: the package's officeDocument
    relationship (its content type must be a Word document's), from there the styles
    (python-docx's default styles when there are none) and the headers.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            with zipfile.ZipFile(path) as archive:
                self._names = set(archive.namelist())
                types = self._xml(archive, "[Content_Types].xml")
                main = _related(self._relationships(archive, "/"), _RT + "officeDocument")
                if main is None:
                    raise Unreadable("no officeDocument relationship")
                content_type = self._content_type(types, main)
                if content_type != WORD_MAIN:
                    raise Unreadable(f"content type {content_type!r}")
                self._main = main
                self._rels = self._relationships(archive, main)
                #: rId -> what kind of part a w:altChunk embeds (HTML, RTF, ...)
                self._embedded = {
                    rid: _chunk_kind(target)
                    for rid, (kind, target) in self._rels.items()
                    if kind == _RT + "aFChunk"
                }
                styles = _related(self._rels, _RT + "styles")
                self._styles = _Styles(self._xml(archive, styles[1:]) if styles else _default_styles())
                if main[1:] not in self._names:
                    raise Unreadable(f"{main} missing")
        except (zipfile.BadZipFile, OSError, KeyError, ValueError, etree.XMLSyntaxError) as exc:
            raise Unreadable(str(exc)) from exc
        #: per section (as python-docx's document.sections), its default header's rId
        self._sections: list[str | None] | None = None
        #: what blocks() did not read as text (hidden text, text boxes, embedded parts),
        #: the first MAX_NOTED of each kind, and how many of each there were
        self.left_out: list[LeftOut] = []
        self.left_out_counts: dict[str, int] = {}
        #: (paragraphs, table rows) beyond which blocks() stops with TooLong
        self.limits: tuple[int, int] | None = None
        self._counted = [0, 0]

    @staticmethod
    def _xml(archive: zipfile.ZipFile, name: str):  # type: ignore[no-untyped-def]
        return etree.fromstring(archive.read(name), _parser())

    def _relationships(self, archive: zipfile.ZipFile, source: str) -> dict[str, tuple[str, str]]:
        """rId -> (type, absolute part name) of the internal relationships of a part."""
        base, file = posixpath.split(source)
        rels = posixpath.join(base, "_rels", f"{file}.rels")[1:]
        if rels not in self._names:
            return {}
        out = {}
        for rel in self._xml(archive, rels).iter(_PKG_RELS):
            if rel.get("TargetMode") == "External":
                continue
            target = posixpath.abspath(posixpath.join(base, rel.get("Target") or ""))
            out[rel.get("Id") or ""] = (rel.get("Type") or "", target)
        return out

    @staticmethod
    def _content_type(types, part: str) -> str | None:  # type: ignore[no-untyped-def]
        for override in types.iterchildren(_CT_NS + "Override"):
            if override.get("PartName") == part:
                return override.get("ContentType")
        extension = posixpath.splitext(part)[1][1:]
        for default in types.iterchildren(_CT_NS + "Default"):
            if default.get("Extension") == extension:
                return default.get("ContentType")
        raise Unreadable(f"no content type for {part}")

    def blocks(self) -> Iterator[Block]:
        """The body's blocks as `blocks(document)` gives them, read while streaming.

        document.xml is fed to the parser a megabyte at a time. The parser reports only
        the start of the body and the end of each table (a Python step per paragraph
        costs more than reading it); at the end of a table in the body, everything in
        the body before it is read and removed from the tree, then the table; after
        each megabyte, the body's finished paragraphs are, and the finished rows of a
        table still being read. So what is held is at most a megabyte and the one
        element in progress: a paragraph, a row, or a content control; one of those
        larger than MAX_HELD is refused (TooLong), as are more paragraphs or rows than
        self.limits allows. Raises Unreadable for XML python-docx would not parse either.
        """
        fields = _Fields()
        sections: list[str | None] = []
        seen = Seen(self._styles, self._embedded)
        seen.may_hide = self._styles.hide_any
        tail = b""  # the end of the previous chunk: "vanish" may straddle two
        self.left_out = seen.found
        self.left_out_counts = seen.counts
        self._counted = [0, 0]
        # The blocks hold no reference cycles; the cycle collector would walk the growing
        # list of them over and over (a sixth of the reading time at 10,000 pilots).
        collecting = gc.isenabled()
        gc.disable()
        try:
            with zipfile.ZipFile(self.path) as archive, archive.open(self._main[1:]) as stream:
                body = None
                parser = etree.XMLPullParser(
                    events=("start", "end"), tag=(_BODY, _TBL), remove_blank_text=True, resolve_entities=False
                )
                held = 0  # bytes fed since the tree last lost an element
                streaming: tuple[object, _TableReader] | None = None  # a long table
                while True:
                    chunk = stream.read(_CHUNK)
                    if chunk:
                        if not seen.may_hide:
                            # the bytes show the markup only in UTF-8 (or ASCII): else look
                            # at every run (a UTF-16 document.xml is allowed)
                            seen.may_hide = (
                                (not tail and not _searchable(chunk))
                                or b"anish" in tail + chunk[:8]
                                or b"anish" in chunk
                            )
                            tail = chunk[-8:]
                        parser.feed(chunk)
                        held += len(chunk)
                    else:
                        parser.close()
                    for event, element in parser.read_events():
                        if event == "start":
                            parent = element.getparent()
                            if (
                                body is None
                                and element.tag == _BODY
                                and parent is not None
                                and parent.getparent() is None
                            ):
                                body = _body_of(parent)
                            continue
                        if body is not None and element.getparent() is body:
                            reader = streaming[1] if streaming and streaming[0] is element else None
                            yield from self._flush(body, element, fields, sections, seen, reader)
                            streaming = None
                            held = 0
                    if not chunk:
                        break
                    if body is None or not len(body):
                        continue
                    last = body[-1]
                    if last.getprevious() is not None:  # finished blocks before the last
                        yield from self._flush(body, last, fields, sections, seen, None, whole=False)
                        held = 0
                    if last.tag == _TBL:
                        rows = [tr for tr in last.iterchildren(_TR)]
                        if len(rows) > 1:  # the last row may be in progress
                            if streaming is None or streaming[0] is not last:
                                streaming = last, _TableReader(self._styles, fields, seen)
                            done = rows[:-1]
                            streaming[1].add(done)
                            self._count(streaming[1])
                            while rows[-1].getprevious() is not None:
                                del last[0]
                            held = 0
                    if held > MAX_HELD:
                        raise TooLong("held")
                if body is not None:
                    yield from self._flush(body, None, fields, sections, seen, None)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, etree.XMLSyntaxError) as exc:
            if "depth" in str(exc).casefold():
                raise TooLong("depth") from exc
            raise Unreadable(str(exc)) from exc
        finally:
            if collecting:
                gc.enable()
        self._sections = sections

    def _count(self, reader: _TableReader) -> None:
        """The limits, checked while a long table is still being read."""
        if self.limits is None:
            return
        rows = len(reader.result.rows)
        if rows > self.limits[1]:
            raise TooLong("rows")
        if self._counted[0] + reader.count > self.limits[0]:
            raise TooLong("paragraphs")

    def _flush(  # type: ignore[no-untyped-def]
        self,
        body,
        upto,
        fields: _Fields,
        sections: list[str | None],
        seen: Seen,
        reader: _TableReader | None,
        whole: bool = True,
    ) -> Iterator[Block]:
        """The blocks of the body's children up to and including upto (a table that has
        just ended, read on by reader if it was begun; None: all), which are then
        removed (upto itself only cleared: the parser is still at it). whole=False:
        up to but not including upto (the element in progress), all removed."""
        styles = self._styles
        counted = self._counted
        limits = self.limits
        for child in body:
            if child is upto:
                if whole:
                    if reader is None:
                        reader = _TableReader(styles, fields, seen)
                    reader.add(child)
                    block = reader.finish()
                    child.clear(keep_tail=True)
                while child.getprevious() is not None:
                    del body[0]
                if whole:
                    counted[0] += block.paragraphs
                    counted[1] += len(block.rows)
                    if limits is not None:
                        self._check(limits)
                    yield block
                return
            tag = child.tag
            if tag == _P:
                ppr = _property_child(child, _PPR)
                sect = _first(ppr, _SECT_PR) if ppr is not None else None
                if sect is not None:
                    sections.append(_header_id(sect))
                counted[0] += 1
                yield self._paragraph(child, fields, seen)
            elif tag == _TBL:
                continue  # read by the previous flush: each table in the body ends one
            elif tag == _SECT_PR:
                sections.append(_header_id(child))
            elif tag == _SDT or tag == _CUSTOM_XML:
                for inner in _blocks_in_element(child, seen):
                    if inner.tag == _P:
                        counted[0] += 1
                        yield self._paragraph(inner, fields, seen)
                    else:
                        found = table(inner, styles, fields, seen)
                        counted[0] += found.paragraphs
                        counted[1] += len(found.rows)
                        yield found
            elif tag == _ALT_CHUNK:
                seen.chunk(child)
            if limits is not None:
                self._check(limits)

    def _check(self, limits: tuple[int, int]) -> None:
        if self._counted[0] > limits[0]:
            raise TooLong("paragraphs")
        if self._counted[1] > limits[1]:
            raise TooLong("rows")

    def _paragraph(self, p, fields: _Fields, seen: Seen) -> Paragraph:  # type: ignore[no-untyped-def]
        """A paragraph of the body; a heading is where what follows is (for the report)."""
        found = paragraph(p, self._styles, fields, seen)
        if found.heading and not found.toc and found.text.strip():
            level = self._styles.level(seen.style)
            headings = seen.headings[:level]
            headings += [""] * (level - len(headings)) + [found.text]
            seen.headings = headings
        return found

    def header_paragraphs(self) -> list[str]:
        """The texts of the paragraphs of every section's header, in order, as python-docx's
        `[p.text for s in document.sections for p in s.header.paragraphs]` (a section
        without its own header shows the previous one's). Reads the body if not done yet."""
        if self._sections is None:
            for _ in self.blocks():
                pass
        texts: list[str] = []
        current: str | None = None
        parsed: dict[str, list[str]] = {}
        with zipfile.ZipFile(self.path) as archive:
            for rid in self._sections or ():
                if rid is not None:
                    current = rid
                if current is None:
                    continue  # python-docx would add an empty header here
                if current not in parsed:
                    parsed[current] = self._header(archive, current)
                texts.extend(parsed[current])
        return texts

    def _header(self, archive: zipfile.ZipFile, rid: str) -> list[str]:
        rel = self._rels.get(rid)
        if rel is None or rel[1][1:] not in self._names:
            return []
        try:
            root = self._xml(archive, rel[1][1:])
        except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError) as exc:
            raise Unreadable(str(exc)) from exc
        return [_docx_paragraph_text(p) for p in root.iterchildren(_P)]


_CHUNK_KINDS = {
    ".htm": "een HTML-deel",
    ".html": "een HTML-deel",
    ".xhtml": "een HTML-deel",
    ".mht": "een HTML-deel",
    ".mhtml": "een HTML-deel",
    ".rtf": "een RTF-deel",
    ".txt": "een tekstdeel",
    ".docx": "een Word-document",
    ".xml": "een XML-deel",
}


def _chunk_kind(target: str) -> str:
    return _CHUNK_KINDS.get(posixpath.splitext(target)[1].casefold(), "een ingevoegd deel")


def _body_of(root):  # type: ignore[no-untyped-def]
    """python-docx's `document.element.body`: the w:body of a w:document."""
    if root is None or root.tag != W + "document":
        return None
    return _first(root, _BODY)


def _related(rels: dict[str, tuple[str, str]], kind: str) -> str | None:
    """The one part of this relationship type (python-docx refuses two)."""
    found = [target for rel_type, target in rels.values() if rel_type == kind]
    if len(found) > 1:
        raise Unreadable(f"{len(found)} relationships of type {kind}")
    return found[0] if found else None


def _header_id(sect_pr) -> str | None:  # type: ignore[no-untyped-def]
    for reference in sect_pr.iterchildren(W + "headerReference"):
        if reference.get(_TYPE) == "default":
            return reference.get(_R_ID)
    return None


def _docx_paragraph_text(p) -> str:  # type: ignore[no-untyped-def]
    """python-docx's `paragraph.text`: runs and hyperlinks' runs only."""
    parts: list[str] = []
    for child in p:
        if child.tag == _R:
            _run_text(child, parts)
        elif child.tag == _HYPERLINK:
            for run in child.iterchildren(_R):
                _run_text(run, parts)
    return "".join(parts)


def _default_styles():  # type: ignore[no-untyped-def]
    """python-docx's own default styles, which it adds to a document without any."""
    from importlib.util import find_spec

    spec = find_spec("docx")
    folder = Path(next(iter(spec.submodule_search_locations or ()))) if spec else None
    if folder is None:
        return None
    return etree.fromstring((folder / "templates" / "default-styles.xml").read_bytes(), _parser())
