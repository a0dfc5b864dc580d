"""Long rows of a card cut in pieces that each stay on one page.

Word and LibreOffice split a table row that does not fit at the foot of a page, and the
next page then starts with an empty label cell: the reader no longer sees which field the
text belongs to. A card row longer than a part of a page is therefore cut at paragraph
ends (a paragraph longer than that after a sentence) into rows that each stay whole; the
label of each further row is marked '(vervolg)'. `toolkit import` (wordread) joins them
back. Estimates of a row's height come from wordxml (the same as for keeping rows whole).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping

from toolkit.layouts import wordxml
from toolkit.layouts.publishing import DEFAULT_TEXT_HEIGHT, DEFAULT_TEXT_WIDTH
from toolkit.layouts.wordxml import _LINE_TWIPS, _MARKUP, _lines, _per_line

#: a row longer than this part of a page may split (an action row: its header row is
#: repeated) or is cut in pieces (a card row): kept whole, it would leave the page before
#: it half empty
WHOLE_ROW_PART = 3
#: the label of a row that continues the row above (wordread knows it too)
CONTINUED = "(vervolg)"
#: the bookmark at the start of the rest of a paragraph cut in two (wordread joins it
#: back when a card is imported); hidden in Word (a name starting with _)
CUT_MARK = "_Vervolg"
#: the first bookmark id of the cut marks (after the arrangement's, _TocGroep)
CUT_IDS_FROM = 5_000_000
_CUT_IDS = itertools.count(CUT_IDS_FROM)


def number_cuts_from(first: int) -> None:
    """Number the cut marks of the next document from first: every document the same
    way however many were built before it in this process (a web worker builds many),
    and apart from the bookmarks of its arrangement."""
    global _CUT_IDS
    _CUT_IDS = itertools.count(first)


def _area(styles: Mapping[str, str]) -> tuple[int, int]:
    """The text width and height of the section a block stands in (twips)."""
    return (
        int(getattr(styles, "text_width", DEFAULT_TEXT_WIDTH)),
        int(getattr(styles, "text_height", DEFAULT_TEXT_HEIGHT)),
    )


def _chunks(parts: list[str], width: int, limit: int) -> list[tuple[int, int, int]]:
    """Consecutive parts (paragraphs) grouped so that each group is at most limit high
    (twips): (start, end, height) per group; a part higher than limit is a group alone."""
    groups: list[tuple[int, int, int]] = []
    start, size = 0, 0
    for index, part in enumerate(parts):
        height = _lines(part, width) * _LINE_TWIPS
        if index > start and size + height > limit:
            groups.append((start, index, size))
            start, size = index, 0
        size += height
    if start < len(parts):
        groups.append((start, len(parts), size))
    return groups


_NAMESPACES = {
    "w": wordxml.W_NS,
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
}
_DECLARATIONS = "".join(f' xmlns:{p}="{uri}"' for p, uri in _NAMESPACES.items())
_W = "{" + wordxml.W_NS + "}"


def continued_rows(xml: str, styles: Mapping[str, str]) -> str:
    """A card from a template's sample with its long label | text rows cut in pieces
    that each stay on one page, the label of each next piece marked '(vervolg)': a row
    split by Word or LibreOffice would start the next page with an empty label cell.

    xml is one rendered card; it comes back unchanged when nothing in it is long (or it
    cannot be read, which does not happen for a card the toolkit rendered). Only a row
    that may be long is parsed: a large register has tens of thousands of rows, and
    parsing every card cost more than the rest of the build."""
    text_width, height = _area(styles)
    limit = height // WHOLE_ROW_PART
    if "<w:tbl" not in xml:
        return xml
    rows = list(wordxml.ROW.finditer(xml))
    if any("<w:tbl" in match.group(0) for match in rows):
        return _cut_rows(xml, text_width, limit)  # a table inside a cell: the whole card
    out, at = [], 0
    for match in rows:
        row = match.group(0)
        if _may_be_long(row, text_width * 2 // 3, limit):
            out += [xml[at : match.start()], _cut_rows(row, text_width, limit)]
            at = match.end()
    return "".join(out) + xml[at:] if out else xml


def _cut_rows(xml: str, text_width: int, limit: int) -> str:
    """continued_rows on the rows in xml (a card, or one row of it), with lxml."""
    from copy import deepcopy

    from lxml import etree

    try:
        root = etree.fromstring(f"<root{_DECLARATIONS}>{xml}</root>")
    except etree.XMLSyntaxError:
        return xml
    changed = False
    rows = [row for table in root.iter(_W + "tbl") for row in table.findall(_W + "tr")]
    for row in rows + [child for child in root if child.tag == _W + "tr"]:
        cells = row.findall(_W + "tc")
        if len(cells) != 2:
            continue
        width = _cell_width(cells[1], text_width * 2 // 3)
        for child in [c for c in cells[1] if c.tag == _W + "p"]:
            pieces_of = _split_paragraph(child, _fitting_chars(width, limit))
            for piece in reversed(pieces_of[1:]):
                child.addnext(piece)
        parts = [child for child in cells[1] if child.tag != _W + "tcPr"]
        texts = [etree.tostring(child, encoding="unicode") for child in parts]
        groups = _chunks(texts, width, limit)
        changed = True
        if len(groups) < 2:
            _cant_split(row, not groups or groups[0][2] <= limit)
            continue
        pieces = [(parts[start:end], size <= limit) for start, end, size in groups]
        last = row
        for piece, whole in pieces[1:]:
            copy = deepcopy(row)
            for mark in copy.iter(_W + "bookmarkStart", _W + "bookmarkEnd"):
                mark.getparent().remove(mark)
            label, content = copy.findall(_W + "tc")
            _mark_continued(label)
            for child in [c for c in content if c.tag != _W + "tcPr"]:
                content.remove(child)
            for child in piece:
                content.append(deepcopy(child))
            _cant_split(copy, whole)
            last.addnext(copy)
            last = copy
        for child in [c for piece, _ in pieces[1:] for c in piece]:
            cells[1].remove(child)
        _cant_split(row, pieces[0][1])
    if not changed:
        return xml
    out = "".join(etree.tostring(child, encoding="unicode") for child in root)
    for prefix, uri in _NAMESPACES.items():
        out = out.replace(f' xmlns:{prefix}="{uri}"', "")
    return out


_TC_START = re.compile(r"<w:tc[ >]")
_TC_WIDTH = re.compile(r'<w:tcW w:w="(\d+)"(?: w:type="(\w+)")?')


def _may_be_long(row: str, default_width: int, limit: int) -> bool:
    """Whether a label | text row may be higher than limit: an upper bound of the sum
    _cut_rows makes for its text cell (every character at the cell's width, plus a line
    per paragraph and line break), from the text without parsing it."""
    cells = _TC_START.split(row)[1:]
    if len(cells) != 2:
        return False  # _cut_rows leaves such a row alone too
    text = cells[1]
    found = _TC_WIDTH.search(text)
    width = int(found.group(1)) if found and (found.group(2) or "dxa") == "dxa" else 0
    per_line = _per_line(width if width > 500 else default_width)
    breaks = text.count("<w:p>") + text.count("<w:p ") + text.count("<w:br/>") + 1
    if (len(text) // per_line + breaks) * _LINE_TWIPS <= limit:
        return False
    return (len(_MARKUP.sub("", text)) // per_line + breaks) * _LINE_TWIPS > limit


def _cell_width(cell, default: int) -> int:  # type: ignore[no-untyped-def]
    width = cell.find(f"{_W}tcPr/{_W}tcW")
    try:
        value = (
            int(width.get(_W + "w")) if width is not None and width.get(_W + "type", "dxa") == "dxa" else 0
        )
    except (TypeError, ValueError):
        value = 0
    return value if value > 500 else default


def _mark_continued(cell) -> None:  # type: ignore[no-untyped-def]
    """The label cell of a continuing row: its label with ' (vervolg)'."""
    from copy import deepcopy

    from lxml import etree

    runs = list(cell.iter(_W + "r"))
    if not runs:
        return
    last = runs[-1]
    extra = etree.Element(_W + "r")
    rpr = last.find(_W + "rPr")
    if rpr is not None:
        extra.append(deepcopy(rpr))
    text = etree.SubElement(extra, _W + "t")
    text.text = f" {CONTINUED}"
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    last.addnext(extra)


def _cant_split(row, whole: bool) -> None:  # type: ignore[no-untyped-def]
    """A piece that fits on a page stays whole; a single longer paragraph may split."""
    from lxml import etree

    trpr = row.find(_W + "trPr")
    if not whole:
        for old in trpr.findall(_W + "cantSplit") if trpr is not None else []:
            trpr.remove(old)
        return
    if trpr is None:
        trpr = etree.Element(_W + "trPr")
        at = 1 if len(row) and row[0].tag == _W + "tblPrEx" else 0
        row.insert(at, trpr)
    if trpr.find(_W + "cantSplit") is None:
        trpr.insert(0, etree.Element(_W + "cantSplit"))


_SENTENCE_END = re.compile(r"[.!?;:]\s+")


def _fitting_chars(width: int, limit: int) -> int:
    """About how many characters of text fit in limit (twips high) at this width."""
    return max(200, (limit // _LINE_TWIPS - 1) * _per_line(width))


def _split_paragraph(paragraph, most: int) -> list:  # type: ignore[no-untyped-def, type-arg]
    """A paragraph of more than most characters cut after a sentence (else a word) into
    paragraphs of at most about most characters, with the same paragraph properties:
    each piece can then go in a row that stays on one page. Only plain runs are cut
    (one w:t each); a paragraph of other content stays whole."""
    from copy import deepcopy

    from lxml import etree

    runs = [child for child in paragraph if child.tag == _W + "r"]
    others = [child for child in paragraph if child.tag not in (_W + "r", _W + "pPr")]
    if (
        others
        or not runs
        or any(len(r.findall(_W + "t")) != 1 or len([c for c in r if c.tag != _W + "rPr"]) != 1 for r in runs)
    ):
        return [paragraph]
    texts = [r.find(_W + "t").text or "" for r in runs]
    if sum(len(t) for t in texts) <= most:
        return [paragraph]
    full = "".join(texts)
    cut = None
    for match in _SENTENCE_END.finditer(full, most // 3, most):
        cut = match.end()
    if cut is None:
        cut = full.rfind(" ", most // 3, most) + 1 or None
    if cut is None:
        return [paragraph]
    # the run where the cut falls is split in two; later runs move to the new paragraph
    at, offset = 0, 0
    while offset + len(texts[at]) < cut:
        offset += len(texts[at])
        at += 1
    rest = etree.Element(_W + "p")
    ppr = paragraph.find(_W + "pPr")
    if ppr is not None:
        rest.append(deepcopy(ppr))
    head, tail = texts[at][: cut - offset], texts[at][cut - offset :]
    if tail:
        second = deepcopy(runs[at])
        second.find(_W + "t").text = tail
        runs[at].find(_W + "t").text = head.rstrip() or head
        rest.append(second)
    else:
        runs[at].find(_W + "t").text = head.rstrip() or head
    for run in runs[at + 1 :]:
        rest.append(run)  # moves it
    number = str(next(_CUT_IDS))
    start = etree.Element(_W + "bookmarkStart")
    start.set(_W + "id", number)
    start.set(_W + "name", f"{CUT_MARK}{number}")
    end = etree.Element(_W + "bookmarkEnd")
    end.set(_W + "id", number)
    at_run = 1 if ppr is not None else 0
    rest.insert(at_run, start)
    rest.insert(at_run + 1, end)
    return [paragraph, *_split_paragraph(rest, most)]
