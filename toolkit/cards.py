"""The repeated body of the annexes: pilot cards, action tables, the changes overview.

Written as WordprocessingML in the template's own styles (see wordxml for why), so a
coordinator's restyling in Word carries over to every card and table.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from . import schema, wordxml
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


@lru_cache(maxsize=256)
def _label_cell(label: str, style: str) -> str:
    return wordxml.cell(wordxml.text_paragraph(label, style), 3000)


def _label_table(rows: list[tuple[str, str]], styles: dict[str, str], caption: str) -> str:
    style = styles["label"]
    out = [wordxml.row([_label_cell(label, style), wordxml.cell(content, 6000)])
           for label, content in rows]
    return wordxml.table(out, [3000, 6000], styles["table"], caption)


_PILOT_RICH_KEYS = frozenset(c.key for c in schema.PILOTS.columns if c.kind is schema.Kind.RICH)


def _value_xml(record: Record, key: str, styles: dict[str, str]) -> str:
    """Rich columns become paragraphs and lists; names, choices and dates print as written."""
    if key in _PILOT_RICH_KEYS:
        return rich_xml(record.values.get(key), styles)
    return wordxml.text_paragraph(plain_line(record.text(key)))


def _header(cells: list[tuple[str, int]]) -> str:
    return wordxml.row([wordxml.cell(wordxml.paragraph(wordxml.run(text, bold=True)), width,
                                     HEADER_FILL) for text, width in cells], header=True)


def changes_xml(changes: DiffResult | None, styles: dict[str, str]) -> str:
    """The short overview of what changed in the pilots since the previous edition."""
    if changes is None:
        return ""
    parts = [wordxml.text_paragraph(CHANGES_HEADING, styles["heading1"], keep_next=True)]
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
                    new_rows: frozenset[int] = frozenset()) -> Iterator[str]:
    """The cards, one piece of XML per pilot: the build streams them into the document."""
    for pilot in pilots:
        parts: list[str] = []
        name = plain_line(pilot.text("naam"))  # tags left out: html-in-tekstveld says so
        parts.append(wordxml.text_paragraph(name, styles["heading1"], keep_next=True))
        if schema.normalise(pilot.text("opnemen")) == "laatste keer":
            parts.append(wordxml.text_paragraph(LAST_TIME_NOTE, styles["note"]))
        if pilot.row in new_rows:
            parts.append(wordxml.text_paragraph(NEW_NOTE, styles["note"]))
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
                parts.append(_label_table(rows, styles, f"{section}: {name}"))
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


def _status_cell(action: Record, styles: dict[str, str]) -> str:
    status = action.text("status")
    fill = schema.STATUS_COLOURS.get(status, schema.UNLISTED_STATUS_COLOUR)
    content = wordxml.paragraph(wordxml.run(status, bold=True)) if status else ""
    note = action.values.get("toelichting_status")
    if note:
        content += rich_xml(note, styles)
    return wordxml.cell(content or wordxml.paragraph(""), 2000, fill)


def _ordered(values: list[str], preferred: list[str]) -> list[str]:
    known = [v for v in preferred if v in values]
    return known + [v for v in dict.fromkeys(values) if v not in known]


def action_sections_xml(register: Register, styles: dict[str, str]) -> Iterator[str]:
    """Per opgave its heading, status overview and tables, in pieces for streaming."""
    first = setting_number(register.setting_text("bijlage_acties_eerste_nummer"), 2)
    title = register.setting_text("bijlage_acties_titel") or "Uitvoeringsplan"
    opgaven = _ordered([a.text("opgave") for a in register.actions],
                       register.lists.get("opgave", []))
    statuses = register.lists.get("status", list(schema.vocabulary("status").values))
    parts: list[str] = []
    by_opgave: dict[str, list[Record]] = {}
    for action in register.actions:
        by_opgave.setdefault(action.text("opgave"), []).append(action)
    for index, opgave in enumerate(opgaven):
        merged = _merge_continuations(by_opgave[opgave])
        by_doel: dict[str, list[tuple[Record, list[object]]]] = {}
        for action, results in merged:
            by_doel.setdefault(plain_line(action.text("doel")), []).append((action, results))
        heading = f"Bijlage {first + index} {title} {opgave}"
        parts.append(wordxml.text_paragraph(heading, styles["heading1"], page_break=index > 0))
        counts = Counter(a.text("status") or "Geen status" for a, _ in merged)
        parts.append(wordxml.text_paragraph("Overzicht statussen", styles["heading2"],
                                            keep_next=True))
        rows = [_header([("Status", 4000), ("Aantal acties", 1800), ("Aandeel", 3200)])]
        total = sum(counts.values())
        for status in _ordered(list(counts), statuses):
            n = counts[status]
            share = round(100 * n / total)
            rows.append(wordxml.row([
                wordxml.cell(wordxml.paragraph(wordxml.run(status, bold=True)), 4000,
                             schema.STATUS_COLOURS.get(status, schema.UNLISTED_STATUS_COLOUR)),
                wordxml.cell(wordxml.text_paragraph(str(n)), 1800),
                wordxml.cell(wordxml.text_paragraph(f"{'█' * max(1, share // 5)} {share}%"),
                             3200),
            ]))
        rows.append(wordxml.row([
            wordxml.cell(wordxml.paragraph(wordxml.run("Totaal", bold=True)), 4000),
            wordxml.cell(wordxml.paragraph(wordxml.run(str(total), bold=True)), 1800),
            wordxml.cell(wordxml.text_paragraph(""), 3200),
        ]))
        parts.append(wordxml.table(rows, [4000, 1800, 3200], styles["table"],
                                   f"Overzicht statussen {opgave}"))
        for doel, items in by_doel.items():
            label = doel if doel.lower().startswith("doel") or not doel else f"Doel: {doel}"
            parts.append(wordxml.text_paragraph(label, styles["heading2"], keep_next=True))
            rows = [_header([("Activiteit", 3000), ("Resultaat", 4200), ("Status", 2000)])]
            for action, results in items:
                result_xml = "".join(rich_xml(r, styles) for r in results if r) or \
                    wordxml.paragraph("")
                rows.append(wordxml.row([
                    wordxml.cell(rich_xml(action.values.get("activiteit"), styles), 3000),
                    wordxml.cell(result_xml, 4200),
                    _status_cell(action, styles),
                ]))
            parts.append(wordxml.table(rows, [3000, 4200, 2000], styles["table"], label))
        yield "".join(parts)
        parts = []


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
    """Pilots marked Ja or Laatste keer, in register order (a stable order)."""
    return [p for p in register.pilots
            if schema.normalise(p.text("opnemen")) in ("ja", "laatste keer")]
