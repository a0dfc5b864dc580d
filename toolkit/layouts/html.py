"""The declared arrangement and the sample card as blocks of a web page (the web edition).

The second writer of the same layout: layouts.word writes WordprocessingML, this module
turns the same planned events (word.Arranged: headings, the elements' blocks, groups of
records) and the same sample (sample.Sample.plan: the card's labels, fixed
headings, fields and tables in the order the coordinator put them in Word) into plain
blocks that web_edition's Jinja templates render as escaped HTML. Nothing is read from a
built .docx. A filtered page (one status, one group) is the same plan with fewer records:
headings keep their text and numbering, groups without records fall away.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from toolkit.core import blocks
from toolkit.core.richtext import Run, parse_rich, plain_line
from toolkit.layouts.sample import _TAG, Sample, _Field, _Inline, _Maybe, _Static, _Table
from toolkit.layouts.word import Arranged

if TYPE_CHECKING:
    from toolkit.declarations.annextypes import AnnexType
    from toolkit.register.diff import DiffResult
    from toolkit.register.read import Record

CHANGES_HEADING = "Wijzigingen sinds de vorige editie"
#: ids the page itself uses; a record whose key is one of these gets a suffix
RESERVED_IDS = frozenset(
    {"hoofdinhoud", "inhoudsopgave", "inhoudsopgave-kop", "filters", "filters-kop", "wijzigingen"}
)


#: The status chart: units of its viewBox (it scales with the page)
CHART_WIDTH = 320
CHART_BAR = 220
CHART_ROW = 44


# --- blocks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """Inline text: a run of rich text, a field's value in a line, or a link."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    vertical: str | None = None
    colour: str = ""  # a list value with a declared colour (a status): its hex colour
    href: str = ""


@dataclass
class Heading:
    level: int  # the HTML level, 2 to 6
    pieces: list[Piece]
    id: str = ""
    kind: str = "heading"


@dataclass
class Para:
    pieces: list[Piece]
    css: str = ""
    kind: str = "para"


@dataclass
class ListBlock:
    ordered: bool
    items: list[tuple[int, list[Piece]]]  # (nesting level, text)
    kind: str = "list"


@dataclass
class Cell:
    blocks: list[object]
    header: str = ""  # "row", "col" or "" (a data cell)


@dataclass
class CardTable:
    rows: list[list[Cell]]
    kind: str = "table"


@dataclass
class Card:
    id: str
    blocks: list[object]
    kind: str = "card"


@dataclass
class Row:
    """One record as a row of the sample's table; labels: the column headings, shown
    beside each cell where the table is stacked (a phone)."""

    id: str
    cells: list[Cell]
    labels: list[str]
    kind: str = "row"


@dataclass
class Html:
    """A record already rendered (RecordView.render): the same on every page it is on."""

    html: str
    kind: str = "html"


@dataclass
class RowsTable:
    """The records of one group as rows of the sample's table (indeling 'rijen')."""

    label: str  # the table's accessible name (the group's heading)
    header: list[list[str]]
    rows: list[str]  # each record's rendered <tr>
    footer: list[list[str]]
    kind: str = "rows"


@dataclass(frozen=True)
class ChartBar:
    status: str
    count: int
    share: int
    colour: str
    y: int  # top of its row in the chart
    width: int  # the bar's length in chart units


@dataclass
class ElementCell:
    lines: list[list[Piece]]
    numeric: bool = False


@dataclass
class ElementBlock:
    """An element's block (a status overview, a cross-tab) on the page: a table, with its
    bars (if any) as a chart (SVG, with its text alternative) above it."""

    name: str
    caption: str
    description: str
    header: list[str]
    rows: list[list[ElementCell]]
    total: list[ElementCell]
    row_headers: bool
    scrolls: bool
    short: bool  # kept on one page when printed
    bars: list[ChartBar]
    alternative: str
    height: int
    width: int = CHART_WIDTH
    kind: str = "element"


