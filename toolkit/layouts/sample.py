"""A record's layout (a card or a table row) designed in Word, as a sample in the template.

The coordinator writes one sample card between a `{{ kaarten }}` and an `{{ einde }}`
paragraph (or a table between `{{ rijen }}` and `{{ einde }}`), with field tags such as
`{{ naam }}` where the register's values go. `cut_sample` takes the sample out of
document.xml once and compiles it into static XML strings and slots, so that `render`,
which runs once per record (10,000 times in a large build), only joins strings.
`read_back` goes the other way for `toolkit import`: it finds the records in a built
document by the sample's static text and reads the values from where the slots were.

Ids that must be unique in a document: the sample's own bookmarks are left out (the
table of contents gets its bookmark around the heading field instead). Pictures
(wp:docPr ids), content controls (w:sdt ids), comments and w14:paraId in the sample are
repeated as they are; Word accepts the repeated paraIds, a sample with a picture or a
content control would need fresh ids per record.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from copy import deepcopy
from dataclasses import dataclass, field, replace
from functools import cached_property

from lxml import etree

from toolkit.core.errors import RegisterUnreadable, TemplateError
from toolkit.core.richtext import parse_rich, simple_paragraphs
from toolkit.layouts import wordread
from toolkit.layouts.continued import WHOLE_ROW_PART, _area, _cut_rows, continued_rows
from toolkit.layouts.wordxml import (
    _LINE_TWIPS,
    ROW,
    _per_line,
    attr_xml,
    fits_by_text,
    keep_row_together,
    keep_rows_together,
    list_style,
    text_only,
    text_xml,
    with_cant_split,
)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{" + W_NS + "}"
_P, _R, _T, _TBL, _TR, _TC = W + "p", W + "r", W + "t", W + "tbl", W + "tr", W + "tc"
_PPR, _RPR, _PSTYLE, _NUMPR, _SECTPR = W + "pPr", W + "rPr", W + "pStyle", W + "numPr", W + "sectPr"
_BOOKMARKS = (W + "bookmarkStart", W + "bookmarkEnd")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

KINDS = ("kaarten", "rijen")
_MARKER = re.compile(r"^\s*\{\{\s*(kaarten|rijen|einde)\s*\}\}\s*$")
_TAG = re.compile(r"\{\{\s*([a-z0-9_]+)\s*\}\}")
_TAG_LIKE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\{\{|\{%|\{#", re.DOTALL)
_PI = "toolkit-sample"
_PI_SPLIT = re.compile(r"<\?toolkit-sample (slot|opt|/opt) ?(\d*)\?>")
#: paragraph children that hold no content of their own (a paragraph with only these
#: and the tag's run holds "only the tag")
_NO_CONTENT = frozenset(
    W + name for name in ("pPr", "proofErr", "bookmarkStart", "bookmarkEnd", "permStart", "permEnd")
)
#: run children of a run that holds only text (Word marks where it last broke a page)
_TEXT_ONLY = frozenset((_RPR, _T, W + "lastRenderedPageBreak"))
#: the order of run properties in the schema (CT_RPr), for adding bold or italic
_RPR_ORDER = tuple(
    W + name
    for name in (
        "rStyle",
        "rFonts",
        "b",
        "bCs",
        "i",
        "iCs",
        "caps",
        "smallCaps",
        "strike",
        "dstrike",
        "outline",
        "shadow",
        "emboss",
        "imprint",
        "noProof",
        "snapToGrid",
        "vanish",
        "webHidden",
        "color",
        "spacing",
        "w",
        "kern",
        "position",
        "sz",
        "szCs",
        "highlight",
        "u",
        "effect",
        "bdr",
        "shd",
        "fitText",
        "vertAlign",
        "rtl",
        "cs",
        "em",
        "lang",
        "eastAsianLayout",
        "specVanish",
        "oMath",
        "rPrChange",
    )
)
_HEADING_IDS = ("heading", "kop")
#: the order of paragraph properties in the schema (CT_PPr), for adding a shading
_PPR_ORDER = tuple(
    W + name
    for name in (
        "pStyle",
        "keepNext",
        "keepLines",
        "pageBreakBefore",
        "framePr",
        "widowControl",
        "numPr",
        "suppressLineNumbers",
        "pBdr",
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    )
)


# --- the compiled sample ---------------------------------------------------------------


@dataclass
class _Slot:
    """Where one field's value goes: a whole paragraph (alone) or a run inside one."""

    key: str
    alone: bool
    ppr: str  # the sample paragraph's pPr, complete ("" for none)
    ppr_rest: str  # its children without pStyle and numPr, for list items
    rpr_element: etree._Element | None  # the tag run's rPr
    heading: bool = False  # the bookmark of the table of contents goes here
    ppr_element: etree._Element | None = None  # the sample paragraph's pPr, for shading
    _filled: dict[str, str] = field(default_factory=dict)

    def filled(self, fill: str | None, page_break: bool = False) -> str:
        """The paragraph's pPr with a shading of this colour (a status: the colour spans
        the paragraph, as a coloured cell would, but stays with the text), or starting a
        new page (a card on a page of its own)."""
        if not fill and not page_break:
            return self.ppr
        found = self._filled.get(f"{fill}:{page_break}")
        if found is None:
            element = (
                deepcopy(self.ppr_element)
                if self.ppr_element is not None
                else etree.Element(_PPR, nsmap={"w": W_NS})
            )
            if fill:
                for old in element.findall(W + "shd"):
                    element.remove(old)
                shd = etree.SubElement(element, W + "shd")
                shd.set(W + "val", "clear")
                shd.set(W + "color", "auto")
                shd.set(W + "fill", fill)
            if page_break and element.find(W + "pageBreakBefore") is None:
                etree.SubElement(element, W + "pageBreakBefore")
            rank = {tag: index for index, tag in enumerate(_PPR_ORDER)}
            element[:] = sorted(element, key=lambda c: rank.get(c.tag, len(rank)))
            found = self._filled[f"{fill}:{page_break}"] = _fragment(element)
        return found

    #: ppr_rest split where a w:ind belongs (the schema's order), when it has none
    ppr_rest_split: tuple[str, str] | None = None
    _rprs: dict[tuple[bool, bool, bool, str | None, str | None], str] = field(default_factory=dict)

    def ppr_rest_deeper(self, indent: str) -> str:
        """ppr_rest with a second-level item's indent, unless the sample sets its own."""
        if self.ppr_rest_split is None:
            return self.ppr_rest
        before, after = self.ppr_rest_split
        return before + indent + after

    def rpr(
        self,
        bold: bool = False,
        italic: bool = False,
        underline: bool = False,
        vertical: str | None = None,
        fill: str | None = None,
    ) -> str:
        """The tag's run properties with the value's own bold, italic, ... added; cached,
        as a build asks for the same few combinations thousands of times. fill: the
        declared colour of a list value (a status), with the text in bold."""
        key = (bold or bool(fill), italic, underline, vertical, fill)
        found = self._rprs.get(key)
        if found is None:
            found = self._rprs[key] = _merged_rpr(self.rpr_element, *key)
        return found

    #: short plain values (a status, a date, a choice) as rendered, by (value, fill,
    #: page_break, one_paragraph); a build renders the same few thousands of times
    _plain: dict[tuple[str | None, str | None, bool, bool], str] = field(default_factory=dict)
    #: the start of a plain paragraph up to its text, by (fill, page_break)
    _heads: dict[tuple[str | None, bool], tuple[str, str]] = field(default_factory=dict)
    #: short values that need parse_rich (a typed "2. Samen leven", a bullet) as
    #: rendered, keyed as _plain; their list styles come from _rich_styles
    _rich: dict[tuple[str | None, str | None, bool, bool], str] = field(default_factory=dict)
    _rich_styles: Mapping[str, str] | None = None

    def render(
        self,
        value: object,
        styles: Mapping[str, str],
        bookmark: tuple[int, str] | None,
        fill: str | None = None,
        page_break: bool = False,
        one_paragraph: bool = False,
    ) -> str:
        """one_paragraph: a plain-text field (not rich text) is one paragraph, its line
        breaks (Alt+Enter) as breaks in it, as a heading must be."""
        if not self.alone:
            return self._inline(value, fill)
        short = bookmark is None and (value is None or (value.__class__ is str and len(value) <= _SHORT))  # type: ignore[arg-type]
        if short:
            key = (value, fill, page_break, one_paragraph)
            found = self._plain.get(key)  # type: ignore[arg-type]
            if found is not None:
                return found
            if self._rich and styles is self._rich_styles:
                found = self._rich.get(key)  # type: ignore[arg-type]
                if found is not None:
                    return found
        plain = simple_paragraphs(value)
        if (
            plain is not None
            and bookmark is None
            and not (one_paragraph and isinstance(value, str) and "\n" in value)
        ):
            # most values: plain paragraphs, without a bookmark
            head = self._heads.get((fill, page_break))
            if head is None:
                ppr = self.filled(fill, page_break)
                head = self._heads[(fill, page_break)] = (
                    f'<w:p>{ppr}<w:r>{self.rpr(bold=bool(fill))}<w:t xml:space="preserve">',
                    f"<w:p>{ppr}</w:p>",
                )
            if not plain:
                xml = head[1]
            elif len(plain) == 1:
                xml = f"{head[0]}{text_xml(plain[0])}</w:t></w:r></w:p>"
            else:
                xml = "".join([f"{head[0]}{text_xml(line)}</w:t></w:r></w:p>" for line in plain])
            if short and len(self._plain) < _SHORT_KEPT:
                self._plain[key] = xml  # type: ignore[index]
            return xml
        ppr = self.filled(fill, page_break)
        if one_paragraph and isinstance(value, str) and "\n" in value:
            paragraphs = [(ppr, f"<w:r>{self.rpr(bold=bool(fill))}{_texts(value)}</w:r>")]
        elif plain is not None:
            rpr = self.rpr(bold=bool(fill))
            paragraphs = [
                (ppr, f'<w:r>{rpr}<w:t xml:space="preserve">{text_xml(line)}</w:t></w:r>') for line in plain
            ]
        else:
            paragraphs = []
            for p in parse_rich(value).paragraphs:
                if p.list_kind is None:
                    item_ppr = ppr
                else:
                    style, indent = list_style(p, styles)
                    rest = self.ppr_rest_deeper(indent) if indent else self.ppr_rest
                    item_ppr = f'<w:pPr><w:pStyle w:val="{attr_xml(style)}"/>{rest}</w:pPr>'
                runs = "".join(
                    f"<w:r>{self.rpr(r.bold or bool(fill), r.italic, r.underline, r.vertical)}"
                    f"{_texts(r.text)}</w:r>"
                    for r in p.runs
                    if r.text
                )
                paragraphs.append((item_ppr, runs))
        if not paragraphs:
            paragraphs = [(ppr, "")]
        if bookmark is not None:
            number, name = bookmark
            first_ppr, first = paragraphs[0]
            paragraphs[0] = (
                first_ppr,
                f'<w:bookmarkStart w:id="{number}" w:name="{attr_xml(name)}"/>{first}',
            )
            last_ppr, last = paragraphs[-1]
            paragraphs[-1] = (last_ppr, f'{last}<w:bookmarkEnd w:id="{number}"/>')
        xml = "".join([f"<w:p>{ppr}{content}</w:p>" for ppr, content in paragraphs])
        if short and len(self._rich) < _SHORT_KEPT:
            if styles is not self._rich_styles:  # another document's list styles
                self._rich.clear()
                self._rich_styles = styles
            self._rich[key] = xml  # type: ignore[index]
        return xml

    def _inline(self, value: object, fill: str | None = None) -> str:
        short = value is None or (value.__class__ is str and len(value) <= _SHORT)  # type: ignore[arg-type]
        if short:
            found = self._plain.get((value, fill, False, False))  # type: ignore[arg-type]
            if found is not None:
                return found
        plain = simple_paragraphs(value)
        lines = plain if plain is not None else parse_rich(value).plain.split("\n")
        text = "\n".join(lines)
        xml = f"<w:r>{self.rpr(fill=fill)}{_texts(text)}</w:r>" if text else ""
        if short and len(self._plain) < _SHORT_KEPT:
            self._plain[(value, fill, False, False)] = xml  # type: ignore[index]
        return xml


