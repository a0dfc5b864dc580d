"""The repeated body of the annexes: pilot cards, action tables, the changes overview.

Written as WordprocessingML in the template's own styles (see wordxml for why), so a
coordinator's restyling in Word carries over to every card and table.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from . import schema, wordxml
from .publishing import DEFAULT_TEXT_HEIGHT, DEFAULT_TEXT_WIDTH, Heading, bar_png, inline_picture
from .register import Record, Register
from .richtext import parse_rich, plain_line, simple_paragraphs

if TYPE_CHECKING:
    from .diff import DiffResult

HEADER_FILL = "D9E2F3"
NEW_NOTE = "Nieuw in deze editie."
CHANGES_HEADING = "Wijzigingen sinds de vorige editie"
LAST_TIME_NOTE = ("Deze pilot wordt voor het laatst in deze bijlage opgenomen; daarna wordt er "
                  "niet meer over gerapporteerd.")


def rich_xml(value: object, styles: dict[str, str], style: str | None = None) -> str:
    lines = simple_paragraphs(value)
    if lines is not None:  # most cells: no RichText needed
        return "".join([wordxml.text_paragraph(line, style) for line in lines]) or \
            wordxml.paragraph("", style)
    return wordxml.rich_paragraphs(parse_rich(value), styles, style)


CARD_TABLE_DESCRIPTION = ("Gegevens van de pilot: de eerste kolom noemt het onderdeel, de "
                          "tweede kolom geeft de tekst.")
ACTION_TABLE_DESCRIPTION = ("Acties bij dit doel: per activiteit het resultaat en de status; "
                            "de status staat als tekst in de derde kolom.")
OVERVIEW_DESCRIPTION = ("Aantal acties per status, met het aandeel als getal en als balk; de "
                        "laatste rij geeft het totaal.")
#: estimated size of a line of 10-point text, for deciding which rows may not split
_CHAR_TWIPS = 95
_LINE_TWIPS = 260
_CELL_MARGINS = 230
_TAG = re.compile(r"<[^>]+>")


def _area(styles: dict[str, str]) -> tuple[int, int]:
    """The text width and height of the section a block stands in (twips)."""
    return (getattr(styles, "text_width", DEFAULT_TEXT_WIDTH),
            getattr(styles, "text_height", DEFAULT_TEXT_HEIGHT))


def _per_line(width: int) -> int:
    return max(10, (width - _CELL_MARGINS) // _CHAR_TWIPS)


def _lines(xml: str, width: int, exact: bool = True) -> int:
    """About how many lines a cell's paragraphs take at this width (half a line lost at
    the end of each paragraph). Not exact: from the XML's length, an upper bound that
    costs nothing (the XML is longer than its text)."""
    per_line = _per_line(width)
    paragraphs = xml.count("<w:p>") + xml.count("<w:br/>")
    if not exact:
        return len(xml) // per_line + paragraphs + 1
    chars = len(_TAG.sub("", xml))
    return max(1, paragraphs, -(-chars // per_line) + paragraphs // 2)


def _fits_on_a_page(cells: list[tuple[str, int]], height: int) -> bool:
    """Whether a row (cell XML, width) is shorter than a page: then it must not split."""
    if max(_lines(xml, width, exact=False) for xml, width in cells) * _LINE_TWIPS < height:
        return True  # most rows: even the upper bound fits
    return max(_lines(xml, width) for xml, width in cells) * _LINE_TWIPS < height


@lru_cache(maxsize=256)
def _label_cell(label: str, style: str, width: int, keep: bool) -> str:
    paragraph = wordxml.text_paragraph(label, style, keep_next=keep)
    return wordxml.cell(paragraph, width)


def _label_table(rows: list[tuple[str, str]], styles: dict[str, str], caption: str,
                 keep_after: bool = False) -> str:
    """A card's label | text table: short rows never split, a short table stays together.

    keep_after keeps the whole table with what follows (the start of a card).
    """
    style = styles["label"]
    text_width, height = _area(styles)
    widths = wordxml.scaled((1, 2), text_width)
    per_line = _per_line(widths[1])
    sizes = [(len(content) // per_line + 2) * _LINE_TWIPS for _, content in rows]  # at most
    if sum(sizes) >= height // 3 or max(sizes) >= height:
        sizes = [_lines(content, widths[1]) * _LINE_TWIPS for _, content in rows]
    together = sum(sizes) < height // 3  # a short table is never split
    out = []
    for index, ((label, content), size) in enumerate(zip(rows, sizes, strict=True)):
        keep = ((together or index == 0) and index < len(rows) - 1) or keep_after
        if keep:
            content = wordxml.keep_with_next(content)
        out.append(wordxml.row([_label_cell(label, style, widths[0], keep),
                                wordxml.cell(content, widths[1])], cant_split=size < height))
    return wordxml.table(out, widths, styles["table"], caption, CARD_TABLE_DESCRIPTION,
                         first_row=False, first_column=True)


_PILOT_RICH_KEYS = frozenset(c.key for c in schema.PILOTS.columns if c.kind is schema.Kind.RICH)


def _value_xml(record: Record, key: str, styles: dict[str, str]) -> str:
    """Rich columns become paragraphs and lists; names, choices and dates print as written."""
    if key in _PILOT_RICH_KEYS:
        return rich_xml(record.values.get(key), styles)
    return wordxml.text_paragraph(plain_line(record.text(key)))


def _header(cells: list[tuple[str, int]]) -> str:
    """A header row: repeated on every page, and kept with the first row under it."""
    return wordxml.row([wordxml.cell(wordxml.paragraph(wordxml.run(text, bold=True),
                                                       keep_next=True), width, HEADER_FILL)
                        for text, width in cells], header=True)


CHANGES_BOOKMARK = (800_000, "_TocWijzigingen")


def changes_contents(changes: DiffResult | None) -> list[Heading]:
    return [Heading(1, CHANGES_HEADING, CHANGES_BOOKMARK)] if changes is not None else []


def _pilot_bookmark(index: int) -> tuple[int, str]:
    """(id, name); ids far above those Word gives a coordinator's own bookmarks."""
    return 3_000_000 + index, f"_TocPilot{index + 1}"


