"""Sample.render and the keeping together of rows as they were before issue 20's speed
work (toolkit/sample.py, toolkit/layout_word.py and toolkit/wordxml.py at 6504197): the
reference tests/test_render_paths.py compares the compiled program with. Not used by the
toolkit."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from toolkit.core.richtext import parse_rich, simple_paragraphs
from toolkit.layouts.sample import _ATTRIBUTE, _TAG, Sample, _empty, _Optional, _plain, _Slot, _texts
from toolkit.layouts.wordxml import attr_xml, list_style, text_xml

_CHAR_TWIPS = 95
_LINE_TWIPS = 260
_CELL_MARGINS = 230
_MARKUP = re.compile(r"<[^>]+>")


def _per_line(width: int) -> int:
    return max(10, (width - _CELL_MARGINS) // _CHAR_TWIPS)


def _lines(xml: str, width: int, exact: bool = True) -> int:
    per_line = _per_line(width)
    paragraphs = xml.count("<w:p>") + xml.count("<w:br/>")
    if not exact:
        return len(xml) // per_line + paragraphs + 1
    chars = len(_MARKUP.sub("", xml))
    return max(1, paragraphs, -(-chars // per_line) + paragraphs // 2)


def fits_on_a_page(cells: list[tuple[str, int]], height: int) -> bool:
    if max(_lines(xml, width, exact=False) for xml, width in cells) * _LINE_TWIPS < height:
        return True
    return max(_lines(xml, width) for xml, width in cells) * _LINE_TWIPS < height


_TC_WIDTH = re.compile(r'<w:tcW w:w="(\d+)"')


def keep_row_together(row: str, height: int) -> str:
    if not height or "<w:cantSplit/>" in row:
        return row
    cells = [
        (cell, int(m.group(1)) if (m := _TC_WIDTH.search(cell)) else 2000) for cell in row.split("<w:tc>")[1:]
    ]
    if not cells or not fits_on_a_page(cells, height):
        return row
    if "<w:trPr>" in row:
        return row.replace("<w:trPr>", "<w:trPr><w:cantSplit/>", 1)
    head, _, rest = row.partition(">")
    return f"{head}><w:trPr><w:cantSplit/></w:trPr>{rest}"


_ROW = re.compile(r"<w:tr(?:\s[^>]*)?>.*?</w:tr>", re.DOTALL)


def keep_rows_together(card: str, height: int) -> str:
    if not height or "<w:tr" not in card:
        return card
    return _ROW.sub(
        lambda m: m.group(0) if "<w:tbl" in m.group(0) else keep_row_together(m.group(0), height), card
    )


def slot_render(
    slot: _Slot,
    value: object,
    styles: Mapping[str, str],
    bookmark: tuple[int, str] | None,
    fill: str | None = None,
    page_break: bool = False,
    one_paragraph: bool = False,
) -> str:
    if not slot.alone:
        return _inline(slot, value, fill)
    plain = simple_paragraphs(value)
    ppr = slot.filled(fill, page_break)
    if one_paragraph and isinstance(value, str) and "\n" in value:
        paragraphs = [(ppr, f"<w:r>{slot.rpr(bold=bool(fill))}{_texts(value)}</w:r>")]
    elif plain is not None:
        rpr = slot.rpr(bold=bool(fill))
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
                rest = slot.ppr_rest_deeper(indent) if indent else slot.ppr_rest
                item_ppr = f'<w:pPr><w:pStyle w:val="{attr_xml(style)}"/>{rest}</w:pPr>'
            runs = "".join(
                f"<w:r>{slot.rpr(r.bold or bool(fill), r.italic, r.underline, r.vertical)}"
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
        paragraphs[0] = (first_ppr, f'<w:bookmarkStart w:id="{number}" w:name="{attr_xml(name)}"/>{first}')
        last_ppr, last = paragraphs[-1]
        paragraphs[-1] = (last_ppr, f'{last}<w:bookmarkEnd w:id="{number}"/>')
    return "".join([f"<w:p>{ppr}{content}</w:p>" for ppr, content in paragraphs])


def _inline(slot: _Slot, value: object, fill: str | None = None) -> str:
    plain = simple_paragraphs(value)
    lines = plain if plain is not None else parse_rich(value).plain.split("\n")
    text = "\n".join(lines)
    if not text:
        return ""
    return f"<w:r>{slot.rpr(fill=fill)}{_texts(text)}</w:r>"


def render(
    sample: Sample,
    values: Mapping[str, object],
    styles: Mapping[str, str],
    bookmark: tuple[int, str] | None = None,
    note: str = "",
    omit_empty: bool = False,
    fills: Mapping[str, str] | None = None,
    page_break: bool = False,
    plain_text: Collection[str] = (),
    height: int = 0,
) -> str:
    """Sample.render, then the build's keep_row_together (rijen) or keep_rows_together."""
    out = []
    parts = sample.parts
    index = 0
    pending = note
    while index < len(parts):
        part = parts[index]
        index += 1
        if part.__class__ is str:
            out.append(part)
        elif part.__class__ is _Slot:
            slot: _Slot = part  # type: ignore[assignment]
            out.append(
                slot_render(
                    slot,
                    values.get(slot.key),
                    styles,
                    bookmark if slot.heading else None,
                    fills.get(slot.key) if fills else None,
                    page_break and slot.heading,
                    slot.key in plain_text,
                )
            )
            if pending and slot.alone and (slot.heading or not sample.heading_field):
                out.append(pending)
                pending = ""
        elif part.__class__ is _Optional:
            optional: _Optional = part  # type: ignore[assignment]
            if omit_empty and all(_empty(values.get(k)) for k in optional.keys):
                index = optional.end + 1
    if pending and sample.kind == "kaarten":
        out.insert(0, pending)
    if page_break and not sample.heading_field and sample.kind == "kaarten":
        out.insert(0, "<w:p><w:pPr><w:pageBreakBefore/></w:pPr></w:p>")
    xml = "".join(out)
    if sample.attribute_fields:
        xml = _ATTRIBUTE.sub(
            lambda m: (
                m.group(1) + _TAG.sub(lambda t: attr_xml(_plain(values.get(t.group(1)))), m.group(2)) + '"'
            ),
            xml,
        )
    keep = keep_row_together if sample.kind == "rijen" else keep_rows_together
    return keep(xml, height)
