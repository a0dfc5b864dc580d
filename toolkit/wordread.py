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
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _R, _SDT = W + "p", W + "tbl", W + "tr", W + "tc", W + "r", W + "sdt"
_T, _TAB, _PTAB, _BR, _CR, _NBH = (W + "t", W + "tab", W + "ptab", W + "br", W + "cr",
                                   W + "noBreakHyphen")
_CUSTOM_XML = W + "customXml"
_FLDCHAR, _INSTR, _FLDCHAR_TYPE = W + "fldChar", W + "instrText", W + "fldCharType"
_VAL, _TYPE = W + "val", W + "type"
_PPR, _PSTYLE, _NUMPR, _OUTLINE = W + "pPr", W + "pStyle", W + "numPr", W + "outlineLvl"
_TRPR, _GRID_BEFORE, _TCPR, _GRID_SPAN, _VMERGE = (W + "trPr", W + "gridBefore", W + "tcPr",
                                                   W + "gridSpan", W + "vMerge")
_SDT_CONTENT = W + "sdtContent"
_BOOKMARK_START, _NAME = W + "bookmarkStart", W + "name"
#: containers of runs inside a paragraph whose text is part of the paragraph
_RUN_CONTAINERS = frozenset(W + name for name in (
    "hyperlink", "ins", "smartTag", "customXml", "fldSimple", "moveTo", "sdtContent", "sdt"))

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
                raw[style_id] = _Style(name, based.get(_VAL) if based is not None else None,
                                       outline)
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
            result = (name.startswith(HEADING_PREFIXES) or (outline is not None and outline < 9),
                      name.startswith(LIST_PREFIXES),
                      name.startswith(TOC_PREFIXES) or (key or "").casefold().startswith("inhopg"))
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


def _run(run, parts: list[str], fields: _Fields) -> None:  # type: ignore[no-untyped-def]
    """A run's text, and its field characters, in one pass over its children.

    (A paragraph is marked as touched by a TOC field when it starts inside one or when
    an instruction opens one; a field's end can only close what was already touching.)
    """
    for child in run:
        tag = child.tag
        if tag == _T:
            text = child.text
            if text:
                parts.append(text)
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


def _run_text(run, parts: list[str]) -> None:  # type: ignore[no-untyped-def]
    """A run's text as python-docx gives it (for headers: no fields followed)."""
    _run(run, parts, _Fields())


def _collect(element, parts: list[str], fields: _Fields) -> None:  # type: ignore[no-untyped-def]
    for child in element:
        tag = child.tag
        if tag == _R:
            _run(child, parts, fields)
        elif tag in _RUN_CONTAINERS:
            _collect(child, parts, fields)


def paragraph(p, styles: _Styles, fields: _Fields) -> Paragraph:  # type: ignore[no-untyped-def]
    """One pass over the paragraph's children; lxml's find() goes through its Python
    ElementPath code, so children are looked at in loops instead."""
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
    style_id = None
    numbered = False
    outline = None
    if ppr is not None:
        pstyle = None
        for child in ppr:
            tag = child.tag
            if tag == _PSTYLE:
                if pstyle is None:
                    pstyle = child
            elif tag == _NUMPR:
                numbered = True
            elif tag == _OUTLINE and outline is None:
                outline = child
        if pstyle is not None:
            style_id = pstyle.get(_VAL)
    heading, listed, toc = styles.flags(style_id)
    if outline is not None and not heading:
        heading = _int(outline.get(_VAL), 9) < 9
    return Paragraph("".join(parts), heading, listed or numbered, toc or fields.touched)


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