#: values up to this long are kept as rendered per slot, at most _SHORT_KEPT of them
_SHORT = 64
_SHORT_KEPT = 4096


def _texts(text: str) -> str:
    """A run's content: its lines as w:t, Alt+Enter breaks as w:br."""
    return "<w:br/>".join(f'<w:t xml:space="preserve">{text_xml(line)}</w:t>' for line in text.split("\n"))


def _merged_rpr(
    rpr: etree._Element | None,
    bold: bool,
    italic: bool,
    underline: bool,
    vertical: str | None,
    fill: str | None = None,
) -> str:
    if not (bold or italic or underline or vertical or fill):
        return _fragment(rpr) if rpr is not None else ""
    element = deepcopy(rpr) if rpr is not None else etree.Element(_RPR, nsmap={"w": W_NS})
    wanted: list[tuple[str, str | None]] = []
    if bold:
        wanted.append((W + "b", None))
    if italic:
        wanted.append((W + "i", None))
    if underline:
        wanted.append((W + "u", "single"))
    if vertical:
        wanted.append((W + "vertAlign", vertical))
    if fill:
        wanted.append((W + "shd", "clear"))
    for tag, val in wanted:
        for old in element.findall(tag):
            element.remove(old)
        new = etree.SubElement(element, tag)
        if val is not None:
            new.set(W + "val", val)
        if tag == W + "shd":
            new.set(W + "color", "auto")
            new.set(W + "fill", fill or "auto")
    rank = {tag: index for index, tag in enumerate(_RPR_ORDER)}
    children = sorted(element, key=lambda c: rank.get(c.tag, len(rank)))  # stable
    element[:] = children
    return _fragment(element)


def _fragment(element: etree._Element) -> str:
    """An element as XML text without the namespace declarations lxml copies from the
    document root: the fragment goes back into that same document."""
    xml = etree.tostring(element, encoding=str)
    end = xml.index(">")
    head = re.sub(r'\s+xmlns(?::[A-Za-z0-9_.-]+)?="[^"]*"', "", xml[:end])
    return head + xml[end:]


_ATTRIBUTE = re.compile(r'(<w:tbl(?:Caption|Description) w:val=")([^"]*\{\{[^"]*)"')


def _plain(value: object) -> str:
    lines = simple_paragraphs(value)
    return " ".join(lines if lines is not None else parse_rich(value).plain.split("\n"))


_WIDTH = re.compile(r'(<w:(?:tblW|tcW) w:w=")(\d+)"(?= w:type="dxa"\s*/>)')
_GRID = re.compile(r"<w:tblGrid>.*?</w:tblGrid>", re.DOTALL)
_GRID_COL = re.compile(r'<w:gridCol w:w="(\d+)"')


def _scaled_widths(widths: tuple[int, ...], total: int) -> list[int]:
    from toolkit.layouts.wordxml import scaled

    return scaled(widths, total)


#: per sample, its copies by width; a sample (and its per-slot caches) goes with the
#: template it was cut from, also in the web app, which builds again and again
_SCALED: weakref.WeakKeyDictionary[Sample, dict[int, Sample | None]] = weakref.WeakKeyDictionary()


@dataclass
class _Optional:
    """A part of the sample (a paragraph, a table row, a table) that is left out when all
    of its fields are empty and the declaration says so ([indeling] leeg_weglaten)."""

    keys: tuple[str, ...]
    end: int = 0  # index in Sample.parts of its closing marker


_OPTIONAL_END = object()


def _empty(value: object) -> bool:
    if value is None:
        return True
    return not (value if isinstance(value, str) else str(value)).strip()


# --- the sample as a program, for rendering it per record ---------------------------------

#: stands for a part whose text depends on the record, in the skeleton of the sample
#: that _compile_program reads the rows from (never in XML text)
_DYNAMIC = "\x00"
_TC_WIDTH_OF = re.compile(r'<w:tcW w:w="(\d+)"')
_TC_WIDTH_TYPED = re.compile(r'<w:tcW w:w="(\d+)"(?: w:type="(\w+)")?')  # as continued's
_STATIC, _FIELD, _OPTIONAL, _CAPTION, _ROW, _ROW_END = range(6)


@dataclass(frozen=True)
class _Caption:
    """A table's title or description with fields ("Data: {{ naam }}"), filled per
    record: pairs of literal text and a field's key, then the last literal text."""

    pairs: tuple[tuple[str, str], ...]
    last: str

    def fill(self, values: Mapping[str, object]) -> str:
        return "".join([f"{text}{attr_xml(_plain(values.get(key)))}" for text, key in self.pairs]) + self.last