def card_heading(pilot: Record) -> str:
    """The card's heading: 'Kop in bijlage' when filled (an annex may head the card
    "Pilot schoolontbijt" for the pilot "Schoolontbijt"), else the pilot's name."""
    return plain_line(pilot.text("kop")) or plain_line(pilot.text("naam"))


def pilot_contents(pilots: list[Record]) -> list[Heading]:
    """The contents entries of the pilot cards: one per pilot, as pilot_cards_xml heads them."""
    return [Heading(1, card_heading(pilot), _pilot_bookmark(i)) for i, pilot in enumerate(pilots)]


def changes_xml(changes: DiffResult | None, styles: dict[str, str]) -> str:
    """The short overview of what changed in the pilots since the previous edition."""
    if changes is None:
        return ""
    parts = [wordxml.text_paragraph(CHANGES_HEADING, styles["heading1"], keep_next=True,
                                    bookmark=CHANGES_BOOKMARK)]
    groups = (
        ("Nieuw", changes.of("nieuw", schema.PILOTS.name), None),
        ("Niet meer opgenomen", changes.of("vervallen", schema.PILOTS.name), None),
        ("Gewijzigd", changes.of("gewijzigd", schema.PILOTS.name), "fields"),
    )
    for title, items, with_fields in groups:
        parts.append(wordxml.text_paragraph(f"{title} ({len(items)})", styles["label"],
                                            keep_next=bool(items)))
        for change in items:
            text = change.name
            if with_fields:
                text += ": " + ", ".join(f.label for f in change.fields)
            parts.append(wordxml.text_paragraph(text, styles["bullet"]))
    return "".join(parts)