def table(tbl, styles: _Styles, fields: _Fields) -> Table:  # type: ignore[no-untyped-def]
    """Rows of distinct cells: a horizontally merged cell once, a vertically merged
    cell's continuation as the cell it continues (as python-docx does)."""
    result = Table()
    above: dict[int, Cell] = {}
    rows = result.rows
    count = 0
    for tr in tbl:  # plain loops: iterchildren(tag) costs more than the tag comparisons
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
        cut = False
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
                        paragraphs.append(paragraph(child, styles, fields))
                    elif tag == _TBL:
                        result.nested += 1
                    elif tag == _SDT or tag == _CUSTOM_XML:
                        for inner in _blocks_in_element(child):
                            if inner.tag == _P:
                                paragraphs.append(paragraph(inner, styles, fields))
                            else:
                                result.nested += 1
                cell = Cell(paragraphs)
                count += len(paragraphs)
            if not row or row[-1] is not cell:
                row.append(cell)
                cut = _cut_start(tc)
            current[offset] = cell
            offset += span
        above = current
        if rows and _continues(row, rows[-1]):
            _join(rows[-1][1], row[1], cut)
            continue
        rows.append(row)
    result.paragraphs = count
    return result


#: the label of a card row that continues the row above (continued.CONTINUED), and the
#: bookmark that marks a paragraph cut in two at a page-sized piece (continued.CUT_MARK)
_CONTINUED = " (vervolg)"
_CUT_MARK = "_Vervolg"


def _cut_start(tc) -> bool:  # type: ignore[no-untyped-def]
    """Whether the cell's first paragraph is the rest of a paragraph cut by the build."""
    first = next((child for child in tc if child.tag == _P), None)
    return first is not None and any((mark.get(_NAME) or "").startswith(_CUT_MARK)
                                     for mark in first.iter(_BOOKMARK_START))


def _continues(row: list[Cell], before: list[Cell]) -> bool:
    """A label | text row labelled 'Label (vervolg)' under the row of that label."""
    if len(row) != 2 or len(before) != 2:
        return False
    label = row[0].text.strip()
    return label.endswith(_CONTINUED) and \
        label.removesuffix(_CONTINUED).strip() == \
        before[0].text.strip().removesuffix(_CONTINUED).strip()


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


def _blocks_in(element):  # type: ignore[no-untyped-def]
    """The w:p and w:tbl children of a body or cell, with those inside content controls
    and custom XML (Word wraps a contents list or a form field in them)."""
    for child in element.iterchildren():
        tag = child.tag
        if tag == _P or tag == _TBL:
            yield child
        elif tag == _SDT or tag == _CUSTOM_XML:
            yield from _blocks_in_element(child)