@dataclass(frozen=True)
class _Row:
    """A table row that is kept on one page when it is shorter than one, decided as
    wordxml.keep_row_together decides it from the row's XML, but from the lengths of the
    row's static XML per cell (worked out once) and of the values' XML: the row is
    never joined or split. The rendered parts of the row's cells add up to the cells'
    XML, as no tag or text spans a part's edge."""

    kept_start: str  # the row's first static part, with <w:cantSplit/>
    widths: tuple[int, ...]  # per cell
    lengths: tuple[int, ...]  # the static XML of each cell, in characters
    breaks: tuple[int, ...]  # its paragraphs and line breaks
    chars: tuple[int, ...]  # its text outside tags, in characters
    #: a card's label | text row: its text cell's (width, or 0 when it has none in twips;
    #: the static XML's length; its paragraphs and line breaks plus one; its text's
    #: length), for continued.continued_rows's question whether the row may be long
    text_cell: tuple[int, int, int, int] | None = None
    #: False for a card's row that the sample keeps whole itself (<w:cantSplit/>): only
    #: its length is asked (may_be_long)
    splits: bool = True

    @cached_property
    def _per_lines(self) -> tuple[int, ...]:
        return tuple(_per_line(width) for width in self.widths)

    def may_be_long(self, values: list[tuple[int, str]], default_width: int, limit: int) -> bool:
        """continued._may_be_long of the rendered row, from the lengths of its parts."""
        if self.text_cell is None:
            return False
        width, length, breaks, chars = self.text_cell
        texts = [xml for cell, xml in values if cell == 1]
        for xml in texts:
            length += len(xml)
            breaks += xml.count("<w:p>") + xml.count("<w:p ") + xml.count("<w:br/>")
        per_line = _per_line(width if width > 500 else default_width)
        if (length // per_line + breaks) * _LINE_TWIPS <= limit:
            return False
        chars += sum(len(text_only(xml)) for xml in texts)
        return (chars // per_line + breaks) * _LINE_TWIPS > limit

    def fits(self, values: list[tuple[int, str]], height: int) -> bool:
        """values: (cell, rendered XML) of the row's fields."""
        lengths, breaks = list(self.lengths), list(self.breaks)
        for cell, xml in values:
            if cell >= 0:
                lengths[cell] += len(xml)
                breaks[cell] += xml.count("<w:p>") + xml.count("<w:br/>")
        if all(  # wordxml.fits_by_size, with the characters per line worked out once
            (length // per_line + lines + 1) * _LINE_TWIPS < height
            for length, lines, per_line in zip(lengths, breaks, self._per_lines, strict=True)
        ):
            return True  # most rows: even the upper bound fits
        chars = list(self.chars)
        for cell, xml in values:
            if cell >= 0:
                chars[cell] += len(text_only(xml))
        return fits_by_text(zip(chars, breaks, self.widths, strict=True), height)


@dataclass(frozen=True)
class _Program:
    """The sample's parts as steps for Sample.render: (code, argument, number) with
    code _STATIC (text), _FIELD (a _Slot; number: its cell in a _Row or -1), _OPTIONAL
    (the keys; number: the step after its end), _CAPTION (a _Caption), _ROW and _ROW_END
    (a _Row around the steps of its row)."""

    steps: tuple[tuple[int, object, int], ...]
    #: False: the rows are kept together on the joined XML (wordxml.keep_rows_together),
    #: for a sample whose rows _compile_program cannot read from its parts
    rows_inline: bool
    #: a card whose every table row has a _Row: its long rows are found and cut
    #: (continued.continued_rows) and the others kept together while it is rendered
    cards_inline: bool = False


def _captions(text: str) -> list[str | _Caption]:
    """A static part with the fields in its tables' titles as _Caption parts."""
    out: list[str | _Caption] = []
    position = 0
    for found in _ATTRIBUTE.finditer(text):
        pieces = _TAG.split(found.group(2))
        if len(pieces) == 1:
            continue
        out.append(text[position : found.start(2)])
        out.append(_Caption(tuple(zip(pieces[:-1:2], pieces[1::2], strict=True)), pieces[-1]))
        position = found.end(2)
    out.append(text[position:])
    return [piece for piece in out if piece != ""]


def _compile_program(sample: Sample) -> _Program:
    """The steps that render one record as the parts say, worked out once per sample:
    captions with fields become parts of their own, the optional parts' ends become
    jumps, and every table row whose keeping together depends on the values gets a _Row.
    The rows are found in the skeleton (the static XML with a _DYNAMIC character for
    each field) as wordxml.keep_rows_together finds them in the XML: a field's XML never
    holds a row's, a cell's or a table's tags, nor "<w:cantSplit/>" or "<w:trPr>"."""
    items: list[object] = []
    for part in sample.parts:
        if part.__class__ is str and sample.attribute_fields:
            items += _captions(part)  # type: ignore[arg-type]
        else:
            items.append(part)
    offsets, texts, at = [], [], 0
    for item in items:
        offsets.append(at)
        text = item if item.__class__ is str else _DYNAMIC if item.__class__ in (_Slot, _Caption) else ""
        texts.append(text)
        at += len(text)  # type: ignore[arg-type]
    skeleton = "".join(texts)  # type: ignore[arg-type]
    regions = [(0, len(skeleton))] if sample.kind == "rijen" else [m.span() for m in ROW.finditer(skeleton)]
    rows: dict[int, tuple[int, _Row]] = {}  # start -> (end, row)
    inline = True
    every_row = True  # a card: every row has a _Row (none left alone, no nested table)
    for start, end in regions:
        row = skeleton[start:end]
        whole = "<w:cantSplit/>" in row  # kept whole already: keep_row_together leaves it
        if (
            (sample.kind == "kaarten" and "<w:tbl" in row)
            or (whole and sample.kind != "kaarten")
            or "<w:tc>" not in row
        ):
            every_row = False
            continue  # left as it is, as keep_rows_together and keep_row_together do
        first = row.split(_DYNAMIC, 1)[0]
        cells = row.split("<w:tc>")[1:]
        if (
            ("<w:trPr>" in row and "<w:trPr>" not in first)
            or ">" not in first
            or any(text_only(cell).count(_DYNAMIC) != cell.count(_DYNAMIC) for cell in cells)
        ):
            inline = False  # not the usual shape: rows kept together on the joined XML
            continue
        rows[start] = (
            end,
            _Row(
                with_cant_split(first),
                tuple(int(m.group(1)) if (m := _TC_WIDTH_OF.search(cell)) else 2000 for cell in cells),
                tuple(len(cell) - cell.count(_DYNAMIC) for cell in cells),
                tuple(cell.count("<w:p>") + cell.count("<w:br/>") for cell in cells),
                tuple(len(text_only(cell)) - cell.count(_DYNAMIC) for cell in cells),
                _text_cell(cells) if sample.kind == "kaarten" else None,
                not whole,
            ),
        )
        if "<w:tc " in row:  # continued_rows counts such a cell, keep_row_together not
            every_row = False
    steps = _steps(items, offsets, skeleton, rows if inline else {})
    if steps is None:  # an optional part inside a row: not a sample _compile makes
        return _Program(_steps(items, offsets, skeleton, {}) or (), False)
    return _Program(steps, inline, sample.kind == "kaarten" and inline and every_row)


def _text_cell(cells: list[str]) -> tuple[int, int, int, int] | None:
    """_Row.text_cell of a row's cells (the skeleton's, between "<w:tc>" tags), as
    continued._may_be_long reads a label | text row."""
    if len(cells) != 2:
        return None
    text = cells[1]
    found = _TC_WIDTH_TYPED.search(text)
    width = int(found.group(1)) if found and (found.group(2) or "dxa") == "dxa" else 0
    dynamic = text.count(_DYNAMIC)
    return (
        width,
        len(text) - dynamic,
        text.count("<w:p>") + text.count("<w:p ") + text.count("<w:br/>") + 1,
        len(text_only(text)) - dynamic,
    )


def _steps(
    items: list[object], offsets: list[int], skeleton: str, rows: dict[int, tuple[int, _Row]]
) -> tuple[tuple[int, object, int], ...] | None:
    """The program's steps, with each row's static text cut where the row starts and
    ends; None when a row holds an optional part or does not start in static text
    (then the rows are kept together on the joined XML)."""
    ends = {end for end, _ in rows.values()}
    steps: list[tuple[int, object, int]] = []
    opened: list[int] = []  # the steps of the optional parts not yet ended
    row_start: int | None = None  # the skeleton offset of the row being written
    for item, at in zip(items, offsets, strict=True):
        if item.__class__ is str:
            text: str = item  # type: ignore[assignment]
            cuts = sorted({x - at for x in (*rows, *ends) if at <= x <= at + len(text)})
            done = 0
            for cut in [*cuts, len(text)]:
                if cut > done:
                    steps.append((_STATIC, text[done:cut], -1))
                    done = cut
                if row_start is not None and at + cut == rows[row_start][0] and cut:
                    steps.append((_ROW_END, None, -1))
                    row_start = None
                if at + cut in rows and cut < len(text) and row_start is None:
                    row_start = at + cut
                    steps.append((_ROW, rows[row_start][1], -1))
        elif item.__class__ is _Slot or item.__class__ is _Caption:
            cell = skeleton[row_start:at].count("<w:tc>") - 1 if row_start is not None else -1
            steps.append((_FIELD if item.__class__ is _Slot else _CAPTION, item, cell))
        elif row_start is not None:
            return None
        elif item.__class__ is _Optional:
            opened.append(len(steps))
            steps.append((_OPTIONAL, item.keys, 0))  # type: ignore[attr-defined]
        else:  # its end: where the optional part jumps to when it is left out
            at_step = opened.pop()
            steps[at_step] = (_OPTIONAL, steps[at_step][1], len(steps))
    if sum(1 for code, _, _ in steps if code == _ROW) != len(rows):
        return None  # a row that does not start in static text: not from _compile either
    for index, (code, row, _) in enumerate(steps):  # the row's first part is what it keeps
        if code != _ROW:
            continue
        following, opening, _ = steps[index + 1]
        if following != _STATIC or with_cant_split(str(opening)) != row.kept_start:  # type: ignore[attr-defined]
            return None
    return tuple(steps)


@dataclass(frozen=True, eq=False)
class Sample:
    """A compiled sample: static XML and slots, and what read_back looks for."""

    kind: str  # "kaarten" or "rijen"
    fields: tuple[str, ...]  # field keys in order of appearance (unique)
    heading_field: str | None  # the tag alone in the first heading paragraph (for the TOC)
    parts: tuple[str | _Slot | _Optional | object, ...] = field(repr=False, default=())
    start: str = field(repr=False, default="")
    end: str = field(repr=False, default="")
    plan: tuple = field(repr=False, default=())  # read_back's items (see _Item)
    header: tuple[tuple[str, ...], ...] = field(repr=False, default=())  # rijen
    footer: tuple[tuple[str, ...], ...] = field(repr=False, default=())  # rijen
    heading_level: int = 1  # the level of the heading field's style (Heading 2: 2)
    #: plan, with the parts leeg_weglaten may leave out marked as such (_Maybe)
    lenient_plan: tuple = field(repr=False, default=())
    #: fields in a table's title or description (w:tblCaption "Data: {{ naam }}")
    attribute_fields: tuple[str, ...] = ()

    def for_width(self, width: int) -> Sample:
        """The sample with its tables as wide as the text of the section it is built in
        (a coordinator's own margins or landscape pages), in the same proportions, as
        every generated table is; cached per width."""
        if not width:
            return self
        widths = _SCALED.setdefault(self, {})
        if width in widths:
            return widths[width] or self  # None: as wide already (no reference to itself)
        statics = [self.start, self.end, *(p for p in self.parts if p.__class__ is str)]
        grids = [
            [int(w) for w in _GRID_COL.findall(grid)] for text in statics for grid in _GRID.findall(text)
        ]  # type: ignore[arg-type]
        widest = max((sum(g) for g in grids if g), default=0)
        if not widest or widest == width:
            widths[width] = None
            return self

        def grid(match: re.Match[str]) -> str:
            columns = tuple(int(w) for w in _GRID_COL.findall(match.group(0)))
            new = _scaled_widths(columns, width * sum(columns) // widest) if columns else []
            return "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}"/>' for w in new) + "</w:tblGrid>"

        def scale(xml: str) -> str:
            xml = _GRID.sub(grid, xml)
            return _WIDTH.sub(lambda m: f'{m.group(1)}{int(m.group(2)) * width // widest}"', xml)

        scaled = replace(
            self,
            parts=tuple(
                scale(p) if p.__class__ is str else p  # type: ignore[arg-type]
                for p in self.parts
            ),
            start=scale(self.start),
            end=scale(self.end),
        )
        widths[width] = scaled
        return scaled

    @property
    def where(self) -> str:
        return "de voorbeeldkaart" if self.kind == "kaarten" else "de voorbeeldrij"

    def check(self, valid: Mapping[str, str], template: str) -> None:
        """Every field of the sample is a register column (valid: key -> label); a typo
        is told with the list of fields the coordinator can choose from."""
        unknown = [key for key in self.fields if key not in valid]
        if not unknown:
            return
        names = ", ".join(f"{{{{ {key} }}}}" for key in unknown)
        which = (
            f"het veld {names}, maar dat bestaat"
            if len(unknown) == 1
            else f"de velden {names}, maar die bestaan"
        )
        choices = ", ".join(f"{{{{ {key} }}}} ({label})" for key, label in valid.items())
        raise TemplateError(
            f"Het Word-sjabloon '{template}' gebruikt in {self.where} {which} niet. "
            f"Geldige velden: {choices}."
        )

    @cached_property
    def _program(self) -> _Program:
        return _compile_program(self)

    def render(
        self,
        values: Mapping[str, object],
        styles: Mapping[str, str],
        bookmark: tuple[int, str] | None = None,
        note: str = "",
        omit_empty: bool = False,
        fills: Mapping[str, str] | None = None,
        page_break: bool = False,
        plain_text: Collection[str] = (),
        height: int = 0,
        cut_long: bool = False,
    ) -> str:
        """WordprocessingML of one record: the card's body elements, or one <w:tr>.

        note (paragraphs) goes right after the heading field (or the first field that is
        a paragraph of its own; before the card when there is none); omit_empty leaves
        out the paragraphs, rows and tables whose fields are all empty; fills gives a
        field the colour its value declares (a status: bold text on that colour);
        page_break starts the card on a new page (at its heading field); plain_text: the
        fields that are plain text, one paragraph each (line breaks kept as breaks);
        height (of the page's text): a table row shorter than that is kept on one page
        (wordxml.keep_row_together); cut_long (a card): first its label | text rows
        longer than a part of the page are cut in pieces (continued.continued_rows)."""
        program = self._program
        steps = program.steps
        cut: tuple[int, int] | None = None  # (text width, longest row) when rows are cut here
        keep = height  # the page height the rows are kept together for
        if cut_long:
            text_width, text_height = _area(styles)
            if program.cards_inline and height and height == text_height:
                cut = (text_width, text_height // WHOLE_ROW_PART)
            else:  # on the joined XML, after rendering
                height = 0
        out: list[str] = []
        pending = note
        lone = not self.heading_field
        row: _Row | None = None
        in_row: list[tuple[int, str]] = []
        mark = 0
        index, count = 0, len(steps)
        while index < count:
            code, argument, number = steps[index]
            index += 1
            if code == _STATIC:
                out.append(argument)  # type: ignore[arg-type]
            elif code == _FIELD:
                slot: _Slot = argument  # type: ignore[assignment]
                xml = slot.render(
                    values.get(slot.key),
                    styles,
                    bookmark if slot.heading else None,
                    fills.get(slot.key) if fills else None,
                    page_break and slot.heading,
                    slot.key in plain_text,
                )
                if pending and slot.alone and (slot.heading or lone):
                    xml += pending
                    pending = ""
                out.append(xml)
                if row is not None:
                    in_row.append((number, xml))
            elif code == _OPTIONAL:
                if omit_empty and all(_empty(values.get(k)) for k in argument):  # type: ignore[attr-defined]
                    index = number
            elif code == _CAPTION:
                xml = argument.fill(values)  # type: ignore[attr-defined]
                out.append(xml)
                if row is not None:
                    in_row.append((number, xml))
            elif code == _ROW:
                if height:
                    row, mark, in_row = argument, len(out), []  # type: ignore[assignment]
            elif row is not None:  # _ROW_END
                if cut is not None and row.may_be_long(in_row, cut[0] * 2 // 3, cut[1]):
                    out[mark:] = [keep_rows_together(_cut_rows("".join(out[mark:]), *cut), height)]
                elif row.splits and row.fits(in_row, height):
                    out[mark] = row.kept_start
                row = None
        if pending and self.kind == "kaarten":
            out.insert(0, pending)
        if page_break and not self.heading_field and self.kind == "kaarten":
            out.insert(0, "<w:p><w:pPr><w:pageBreakBefore/></w:pPr></w:p>")
        xml = "".join(out)
        if cut_long and cut is None:
            return keep_rows_together(continued_rows(xml, styles), keep)
        if height and not program.rows_inline:
            return keep_row_together(xml, height) if self.kind == "rijen" else keep_rows_together(xml, height)
        return xml

    def table_start(self, caption: str = "") -> str:
        """For "rijen": the table's opening with its properties, grid and header rows;
        caption (a group's heading) becomes the table's title when given."""
        if not caption or not self.start:
            return self.start
        title = f'<w:tblCaption w:val="{attr_xml(caption)}"/>'
        if "<w:tblCaption " in self.start:
            return re.sub(r"<w:tblCaption [^>]*/>", lambda _: title, self.start, count=1)
        at = self.start.find("<w:tblDescription ")
        if at < 0:
            at = self.start.find("</w:tblPr>")
        return self.start[:at] + title + self.start[at:] if at >= 0 else self.start

    def table_end(self) -> str:
        """For "rijen": the rows after the sample row (if any) and the table's closing."""
        return self.end


# --- cutting the sample out of document.xml --------------------------------------------


#: a sample is one record's card: a few dozen paragraphs, at most some pages. Far beyond
#: that it is no card (each record would repeat it), and a build and import of it would
#: take minutes for nothing.
MAX_SAMPLE_PARAGRAPHS = 10_000


def _own_texts(p: etree._Element) -> list[etree._Element]:
    """The w:t of a paragraph itself, not of the paragraphs of a text box in it."""
    paragraphs = p.iter(_P)
    next(paragraphs)  # p itself
    if next(paragraphs, None) is None:  # no text box: every w:t is the paragraph's
        return list(p.iter(_T))
    out = []
    for t in p.iter(_T):
        parent = t.getparent()
        while parent is not None and parent.tag != _P:
            parent = parent.getparent()
        if parent is p:
            out.append(t)
    return out


def _text(p: etree._Element) -> str:
    """A paragraph's own text (a row's: all of its paragraphs')."""
    if p.tag != _P:
        return "".join(_text(q) for q in p.iter(_P))
    return "".join(t.text or "" for t in _own_texts(p))


def _error(template: str, message: str) -> TemplateError:
    name = f"Het Word-sjabloon '{template}'" if template else "Het Word-sjabloon"
    return TemplateError(f"{name} {message}")


def cut_sample(document_xml: bytes, replacement: str, template: str = "") -> tuple[bytes, Sample | None]:
    """Find the sample region; return document.xml with the whole region (from the
    `{{ kaarten }}` or `{{ rijen }}` paragraph to the `{{ einde }}` paragraph) replaced
    by `replacement`, and the compiled sample. No region: (document_xml, None).

    template names the file in the Dutch error messages.
    """
    parser = etree.XMLParser(resolve_entities=False, huge_tree=True, remove_blank_text=False)
    root = etree.fromstring(document_xml, parser)
    body = root.find(W + "body")
    if body is None:
        return document_xml, None
    markers = []
    for p in body.iter(_P):
        found = _MARKER.match(_text(p))
        if found:
            markers.append((found.group(1), p))
    if not markers:
        return document_xml, None
    kind, start = markers[0]
    if kind == "einde":
        raise _error(
            template,
            "bevat een paragraaf {{ einde }} zonder {{ kaarten }} of "
            "{{ rijen }} ervoor. Zet {{ kaarten }} (of {{ rijen }}) boven de "
            "voorbeeldkaart, of haal {{ einde }} weg.",
        )
    if len(markers) == 1 or markers[1][0] != "einde":
        raise _error(
            template,
            f"bevat {{{{ {kind} }}}} zonder {{{{ einde }}}} erna. Zet een "
            f"paragraaf met alleen {{{{ einde }}}} onder de voorbeeld"
            f"{'kaart' if kind == 'kaarten' else 'tabel'}.",
        )
    if len(markers) > 2:
        raise _error(
            template,
            "bevat meer dan één voorbeeld ({{ kaarten }} of {{ rijen }} "
            "... {{ einde }}). Er kan maar één voorbeeld in een sjabloon staan.",
        )
    end = markers[1][1]
    if end.getparent() is not start.getparent():
        raise _error(
            template,
            f"heeft {{{{ {kind} }}}} en {{{{ einde }}}} niet op hetzelfde "
            f"niveau (bijvoorbeeld één van beide in een tabel). Zet beide als "
            f"gewone paragraaf boven en onder het voorbeeld.",
        )
    for marker in (start, end):
        ppr = marker.find(_PPR)
        if ppr is not None and ppr.find(_SECTPR) is not None:
            raise _error(
                template,
                "heeft een sectie-einde in de paragraaf van "
                f"{{{{ {_MARKER.match(_text(marker)).group(1)} }}}}. "  # type: ignore[union-attr]
                "Zet een lege paragraaf tussen de tag en het sectie-einde.",
            )
    parent = start.getparent()
    region = list(parent)[parent.index(start) + 1 : parent.index(end)]
    size = sum(1 for el in region for _ in el.iter(_P))
    if size > MAX_SAMPLE_PARAGRAPHS:
        raise _error(
            template,
            f"heeft een voorbeeld{'kaart' if kind == 'kaarten' else 'tabel'} "
            f"van {size:,} alinea's; de grens is "
            f"{MAX_SAMPLE_PARAGRAPHS:,}. Het voorbeeld staat voor één "
            f"record: zet tekst die niet bij elk record terugkomt buiten "
            f"{{{{ {kind} }}}} … {{{{ einde }}}}.".replace(",", "."),
        )
    _drop_bookmarks(root, [start, *region, end])
    region = [el for el in region if el.tag not in _BOOKMARKS]
    compiled = _compile(kind, region, root, template)
    parent.replace(start, etree.ProcessingInstruction(_PI, "begin"))
    parent.replace(end, etree.ProcessingInstruction(_PI, "end"))
    xml = etree.tostring(root, encoding="UTF-8")
    head, _, rest = xml.partition(b"<?toolkit-sample begin?>")
    sample_xml, _, tail = rest.partition(b"<?toolkit-sample end?>")
    declaration = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    document = declaration + head + replacement.encode("utf-8") + tail
    return document, compiled(sample_xml.decode("utf-8"))


def _drop_bookmarks(root: etree._Element, region: list[etree._Element]) -> None:
    """The sample's own bookmarks are left out (repeated, their ids and names would
    clash), with their other half wherever it stands."""
    ids = {b.get(W + "id") for el in region for tag in _BOOKMARKS for b in el.iter(tag)}
    ids |= {el.get(W + "id") for el in region if el.tag in _BOOKMARKS}
    if not ids:
        return
    for tag in _BOOKMARKS:
        for b in list(root.iter(tag)):
            if b.get(W + "id") in ids:
                b.getparent().remove(b)


def _compile(
    kind: str, region: list[etree._Element], root: etree._Element, template: str
) -> Callable[[str], Sample]:
    """Prepare the region in the tree (slots as processing instructions) and give the
    function that builds the Sample from the region's serialised XML."""
    slots: list[_Slot] = []
    fields: dict[str, None] = {}
    where = "de voorbeeldkaart" if kind == "kaarten" else "de voorbeeldrij"
    header: tuple[tuple[str, ...], ...] = ()
    footer: tuple[tuple[str, ...], ...] = ()
    if kind == "rijen":
        tables = [el for el in region if el.tag == _TBL]
        others = [el for el in region if el.tag != _TBL and not (el.tag == _P and not _text(el).strip())]
        if len(tables) != 1 or others:
            raise _error(
                template,
                "heeft tussen {{ rijen }} en {{ einde }} niet precies één "
                "tabel. Zet daar alleen de tabel met de kopregel(s) en één "
                "voorbeeldrij met velden.",
            )
        tbl = tables[0]
        for el in region:
            if el is not tbl:
                el.getparent().remove(el)
        region = [tbl]
        rows = list(tbl.iterchildren(_TR))
        tagged = [row for row in rows if _TAG_LIKE.search(_text(row))]
        if len(tagged) != 1:
            raise _error(
                template,
                f"heeft in de tabel tussen {{{{ rijen }}}} en {{{{ einde }}}} "
                f"{len(tagged)} rijen met velden. Er moet precies één "
                f"voorbeeldrij met velden zijn; de rijen erboven zijn de kop.",
            )
        sample_row = tagged[0]
        at = rows.index(sample_row)
        header = tuple(tuple(_cell_text(tc) for tc in row.iterchildren(_TC)) for row in rows[:at])
        footer = tuple(tuple(_cell_text(tc) for tc in row.iterchildren(_TC)) for row in rows[at + 1 :])
    items: dict[int, _Plain] = {}
    heading_field: list[str] = []
    paragraphs = [p for el in region for p in ([el] if el.tag == _P else el.iter(_P))]
    tagged_paragraphs = []
    texts: dict[int, str] = {}  # a paragraph's own text, before the slots take tags out

    def text_of(el: etree._Element) -> str:
        found = texts.get(id(el))
        return _text(el) if found is None else found

    for p in paragraphs:
        _join_split_tags(p)
        text = texts[id(p)] = _text(p)
        for found in _TAG_LIKE.finditer(text):
            if not _TAG.fullmatch(found.group(0)):
                raise _error(
                    template,
                    f"heeft in {where} de tag {found.group(0)!r}, die niet "
                    f"gelezen kan worden. Een veld schrijf je als "
                    f"{{{{ naam }}}}: kleine letters, cijfers en _, zonder "
                    f"berekeningen of voorwaarden.",
                )
        keys = [m.group(1) for m in _TAG.finditer(text)]
        read_text = wordread.paragraph(p, _NO_STYLES, wordread._Fields(), wordread.Seen()).text
        level = _heading_level(p)
        if not keys:
            items[id(p)] = _Static(read_text.strip(), level)
            continue
        for key in keys:
            fields.setdefault(key)
        heading = _style_id(p).casefold().startswith(_HEADING_IDS)
        alone = _TAG.fullmatch(text.strip()) is not None and _only_text(p)
        if alone:
            items[id(p)] = _Field(keys[0], level)
        else:
            items[id(p)] = _inline_item(read_text)
        tagged_paragraphs.append((p, keys[0], alone, heading))
    if kind == "rijen":
        plan: tuple = (_row_item(sample_row, items),)
    else:
        plan = tuple(_plan(region, items))
    optional: list[tuple[str, ...]] = []
    optional_ids: set[int] = set()
    if kind == "kaarten":  # before the slots take the tags' text away
        heading_paragraphs = {id(p) for p, _, alone, heading in tagged_paragraphs if alone and heading}
        previous: etree._Element | None = None
        for el in region:
            units = [el] if el.tag == _P else [el, *el.iterchildren(_TR)] if el.tag == _TBL else []
            for unit in units:
                in_unit = tuple(dict.fromkeys(m.group(1) for m in _TAG.finditer(text_of(unit))))
                if in_unit and id(unit) not in heading_paragraphs:
                    # a heading without fields right above (a section's title) goes with it
                    first = (
                        previous
                        if unit is el
                        and previous is not None
                        and previous.tag == _P
                        and not _TAG.search(text_of(previous))
                        and _style_id(previous).casefold().startswith(_HEADING_IDS)
                        else unit
                    )
                    first.addprevious(etree.ProcessingInstruction(_PI, f"opt {len(optional)}"))
                    unit.addnext(etree.ProcessingInstruction(_PI, "/opt"))
                    optional.append(in_unit)
                    if unit is el:
                        optional_ids.update({id(el), id(first)})
            previous = el
    lenient = (
        tuple(
            item if id(el) not in optional_ids else _Maybe(item)
            for el in region
            for item in _plan([el], items)
        )
        if kind == "kaarten"
        else plan
    )
    heading_level = 1
    for p, key, alone, heading in tagged_paragraphs:  # now the tree may change
        if alone:
            toc = heading and not heading_field
            if toc:
                heading_field.append(key)
                digits = re.search(r"(\d)$", _style_id(p))
                heading_level = int(digits.group(1)) if digits else 1
            slots.append(_slot(key, True, p, _tag_runs(p)[0], toc))
            p.getparent().replace(p, etree.ProcessingInstruction(_PI, f"slot {len(slots) - 1}"))
            continue
        for run in _tag_runs(p):
            run_key = _TAG.search("".join(t.text or "" for t in run.iter(_T))).group(1)  # type: ignore[union-attr]
            slots.append(_slot(run_key, False, p, run, False))
            run.getparent().replace(run, etree.ProcessingInstruction(_PI, f"slot {len(slots) - 1}"))
    if not fields:
        raise _error(
            template,
            f"heeft in {where} geen velden zoals {{{{ naam }}}}. Zet de velden "
            f"waar de waarden uit het register moeten komen.",
        )
    if kind == "rijen":
        sample_row.addprevious(etree.ProcessingInstruction(_PI, "row"))
        sample_row.addnext(etree.ProcessingInstruction(_PI, "row"))

    def build(xml: str) -> Sample:
        start = end = ""
        if kind == "rijen":
            start, xml, end = xml.split("<?toolkit-sample row?>")
        pieces = _PI_SPLIT.split(xml)
        parts: list[str | _Slot | _Optional | object] = []
        opened: list[_Optional] = []
        for index in range(0, len(pieces), 3):
            if pieces[index]:
                parts.append(pieces[index])
            if index + 1 >= len(pieces):
                break
            what, number = pieces[index + 1], pieces[index + 2]
            if what == "slot":
                parts.append(slots[int(number)])
            elif what == "opt":
                opened.append(_Optional(optional[int(number)]))
                parts.append(opened[-1])
            else:
                opened.pop().end = len(parts)
                parts.append(_OPTIONAL_END)
        in_attributes = tuple(
            dict.fromkeys(
                t.group(1)
                for text in (start, *(p for p in parts if isinstance(p, str)))
                for m in _ATTRIBUTE.finditer(text)
                for t in _TAG.finditer(m.group(2))
            )
        )
        for key in in_attributes:
            fields.setdefault(key)
        return Sample(
            kind,
            tuple(fields),
            heading_field[0] if heading_field else None,
            tuple(parts),
            start,
            end,
            plan,
            header,
            footer,
            heading_level,
            lenient_plan=lenient,
            attribute_fields=in_attributes,
        )

    return build


def _heading_level(p: etree._Element) -> int:
    """A paragraph's heading level by its style id (Heading2, Kop2: 2), 0 for none."""
    style = _style_id(p)
    if not style.casefold().startswith(_HEADING_IDS):
        return 0
    digits = re.search(r"(\d)$", style)
    return int(digits.group(1)) if digits else 1


def _style_id(p: etree._Element) -> str:
    ppr = p.find(_PPR)
    style = ppr.find(_PSTYLE) if ppr is not None else None
    return (style.get(W + "val") or "") if style is not None else ""


def _cell_text(tc: etree._Element) -> str:
    return "\n".join(
        wordread.paragraph(p, _NO_STYLES, wordread._Fields(), wordread.Seen()).text
        for p in tc.iterchildren(_P)
    ).strip()


def _only_text(p: etree._Element) -> bool:
    """Whether a paragraph holds nothing but runs of text (no picture, tab, field)."""
    for child in p:
        if child.tag == _R:
            if any(c.tag not in _TEXT_ONLY for c in child):
                return False
        elif child.tag not in _NO_CONTENT:
            return False
    return True


def _tag_runs(p: etree._Element) -> list[etree._Element]:
    """Split the runs holding tags so that each tag is a run of its own (with the rPr of
    the run it stood in), and return those runs in order."""
    out = []
    for t in _own_texts(p):
        text = t.text or ""
        if not _TAG.search(text):
            continue
        run = t.getparent()
        if run.tag != _R:
            continue
        rpr = run.find(_RPR)
        children = [c for c in run if c.tag != _RPR]
        at = children.index(t)
        new_runs = []
        if children[:at]:
            new_runs.append(_new_run(rpr, children[:at]))
        position = 0
        for found in _TAG.finditer(text):
            if found.start() > position:
                new_runs.append(_new_run(rpr, [_t(text[position : found.start()])]))
            tag_run = _new_run(rpr, [_t(found.group(0))])
            new_runs.append(tag_run)
            out.append(tag_run)
            position = found.end()
        if position < len(text):
            new_runs.append(_new_run(rpr, [_t(text[position:])]))
        if children[at + 1 :]:
            new_runs.append(_new_run(rpr, children[at + 1 :]))
        parent = run.getparent()
        index = parent.index(run)
        parent.remove(run)
        for offset, r in enumerate(new_runs):
            parent.insert(index + offset, r)
    return out


def _new_run(rpr: etree._Element | None, content: list[etree._Element]) -> etree._Element:
    run = etree.Element(_R)
    if rpr is not None:
        run.append(deepcopy(rpr))
    for child in content:
        run.append(child)
    return run


def _t(text: str) -> etree._Element:
    t = etree.Element(_T)
    t.text = text
    t.set(_XML_SPACE, "preserve")
    return t


def _join_split_tags(p: etree._Element) -> None:
    """Word splits a typed `{{ naam }}` over runs (a spelling mark, a change of format);
    put each tag whole in the w:t where it starts, as docxtpl's patch_xml does, so the
    tag takes that run's formatting."""
    nodes = _own_texts(p)
    if len(nodes) < 2:
        return
    texts = [t.text or "" for t in nodes]
    joined = "".join(texts)
    if "{" not in joined:
        return
    offsets = []
    position = 0
    for text in texts:
        offsets.append(position)
        position += len(text)

    def node_at(char: int) -> int:
        index = 0
        while index + 1 < len(nodes) and offsets[index + 1] <= char:
            index += 1
        return index

    for found in reversed(list(_TAG_LIKE.finditer(joined))):
        first, last = node_at(found.start()), node_at(found.end() - 1)
        if first == last:
            continue
        head = nodes[first]
        head.text = (head.text or "")[: found.start() - offsets[first]] + found.group(0)
        head.set(_XML_SPACE, "preserve")
        for middle in nodes[first + 1 : last]:
            middle.text = ""
        tail = nodes[last]
        tail.text = (tail.text or "")[found.end() - offsets[last] :]
        tail.set(_XML_SPACE, "preserve")


#: pPr children that come after w:ind
_AFTER_IND = frozenset(_PPR_ORDER[_PPR_ORDER.index(W + "ind") + 1 :])


def _slot(key: str, alone: bool, p: etree._Element, run: etree._Element, heading: bool) -> _Slot:
    ppr = p.find(_PPR)
    children = [c for c in ppr if c.tag not in (_PSTYLE, _NUMPR)] if ppr is not None else []
    rest = "".join(_fragment(c) for c in children)
    split = None
    if not any(c.tag == W + "ind" for c in children):
        at = next((i for i, c in enumerate(children) if c.tag in _AFTER_IND), len(children))
        split = ("".join(_fragment(c) for c in children[:at]), "".join(_fragment(c) for c in children[at:]))
    rpr = run.find(_RPR)
    return _Slot(
        key,
        alone,
        _fragment(ppr) if ppr is not None else "",
        rest,
        deepcopy(rpr) if rpr is not None else None,
        heading,
        deepcopy(ppr) if ppr is not None else None,
        ppr_rest_split=split,
    )


# --- reading records back ---------------------------------------------------------------

_NO_STYLES = wordread._Styles(None)


@dataclass(frozen=True)
class _Static:
    """A paragraph without fields: its text must be found as it is."""

    text: str
    #: its heading level (Heading 2: 2), 0 when it is no heading (the web edition)
    level: int = 0


@dataclass(frozen=True)
class _Field:
    """A paragraph that was only a tag: one or more paragraphs of the value."""

    key: str
    level: int = 0  # as _Static.level


@dataclass(frozen=True)
class _Inline:
    """A paragraph with text and tags: a pattern with a group per tag."""

    pattern: re.Pattern[str]
    keys: tuple[str, ...]
    #: the paragraph's text with its tags ("Status: {{ status }}"), for the web edition
    text: str = ""


@dataclass(frozen=True)
class _Table:
    rows: tuple[tuple[tuple, ...], ...]  # rows of cells of items
    #: rows may be missing (left out because their fields were empty: leeg_weglaten)
    optional_rows: bool = False


_Plain = _Static | _Field | _Inline | _Table


@dataclass(frozen=True)
class _Maybe:
    """A part of the card that may be missing (left out as empty: leeg_weglaten)."""

    item: _Plain


_Item = _Plain | _Maybe


def _inline_item(text: str) -> _Inline:
    pieces = _TAG.split(text)
    pattern = []
    keys = []
    for index, piece in enumerate(pieces):
        if index % 2:
            keys.append(piece)
            pattern.append("(.*?)")
        else:
            pattern.append(re.escape(piece))
    return _Inline(re.compile("".join(pattern), re.DOTALL), tuple(keys), text)


def _cell_items(tc: etree._Element, items: dict[int, _Plain]) -> tuple:
    return tuple(items[id(p)] for p in tc.iterchildren(_P) if id(p) in items)


def _row_item(tr: etree._Element, items: dict[int, _Plain]) -> tuple:
    return tuple(_cell_items(tc, items) for tc in tr.iterchildren(_TC))


def _plan(elements: Iterable[etree._Element], items: dict[int, _Plain]) -> Iterable[_Plain]:
    for el in elements:
        if el.tag == _P:
            yield items[id(el)]
        elif el.tag == _TBL:
            yield _Table(tuple(_row_item(tr, items) for tr in el.iterchildren(_TR)))
        elif el.tag == W + "sdt":
            content = el.find(W + "sdtContent")
            if content is not None:
                yield from _plan(content, items)


def _lines(paragraphs: Sequence[wordread.Paragraph]) -> str:
    """Paragraphs as register text, as wordread.Cell.lines gives a cell."""
    return wordread.Cell(list(paragraphs)).lines


def _extends(first: object, unit: object | None) -> bool:
    """Whether a value's paragraphs may go on with this block: a paragraph of the same
    kind (heading or not) as the value's first one, so a card's last field stops at the
    next card's name. The kind is taken from the document, not from the sample's style
    id, as the two may name a heading differently."""
    return unit.__class__ is wordread.Paragraph and not unit.toc and unit.heading == first.heading  # type: ignore[attr-defined]


def _one(item: _Item, unit: object) -> dict[str, str] | None:
    """The values in one block for a fixed-size item, or None when it does not match."""
    if item.__class__ is _Static:
        if unit.__class__ is wordread.Paragraph and unit.text.strip() == item.text:  # type: ignore[attr-defined]
            return {}
        return None
    if item.__class__ is _Inline:
        if unit.__class__ is not wordread.Paragraph:
            return None
        found = item.pattern.fullmatch(unit.text)  # type: ignore[attr-defined]
        return dict(zip(item.keys, found.groups(), strict=True)) if found else None  # type: ignore[attr-defined]
    if item.__class__ is _Table:
        if unit.__class__ is not wordread.Table:
            return None
        if item.optional_rows:  # type: ignore[union-attr]
            return _some_rows(item.rows, unit.rows)  # type: ignore[union-attr, attr-defined]
        if len(unit.rows) != len(item.rows):  # type: ignore[attr-defined]
            return None
        values: dict[str, str] = {}
        for sample_row, row in zip(item.rows, unit.rows, strict=True):  # type: ignore[attr-defined]
            cells = _row(sample_row, row)
            if cells is None:
                return None
            values.update(cells)
        return values
    return None


def _some_rows(
    sample_rows: Sequence[tuple],
    rows: Sequence[list[wordread.Cell]],
) -> dict[str, str] | None:
    """A table whose rows are some of the sample's, in the sample's order (the others
    were left out as empty): each row matches the next sample row that fits it."""
    values: dict[str, str] = {}
    at = 0
    for row in rows:
        while at < len(sample_rows):
            cells = _row(sample_rows[at], row)
            at += 1
            if cells is not None:
                values.update(cells)
                break
        else:
            return None
    return values


def _row(sample_row: tuple, row: list[wordread.Cell]) -> dict[str, str] | None:
    if len(sample_row) != len(row):
        return None
    values: dict[str, str] = {}
    for sample_cell, cell in zip(sample_row, row, strict=True):
        found = _cell(sample_cell, cell.paragraphs)
        if found is None:
            return None
        values.update(found)
    return values


def _cell(items: Sequence[_Item], units: Sequence[wordread.Paragraph]) -> dict[str, str] | None:
    """The values in one cell's paragraphs, which the items must take all of. Nearly every
    cell is fixed text or fixed text around one field, read straight off; others go
    through the same matching as the cards."""
    variable = [i for i, item in enumerate(items) if item.__class__ in (_Field, _Maybe)]
    n = len(units)
    if not variable:
        if len(items) != n:
            return None
        return _fixed(items, units, 0)
    if len(variable) == 1 and items[variable[0]].__class__ is _Field:
        at = variable[0]
        end = n - (len(items) - at - 1)
        if end <= at or not _one_run(units, at, end):
            return None
        before, after = _fixed(items[:at], units, 0), _fixed(items[at + 1 :], units, end)
        if before is None or after is None:
            return None
        return {**before, items[at].key: _lines(units[at:end]), **after}  # type: ignore[union-attr]
    blocks = _Blocks(units)
    return blocks.read(items, 0, blocks.bits([n]))


def _fixed(items: Sequence[_Item], units: Sequence[object], at: int) -> dict[str, str] | None:
    values: dict[str, str] = {}
    for offset, item in enumerate(items):
        found = _one(item, units[at + offset])
        if found is None:
            return None
        values.update(found)
    return values


def _one_run(units: Sequence[object], start: int, end: int) -> bool:
    """Whether units[start:end] can be one field's value: paragraphs of one kind."""
    first = units[start]
    if first.__class__ is not wordread.Paragraph or first.toc:  # type: ignore[attr-defined]
        return False
    return all(_extends(units[k - 1], units[k]) for k in range(start + 1, end))


class TooLarge(RegisterUnreadable):
    """Reading the cards back would take more memory or time than an annex warrants."""


#: the bits kept for the walk (a row per field and per part that may be left out):
#: 64 MiB, 500 fields over a million paragraphs; a real card has a few dozen
MAX_ROW_BYTES = 64 * 1024 * 1024
#: comparisons of a block with an item of the card; a real annex needs a few per block
#: (each card's fixed texts once), an annex that repeats one text endlessly many more
MAX_CHECKS = 5_000_000
_NONZERO = re.compile(rb"[^\x00]")


def _next(row: bytes, k: int) -> int:
    """The first set position >= k in a row (-1: none); positions are bits, the first
    one the highest bit of the first byte."""
    at = k >> 3
    if at >= len(row):
        return -1
    byte = row[at] & (0xFF >> (k & 7))
    if not byte:
        found = _NONZERO.search(row, at + 1)
        if found is None:
            return -1
        at = found.start()
        byte = row[at]
    return (at << 3) + 8 - byte.bit_length()


def _bit(row: bytes, k: int) -> bool:
    return bool(row[k >> 3] & (0x80 >> (k & 7)))


class _Blocks:
    """The blocks as the matching asks about them, worked out once: the stripped text of
    each paragraph (where each fixed text stands), the tables, and the runs of
    paragraphs of one kind (what a field may take).

    The matching goes from the card's last item back to its first, keeping for each item
    the set of blocks where the card from that item on can start, as one bit per block in
    a Python int (the C code shifts and masks them eight blocks a byte). Only the sets
    the walk needs are kept (at each field and each part that may be left out), so the
    memory is a few bits per block and field; fixed parts of the card are looked for
    where their rarest text stands, not at every block. No recursion anywhere: a card of
    10,000 fixed paragraphs, or a field of 100,000 paragraphs, is a loop.
    """

    def __init__(self, units: Sequence[object]) -> None:
        n = len(units)
        self.units = units
        self.n = n
        self.size = (n + 8) // 8  # bytes for the positions 0..n
        self.full = ((1 << (n + 1)) - 1) << (8 * self.size - 1 - n)
        self.checks = 0
        texts: list[str | None] = []
        tables: list[int] = []
        classes = (bytearray(self.size), bytearray(self.size))  # runs, alternately
        cont = bytearray(self.size)  # blocks that go on with the paragraph before
        which = 1
        in_run = False
        previous: object = None
        for j, unit in enumerate(units):
            if unit.__class__ is wordread.Paragraph:
                texts.append(unit.text.strip())  # type: ignore[attr-defined]
                if unit.toc:  # type: ignore[attr-defined]
                    in_run = False
                else:
                    if in_run and _extends(previous, unit):
                        cont[j >> 3] |= 0x80 >> (j & 7)
                    else:
                        which = 1 - which
                    classes[which][j >> 3] |= 0x80 >> (j & 7)
                    in_run = True
            else:
                texts.append(None)
                tables.append(j)
                in_run = False
            previous = unit
        self.texts = texts
        self.tables = tables
        self.runs = tuple(int.from_bytes(c, "big") for c in classes)
        self.cont = int.from_bytes(cont, "big")
        self._index: dict[str, list[int]] | None = None

    def bits(self, positions: Iterable[int]) -> int:
        row = bytearray(self.size)
        for j in positions:
            row[j >> 3] |= 0x80 >> (j & 7)
        return int.from_bytes(row, "big")

    def _where(self, text: str) -> list[int]:
        if self._index is None:
            index: dict[str, list[int]] = {}
            for j, found in enumerate(self.texts):
                if found is not None:
                    index.setdefault(found, []).append(j)
            self._index = index
        return self._index.get(text, [])

    def _fits(self, item: _Plain, j: int) -> bool:
        self.checks += 1
        if self.checks > MAX_CHECKS:
            raise TooLarge(
                f"Het document herhaalt de vaste tekst van de voorbeeldkaart zo vaak dat het "
                f"terugzoeken van de kaarten te lang zou duren (meer dan "
                f"{MAX_CHECKS:,} vergelijkingen).".replace(",", ".")
            )
        if item.__class__ is _Static:
            return self.texts[j] == item.text  # type: ignore[union-attr]
        if item.__class__ is _Table:
            unit = self.units[j]
            if unit.__class__ is not wordread.Table:
                return False
            self.checks += len(unit.rows)  # type: ignore[attr-defined]
        return _one(item, self.units[j]) is not None

    def _fixed_row(self, items: Sequence[_Plain], after: int) -> int:
        """Where items (fixed: one block each) match, followed by a place in after."""
        m = len(items)
        if not after:
            return 0
        row = after.to_bytes(self.size, "big")
        best: tuple[int, list[int]] | None = None
        for offset, item in enumerate(items):
            if item.__class__ is _Static:
                where = self._where(item.text)  # type: ignore[union-attr]
            elif item.__class__ is _Table:
                where = self.tables
            else:
                continue
            if best is None or len(where) < len(best[1]):
                best = offset, where
        if best is None or after.bit_count() < len(best[1]):
            starts: Iterable[int] = (k - m for k in self._set(row) if k >= m)
        else:
            offset, where = best
            starts = (p - offset for p in where if p >= offset)
        found = bytearray(self.size)
        n = self.n
        for j in starts:
            k = j + m
            if k > n or not _bit(row, k):
                continue
            for t in range(m):
                if not self._fits(items[t], j + t):
                    break
            else:
                found[j >> 3] |= 0x80 >> (j & 7)
        return int.from_bytes(found, "big")

    @staticmethod
    def _set(row: bytes) -> Iterator[int]:
        for found in _NONZERO.finditer(row):
            at = found.start()
            byte = row[at]
            for bit in range(8):
                if byte & (0x80 >> bit):
                    yield (at << 3) + bit

    def _field_row(self, after: int) -> int:
        """Where a field can start: a paragraph whose run goes on (with it) up to a place
        in after. In bits, the highest set bit is the first block: a place k is wanted at
        or after j + 1, within j's run; the runs are split in two alternating sets so that
        an addition carries through one run and stops at its end (run + found clears the
        run from the first found place to its end)."""
        wanted = (after << 1) & self.full  # j is set where j + 1 is in after
        here = 0
        for run in self.runs:
            found = wanted & run
            here |= (run & ~(run + found)) | found
        return here

    def rows(
        self,
        items: Sequence[_Item],
        final: int,
        keep: bool,
    ) -> tuple[int, dict[int, bytes], dict[int, bytes]]:
        """From the last item back: where the card can start, and (keep) for each part
        that may be left out where it can be taken, for each field where what follows
        it can start."""
        if keep:
            kept = sum(
                1 + (item.__class__ is _Maybe and item.item.__class__ is _Field)  # type: ignore[union-attr]
                for item in items
                if item.__class__ in (_Field, _Maybe)
            )
            if kept * self.size > MAX_ROW_BYTES:
                raise TooLarge(
                    f"De voorbeeldkaart heeft {kept:,} velden en weglaatbare delen en het "
                    f"document {self.n:,} alinea's en tabellen: samen te veel om terug te "
                    f"lezen (de grens is {MAX_ROW_BYTES * 8:,} voor velden maal alinea's).".replace(",", ".")
                )
        after = final
        pending: list[_Plain] = []  # fixed items, last first
        taken: dict[int, bytes] = {}
        follows: dict[int, bytes] = {}
        for i in range(len(items) - 1, -1, -1):
            item = items[i]
            maybe = item.__class__ is _Maybe
            inner = item.item if maybe else item  # type: ignore[union-attr]
            if not maybe and inner.__class__ is not _Field:
                pending.append(inner)  # type: ignore[arg-type]
                continue
            if pending:
                after = self._fixed_row(pending[::-1], after)
                pending = []
            if inner.__class__ is _Field:
                if keep:
                    follows[i] = after.to_bytes(self.size, "big")
                here = self._field_row(after)
            else:
                here = self._fixed_row([inner], after)  # type: ignore[list-item]
            if maybe:
                if keep:
                    taken[i] = here.to_bytes(self.size, "big")
                here |= after
            after = here
        if pending:
            after = self._fixed_row(pending[::-1], after)
        return after, taken, follows

    def walk(
        self, items: Sequence[_Item], j: int, taken: Mapping[int, bytes], follows: Mapping[int, bytes]
    ) -> tuple[dict[str, str], int]:
        """The values of the card that starts at j (rows says it does): each part that
        may be left out taken where it can be, each field as few paragraphs as let the
        rest follow. Nothing is tried twice: the rows say beforehand what will fit."""
        values: dict[str, str] = {}
        units = self.units
        for i, item in enumerate(items):
            if item.__class__ is _Maybe:
                if not _bit(taken[i], j):
                    continue
                item = item.item  # type: ignore[union-attr]
            if item.__class__ is _Field:
                k = _next(follows[i], j + 1)
                values[item.key] = _lines(units[j:k])  # type: ignore[arg-type, union-attr]
                j = k
            else:
                values.update(_one(item, units[j]) or {})
                j += 1
        return values, j

    def read(self, items: Sequence[_Item], j: int, final: int) -> dict[str, str] | None:
        """The values of the items from block j on, ending at a place in final."""
        starts, taken, follows = self.rows(items, final, True)
        if not (starts >> (8 * self.size - 1 - j)) & 1:
            return None
        return self.walk(items, j, taken, follows)[0]


def read_back(
    blocks: Iterable[wordread.Block],
    sample: Sample,
    arranged: bool = False,
    notes: Collection[str] = (),
    omit_empty: bool = False,
) -> list[dict[str, str]]:
    """The records of a built document, as register text per field (`toolkit import`).

    blocks: wordread.blocks(document). Cards are found by the sample's static text
    (labels, fixed headings) and shape (tables, rows, cells); rows in the first table
    whose header rows read as the sample's. arranged: the records stand in groups, with
    headings and overviews between them (every matching table is read, and content
    between cards is passed over); notes: the texts of the notes the build adds to a
    record (Nieuw in deze editie), left out; omit_empty: rows of a card's table may be
    missing.
    """
    skip = {n.strip() for n in notes if n.strip()}
    units: list[object] = [
        b
        for b in blocks
        if not (b.__class__ is wordread.Paragraph and (b.toc or (skip and b.text.strip() in skip)))
    ]  # type: ignore[attr-defined]
    if sample.kind == "rijen":
        return _read_rows(units, sample, every_table=arranged)
    if omit_empty:

        def lenient(item: _Item) -> _Item:
            if item.__class__ is _Table:
                return replace(item, optional_rows=True)  # type: ignore[type-var]
            if item.__class__ is _Maybe:
                return _Maybe(lenient(item.item))  # type: ignore[union-attr, arg-type]
            return item

        sample = replace(sample, plan=tuple(lenient(item) for item in sample.lenient_plan))
        found = _read_cards(units, sample, between=arranged)
        # a lone heading (a group's, an overview's) is no card with every part left out
        others = [key for key in sample.fields if key != sample.heading_field]
        return [r for r in found if not others or any(r.get(k, "").strip() for k in others)]
    return _read_cards(units, sample, between=arranged)


def _read_rows(
    units: list[object],
    sample: Sample,
    every_table: bool = False,
) -> list[dict[str, str]]:
    (row_items,) = sample.plan
    top, bottom = len(sample.header), len(sample.footer)
    found: list[dict[str, str]] = []
    for unit in units:
        if unit.__class__ is not wordread.Table or len(unit.rows) < top + bottom:  # type: ignore[attr-defined]
            continue
        rows = unit.rows  # type: ignore[attr-defined]
        texts = [tuple(cell.text.strip() for cell in row) for row in rows]
        if tuple(texts[:top]) != sample.header or tuple(texts[len(rows) - bottom :]) != sample.footer:
            continue
        records = [_row(row_items, row) for row in rows[top : len(rows) - bottom]]
        if all(record is not None for record in records):
            found += [_complete(record, sample) for record in records]  # type: ignore[arg-type]
            if not every_table:
                break
    return found


def _read_cards(
    units: list[object],
    sample: Sample,
    between: bool = False,
) -> list[dict[str, str]]:
    items = sample.plan
    if not items:
        return []
    last = items[-1]
    if last.__class__ is _Maybe:
        last = last.item  # type: ignore[union-attr]
    blocks = _Blocks(units)
    n = len(units)
    if last.__class__ is _Field:
        # A card ends where its last field cannot go on, or where the next card starts
        # (as far as its fixed parts and fields tell, whatever its own end).
        loose = blocks.rows(items, blocks.full, keep=False)[0]
        final = blocks.full & (~blocks.cont | loose)
    else:
        final = blocks.full
    starts_bits, taken, follows = blocks.rows(items, final, keep=True)
    starts = starts_bits.to_bytes(blocks.size, "big")

    def record(p: int) -> tuple[dict[str, str], int] | None:
        return blocks.walk(items, p, taken, follows) if _bit(starts, p) else None

    position = _next(starts, 0)
    if not 0 <= position < n:
        return []
    found = record(position)

    def latest(position: int, found: tuple[dict[str, str], int]) -> tuple[int, tuple[dict[str, str], int]]:
        """A heading before a card (the annex's title, a group's heading) is not the
        card's name: of the starts that end the card at the same place, the last."""
        while position + 1 < n:
            later = record(position + 1)
            if later is None or later[1] != found[1]:
                break
            position, found = position + 1, later
        return position, found

    position, found = latest(position, found)  # type: ignore[arg-type]
    records = []
    while found is not None and found[1] > position:
        records.append(_complete(found[0], sample))
        position = found[1]
        found = record(position) if position < n else None
        if found is None and between:  # group headings and overviews between the cards
            position = _next(starts, position)
            if 0 <= position < n:
                position, found = latest(position, record(position))  # type: ignore[arg-type]
    return records


def _complete(values: dict[str, str], sample: Sample) -> dict[str, str]:
    return {key: values.get(key, "") for key in sample.fields}