def pilot_cards_xml(pilots: list[Record], styles: dict[str, str],
                    new_rows: frozenset[int] = frozenset(), new_page: bool = False,
                    roles: schema.ListRoles = schema.DEFAULT_ROLES) -> Iterator[str]:
    """The cards, one piece of XML per pilot: the build streams them into the document.

    new_page starts every card on a new page (the setting 'Elke pilot op een nieuwe pagina').
    """
    for index, pilot in enumerate(pilots):
        parts: list[str] = []
        name = plain_line(pilot.text("naam"))  # tags left out: html-in-tekstveld says so
        parts.append(wordxml.text_paragraph(card_heading(pilot), styles["heading1"],
                                            keep_next=True,
                                            page_break=new_page,
                                            bookmark=_pilot_bookmark(index)))
        if roles.last_time(pilot.text("opnemen")):
            parts.append(wordxml.text_paragraph(LAST_TIME_NOTE, styles["note"], keep_next=True))
        if pilot.row in new_rows:
            parts.append(wordxml.text_paragraph(NEW_NOTE, styles["note"], keep_next=True))
        for section, fields in schema.CARD_SECTIONS:
            if not fields:
                if pilot.text("omschrijving").strip():
                    parts.append(wordxml.text_paragraph(section, styles["heading2"], keep_next=True))
                    parts.append(rich_xml(pilot.values.get("omschrijving"), styles))
                continue
            rows = [(label, _value_xml(pilot, key, styles))
                    for label, key in fields if pilot.text(key).strip()]
            if rows:
                parts.append(wordxml.text_paragraph(section, styles["heading2"], keep_next=True))
                parts.append(_label_table(rows, styles, f"{section}: {name}",
                                          keep_after=section == schema.CARD_SECTIONS[0][0]))
        yield "".join(parts)


def _merge_continuations(actions: list[Record]) -> list[tuple[Record, list[object]]]:
    """Rows that only continue the previous Resultaat are printed as part of it."""
    merged: list[tuple[Record, list[object]]] = []
    for action in actions:
        if merged and schema.continues_previous(action.values):
            merged[-1][1].append(action.values.get("resultaat"))
        else:
            merged.append((action, [action.values.get("resultaat")]))
    return merged


def _status_cell(action: Record, roles: schema.ListRoles, styles: dict[str, str],
                 width: int) -> str:
    """The status as bold text on its colour; the colour sits on the status paragraph, not
    the cell, so a row that continues on the next page never leaves a coloured empty cell."""
    status = action.text("status")
    fill = roles.colour(status)
    content = wordxml.paragraph(wordxml.run(status, bold=True), fill=fill) if status else ""
    note = action.values.get("toelichting_status")
    if note:
        content += rich_xml(note, styles)
    return wordxml.cell(content or wordxml.paragraph(""), width)


def _ordered(values: list[str], preferred: list[str]) -> list[str]:
    known = [v for v in preferred if v in values]
    return known + [v for v in dict.fromkeys(values) if v not in known]


class _Opgave:
    """One status annex: its heading, its actions by doel and the counts per status."""

    def __init__(self, number: int, heading: str, actions: list[Record],
                 statuses: list[str], roles: schema.ListRoles) -> None:
        self.number = number
        self.roles = roles
        self.heading = heading
        merged = _merge_continuations(actions)
        self.by_doel: dict[str, list[tuple[Record, list[object]]]] = {}
        for action, results in merged:
            self.by_doel.setdefault(plain_line(action.text("doel")), []).append((action, results))
        counts = Counter(a.text("status") or "Geen status" for a, _ in merged)
        self.counts = [(status, counts[status]) for status in _ordered(list(counts), statuses)]
        self.total = sum(counts.values())

    def bookmark(self, part: int) -> tuple[int, str]:
        return 1_000_000 + 100_000 * self.number + part, f"_TocBijlage{self.number}_{part}"

    def doel_label(self, doel: str) -> str:
        return doel if doel.lower().startswith("doel") or not doel else f"Doel: {doel}"

    def contents(self) -> list[Heading]:
        entries = [Heading(1, self.heading, self.bookmark(0)),
                   Heading(2, OVERVIEW_HEADING, self.bookmark(1))]
        for k, doel in enumerate(self.by_doel, start=2):
            entries.append(Heading(2, self.doel_label(doel), self.bookmark(k)))
        return entries