def _blocks_in_element(child):  # type: ignore[no-untyped-def]
    """The blocks inside one content control or custom XML element."""
    if child.tag == _SDT:
        content = _first(child, _SDT_CONTENT)
        if content is not None:
            yield from _blocks_in(content)
    else:
        yield from _blocks_in(child)


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
                styles = _related(self._rels, _RT + "styles")
                self._styles = _Styles(self._xml(archive, styles[1:]) if styles
                                       else _default_styles())
                if main[1:] not in self._names:
                    raise Unreadable(f"{main} missing")
        except (zipfile.BadZipFile, OSError, KeyError, ValueError, etree.XMLSyntaxError) \
                as exc:
            raise Unreadable(str(exc)) from exc
        #: per section (as python-docx's document.sections), its default header's rId
        self._sections: list[str | None] | None = None

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

        The parser reports only the end of each table (a Python step per paragraph
        costs more than reading it); at the end of a table in the body, everything in
        the body before it is read and removed from the tree, then the table. So what
        is held is at most the paragraphs between two tables. Raises Unreadable for XML
        python-docx would not parse either.
        """
        fields = _Fields()
        sections: list[str | None] = []
        # The blocks hold no reference cycles; the cycle collector would walk the growing
        # list of them over and over (a sixth of the reading time at 10,000 pilots).
        collecting = gc.isenabled()
        gc.disable()
        try:
            with zipfile.ZipFile(self.path) as archive, archive.open(self._main[1:]) as stream:
                body = None
                events = etree.iterparse(stream, events=("end",), tag=_TBL,
                                         remove_blank_text=True, resolve_entities=False)
                for _, element in events:
                    if body is None:
                        body = _body_of(element.getroottree().getroot())
                    if body is not None and element.getparent() is body:
                        yield from self._flush(body, element, fields, sections)
                if body is None:
                    body = _body_of(events.root)
                if body is not None:
                    yield from self._flush(body, None, fields, sections)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, etree.XMLSyntaxError) \
                as exc:
            raise Unreadable(str(exc)) from exc
        finally:
            if collecting:
                gc.enable()
        self._sections = sections

    def _flush(self, body, upto, fields: _Fields,  # type: ignore[no-untyped-def]
               sections: list[str | None]) -> Iterator[Block]:
        """The blocks of the body's children up to and including upto (a table that has
        just ended; None: all), which are then removed (upto itself only cleared: the
        parser is still at it)."""
        styles = self._styles
        for child in body:
            if child is upto:
                block = table(child, styles, fields)
                child.clear(keep_tail=True)
                while child.getprevious() is not None:
                    del body[0]
                yield block
                return
            tag = child.tag
            if tag == _P:
                ppr = _property_child(child, _PPR)
                sect = _first(ppr, _SECT_PR) if ppr is not None else None
                if sect is not None:
                    sections.append(_header_id(sect))
                yield paragraph(child, styles, fields)
            elif tag == _TBL:
                continue  # read by the previous flush: each table in the body ends one
            elif tag == _SECT_PR:
                sections.append(_header_id(child))
            elif tag == _SDT or tag == _CUSTOM_XML:
                for inner in _blocks_in_element(child):
                    if inner.tag == _P:
                        yield paragraph(inner, styles, fields)
                    else:
                        yield table(inner, styles, fields)

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
    return etree.fromstring((folder / "templates" / "default-styles.xml").read_bytes(),
                            _parser())


# -- blocks as one string, to hand them from a helper process ------------------------------
#
# Pickling the blocks of a 50,000-action annex takes longer than reading them; as one
# string they cross a pipe in a moment and are split apart in C. The separators are
# control characters XML 1.0 does not allow in a document, so no text contains them.
_BLOCK, _ROW, _CELL, _PARA, _SAME = "\x06", "\x03", "\x02", "\x01", "\x05"


def _flags(p: Paragraph) -> str:
    return chr(48 + p.heading + 2 * p.listed + 4 * p.toc)


def encode(blocks: list[Block]) -> str:
    """The blocks as one string; `decode` gives them back equal (a vertically merged
    cell stays one object in the rows it spans)."""
    out = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append("P" + _flags(block) + block.text)
            continue
        seen: dict[int, int] = {}
        parts = [f"T{block.nested},{block.paragraphs}"]
        for row in block.rows:
            cells = []
            for cell in row:
                number = seen.get(id(cell))
                if number is not None:
                    cells.append(f"{_SAME}{number}")
                    continue
                seen[id(cell)] = len(seen)
                cells.append("c" + _PARA.join(_flags(p) + p.text for p in cell.paragraphs))
            parts.append("r" + _CELL.join(cells))
        out.append(_ROW.join(parts))
    return _BLOCK.join(out)


def _paragraph(text: str) -> Paragraph:
    flags = ord(text[0]) - 48
    return Paragraph(text[1:], bool(flags & 1), bool(flags & 2), bool(flags & 4))


def decode(text: str) -> list[Block]:
    """The blocks `encode` was given (no cycle collection meanwhile, as in `blocks`)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _decode(text)
    finally:
        if collecting:
            gc.enable()


def _decode(text: str) -> list[Block]:
    blocks: list[Block] = []
    if not text:
        return blocks
    for part in text.split(_BLOCK):
        if part[0] == "P":
            blocks.append(_paragraph(part[1:]))
            continue
        head, *rows = part.split(_ROW)
        nested, count = head[1:].split(",")
        table = Table(nested=int(nested), paragraphs=int(count))
        cells: list[Cell] = []
        for row in rows:
            out: list[Cell] = []
            if len(row) > 1:
                for item in row[1:].split(_CELL):
                    if item[0] == _SAME:
                        out.append(cells[int(item[1:])])
                        continue
                    body = item[1:]
                    cell = Cell([_paragraph(p) for p in body.split(_PARA)] if body else [])
                    cells.append(cell)
                    out.append(cell)
            table.rows.append(out)
        blocks.append(table)
    return blocks
