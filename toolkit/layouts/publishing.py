"""What makes a filled template publishable: table widths that follow the page, a filled
table of contents, pictures with a text alternative, clean document properties.

The build calls these on the parsed template (python-docx) before the generated body is
streamed in; the generated body itself is written by layout_word, sample and wordxml.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING, Any

from toolkit.layouts.wordxml import attr_xml, text_xml

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

#: A4 portrait with 2.5 cm margins: the text width and height when a template has no
#: page settings (twips)
DEFAULT_TEXT_WIDTH = 9072
DEFAULT_TEXT_HEIGHT = 14004

#: what the generated parts look like where a template does not say (an older template
#: without a header row in its table style, without the bar style)
HEADER_FILL = "D9E2F3"
BAR_OUTLINE = "1F4E79"
#: the character style whose colour is the outline of the status overview's bars
BAR_STYLE = "Statusbalk"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TOC_LEVELS = re.compile(r'\\o\s+"(\d)-(\d)"')


@dataclass(frozen=True)
class Heading:
    """An entry of the table of contents: the heading's level, text and bookmark."""

    level: int
    text: str
    bookmark: tuple[int, str]


class BlockContext(dict):  # type: ignore[type-arg]
    """The template's style ids by role (a dict, as the blocks always had), plus the
    text width and height of the section a block stands in and a way to add pictures."""

    def __init__(
        self,
        styles: dict[str, str],
        text_width: int = DEFAULT_TEXT_WIDTH,
        text_height: int = DEFAULT_TEXT_HEIGHT,
        picture: Callable[[bytes], str] | None = None,
        bar_outline: str = BAR_OUTLINE,
    ) -> None:
        super().__init__(styles)
        self.text_width = text_width
        self.text_height = text_height
        self.picture = picture
        self.bar_outline = bar_outline
        self._shared = {"ids": 0}
        #: the w:sectPr governing the block, and the template's headings right above
        #: its paragraph (a part turned to landscape takes them along): set by prepare
        self.section: Any = None
        self.lead: Any = None
        self.trailing = False  # nothing follows the block in its section

    def landscape(self, first: bool = True, last: bool = False) -> tuple[str, str, int] | None:
        """A part of the block on pages of its own in landscape: (the XML that opens
        that section, the XML that closes it, its text width), or None when the
        block's page is already landscape. The landscape section keeps the template's
        header and footer (its w:sectPr is a turned copy of the block's); the
        template's headings right above the block go along when the part is the
        first thing the block writes (first), so none stays behind alone. last: the
        part ends the block; when nothing follows the block in its section either,
        the section itself turns instead of a closing break. Once per document the block's own section loses a title page and a
        page-number restart: both belong to the part before, which keeps them."""
        return landscape_section(self, first, last)

    def drawing_id(self) -> int:
        """A document-wide unique id for a picture (wp:docPr)."""
        self._shared["ids"] += 1
        return 10_000 + self._shared["ids"]