OVERVIEW_HEADING = "Overzicht statussen"


def group_actions(register: Register) -> list[_Opgave]:
    """The actions by opgave and doel, as both the contents and the tables need them."""
    first = setting_number(register.setting_text("bijlage_acties_eerste_nummer"), 2)
    title = register.setting_text("bijlage_acties_titel") or "Uitvoeringsplan"
    opgaven = _ordered([a.text("opgave") for a in register.actions],
                       register.lists.get("opgave", []))
    statuses = register.lists.get("status", list(schema.vocabulary("status").values))
    by_opgave: dict[str, list[Record]] = {}
    for action in register.actions:
        by_opgave.setdefault(action.text("opgave"), []).append(action)
    return [_Opgave(first + index, f"Bijlage {first + index} {title} {opgave}",
                    by_opgave[opgave], statuses, register.roles) for index, opgave in enumerate(opgaven)]


def action_contents(register: Register, opgaven: list[_Opgave] | None = None) -> list[Heading]:
    """The contents entries of the status annexes, as action_sections_xml heads them.

    opgaven: the grouping action_sections_xml uses (build makes it once for both)."""
    return [entry for opgave in (opgaven or group_actions(register)) for entry in opgave.contents()]



_BAR_EMU = (1_260_000, 115_200)  # 3.5 cm by 0.32 cm
_PERCENT_TAB = 680  # the bars start at 1.2 cm, after "100%", so their lengths compare


def _overview(opgave: _Opgave, styles: dict[str, str], pictures: dict[str, str]) -> str:
    """Aantal acties per status: status (text on its colour), number, share as text and bar."""
    widths = wordxml.scaled((4000, 1800, 3200), _area(styles)[0])
    rows = [_header([("Status", widths[0]), ("Aantal acties", widths[1]),
                     ("Aandeel", widths[2])])]
    for status, n in opgave.counts:
        share = round(100 * n / opgave.total)
        fill = opgave.roles.colour(status)
        bar = ""
        picture = pictures.get(f"{share}:{fill}")
        if picture:
            drawing = getattr(styles, "drawing_id", lambda: 0)()
            bar = '<w:r><w:tab/></w:r>' + inline_picture(
                picture, drawing, f"{status}: {n} van {opgave.total} acties, {share} procent",
                *_BAR_EMU)
        rows.append(wordxml.row([
            wordxml.cell(wordxml.paragraph(wordxml.run(status, bold=True), keep_next=True),
                         widths[0], fill),
            wordxml.cell(wordxml.text_paragraph(str(n), keep_next=True), widths[1]),
            wordxml.cell(wordxml.paragraph(wordxml.run(f"{share}%") + bar, keep_next=True,
                                           tab=_PERCENT_TAB), widths[2]),
        ], cant_split=True))
    rows.append(wordxml.row([
        wordxml.cell(wordxml.paragraph(wordxml.run("Totaal", bold=True)), widths[0]),
        wordxml.cell(wordxml.paragraph(wordxml.run(str(opgave.total), bold=True)), widths[1]),
        wordxml.cell(wordxml.paragraph(wordxml.run("100%", bold=True)), widths[2]),
    ], cant_split=True))  # no blank cell: a screen reader would say "leeg"
    caption = f"{OVERVIEW_HEADING} {opgave.heading}"
    return wordxml.table(rows, widths, styles["table"], caption, OVERVIEW_DESCRIPTION)


def _bar_pictures(opgaven: Iterable[_Opgave], styles: dict[str, str]) -> dict[str, str]:
    """The bars' pictures, added to the document before its body is streamed."""
    add = getattr(styles, "picture", None)
    if add is None:
        return {}
    pictures = {}
    for opgave in opgaven:
        for status, n in opgave.counts:
            share = round(100 * n / opgave.total)
            fill = opgave.roles.colour(status)
            key = f"{share}:{fill}"
            if key not in pictures:
                pictures[key] = add(bar_png(share / 100, fill))
    return pictures