@dataclass(frozen=True)
class Entry:
    """A line of the contents list."""

    level: int
    text: str
    href: str
    children: tuple[Entry, ...] = ()


# --- ids ------------------------------------------------------------------------------


def slug(text: str, fallback: str = "") -> str:
    """ASCII, lower case, words joined by '-': for file names and heading ids."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    made = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
    return made or fallback


def record_anchor(key: str) -> str:
    """A record's id from its key as typed (P-013, M2025-014): letters, digits, - _ ."""
    ascii_text = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", ascii_text).strip("-.")[:80]


class Ids:
    """Unique ids on one page, the same on every build of the same input."""

    def __init__(self, taken: Iterable[str] = RESERVED_IDS) -> None:
        self.taken = {t.casefold() for t in taken}

    def take(self, base: str) -> str:
        candidate, n = base, 1
        while candidate.casefold() in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self.taken.add(candidate.casefold())
        return candidate


# --- text -----------------------------------------------------------------------------


def _pieces(runs: Iterable[Run], colour: str = "") -> list[Piece]:
    return [
        Piece(r.text, r.bold or bool(colour), r.italic, r.underline, r.vertical, colour)
        for r in runs
        if r.text
    ]


def text_blocks(value: object, plain: bool, colour: str = "") -> list[object]:
    """A field's value as paragraphs and lists. A plain-text column is one paragraph
    (line breaks kept); rich text goes through parse_rich (bullets, the CMS's HTML), so
    the page never carries HTML from a cell, only its escaped text."""
    if plain:
        text = str(value if value is not None else "").strip()
        return [Para([Piece(text, bool(colour), colour=colour)], "status" if colour else "")] if text else []
    out: list[object] = []
    for p in parse_rich(value).paragraphs:
        pieces = _pieces(p.runs, colour)
        if not pieces:
            continue
        if p.list_kind is None:
            out.append(Para(pieces, "status" if colour else ""))
            continue
        ordered = p.list_kind == "number"
        last = out[-1] if out else None
        if isinstance(last, ListBlock) and last.ordered == ordered:
            last.items.append((p.level, pieces))
        else:
            out.append(ListBlock(ordered, [(p.level, pieces)]))
    return out


def inline_text(value: object, plain: bool) -> str:
    """A field's value inside a line of text ("Status: {{ status }}")."""
    if plain:
        return str(value if value is not None else "").strip()
    return parse_rich(value).plain.strip()


# --- the card -------------------------------------------------------------------------


@dataclass(frozen=True)
class CardPlan:
    """What the web edition needs of a sample: its items in order, and which field is
    the card's heading. Without a sample (a template that has none), every published
    column as a label and its value under the name."""

    kind: str
    items: tuple[object, ...]
    heading_field: str | None
    heading_level: int = 1
    header: tuple[tuple[str, ...], ...] = ()
    footer: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def of(cls, sample: Sample | None, annex: AnnexType) -> CardPlan:
        omit = annex.arrangement.omit_empty
        if sample is not None:
            items = sample.lenient_plan if omit and sample.kind == "kaarten" else sample.plan
            return cls(
                sample.kind,
                tuple(items),
                sample.heading_field,
                sample.heading_level,
                sample.header,
                sample.footer,
            )
        name = annex.sheet.name_column
        rows = tuple(
            ((_Static(c.label),), (_Field(c.key),))
            for c in annex.sheet.columns
            if c.published and c.key != name
        )
        return cls("kaarten", (_Field(name, 1), _Table(rows)), name, 1)


@dataclass
class RecordView:
    """How one annex's records read on the page: values, colours, notes, ids."""

    values: Callable[[Record], dict[str, object]]
    plain: frozenset[str]
    colours: Callable[[Record], dict[str, str]]
    notes: Callable[[Record], list[str]]
    ids: dict[int, str] = field(default_factory=dict)  # record row -> id
    omit_empty: bool = False
    #: a Card or Row as HTML (the writer's template); a record is rendered once, however
    #: many pages (its annex, its status, its group) show it
    render: Callable[[object], str] = lambda block: ""
    cache: dict[tuple[int, int], tuple[str, list[tuple[int, str, str]]]] = field(default_factory=dict)


