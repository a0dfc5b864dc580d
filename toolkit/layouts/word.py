"""The declared arrangement (layout.Layout) as WordprocessingML around the sample.

Group headings, the blocks of the arrangement's elements (declarations.elements: a
status overview, a cross-tab, each a core.blocks.Table drawn by table_xml) and the
change overview are written here once for every annex type; the record itself is the
sample card or row of the type's Word template (sample.Sample), repeated per record.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from toolkit.core.blocks import Cell, Table
from toolkit.declarations.elements import Context, Declared
from toolkit.declarations.layout import Layout
from toolkit.declarations.model import TableSheet, normalise
from toolkit.layouts import wordxml
from toolkit.layouts.arrange import Group, group_records, merge_continuations, sorted_records
from toolkit.layouts.publishing import (
    BAR_OUTLINE,
    DEFAULT_TEXT_WIDTH,
    Heading,
    bar_length,
    bar_png,
    inline_picture,
)

if TYPE_CHECKING:
    from toolkit.register.diff import DiffResult
    from toolkit.register.read import Record

CHANGES_HEADING = "Wijzigingen sinds de vorige editie"
CHANGES_BOOKMARK = (800_000, "_TocWijzigingen")
_BAR_EMU = (1_260_000, 115_200)  # 3.5 cm by 0.32 cm at 100%
_BAR_PIXELS = 200
_PERCENT_TAB = 680  # the bars start at 1.2 cm, after "100%", so their lengths compare
#: a table whose narrowest column would be narrower than this in portrait (1.5 cm, in
#: twips: a date or a two-word status no longer fits on a line) gets a landscape page
LANDSCAPE_BELOW = 850
_SMALL = '<w:r><w:rPr><w:sz w:val="16"/></w:rPr>'


def header_row(cells: list[tuple[str, int]]) -> str:
    """A header row: repeated on every page, and kept with the first row under it. Its
    fill and weight come from the table style's header row (tblLook firstRow), so a
    restyled template restyles it."""
    return wordxml.row(
        [wordxml.cell(wordxml.paragraph(wordxml.run(text), keep_next=True), width) for text, width in cells],
        header=True,
    )


def _width(styles: Mapping[str, str]) -> int:
    return int(getattr(styles, "text_width", DEFAULT_TEXT_WIDTH))


# --- an element's block -------------------------------------------------------------------


def bar_pictures(blocks: Iterable[Table], styles: Mapping[str, str]) -> dict[str, str]:
    """The bars' pictures, added to the document before its body is streamed (one per
    share and colour)."""
    add = getattr(styles, "picture", None)
    if add is None:
        return {}
    outline = getattr(styles, "bar_outline", BAR_OUTLINE)  # the template's style Statusbalk
    pictures: dict[str, str] = {}
    for block in blocks:
        for bar in block.bars:
            key = f"{bar.share}:{bar.colour}"
            if key not in pictures:
                pictures[key] = add(bar_png(bar.share / 100, bar.colour, outline, _BAR_PIXELS))
    return pictures


def _cell_xml(
    cell: Cell,
    width: int,
    styles: Mapping[str, str],
    pictures: Mapping[str, str],
    keep: bool,
    small: bool,
) -> str:
    """A cell: a paragraph per line (bold, on its colour), the bar after the last line
    as a picture at a tab stop, with its text alternative."""
    out = []
    for index, line in enumerate(cell.lines):
        content = wordxml.run(line.text, bold=line.bold)
        tab = None
        if cell.bar is not None and index == len(cell.lines) - 1:
            tab = _PERCENT_TAB
            bar = cell.bar
            picture = pictures.get(f"{bar.share}:{bar.colour}")
            if picture:
                drawing = getattr(styles, "drawing_id", lambda: 0)()
                # as long as the share: no white beside the bar painting over table lines
                length = _BAR_EMU[0] * bar_length(bar.share / 100, _BAR_PIXELS) // _BAR_PIXELS
                content += "<w:r><w:tab/></w:r>" + inline_picture(
                    picture, drawing, bar.alternative, length, _BAR_EMU[1]
                )
        xml = wordxml.paragraph(content, keep_next=keep, fill=line.colour or None, tab=tab)
        if small and "<w:rPr>" not in xml:
            xml = xml.replace("<w:r>", _SMALL, 1)
        out.append(xml)
    return wordxml.cell("".join(out), width, cell.colour or None)


def table_xml(
    block: Table, styles: Mapping[str, str], pictures: Mapping[str, str], width: int | None = None
) -> str:
    """An element's block as a Word table: its header row repeated on every page, no row
    split over a page, its caption and description as the table's accessible name. The
    first column gets the style's first-column look only when it holds no declared
    colours (the style's shading would hide them). width: the text width of the page it
    stands on (a landscape page), else the template's."""
    if not block.rows:
        return wordxml.text_paragraph(block.empty)
    widths = wordxml.scaled(block.widths, width or _width(styles))
    rows = [header_row(list(zip(block.header, widths, strict=True)))]
    for line, keep in [(r, block.keep_together) for r in block.rows] + [(block.total, False)]:
        if line:
            cells = [
                _cell_xml(c, w, styles, pictures, keep, block.compact)
                for c, w in zip(line, widths, strict=True)
            ]
            rows.append(wordxml.row(cells, cant_split=True))
    coloured = any(r[0].colour or any(t.colour for t in r[0].lines) for r in block.rows)
    return wordxml.table(
        rows,
        widths,
        styles["table"],
        block.caption,
        block.description,
        first_row=True,
        first_column=block.row_headers and not coloured,
    )


def turns(block: Table, width: int) -> bool:
    """Whether a block's columns are too narrow at this text width (it may then turn)."""
    return block.may_turn and bool(block.rows) and min(wordxml.scaled(block.widths, width)) < LANDSCAPE_BELOW


# --- the change overview --------------------------------------------------------------


def changes_xml(changes: DiffResult | None, sheet: str, styles: Mapping[str, str]) -> str:
    """What changed in one sheet's records since the previous edition (build --previous)."""
    if changes is None:
        return ""
    parts = [
        wordxml.text_paragraph(CHANGES_HEADING, styles["heading1"], keep_next=True, bookmark=CHANGES_BOOKMARK)
    ]
    groups = (
        ("Nieuw", changes.of("nieuw", sheet), False),
        ("Niet meer opgenomen", changes.of("vervallen", sheet), False),
        ("Gewijzigd", changes.of("gewijzigd", sheet), True),
    )
    for title, items, with_fields in groups:
        parts.append(
            wordxml.text_paragraph(f"{title} ({len(items)})", styles["label"], keep_next=bool(items))
        )
        for change in items:
            text = change.name
            if with_fields:
                text += ": " + ", ".join(f.label for f in change.fields)
            parts.append(wordxml.text_paragraph(text, styles["bullet"]))
    return "".join(parts)


def changes_contents(changes: DiffResult | None) -> list[Heading]:
    return [Heading(1, CHANGES_HEADING, CHANGES_BOOKMARK)] if changes is not None else []


# --- the arranged body ----------------------------------------------------------------


@dataclass
class _Event:
    """One step of the arranged body, planned once for both the body and the contents."""

    kind: str  # "heading", "element", "records"
    level: int = 0
    text: str = ""
    bookmark: tuple[int, str] | None = None
    page_break: bool = False
    records: list[Record] | None = None
    first_index: int = 0
    element: Declared | None = None


class Arranged:
    """An annex type's records in their declared arrangement, around its sample."""

    def __init__(
        self,
        layout: Layout,
        sheet: TableSheet,
        records: list[Record],
        lists: Mapping[str, list[str]],
        setting: Callable[[str], str],
        colour: Callable[[str, str], str],
        plural: str,
        placed: frozenset[str] = frozenset(),
    ) -> None:
        """placed: the elements' tags the template has ({{ statusoverzicht }},
        {{ kruistabel }}); an element declared but not placed comes before the records."""
        self.layout = layout
        self.sheet = sheet
        self.lists = dict(lists)
        self.plural = plural
        self.setting = setting
        self.context = Context(sheet, self.lists, colour, plural)
        records, self.continued = merge_continuations(records, layout.continuation)
        self.records = sorted_records(records, layout, sheet, self.lists)
        self.groups = group_records(self.records, layout.groups, sheet, self.lists, self._first_number)
        self.placed = placed
        self.events = self._plan()
        self._pictures: dict[str, str] | None = None
        self._blocks: dict[tuple[str, int, str], tuple[list[Record], Table]] = {}

    def values(self, record: Record, values: dict[str, object]) -> dict[str, object]:
        """A record's values with what its continuation rows add to the continued column."""
        extra = self.continued.get(record.row)
        if not extra or self.layout.continuation is None:
            return values
        key = self.layout.continuation.column
        pieces = [str(v) for v in (values.get(key), *extra) if v is not None and str(v).strip()]
        return {**values, key: "\n".join(pieces)}

    def _first_number(self, level: object) -> int:
        start = getattr(level, "number_from", 1)
        if isinstance(start, int):
            return start
        from toolkit.core.settingtext import setting_number

        return setting_number(self.setting(start), 1)

    def block(self, element: Declared, records: list[Record] | None = None, caption: str = "") -> Table:
        """An element's block of these records (all records: the element in total), made
        once for the pictures, the body and the web page."""
        chosen = self.records if records is None else records
        key = (element.name, id(chosen), caption)
        found = self._blocks.get(key)
        if found is not None and found[0] is chosen:
            return found[1]
        made = element.block(chosen, self.context, caption)
        self._blocks[key] = (chosen, made)  # the list kept alive: its id stays its own
        return made

    def _plan(self) -> list[_Event]:
        events: list[_Event] = []
        counter = [0]

        def bookmark() -> tuple[int, str]:
            counter[0] += 1
            return 5_000_000 + counter[0], f"_TocGroep{counter[0]}"

        for element in self.layout.elements:
            if element.total and element.name not in self.placed:
                events.append(_Event("heading", 1, element.heading, bookmark()))
                events.append(_Event("element", records=self.records, element=element))
        index = 0

        def walk(groups: list[Group]) -> None:
            nonlocal index
            for group in groups:
                spec = self.layout.groups[group.level - 1]
                heading = self._heading(group, spec.heading, spec.prefix)
                events.append(_Event("heading", group.level, heading, bookmark(), page_break=spec.new_page))
                for name in spec.elements:
                    element = self.layout.element(name)
                    if element is None:
                        continue
                    events.append(_Event("heading", min(group.level + 1, 3), element.heading, bookmark()))
                    events.append(
                        _Event(
                            "element",
                            records=group.records,
                            text=f"{element.heading} {heading}",
                            element=element,
                        )
                    )
                if group.children:
                    walk(group.children)
                else:
                    events.append(_Event("records", records=group.records, first_index=index, text=heading))
                    index += len(group.records)

        if self.groups:
            walk(self.groups)
        else:
            events.append(_Event("records", records=self.records))
        return events

    def _heading(self, group: Group, pattern: str, prefix: str) -> str:
        value = group.value or "(leeg)"
        if prefix and not normalise(value).startswith(normalise(prefix)):
            value = f"{prefix}: {value}"
        import re

        def fill(match: re.Match[str]) -> str:
            key = match.group(1)
            if key == "waarde":
                return value
            if key == "nummer":
                return str(group.number)
            return self.setting(key)

        return " ".join(re.sub(r"\{([a-z][a-z0-9_]*)\}", fill, pattern).split())

    def contents(self, card_headings: Callable[[int, Record], Heading | None]) -> list[Heading]:
        """The table-of-contents entries, in the order the body writes them."""
        out: list[Heading] = []
        for event in self.events:
            if event.kind == "heading" and event.bookmark:
                out.append(Heading(event.level, event.text, event.bookmark))
            elif event.kind == "records" and event.records is not None:
                for offset, record in enumerate(event.records):
                    entry = card_headings(event.first_index + offset, record)
                    if entry is not None:
                        out.append(entry)
        return out

    def event_block(self, event: _Event) -> Table:
        """The block of an element's step of the body (the Word body and the web page)."""
        assert event.element is not None
        return self.block(event.element, event.records, event.text)

    def pictures(self, styles: Mapping[str, str]) -> dict[str, str]:
        """The bars of every element, added to the document once (an element placed by
        its own tag and the body share them)."""
        if self._pictures is not None:
            return self._pictures
        blocks = [self.block(e) for e in self.layout.elements if e.total or e.name in self.placed]
        blocks += [self.event_block(e) for e in self.events if e.kind == "element"]
        self._pictures = bar_pictures(blocks, styles)
        return self._pictures

    def element_xml(self, name: str, styles: Mapping[str, str]) -> str:
        """The element of all records where the template has its tag: in a landscape
        section of its own when its columns would be too narrow on the block's page."""
        element = self.layout.element(name)
        if element is None:
            return ""
        block = self.block(element)
        turned = self._turned(block, styles, first=True, last=True)
        if turned is None:
            return table_xml(block, styles, self.pictures(styles))
        before, after, width = turned
        return before + table_xml(block, styles, self.pictures(styles), width) + after

    def _turned(
        self, block: Table, styles: Mapping[str, str], first: bool, last: bool = False
    ) -> tuple[str, str, int] | None:
        """(section start, section end, text width) of a landscape page for the block, or
        None when it fits (first: it opens the template's block, so the heading above
        goes along)."""
        landscape = getattr(styles, "landscape", None)
        if landscape is None or not turns(block, _width(styles)):
            return None
        turned: tuple[str, str, int] | None = landscape(first, last)
        return turned

    def body(
        self, styles: Mapping[str, str], records_xml: Callable[[list[Record], int, str], Iterator[str]]
    ) -> Iterator[str]:
        """The whole arranged body in pieces; records_xml(records, first index, group
        heading) gives the sample's XML for one group's records.

        Not a generator itself: the bars' pictures are added to the document at once,
        before the document is saved; the XML comes piece by piece."""
        return self._pieces(styles, records_xml, self.pictures(styles))

    def _pieces(
        self,
        styles: Mapping[str, str],
        records_xml: Callable[[list[Record], int, str], Iterator[str]],
        pictures: Mapping[str, str],
    ) -> Iterator[str]:
        events = self.events
        turned: tuple[str, str, int] | None = None  # an element's landscape section
        for index, event in enumerate(events):
            if event.kind == "heading":
                following = events[index + 1] if index + 1 < len(events) else None
                if following is not None and following.kind == "element":
                    # a block too wide for the page turns, and its heading goes along
                    turned = self._turned(self.event_block(following), styles, index == 0)
                    if turned is not None:
                        yield turned[0]
                style = styles[f"heading{min(event.level, 3)}"]
                yield wordxml.text_paragraph(
                    event.text,
                    style,
                    keep_next=True,
                    page_break=event.page_break and turned is None,
                    bookmark=event.bookmark,
                )
            elif event.kind == "element":
                block = self.event_block(event)
                if turned is not None:
                    yield table_xml(block, styles, pictures, turned[2])
                    yield turned[1]
                    turned = None
                else:
                    yield table_xml(block, styles, pictures)
            elif event.records is not None:
                yield from records_xml(event.records, event.first_index, event.text)