def text_area(section_pr) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(width, height) in twips inside the margins of a section (w:sectPr)."""
    if section_pr is None:
        return DEFAULT_TEXT_WIDTH, DEFAULT_TEXT_HEIGHT
    size = section_pr.find(W + "pgSz")
    margins = section_pr.find(W + "pgMar")

    def number(element, name: str, default: int) -> int:  # type: ignore[no-untyped-def]
        try:
            return (
                int(float(element.get(W + name)))
                if element is not None and element.get(W + name) is not None
                else default
            )
        except ValueError:
            return default

    page_w = number(size, "w", 11906)
    page_h = number(size, "h", 16838)
    width = (
        page_w - number(margins, "left", 1417) - number(margins, "right", 1417) - number(margins, "gutter", 0)
    )
    height = page_h - abs(number(margins, "top", 1417)) - abs(number(margins, "bottom", 1417))
    columns = section_pr.find(W + "cols")
    count = number(columns, "num", 1)
    if count > 1:
        width = (width - number(columns, "space", 720) * (count - 1)) // count
    if width < 1000 or height < 1000:  # nonsense page settings: the default page
        return DEFAULT_TEXT_WIDTH, DEFAULT_TEXT_HEIGHT
    return width, height


def _section_copy(section, landscape: bool) -> str:  # type: ignore[no-untyped-def]
    """A section break paragraph ending a section like section (turned: landscape)."""
    from copy import deepcopy

    from lxml import etree

    copy = deepcopy(section)
    if landscape:
        for name in ("titlePg", "pgNumType", "type"):
            for old in copy.findall(W + name):
                copy.remove(old)
        size = copy.find(W + "pgSz")
        missing = size is None
        if size is None:
            size = etree.Element(W + "pgSz")
        width, height = size.get(W + "w", "11906"), size.get(W + "h", "16838")
        size.set(W + "w", height)
        size.set(W + "h", width)
        size.set(W + "orient", "landscape")
        kind = etree.Element(W + "type")
        kind.set(W + "val", "nextPage")
        # the schema's order: header and footer references, footnote and endnote
        # settings, then type before pgSz
        refs = [
            c
            for c in copy
            if etree.QName(c).localname in {"headerReference", "footerReference", "footnotePr", "endnotePr"}
        ]
        at = copy.index(refs[-1]) + 1 if refs else 0
        copy.insert(at, kind)
        if missing:
            kind.addnext(size)
    xml = etree.tostring(copy, encoding="unicode")
    return f'<w:p xmlns:w="{W[1:-1]}"><w:pPr>{xml}</w:pPr></w:p>'


def landscape_section(
    context: BlockContext, first: bool = True, last: bool = False
) -> tuple[str, str, int] | None:
    from lxml import etree

    section = context.section
    if section is None:
        return None
    size = section.find(W + "pgSz")
    try:
        width = int(size.get(W + "w", "11906")) if size is not None else 11906
        height = int(size.get(W + "h", "16838")) if size is not None else 16838
    except ValueError:
        return None
    if width >= height:
        return None
    before = _section_copy(section, landscape=False)
    after = _section_copy(section, landscape=True)
    turned = etree.fromstring(after).find(f"{W}pPr/{W}sectPr")
    text_width = text_area(turned)[0]
    if last and context.trailing:
        # nothing follows in the section: it turns itself (a closing break would
        # leave an empty portrait page at the end)
        section[:] = list(turned)
        after = ""
    elif not context._shared.get("turned"):
        context._shared["turned"] = 1
        for name in ("titlePg", "pgNumType"):
            for old in section.findall(W + name):
                section.remove(old)
    if first and context.lead is not None:
        context.lead.addprevious(etree.fromstring(before))
        context.lead = None
        before = ""
    return before, after, text_width


def section_of(paragraph) -> object:  # type: ignore[no-untyped-def]
    """The w:sectPr that governs a body paragraph: the next section break, or the body's."""
    element = paragraph
    while element is not None:
        ppr = element.find(W + "pPr")
        if ppr is not None and ppr.find(W + "sectPr") is not None:
            return ppr.find(W + "sectPr")
        if element.tag == W + "sectPr":
            return element
        element = element.getnext()
    body = paragraph.getparent()
    return body.find(W + "sectPr") if body is not None else None


def paragraph_text(paragraph) -> str:  # type: ignore[no-untyped-def]
    return "".join(t.text or "" for t in paragraph.iter(W + "t"))


def fill_contents(
    document: DocxDocument,
    blocks: dict[str, str],
    entries: Mapping[str, Iterable[Heading]],
    heading_ids: dict[int, str],
    streamed: dict[str, Iterable[str]] | None = None,
    marker: str = "",
) -> bool:
    """Write the TOC field's result: the headings in order, linked to their bookmarks.

    blocks maps a block name to the marker text in its paragraph; entries gives the
    headings each block will write; heading_ids maps a level to the template's style id.
    The template's own headings (e.g. "Inleiding") get a bookmark here. Word shows the
    entries at once (no update prompt); LibreOffice's PDF export adds page numbers.
    With streamed and marker, the entries between the first and the last go into the
    document as a paragraph holding marker, and streamed[marker] gives their XML to put
    in its place when document.xml is written (a paragraph per card in the parsed
    document costs kilobytes each: 100 MB for 30,000 cards).
    """
    from lxml import etree

    body = document.element.body
    field = None
    for instr in body.iter(W + "instrText"):
        if "TOC" in (instr.text or ""):
            field = instr
            break
    if field is None:
        return False
    match = _TOC_LEVELS.search(field.text or "")
    low, high = (int(match.group(1)), int(match.group(2))) if match else (1, 3)
    levels = {style: level for level, style in heading_ids.items() if low <= level <= high}
    toc_paragraph = field.getparent().getparent()
    found: list[Heading] = []
    own = 0
    for paragraph in list(body.iter(W + "p")):
        text = paragraph_text(paragraph)
        block = next((name for name, marker in blocks.items() if marker in text), None)
        if block is not None:
            found.extend(h for h in entries.get(block, ()) if low <= h.level <= high)
            continue
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        level = levels.get(style.get(W + "val")) if style is not None else None
        if level is None or not text.strip() or paragraph is toc_paragraph:
            continue
        own += 1
        bookmark = (900_000 + own, f"_TocSjabloon{own}")
        start = etree.SubElement(paragraph, W + "bookmarkStart")
        start.set(W + "id", str(bookmark[0]))
        start.set(W + "name", bookmark[1])
        ppr = paragraph.find(W + "pPr")
        paragraph.remove(start)
        paragraph.insert(paragraph.index(ppr) + 1 if ppr is not None else 0, start)
        end = etree.SubElement(paragraph, W + "bookmarkEnd")
        end.set(W + "id", str(bookmark[0]))
        found.append(Heading(level, text, bookmark))
    _write_toc(document, toc_paragraph, found, streamed, marker)
    return True