def _empty(value: object) -> bool:
    return value is None or not str(value).strip()


def _keys(item: object) -> list[str]:
    if isinstance(item, _Maybe):
        return _keys(item.item)
    if isinstance(item, _Field):
        return [item.key]
    if isinstance(item, _Inline):
        return list(item.keys)
    if isinstance(item, _Table):
        return [k for row in item.rows for cell in row for i in cell for k in _keys(i)]
    return []


class Levels:
    """Heading levels that never skip one (h2 then h4 would confuse a screen reader):
    a Word level becomes an HTML level one deeper, at most one below the last."""

    def __init__(self, last: int = 2) -> None:
        self.last = last

    def take(self, word_level: int) -> int:
        level = max(2, min(word_level + 1, self.last + 1, 6))
        self.last = level
        return level


def card_blocks(
    plan: CardPlan, record: Record, view: RecordView, levels: Levels, contents: list[tuple[int, str, str]]
) -> Card:
    """One record as a card: the sample's items with the record's values."""
    values = view.values(record)
    colours = view.colours(record)
    anchor = view.ids[record.row]
    notes = [Para([Piece(text)], "notitie") for text in view.notes(record)]
    out: list[object] = []
    pending = notes
    items = list(plan.items)
    for index, raw in enumerate(items):
        item = raw
        if isinstance(raw, _Maybe):
            item = raw.item
            if view.omit_empty and isinstance(item, _Static):
                # a heading without fields goes with the part right after it
                following = items[index + 1] if index + 1 < len(items) else None
                if following is None or all(_empty(values.get(k)) for k in _keys(following)):
                    continue
            elif view.omit_empty and all(_empty(values.get(k)) for k in _keys(item)):
                continue
        made = _item_blocks(item, plan, values, colours, view, levels, contents, anchor)
        out += made
        if (
            pending
            and isinstance(item, _Field)
            and (item.key == plan.heading_field or not plan.heading_field)
        ):
            out += pending
            pending = []
    return Card(anchor, pending + out)


def _item_blocks(
    item: object,
    plan: CardPlan,
    values: Mapping[str, object],
    colours: Mapping[str, str],
    view: RecordView,
    levels: Levels,
    contents: list[tuple[int, str, str]],
    anchor: str,
) -> list[object]:
    if isinstance(item, _Static):
        if not item.text:
            return []
        if item.level:
            return [Heading(levels.take(item.level), [Piece(item.text)])]
        return [Para([Piece(item.text)])]
    if isinstance(item, _Field):
        value = values.get(item.key)
        if item.key == plan.heading_field or item.level:
            text = " ".join(plain_line(str(value if value is not None else "")).split())
            level = levels.take(plan.heading_level if item.key == plan.heading_field else item.level)
            if item.key == plan.heading_field:
                contents.append((level, text, f"#{anchor}"))
            return [Heading(level, [Piece(text)])] if text else []
        return text_blocks(value, item.key in view.plain, colours.get(item.key, ""))
    if isinstance(item, _Inline):
        pieces = []
        for index, part in enumerate(_TAG.split(item.text)):
            if index % 2:
                colour = colours.get(part, "")
                text = inline_text(values.get(part), part in view.plain)
                if text:
                    pieces.append(Piece(text, bool(colour), colour=colour))
            elif part:
                pieces.append(Piece(part))
        if not "".join(p.text for p in pieces).strip():
            return []
        return [Para(pieces)]
    if isinstance(item, _Table):
        return _table_blocks(item, plan, values, colours, view, levels, contents, anchor)
    return []


