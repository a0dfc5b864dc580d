"""Small, named builders for the WordprocessingML the annexes repeat per pilot and action.

Adding thousands of paragraphs and tables one by one through python-docx is quadratic,
and docxtpl's final body replacement is too; writing the repeated body as XML text and
parsing it once keeps a 10,000-pilot build linear. Styles are referred to by the ids
the template defines, so the look stays in the template.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from xml.sax.saxutils import escape

from toolkit.core.richtext import Paragraph, RichText, parse_rich, simple_paragraphs, without_controls

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NEEDS_ESCAPE = re.compile('[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]')


def text_xml(text: str) -> str:
    if _NEEDS_ESCAPE.search(text):
        return escape(without_controls(text))
    return text


_ATTR_NEEDS_ESCAPE = re.compile(_NEEDS_ESCAPE.pattern[:-1] + "\n]")


def attr_xml(text: str) -> str:
    if not _ATTR_NEEDS_ESCAPE.search(text):  # most captions: nothing to escape (issue 12)
        return text
    return escape(without_controls(text), {'"': "&quot;", "\n": " "})


def run(
    text: str, bold: bool = False, italic: bool = False, underline: bool = False, vertical: str | None = None
) -> str:
    if not (bold or italic or underline or vertical) and "\n" not in text:
        return f'<w:r><w:t xml:space="preserve">{text_xml(text)}</w:t></w:r>'  # most runs
    props = []
    if bold:
        props.append("<w:b/>")
    if italic:
        props.append("<w:i/>")
    if underline:
        props.append('<w:u w:val="single"/>')
    if vertical:
        props.append(f'<w:vertAlign w:val="{vertical}"/>')
    rpr = f"<w:rPr>{''.join(props)}</w:rPr>" if props else ""
    parts = text.split("\n")
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{text_xml(p)}</w:t>' for p in parts)
    return f"<w:r>{rpr}{body}</w:r>"


def paragraph(
    content: str,
    style: str | None = None,
    keep_next: bool = False,
    page_break: bool = False,
    bookmark: tuple[int, str] | None = None,
    fill: str | None = None,
    tab: int | None = None,
    indent: str | None = None,
) -> str:
    """A paragraph; a bookmark (id, name) makes it a target of the table of contents;
    tab sets a left tab stop (twips) for a run of <w:tab/>; indent is a <w:ind/>."""
    props = []
    if style:
        props.append(f'<w:pStyle w:val="{style}"/>')
    if keep_next:
        props.append("<w:keepNext/>")
    if page_break:
        props.append("<w:pageBreakBefore/>")
    if fill:
        props.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>')
    if tab:
        props.append(f'<w:tabs><w:tab w:val="left" w:pos="{tab}"/></w:tabs>')
    if indent:
        props.append(indent)
    ppr = f"<w:pPr>{''.join(props)}</w:pPr>" if props else ""
    if bookmark:
        number, name = bookmark
        content = (
            f'<w:bookmarkStart w:id="{number}" w:name="{attr_xml(name)}"/>{content}'
            f'<w:bookmarkEnd w:id="{number}"/>'
        )
    return f"<w:p>{ppr}{content}</w:p>"


_PARAGRAPH_START = re.compile(r'<w:p>(<w:pPr>(<w:pStyle w:val="[^"]*"/>)?(<w:keepNext/>)?)?')


def keep_with_next(xml: str) -> str:
    """Every paragraph of xml kept with the next one (keeps a table row with the next row)."""

    def add(match: re.Match[str]) -> str:
        if match.group(3):  # already kept
            return match.group(0)
        if match.group(1):
            return f"<w:p><w:pPr>{match.group(2) or ''}<w:keepNext/>"
        return "<w:p><w:pPr><w:keepNext/></w:pPr>"

    return _PARAGRAPH_START.sub(add, xml)


def text_paragraph(
    text: str,
    style: str | None = None,
    keep_next: bool = False,
    page_break: bool = False,
    bookmark: tuple[int, str] | None = None,
    fill: str | None = None,
    tab: int | None = None,
) -> str:
    return paragraph(run(text) if text else "", style, keep_next, page_break, bookmark, fill, tab)


def _runs(p: Paragraph) -> str:
    return "".join(run(r.text, r.bold, r.italic, r.underline, r.vertical) for r in p.runs)


#: a second-level item in a template without List Bullet 2 or List Continue 2: the first
#: level's style, indented one step further (Word's own steps: 0.25 inch)
SECOND_LEVEL_INDENT = {"bullet": '<w:ind w:left="720" w:hanging="360"/>', "number": '<w:ind w:left="720"/>'}


def list_style(p: Paragraph, styles: Mapping[str, str]) -> tuple[str, str]:
    """(style id, extra indent) of a list item: level 1 in List Bullet (List Continue for
    numbered lines), level 2 and deeper in List Bullet 2 (List Continue 2), or where the
    template lacks that style, in the first level's style indented further."""
    kind = p.list_kind or "bullet"
    if p.level < 1:
        return styles[kind], ""
    deeper = styles.get(f"{kind}2")
    return (deeper, "") if deeper else (styles[kind], SECOND_LEVEL_INDENT[kind])