def _toc_style(document, level: int) -> str | None:  # type: ignore[no-untyped-def]
    for name in (f"toc {level}", f"TOC {level}", f"Inhopg {level}"):
        try:
            return str(document.styles[name].style_id)
        except KeyError:
            continue
    return None


def _field_char(run) -> str | None:  # type: ignore[no-untyped-def]
    char = run.find(W + "fldChar")
    return char.get(W + "fldCharType") if char is not None else None


def _collapse_field(paragraph) -> tuple[object, object] | None:  # type: ignore[no-untyped-def]
    """Empty the TOC field's result, wherever it ends (a template saved by Word keeps its
    old entries over many paragraphs): afterwards the paragraph holds begin, instruction,
    separate and end as its own runs. (separate run, end run), or None for a field of
    another shape (then the template's result stays as it is)."""

    def paragraphs():  # type: ignore[no-untyped-def]
        node = paragraph
        while node is not None and node.tag == W + "p":
            yield node
            node = node.getnext()

    depth, started, separate = 0, False, None
    for index, current in enumerate(paragraphs()):
        for run in current.iter(W + "r"):
            kind = _field_char(run)
            if not started:
                if kind != "begin":
                    continue
                started = True
            if kind == "begin":
                depth += 1
            elif kind == "separate" and depth == 1:
                separate = run
            elif kind == "end":
                depth -= 1
                if depth > 0:
                    continue
                if separate is None or separate.getparent() is not paragraph:
                    return None
                later = list(paragraph.itersiblings())[:index]
                run.getparent().remove(run)
                for extra in list(separate.itersiblings()):
                    paragraph.remove(extra)
                for extra in later:
                    extra.getparent().remove(extra)
                paragraph.append(run)
                return separate, run
    return None


_NS_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
#: a style id or bookmark name that lxml writes back exactly as it is given
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_.-]*")


def _toc_entry(heading: Heading, style: str | None) -> str:
    """One entry of the table of contents as XML, without namespace declarations."""
    ppr = (
        f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
        if style
        else f'<w:pPr><w:ind w:left="{(heading.level - 1) * 284}"/></w:pPr>'
    )
    return (
        f'<w:p>{ppr}<w:hyperlink w:anchor="{attr_xml(heading.bookmark[1])}" '
        f'w:history="1"><w:r><w:t xml:space="preserve">{text_xml(heading.text)}</w:t>'
        f"</w:r></w:hyperlink></w:p>"
    )


def _toc_entry_as_written(heading: Heading, style: str | None) -> str:
    """The entry as lxml writes it in document.xml when it is parsed into the tree: the
    same text, except where parsing changes it (a carriage return becomes a line feed,
    an empty w:t closes itself, a name with odd characters)."""
    xml = _toc_entry(heading, style)
    if (
        '"preserve"></w:t>' not in xml
        and "\r" not in heading.text
        and _PLAIN_NAME.fullmatch(style or "")
        and _PLAIN_NAME.fullmatch(heading.bookmark[1])
    ):
        return xml
    from lxml import etree

    written = etree.tostring(etree.fromstring(xml.replace("<w:p>", f"<w:p {_NS_W}>", 1)), encoding=str)
    return written.replace(f" {_NS_W}", "", 1)


