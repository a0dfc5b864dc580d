"""The declared arrangement (layout.Layout) as WordprocessingML around the sample.

Group headings, status overviews (counts, share as text and bar, the declared colour
beside the text, never colour alone), a cross-tab and the change overview are written
here once for every annex type; the record itself is the sample card or row of the
type's Word template (sample.Sample), repeated per record.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from toolkit.core.richtext import plain_line
from toolkit.declarations.layout import Layout
from toolkit.declarations.model import TableSheet, normalise
from toolkit.layouts import wordxml
from toolkit.layouts.arrange import Group, group_records, merge_continuations, sorted_records, status_counts
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

UNLISTED_COLOUR = "EDEDED"
OVERVIEW_DESCRIPTION = (
    "Aantal {plural} per status, met het aandeel als getal en als balk; de laatste rij geeft het totaal."
)
CROSSTAB_DESCRIPTION = "Kruistabel: elke rij is een {rows}, elke kolom een {columns}; een cel geeft {cells}."
CHANGES_HEADING = "Wijzigingen sinds de vorige editie"
CHANGES_BOOKMARK = (800_000, "_TocWijzigingen")
_BAR_EMU = (1_260_000, 115_200)  # 3.5 cm by 0.32 cm at 100%
_BAR_PIXELS = 200
_PERCENT_TAB = 680  # the bars start at 1.2 cm, after "100%", so their lengths compare


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


# --- status overview ------------------------------------------------------------------


def bar_pictures(
    tables: Iterable[tuple[list[tuple[str, int]], int]],
    colour: Callable[[str], str],
    styles: Mapping[str, str],
) -> dict[str, str]:
    """The bars' pictures, added to the document before its body is streamed (one per
    share and colour)."""
    add = getattr(styles, "picture", None)
    if add is None:
        return {}
    outline = getattr(styles, "bar_outline", BAR_OUTLINE)  # the template's style Statusbalk
    pictures: dict[str, str] = {}
    for counts, total in tables:
        for value, n in counts:
            share = round(100 * n / total) if total else 0
            key = f"{share}:{colour(value)}"
            if key not in pictures:
                pictures[key] = add(bar_png(share / 100, colour(value), outline, _BAR_PIXELS))
    return pictures


def overview_table(
    caption: str,
    counts: list[tuple[str, int]],
    colour: Callable[[str], str],
    styles: Mapping[str, str],
    pictures: Mapping[str, str],
    plural: str = "rijen",
) -> str:
    """Aantal per status: status (bold text on its colour), number, share as text and bar
    (the bar's text alternative says status, count and share)."""
    total = sum(n for _, n in counts)
    widths = wordxml.scaled((4000, 1800, 3200), _width(styles))
    rows = [header_row([("Status", widths[0]), (f"Aantal {plural}", widths[1]), ("Aandeel", widths[2])])]
    for status, n in counts:
        share = round(100 * n / total) if total else 0
        fill = colour(status)
        bar = ""
        picture = pictures.get(f"{share}:{fill}")
        if picture:
            drawing = getattr(styles, "drawing_id", lambda: 0)()
            # as long as the share: no white beside the bar painting over table lines
            length = _BAR_EMU[0] * bar_length(share / 100, _BAR_PIXELS) // _BAR_PIXELS
            bar = "<w:r><w:tab/></w:r>" + inline_picture(
                picture, drawing, f"{status}: {n} van {total} {plural}, {share} procent", length, _BAR_EMU[1]
            )
        rows.append(
            wordxml.row(
                [
                    wordxml.cell(
                        wordxml.paragraph(wordxml.run(status, bold=True), keep_next=True), widths[0], fill
                    ),
                    wordxml.cell(wordxml.text_paragraph(str(n), keep_next=True), widths[1]),
                    wordxml.cell(
                        wordxml.paragraph(wordxml.run(f"{share}%") + bar, keep_next=True, tab=_PERCENT_TAB),
                        widths[2],
                    ),
                ],
                cant_split=True,
            )
        )
    rows.append(
        wordxml.row(
            [
                wordxml.cell(wordxml.paragraph(wordxml.run("Totaal", bold=True)), widths[0]),
                wordxml.cell(wordxml.paragraph(wordxml.run(str(total), bold=True)), widths[1]),
                wordxml.cell(wordxml.paragraph(wordxml.run("100%", bold=True)), widths[2]),
            ],
            cant_split=True,
        )
    )  # no blank cell: a screen reader would say "leeg"
    return wordxml.table(rows, widths, styles["table"], caption, OVERVIEW_DESCRIPTION.format(plural=plural))


# --- cross-tab ------------------------------------------------------------------------


def _values_in_order(
    records: list[Record], key: str, sheet: TableSheet, lists: Mapping[str, list[str]]
) -> list[str]:
    col = sheet.column(key)
    seen: dict[str, str] = {}
    for record in records:
        text = plain_line(record.text(key)).strip()
        if text:
            seen.setdefault(normalise(text), text)
    if col.kind.traits.listed:
        listed = [v for v in lists.get(col.vocabulary or "", []) if normalise(v) in seen]
        return listed + [t for f, t in seen.items() if f not in {normalise(v) for v in listed}]
    return list(seen.values())


#: a cross-tab whose columns would be narrower than this in portrait (1.5 cm, in twips:
#: a date or a two-word status no longer fits on a line) gets a landscape page
LANDSCAPE_BELOW = 850


def _crosstab_widths(columns: int, width: int) -> list[int]:
    """The label column and the value columns, filling the text width."""
    first = 3 if columns <= 5 else 2
    return wordxml.scaled((first, *([2] * columns)), width)


def crosstab_turns(columns: int, width: int) -> bool:
    """Whether a cross-tab of this many value columns is too narrow at this text width."""
    return columns > 0 and _crosstab_widths(columns, width)[1] < LANDSCAPE_BELOW


def crosstab_table(
    layout: Layout,
    records: list[Record],
    sheet: TableSheet,
    lists: Mapping[str, list[str]],
    colour: Callable[[str, str], str],
    styles: Mapping[str, str],
    width: int | None = None,
) -> str:
    """Rows from one column, columns from another; a cell holds the third column's values
    (bold on their colour when it is a list with colours) or the number of records.
    width: the text width of a landscape page it was given (else the block's)."""
    spec = layout.crosstab
    assert spec is not None
    rows = _values_in_order(records, spec.rows, sheet, lists)
    columns = _values_in_order(records, spec.columns, sheet, lists)
    if not rows or not columns:
        return wordxml.text_paragraph("(Geen gegevens voor dit overzicht.)")
    cells: dict[tuple[str, str], list[Record]] = {}
    for record in records:
        r = normalise(plain_line(record.text(spec.rows)))
        c = normalise(plain_line(record.text(spec.columns)))
        cells.setdefault((r, c), []).append(record)
    many = len(columns) > 5  # fits the page width: narrower columns, smaller type
    widths = _crosstab_widths(len(columns), width or _width(styles))
    row_label = sheet.column(spec.rows).label
    out = [header_row([(row_label, widths[0]), *zip(columns, widths[1:], strict=True)])]
    cell_col = sheet.column(spec.cells) if spec.cells else None

    def small(xml: str) -> str:
        return (
            xml.replace("<w:r>", '<w:r><w:rPr><w:sz w:val="16"/></w:rPr>', 1)
            if many and "<w:rPr>" not in xml
            else xml
        )

    for r in rows:
        line = [wordxml.cell(small(wordxml.paragraph(wordxml.run(r, bold=True))), widths[0])]
        for c, width in zip(columns, widths[1:], strict=True):
            found = cells.get((normalise(r), normalise(c)), [])
            if cell_col is None:
                content = wordxml.text_paragraph(str(len(found)) if found else "0")
                line.append(wordxml.cell(small(content), width))
                continue
            values = [plain_line(x.text(cell_col.key)).strip() for x in found]
            values = [v for v in values if v] or ["–"]
            paragraphs = []
            for value in values:
                fill = (
                    colour(cell_col.vocabulary or "", value)
                    if cell_col.kind.traits.listed and value != "–"
                    else None
                )
                paragraphs.append(
                    small(wordxml.paragraph(wordxml.run(value, bold=fill is not None), fill=fill or None))
                )
            line.append(wordxml.cell("".join(paragraphs), width))
        out.append(wordxml.row(line, cant_split=True))
    what = (
        f"de {cell_col.label.lower()} van de records in die rij en kolom"
        if cell_col
        else "het aantal records in die rij en kolom"
    )
    description = CROSSTAB_DESCRIPTION.format(
        rows=row_label.lower(), columns=sheet.column(spec.columns).label.lower(), cells=what
    )
    return wordxml.table(
        out, widths, styles["table"], spec.heading, description, first_row=True, first_column=True
    )


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

    kind: str  # "heading", "overview", "crosstab", "records"
    level: int = 0
    text: str = ""
    bookmark: tuple[int, str] | None = None
    page_break: bool = False
    records: list[Record] | None = None
    first_index: int = 0


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
        """placed: the arrangement's block tags the template has ({{ statusoverzicht }},
        {{ kruistabel }}); what is declared but not placed comes before the records."""
        self.layout = layout
        self.sheet = sheet
        self.lists = dict(lists)
        self.colour = colour
        self.plural = plural
        self.setting = setting
        records, self.continued = merge_continuations(records, layout.continuation)
        self.records = sorted_records(records, layout, sheet, self.lists)
        self.groups = group_records(self.records, layout.groups, sheet, self.lists, self._first_number)
        self.placed = placed
        self.events = self._plan()
        self._pictures: dict[str, str] | None = None

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

    def _status_colour(self, value: str) -> str:
        overview = self.layout.overview
        vocabulary = self.sheet.column(overview.column).vocabulary if overview else None
        return self.colour(vocabulary or "", value) or UNLISTED_COLOUR

    def counts(self, records: list[Record]) -> list[tuple[str, int]]:
        overview = self.layout.overview
        assert overview is not None
        return status_counts(
            records, overview.column, self.sheet.column(overview.column).vocabulary, self.lists
        )

    def _plan(self) -> list[_Event]:
        events: list[_Event] = []
        counter = [0]

        def bookmark() -> tuple[int, str]:
            counter[0] += 1
            return 5_000_000 + counter[0], f"_TocGroep{counter[0]}"

        overview = self.layout.overview
        if self.layout.crosstab and "kruistabel" not in self.placed:
            events.append(_Event("heading", 1, self.layout.crosstab.heading, bookmark()))
            events.append(_Event("crosstab"))
        if overview and overview.total and "statusoverzicht" not in self.placed:
            events.append(_Event("heading", 1, overview.heading, bookmark()))
            events.append(_Event("overview", records=self.records, text=overview.heading))
        index = 0

        def walk(groups: list[Group]) -> None:
            nonlocal index
            for group in groups:
                spec = self.layout.groups[group.level - 1]
                events.append(
                    _Event(
                        "heading",
                        group.level,
                        self._heading(group, spec.heading, spec.prefix),
                        bookmark(),
                        page_break=spec.new_page,
                    )
                )
                if spec.overview and overview:
                    events.append(_Event("heading", min(group.level + 1, 3), overview.heading, bookmark()))
                    events.append(
                        _Event(
                            "overview", records=group.records, text=f"{overview.heading} {events[-2].text}"
                        )
                    )
                if group.children:
                    walk(group.children)
                else:
                    events.append(
                        _Event(
                            "records",
                            records=group.records,
                            first_index=index,
                            text=events[-1].text if not spec.overview else events[-3].text,
                        )
                    )
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

    def pictures(self, styles: Mapping[str, str]) -> dict[str, str]:
        """The bars of every overview, added to the document once (the total overview
        block and the body share them)."""
        if self._pictures is not None:
            return self._pictures
        tables = []
        overview = self.layout.overview
        if overview is not None and overview.total:  # also when placed by its own tag
            counts = self.counts(self.records)
            tables.append((counts, sum(n for _, n in counts)))
        for event in self.events:
            if event.kind == "overview" and event.records is not None:
                counts = self.counts(event.records)
                tables.append((counts, sum(n for _, n in counts)))
        self._pictures = bar_pictures(tables, self._status_colour, styles)
        return self._pictures

    def overview_xml(
        self,
        styles: Mapping[str, str],
        pictures: Mapping[str, str],
        records: list[Record] | None = None,
        caption: str = "",
    ) -> str:
        overview = self.layout.overview
        if overview is None:
            return ""
        return overview_table(
            caption or overview.heading,
            self.counts(self.records if records is None else records),
            self._status_colour,
            styles,
            pictures,
            self.plural,
        )

    def crosstab_xml(self, styles: Mapping[str, str], first: bool = True) -> str:
        """The cross-tab; in a landscape section of its own when its columns would be
        too narrow on the block's portrait page (first: it opens the block, so the
        template's heading above the block goes along)."""
        turned = self._turned(styles, first, last=True)
        if turned is None:
            return crosstab_table(self.layout, self.records, self.sheet, self.lists, self.colour, styles)
        before, after, width = turned
        table = crosstab_table(self.layout, self.records, self.sheet, self.lists, self.colour, styles, width)
        return before + table + after

    def _turned(
        self, styles: Mapping[str, str], first: bool, last: bool = False
    ) -> tuple[str, str, int] | None:
        spec = self.layout.crosstab
        if spec is None:
            return None
        columns = len(_values_in_order(self.records, spec.columns, self.sheet, self.lists))
        landscape = getattr(styles, "landscape", None)
        if landscape is None or not crosstab_turns(columns, _width(styles)):
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
        turned: tuple[str, str, int] | None = None  # the cross-tab's landscape section
        for index, event in enumerate(events):
            if event.kind == "heading":
                if index + 1 < len(events) and events[index + 1].kind == "crosstab":
                    turned = self._turned(styles, index == 0)  # its heading goes along
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
            elif event.kind == "overview":
                yield self.overview_xml(styles, pictures, event.records, event.text)
            elif event.kind == "crosstab" and turned is not None:
                yield crosstab_table(
                    self.layout, self.records, self.sheet, self.lists, self.colour, styles, turned[2]
                )
                yield turned[1]
                turned = None
            elif event.kind == "crosstab":
                yield self.crosstab_xml(styles, index == 0)
            elif event.records is not None:
                yield from records_xml(event.records, event.first_index, event.text)