def _table_blocks(
    item: _Table,
    plan: CardPlan,
    values: Mapping[str, object],
    colours: Mapping[str, str],
    view: RecordView,
    levels: Levels,
    contents: list[tuple[int, str, str]],
    anchor: str,
) -> list[object]:
    """A table of the card: a label beside a field is a row header, an opening row of
    labels above rows with fields is a column header."""
    rows: list[list[Cell]] = []
    body_started = False
    for row in item.rows:
        keys = [k for cell in row for i in cell for k in _keys(i)]
        if keys and view.omit_empty and all(_empty(values.get(k)) for k in keys):
            continue
        static = [not any(_keys(i) for i in cell) for cell in row]
        cells = []
        for position, cell in enumerate(row):
            blocks = [
                b
                for i in cell
                for b in _item_blocks(i, plan, values, colours, view, levels, contents, anchor)
            ]
            header = ""
            if not keys and not body_started and len(item.rows) > 1:
                header = "col"
            elif keys and position == 0 and static[0] and len(row) > 1:
                header = "row"
            cells.append(Cell(blocks, header))
        body_started = body_started or bool(keys)
        rows.append(cells)
    if not any(c.blocks for row in rows for c in row):
        return []
    return [CardTable(rows)]


def row_cells(
    plan: CardPlan,
    record: Record,
    view: RecordView,
    levels: Levels,
) -> list[Cell]:
    """One record as a row of the sample's table ('rijen'); its notes go after the first
    field that is a paragraph of its own, as in Word."""
    values = view.values(record)
    colours = view.colours(record)
    row: tuple[tuple[object, ...], ...] = plan.items[0]  # type: ignore[assignment]
    pending = [Para([Piece(text)], "notitie") for text in view.notes(record)]
    cells = []
    for cell in row:
        blocks: list[object] = []
        for item in cell:
            blocks += _item_blocks(item, plan, values, colours, view, levels, [], "")
            if pending and isinstance(item, _Field):
                blocks += pending
                pending = []
        cells.append(Cell(blocks))
    if pending and cells:
        cells[0].blocks[:0] = pending
    return cells


# --- the arranged body ----------------------------------------------------------------


def element_block(table: blocks.Table) -> object:
    """An element's block as the page shows it: the same table as in Word, its bars as a
    chart; no rows: the block's own words for that."""
    if not table.rows:
        return Para([Piece(table.empty)])

    def cells(line: Sequence[blocks.Cell]) -> list[ElementCell]:
        return [
            ElementCell(
                [[Piece(t.text, t.bold, colour=(t.colour or c.colour).lower())] for t in c.lines], c.numeric
            )
            for c in line
        ]

    bars = table.bars
    total = sum(b.count for b in bars)
    chart = [
        ChartBar(
            b.label,
            b.count,
            b.share,
            b.colour.lower(),
            index * CHART_ROW,
            max(2, round(CHART_BAR * b.count / total)) if total else 2,
        )
        for index, b in enumerate(bars)
    ]
    return ElementBlock(
        table.name,
        table.caption,
        table.description,
        list(table.header),
        [cells(line) for line in table.rows],
        cells(table.total),
        table.row_headers,
        table.may_turn,
        table.keep_together,
        chart,
        table.chart_alternative if bars else "",
        len(chart) * CHART_ROW + 4,
    )


@dataclass(frozen=True)
class OutlineItem:
    """A part of the template's body the web page repeats in the same order: one of its
    own headings (kind "heading") or a block tag standing alone in a paragraph
    ({{ kaarten }}, {{ statusoverzicht }}, a rich-text setting; kind "block")."""

    kind: str
    name: str  # the heading's text, or the block's tag
    level: int = 0