def _write_toc(  # type: ignore[no-untyped-def]
    document,
    paragraph,
    headings: list[Heading],
    streamed: dict[str, Iterable[str]] | None = None,
    marker: str = "",
) -> None:
    """Write one paragraph per heading as the field's result (the field spans them)."""
    from lxml import etree

    collapsed = _collapse_field(paragraph)
    if collapsed is None or not headings:
        return
    separate, end_run = collapsed
    styles = {level: _toc_style(document, level) for level in {h.level for h in headings}}
    middle: list[Heading] = []
    if streamed is not None and marker and len(headings) > 2:
        middle = headings[1:-1]
        headings = [headings[0], headings[-1]]
    parsed = [
        etree.fromstring(_toc_entry(h, styles[h.level]).replace("<w:p>", f"<w:p {_NS_W}>", 1))
        for h in headings
    ]
    # the first entry's content joins the field's paragraph, after "separate"
    first = parsed[0]
    first_ppr = first.find(W + "pPr")
    old_ppr = paragraph.find(W + "pPr")
    if old_ppr is not None:
        paragraph.remove(old_ppr)
    paragraph.insert(0, first_ppr)
    at = paragraph.index(separate) + 1
    for child in [c for c in first if c.tag != W + "pPr"]:
        paragraph.insert(at, child)
        at += 1
    paragraph.remove(end_run)
    last = paragraph
    if middle and streamed is not None:
        place = etree.fromstring(f"<w:p {_NS_W}><w:r><w:t>{text_xml(marker)}</w:t></w:r></w:p>")
        last.addnext(place)
        last = place
        streamed[marker] = (_toc_entry_as_written(h, styles[h.level]) for h in middle)
    for entry in parsed[1:]:
        last.addnext(entry)
        last = entry
    last.append(end_run)


def prepare(  # type: ignore[no-untyped-def]
    document,
    styles: dict[str, str],
    markers: dict[str, str],
    contents: dict[str, Callable[[], Iterable[Heading]]] | None = None,
    streamed: dict[str, Iterable[str]] | None = None,
    toc_marker: str = "",
) -> dict[str, BlockContext]:
    """Per block its context (the text area of its section, pictures); the contents filled.

    markers maps a block name to the text that stands in its paragraph; streamed and
    toc_marker: see fill_contents (its marker).
    """
    body = document.element.body
    areas = {}
    sections = {}
    leads = {}
    trailing = {}
    heading_ids = {styles[f"heading{level}"] for level in (1, 2, 3)}
    for paragraph in body.iter(W + "p"):
        text = paragraph_text(paragraph)
        for name, marker in markers.items():
            if marker in text:
                sections[name] = section_of(paragraph)
                areas[name] = text_area(sections[name])
                leads[name] = _lead_heading(paragraph, heading_ids)
                trailing[name] = _nothing_after(paragraph)
    add = picture_adder(document)
    table_header_look(document, styles["table"])
    outline = bar_outline(document, styles["heading1"])
    shared: dict[str, int] = {"ids": 0}
    result = {}
    for name in markers:
        width, height = areas.get(name, (DEFAULT_TEXT_WIDTH, DEFAULT_TEXT_HEIGHT))
        block = BlockContext(styles, width, height, add, outline)
        block._shared = shared  # picture ids unique across the blocks of one document
        block.section = sections.get(name)
        block.lead = leads.get(name)
        block.trailing = trailing.get(name, False)
        result[name] = block
    if contents:
        entries = {name: list(make()) for name, make in contents.items()}
        fill_contents(
            document,
            markers,
            entries,
            {1: styles["heading1"], 2: styles["heading2"], 3: styles["heading3"]},
            streamed,
            toc_marker,
        )
    return result


def _nothing_after(paragraph) -> bool:  # type: ignore[no-untyped-def]
    """Whether no text, table or picture follows paragraph before its section ends."""
    node = paragraph.getnext()
    while node is not None:
        if node.tag == W + "sectPr":
            return True
        if node.tag != W + "p" or paragraph_text(node).strip() or node.find(f".//{W}drawing") is not None:
            return False
        if node.find(f"{W}pPr/{W}sectPr") is not None:
            return True
        node = node.getnext()
    return True