def action_sections_xml(register: Register, styles: dict[str, str],
                        opgaven: list[_Opgave] | None = None) -> Iterator[str]:
    """Per opgave its heading, status overview and tables, in pieces for streaming.

    Not a generator itself: the bars' pictures are added to the document at once, before
    the document is saved; the XML comes piece by piece.
    """
    opgaven = opgaven or group_actions(register)
    pictures = _bar_pictures(opgaven, styles)
    return _action_pieces(opgaven, styles, pictures)


def _action_pieces(opgaven: list[_Opgave], styles: dict[str, str],
                   pictures: dict[str, str]) -> Iterator[str]:
    text_width, height = _area(styles)
    widths = wordxml.scaled((3000, 4200, 2000), text_width)
    for opgave in opgaven:
        parts = [wordxml.text_paragraph(opgave.heading, styles["heading1"], keep_next=True,
                                        page_break=True, bookmark=opgave.bookmark(0)),
                 wordxml.text_paragraph(OVERVIEW_HEADING, styles["heading2"], keep_next=True,
                                        bookmark=opgave.bookmark(1)),
                 _overview(opgave, styles, pictures)]
        for k, (doel, items) in enumerate(opgave.by_doel.items(), start=2):
            label = opgave.doel_label(doel)
            parts.append(wordxml.text_paragraph(label, styles["heading2"], keep_next=True,
                                                bookmark=opgave.bookmark(k)))
            rows = [_header([("Activiteit", widths[0]), ("Resultaat", widths[1]),
                             ("Status", widths[2])])]
            for action, results in items:
                result_xml = "".join(rich_xml(r, styles) for r in results if r) or \
                    wordxml.paragraph("")
                cells = [(rich_xml(action.values.get("activiteit"), styles), widths[0]),
                         (result_xml, widths[1])]
                status = _status_cell(action, opgave.roles, styles, widths[2])
                rows.append(wordxml.row([wordxml.cell(xml, w) for xml, w in cells] + [status],
                                        cant_split=_fits_on_a_page(
                                            cells + [(status, widths[2])], height)))
            parts.append(wordxml.table(rows, widths, styles["table"], label,
                                       ACTION_TABLE_DESCRIPTION))
        yield "".join(parts)


#: The highest annex number the toolkit accepts: a council document has dozens, not
#: thousands; a larger number is a typing error (10000 for 10).
MAX_ANNEX_NUMBER = 999
_ANNEX_NUMBER = re.compile(r"^\s*([0-9]{1,3})\s*([a-zA-Z]?)\s*$")


def annex_number(text: str, letter_ok: bool = False) -> int | None:
    """The number of an annex as typed in Instellingen ('5', '5.0', '5a'), or None.

    Only whole numbers from 1 to MAX_ANNEX_NUMBER; '5a' only where letter_ok.
    """
    text = text.strip()
    if text.endswith(".0"):  # a number cell Excel stored as 5.0
        text = text[:-2]
    match = _ANNEX_NUMBER.match(text)
    if not match or (match.group(2) and not letter_ok):
        return None
    number = int(match.group(1))
    return number if 1 <= number <= MAX_ANNEX_NUMBER else None


def setting_number(text: str, default: int) -> int:
    """A whole annex number from a setting; default when it is not one (validation says so)."""
    number = annex_number(text)
    return default if number is None else number


def municipality(text: str) -> str:
    """The gemeente setting without a leading 'Gemeente ': the templates write that word."""
    stripped = text.strip()
    head, _, rest = stripped.partition(" ")
    if head.lower() == "gemeente" and rest.strip():
        return rest.strip()
    return stripped


def published_pilots(register: Register) -> list[Record]:
    """Pilots whose 'Opnemen in bijlage' means published (Ja, Laatste keer or the
    coordinator's own wording for them), in register order (a stable order)."""
    return register.published(register.types.get("pilots"))