def rich_paragraphs(doc: RichText, styles: dict[str, str], style: str | None = None) -> str:
    """Rich text as Word paragraphs: bullets in the list styles (two levels), numbers
    spelled out."""
    out = []
    for p in doc.paragraphs:
        if p.list_kind:
            list_id, indent = list_style(p, styles)
            out.append(paragraph(_runs(p), list_id, indent=indent))
        else:
            out.append(paragraph(_runs(p), style))
    return "".join(out) or paragraph("", style)


def cell(content: str, width: int, fill: str | None = None) -> str:
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shading}</w:tcPr>{content}</w:tc>'


def row(cells: list[str], header: bool = False, cant_split: bool = False) -> str:
    """A table row; a header row repeats on every page and is marked as such.

    cant_split keeps a row on one page (for rows shorter than a page: Word and LibreOffice
    would otherwise leave a label or a coloured cell alone at the foot of a page).
    """
    if header:
        trpr = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
    elif cant_split:
        trpr = "<w:trPr><w:cantSplit/></w:trPr>"
    else:
        trpr = ""
    return f"<w:tr>{trpr}{''.join(cells)}</w:tr>"


@lru_cache(maxsize=64)
def _table_parts(widths: tuple[int, ...], style: str, first_row: bool, first_column: bool) -> tuple[str, str]:
    """The fixed XML around a table's caption; every card repeats the same few tables."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    look = ("0" if not first_row else "1", "0" if not first_column else "1")
    value = f"{0x0400 | (0x20 if first_row else 0) | (0x80 if first_column else 0):04X}"
    return (
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{style}"/><w:tblW w:w="{sum(widths)}" '
        f'w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblLook w:val="{value}" '
        f'w:firstRow="{look[0]}" w:lastRow="0" w:firstColumn="{look[1]}" w:lastColumn="0" '
        f'w:noHBand="0" w:noVBand="1"/>',
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>",
    )


def table(
    rows: list[str],
    widths: list[int],
    style: str,
    caption: str = "",
    description: str = "",
    first_row: bool = True,
    first_column: bool = False,
) -> str:
    """A table with its accessible name (caption) and description, in the schema's order.

    first_row / first_column say where the header information is (tblLook): the header
    row of a list, or the label column of a card.
    """
    head, grid = _table_parts(tuple(widths), style, first_row, first_column)
    caption_xml = f'<w:tblCaption w:val="{attr_xml(caption)}"/>' if caption else ""
    if description:
        caption_xml += f'<w:tblDescription w:val="{attr_xml(description)}"/>'
    return f"{head}{caption_xml}{grid}{''.join(rows)}</w:tbl>"


def scaled(widths: tuple[int, ...], total: int) -> list[int]:
    """Column widths in the same proportions, summing to the text width (twips)."""
    return list(_scaled(widths, total))


@lru_cache(maxsize=64)
def _scaled(widths: tuple[int, ...], total: int) -> tuple[int, ...]:
    """Every card asks for the same few tables' widths: worked out once each."""
    whole = sum(widths)
    out = [w * total // whole for w in widths]
    out[-1] += total - sum(out)
    return tuple(out)


def rich_xml(value: object, styles: Mapping[str, str], style: str | None = None) -> str:
    """A cell's value as paragraphs: plain lines as they are, rich text (bullets, HTML)
    through the rich-text parser."""
    lines = simple_paragraphs(value)
    if lines is not None:  # most cells: no RichText needed
        return "".join([text_paragraph(line, style) for line in lines]) or paragraph("", style)
    return rich_paragraphs(parse_rich(value), dict(styles), style)


#: estimated size of a line of 10-point text, for deciding which rows may not split
_CHAR_TWIPS = 95
_LINE_TWIPS = 260
_CELL_MARGINS = 230
_MARKUP = re.compile(r"<[^>]+>")


def _per_line(width: int) -> int:
    return max(10, (width - _CELL_MARGINS) // _CHAR_TWIPS)


def lines_at_most(length: int, breaks: int, per_line: int) -> int:
    """An upper bound of a cell's lines from the length of its XML (longer than its text)
    and its paragraphs and line breaks: costs nothing."""
    return length // per_line + breaks + 1


def lines_about(chars: int, breaks: int, per_line: int) -> int:
    """About how many lines a cell's text takes (half a line lost at the end of each
    paragraph)."""
    return max(1, breaks, -(-chars // per_line) + breaks // 2)


def _lines(xml: str, width: int, exact: bool = True) -> int:
    """About how many lines a cell's paragraphs take at this width. Not exact: from the
    XML's length, an upper bound that costs nothing (the XML is longer than its text)."""
    per_line = _per_line(width)
    paragraphs = _breaks(xml)
    if not exact:
        return lines_at_most(len(xml), paragraphs, per_line)
    return lines_about(len(text_only(xml)), paragraphs, per_line)


def text_only(xml: str) -> str:
    """XML without its tags (entities left as they are: an estimate)."""
    return _MARKUP.sub("", xml)


def fits_on_a_page(cells: list[tuple[str, int]], height: int) -> bool:
    """Whether a row (cell XML, width) is shorter than a page: then it must not split."""
    if fits_by_size(((len(xml), _breaks(xml), width) for xml, width in cells), height):
        return True  # most rows: even the upper bound fits
    return fits_by_text(((len(text_only(xml)), _breaks(xml), width) for xml, width in cells), height)


def _breaks(xml: str) -> int:
    return xml.count("<w:p>") + xml.count("<w:br/>")


def fits_by_size(cells: Iterable[tuple[int, int, int]], height: int) -> bool:
    """fits_on_a_page's first test, from each cell's (XML length, paragraphs and line
    breaks, width): whether even the upper bound of every cell's lines fits."""
    return all(
        lines_at_most(length, breaks, _per_line(width)) * _LINE_TWIPS < height
        for length, breaks, width in cells
    )


def fits_by_text(cells: Iterable[tuple[int, int, int]], height: int) -> bool:
    """fits_on_a_page's second test, from each cell's (length of the text outside tags,
    paragraphs and line breaks, width)."""
    return all(
        lines_about(chars, breaks, _per_line(width)) * _LINE_TWIPS < height for chars, breaks, width in cells
    )


_TC_WIDTH = re.compile(r'<w:tcW w:w="(\d+)"')


def keep_row_together(row: str, height: int) -> str:
    """A table row shorter than a page never splits (Word and LibreOffice would leave a
    label or a coloured status alone at the foot of a page); a longer one may."""
    if not height or "<w:cantSplit/>" in row:
        return row
    cells = [
        (cell, int(m.group(1)) if (m := _TC_WIDTH.search(cell)) else 2000) for cell in row.split("<w:tc>")[1:]
    ]
    if not cells or not fits_on_a_page(cells, height):
        return row
    return with_cant_split(row)


def with_cant_split(row: str) -> str:
    """The row (or the start of one, up to its first cell) marked not to split."""
    if "<w:trPr>" in row:
        return row.replace("<w:trPr>", "<w:trPr><w:cantSplit/>", 1)
    head, _, rest = row.partition(">")
    return f"{head}><w:trPr><w:cantSplit/></w:trPr>{rest}"


ROW = re.compile(r"<w:tr(?:\s[^>]*)?>.*?</w:tr>", re.DOTALL)


def keep_rows_together(card: str, height: int) -> str:
    """keep_row_together for every row of a card's tables (not rows of a table inside a
    cell: those go with their row)."""
    if not height or "<w:tr" not in card:
        return card
    return ROW.sub(
        lambda m: m.group(0) if "<w:tbl" in m.group(0) else keep_row_together(m.group(0), height), card
    )