def _lead_heading(paragraph, heading_ids: set[str]):  # type: ignore[no-untyped-def]
    """The first of the heading paragraphs directly above paragraph (None without)."""
    lead = None
    node = paragraph.getprevious()
    while node is not None and node.tag == W + "p":
        style = node.find(f"{W}pPr/{W}pStyle")
        if (
            style is None
            or style.get(W + "val") not in heading_ids
            or node.find(f"{W}pPr/{W}sectPr") is not None
        ):
            break
        lead = node
        node = node.getprevious()
    return lead


def _style(document, style_id: str):  # type: ignore[no-untyped-def]
    for style in document.styles.element.iter(W + "style"):
        if style.get(W + "styleId") == style_id:
            return style
    return None


def table_header_look(document, table_style: str) -> None:  # type: ignore[no-untyped-def]
    """The generated tables take their header row's look (fill, bold) from the table
    style; a template whose table style has no header row look gets the bundled one."""
    from lxml import etree

    style = _style(document, table_style)
    if style is None or any(p.get(W + "type") == "firstRow" for p in style.iter(W + "tblStylePr")):
        return
    style.append(
        etree.fromstring(
            f'<w:tblStylePr xmlns:w="{W[1:-1]}" w:type="firstRow"><w:rPr><w:b/><w:bCs/>'
            f'</w:rPr><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/>'
            f"</w:tcPr></w:tblStylePr>"
        )
    )


def _colour(style) -> str | None:  # type: ignore[no-untyped-def]
    colour = style.find(f"{W}rPr/{W}color") if style is not None else None
    value = colour.get(W + "val") if colour is not None else None
    return value.upper() if value and re.fullmatch(r"[0-9A-Fa-f]{6}", value) else None


def bar_outline(document, heading: str) -> str:  # type: ignore[no-untyped-def]
    """The colour of the bars' outline: the template's style Statusbalk, else its
    Heading 1 colour (the house accent), else the bundled blue."""
    for style in document.styles.element.iter(W + "style"):
        name = style.find(W + "name")
        if style.get(W + "type") == "character" and name is not None and name.get(W + "val") == BAR_STYLE:
            found = _colour(style)
            if found:
                return found
    return _colour(_style(document, heading)) or BAR_OUTLINE


# -- pictures ---------------------------------------------------------------------------


def png(width: int, height: int, pixel: Callable[[int, int], tuple[int, int, int]]) -> bytes:
    """A small RGB PNG from a pixel function (no imaging library needed for a bar)."""
    raw = bytearray()
    for y in range(height):
        raw.append(0)
        for x in range(width):
            raw.extend(pixel(x, y))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(raw), 9))
        + chunk(b"IEND", b"")
    )


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[0:2], 16), int(hex_colour[2:4], 16), int(hex_colour[4:6], 16)


def bar_png(share: float, fill: str, outline: str = BAR_OUTLINE, width: int = 200, height: int = 16) -> bytes:
    """A horizontal bar for a share (0..1): the status colour with an outline (the house
    accent), so the bar stands out against white (at least 3:1, WCAG 1.4.11) whatever
    its fill. Only the bar itself: nothing white that would paint over a table line;
    the picture is as long as the share (bar_length)."""
    length = bar_length(share, width)
    inside, edge = _rgb(fill), _rgb(outline)

    def pixel(x: int, y: int) -> tuple[int, int, int]:
        if x in (0, length - 1) or y in (0, height - 1):
            return edge
        return inside

    return png(length, height, pixel)


def bar_length(share: float, width: int) -> int:
    """The bar's length for a share of a full width (at least its outline)."""
    return max(3, round(share * (width - 1)))