_BLOCK_TAG = re.compile(r"^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$")
_ANY_TAG = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_HEADING_NAMES = {"heading 1": 1, "heading 2": 2, "heading 3": 3}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _body_paragraphs(document_xml: bytes, styles_xml: bytes | None) -> Iterator[tuple[str, str, object]]:
    """(style name in lower case, text, element) of each paragraph of the template's body."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    names: dict[str, str] = {}
    if styles_xml:
        for style in etree.fromstring(styles_xml, parser).iter(_W + "style"):
            name = style.find(_W + "name")
            if name is not None:
                names[style.get(_W + "styleId") or ""] = (name.get(_W + "val") or "").lower()
    body = etree.fromstring(document_xml, parser).find(_W + "body")
    if body is None:
        return
    for paragraph in body.iterchildren(_W + "p"):
        text = "".join(t.text or "" for t in paragraph.iter(_W + "t")).strip()
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        yield (names.get(style.get(_W + "val") or "", "") if style is not None else ""), text, paragraph


def _filled(text: str, values: Mapping[str, str]) -> str:
    return " ".join(_ANY_TAG.sub(lambda m: values.get(m.group(1), ""), text).split())


def template_outline(
    document_xml: bytes, styles_xml: bytes | None, blocks: Iterable[str], values: Mapping[str, str]
) -> list[OutlineItem]:
    """The template's own headings (Heading 1 to 3, after its contents list) and the
    block tags of blocks, in the order of its body: where the coordinator put the
    status overview or the cross-tab in Word, the web page puts it too. values fill
    the tags in a heading ("Projecten {{ programma_naam }}")."""
    wanted = set(blocks)
    out: list[OutlineItem] = []
    for style, text, paragraph in _body_paragraphs(document_xml, styles_xml):
        if not text or any(i.text and "TOC" in i.text for i in paragraph.iter(_W + "instrText")):  # type: ignore[attr-defined]
            continue
        level = _HEADING_NAMES.get(style)
        tag = _BLOCK_TAG.match(text)
        if tag and tag.group(1) in wanted:
            out.append(OutlineItem("block", tag.group(1)))
        elif level is not None:
            filled = _filled(text, values)
            if filled:
                out.append(OutlineItem("heading", filled, level))
    return out


def template_title(document_xml: bytes, styles_xml: bytes | None, values: Mapping[str, str]) -> str:
    """The template's first paragraph in the Title style, its tags filled: the title the
    Word annex shows (and its PDF's title), so the web edition's is the same; "" without."""
    for style, text, _ in _body_paragraphs(document_xml, styles_xml):
        if style in ("title", "titel") and text:
            filled = _filled(text, values)
            if filled:
                return filled
    return ""


def heading_ids(arranged: Arranged, ids: Ids) -> list[str]:
    """An id per event (headings only; "" for the others), taken once for the whole
    annex so a filtered page links to the same places."""
    return [ids.take(slug(e.text, "kop")) if e.kind == "heading" else "" for e in arranged.events]


def body_blocks(
    arranged: Arranged,
    plan: CardPlan,
    view: RecordView,
    anchors: list[str],
    keep: Callable[[Record], bool] | None = None,
) -> tuple[list[object], list[tuple[int, str, str]]]:
    """The page's body in the declared arrangement, and its contents (level, text,
    href). keep: only these records (a filtered page): the elements (overviews, a
    cross-tab), which count all records, are left out, and headings over no kept record."""
    events = arranged.events
    kept: list[list[Record]] = [
        [r for r in e.records if keep is None or keep(r)]
        if e.kind == "records" and e.records is not None
        else []
        for e in events
    ]
    decor = [
        e.kind == "heading" and i + 1 < len(events) and events[i + 1].kind == "element"
        for i, e in enumerate(events)
    ]

    def has_records(at: int) -> bool:
        level = events[at].level
        for j in range(at + 1, len(events)):
            if events[j].kind == "heading" and not decor[j] and events[j].level <= level:
                return False
            if kept[j]:
                return True
        return False

    out: list[object] = []
    contents: list[tuple[int, str, str]] = []
    levels = Levels()
    label = ""
    names = Ids(())  # a table's name is unique on the page (it names a scrolling region)
    for index, event in enumerate(events):
        if event.kind == "heading":
            if keep is not None and (decor[index] or not has_records(index)):
                continue
            level = levels.take(event.level)
            out.append(Heading(level, [Piece(event.text)], anchors[index]))
            contents.append((level, event.text, f"#{anchors[index]}"))
            label = event.text
        elif event.kind == "element" and keep is None:
            out.append(element_block(arranged.event_block(event)))
        elif event.kind == "records" and kept[index]:
            name = event.text or label or arranged.plural.capitalize()
            taken = names.take(name)
            out += list(
                _records(
                    arranged,
                    plan,
                    view,
                    kept[index],
                    levels,
                    contents,
                    name if taken == name else f"{name} ({taken.rsplit('-', 1)[1]})",
                )
            )
    return out, contents


def _records(
    arranged: Arranged,
    plan: CardPlan,
    view: RecordView,
    records: list[Record],
    levels: Levels,
    contents: list[tuple[int, str, str]],
    label: str,
) -> Iterator[object]:
    start = levels.last  # every card starts at the same depth
    if plan.kind == "rijen":
        labels = list(plan.header[-1]) if plan.header else []
        rows = []
        for record in records:
            found = view.cache.get((record.row, 0))
            if found is None:
                row = Row(view.ids[record.row], row_cells(plan, record, view, levels), labels)
                found = view.cache[(record.row, 0)] = (view.render(row), [])
                levels.last = start
            rows.append(found[0])
        yield RowsTable(label, [list(r) for r in plan.header], rows, [list(r) for r in plan.footer])
        return
    for record in records:
        found = view.cache.get((record.row, start))
        if found is None:
            entries: list[tuple[int, str, str]] = []
            card = card_blocks(plan, record, view, levels, entries)
            found = view.cache[(record.row, start)] = (view.render(card), entries)
            levels.last = start
        contents += found[1]
        yield Html(found[0])


def record_ids(records: Sequence[Record], key: str, ids: Ids) -> dict[int, str]:
    """A stable id per record from its key column (#P-013), unique on the page."""
    return {r.row: ids.take(record_anchor(plain_line(r.text(key))) or f"rij-{r.row}") for r in records}


def contents_tree(flat: Sequence[tuple[int, str, str]]) -> list[Entry]:
    """The contents as nested lists, by heading level."""

    def build(at: int, level: int) -> tuple[list[Entry], int]:
        out: list[Entry] = []
        while at < len(flat) and flat[at][0] >= level:
            entry_level, text, href = flat[at]
            children, at = build(at + 1, entry_level + 1)
            out.append(Entry(entry_level, text, href, tuple(children)))
        return out, at

    top = min((level for level, _, _ in flat), default=2)
    entries, _ = build(0, top)
    return entries


def changes_blocks(
    changes: DiffResult | None,
    sheet: str,
    view: RecordView,
    levels: Levels,
) -> tuple[list[object], list[tuple[int, str, str]]]:
    """What changed since the previous edition (build --previous), each new or changed
    record linked to its place on the page."""
    if changes is None:
        return [], []
    level = levels.take(1)
    out: list[object] = [Heading(level, [Piece(CHANGES_HEADING)], "wijzigingen")]
    for title, kind, with_fields in (
        ("Nieuw", "nieuw", False),
        ("Niet meer opgenomen", "vervallen", False),
        ("Gewijzigd", "gewijzigd", True),
    ):
        items = changes.of(kind, sheet)
        out.append(Heading(min(level + 1, 6), [Piece(f"{title} ({len(items)})")]))
        entries = []
        for change in items:
            text = change.name
            if with_fields:
                text += ": " + ", ".join(f.label for f in change.fields)
            target = view.ids.get(change.new.row) if change.new is not None else None
            entries.append((0, [Piece(text, href=f"#{target}" if target else "")]))
        if entries:
            out.append(ListBlock(False, entries))
    levels.last = level + 1
    return out, [(level, CHANGES_HEADING, "#wijzigingen")]