def inline_picture(relationship: str, drawing_id: int, description: str, cx: int, cy: int) -> str:
    """A picture run (DrawingML inline) with its text alternative (wp:docPr descr)."""
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    pic = "http://schemas.openxmlformats.org/drawingml/2006/picture"
    wp = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    name = f"Afbeelding {drawing_id}"
    return (
        f'<w:r><w:drawing><wp:inline xmlns:wp="{wp}" distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{drawing_id}" name="{name}" '
        f'descr="{attr_xml(description)}"/><wp:cNvGraphicFramePr><a:graphicFrameLocks '
        f'xmlns:a="{a}" noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic xmlns:a="{a}">'
        f'<a:graphicData uri="{pic}"><pic:pic xmlns:pic="{pic}"><pic:nvPicPr>'
        f'<pic:cNvPr id="{drawing_id}" name="{name}" descr="{attr_xml(description)}"/>'
        f"<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>"
        f'<a:blip xmlns:r="{r}" r:embed="{relationship}"/><a:stretch><a:fillRect/></a:stretch>'
        f'</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/>'
        f'</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
        f"</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )


def picture_adder(document) -> Callable[[bytes], str]:  # type: ignore[no-untyped-def]
    """Add a PNG to the document's package once (same bytes, same part); its relationship id."""

    def add(data: bytes) -> str:
        rid, _ = document.part.get_or_add_image(BytesIO(data))
        return str(rid)

    return add


# -- document properties ----------------------------------------------------------------


def visible_title(document) -> str:  # type: ignore[no-untyped-def]
    """The text of the first paragraph in the Title style: what a reader sees as title."""
    for paragraph in document.paragraphs:
        style = paragraph.style
        if style is not None and style.name in ("Title", "Titel") and paragraph.text.strip():
            return " ".join(paragraph.text.split())
    return ""


def clean_settings(settings) -> None:  # type: ignore[no-untyped-def]
    """No update prompt, a schema-valid zoom, Dutch as the theme's language."""
    for old in settings.findall(W + "updateFields"):
        settings.remove(old)
    zoom = settings.find(W + "zoom")
    if zoom is not None and zoom.get(W + "percent") is None:
        zoom.set(W + "percent", "100")
    lang = settings.find(W + "themeFontLang")
    if lang is not None:
        lang.set(W + "val", "nl-NL")


# -- page numbers in the contents -------------------------------------------------------


def number_contents(document_xml: bytes, page_of: Callable[[str], int | None]) -> bytes | None:
    """The contents' entries with their page numbers, as Word writes them: a right tab
    with dot leader and a PAGEREF field whose result is the page (Word shows it without
    an update; F9 recomputes it). page_of gives the page of a bookmark, from the PDF
    LibreOffice made of the same document. None when there is nothing to number."""
    from lxml import etree

    root = etree.fromstring(document_xml)
    body = root.find(W + "body")
    if body is None:
        return None
    field = next((i for i in body.iter(W + "instrText") if "TOC" in (i.text or "")), None)
    if field is None:
        return None
    paragraph = field.getparent().getparent()
    width = text_area(section_of(paragraph))[0]
    numbered = 0
    depth = 0
    while paragraph is not None and paragraph.tag == W + "p":
        for element in list(paragraph.iter(W + "fldChar", W + "hyperlink")):
            if element.tag == W + "fldChar":
                kind = element.get(W + "fldCharType")
                depth += {"begin": 1, "end": -1}.get(kind or "", 0)
            elif depth == 1 and _add_page_number(element, page_of, width):
                numbered += 1
        if depth <= 0:
            break
        paragraph = paragraph.getnext()
    if not numbered:
        return None
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _add_page_number(  # type: ignore[no-untyped-def]
    link,
    page_of: Callable[[str], int | None],
    width: int,
) -> bool:
    from lxml import etree

    anchor = link.get(W + "anchor")
    page = page_of(anchor) if anchor else None
    if page is None or link.find(f".//{W}instrText") is not None:
        return False
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    runs = (
        f"<w:r {ns}><w:tab/></w:r>",
        f'<w:r {ns}><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r {ns}><w:instrText xml:space="preserve"> PAGEREF {attr_xml(anchor)} \\h </w:instrText></w:r>',
        f'<w:r {ns}><w:fldChar w:fldCharType="separate"/></w:r>',
        f"<w:r {ns}><w:t>{page}</w:t></w:r>",
        f'<w:r {ns}><w:fldChar w:fldCharType="end"/></w:r>',
    )
    for run in runs:
        link.append(etree.fromstring(run))
    paragraph = link.getparent()
    ppr = paragraph.find(W + "pPr")
    if ppr is None:
        ppr = etree.SubElement(paragraph, W + "pPr")
        paragraph.remove(ppr)
        paragraph.insert(0, ppr)
    if ppr.find(W + "tabs") is None:
        tabs = etree.fromstring(
            f'<w:tabs {ns}><w:tab w:val="right" w:leader="dot" w:pos="{width}"/></w:tabs>'
        )
        style = ppr.find(W + "pStyle")
        ppr.insert(1 if style is not None else 0, tabs)
    return True
