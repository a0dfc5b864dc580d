"""The declared arrangement of an annex: grouping, sorting, overviews, notes.

A declaration's [indeling] says how the records of an annex type are arranged around
the sample card or row of its Word template: in groups with headings (per opgave, then
per doel), in an order (a column, a date column by its earliest date, a list column in
list order), with a status overview per group and in total, a cross-tab, and notes for
new records and records shown for the last time. It is data, read once from the
declaration, so every annex type (bundled or a municipality's own) gets the same
arrangement code (layout_word renders it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from toolkit.declarations.keys import TABLES, children
from toolkit.declarations.model import Kind, TableSheet, kinds_where

if TYPE_CHECKING:
    pass

#: the note above a record that is new since the previous edition (build --previous)
NEW_NOTE = "Nieuw in deze editie."
OVERVIEW_HEADING = "Overzicht statussen"


@dataclass(frozen=True)
class GroupLevel:
    """One level of grouping: the records with the same value in column under a heading."""

    column: str
    #: the heading, with {waarde} (the group's value), {nummer} and {setting} placeholders
    heading: str = "{waarde}"
    new_page: bool = False
    #: {nummer} of the first group: a number, or the key of a setting that holds it
    number_from: int | str = 1
    #: a status overview of this group's records under its heading
    overview: bool = False
    #: a word before a value that does not start with it ("Doel" -> "Doel: …")
    prefix: str = ""


@dataclass(frozen=True)
class Overview:
    """Counts per value of a choice column (the status), with share, bar and colour."""

    column: str
    heading: str = OVERVIEW_HEADING
    #: one overview of all records ({{ statusoverzicht }}, or before the records)
    total: bool = True


@dataclass(frozen=True)
class CrossTab:
    """Rows from one column, columns from another, cells from a third (or a count)."""

    rows: str
    columns: str
    cells: str | None = None
    heading: str = "Overzicht"


@dataclass(frozen=True)
class Continuation:
    """A row that only continues the previous row's text: a page break in an earlier
    Word edition split a cell, and the pieces were pasted as two rows."""

    column: str  # the continued column (filled in a continuation row)
    empty: tuple[str, ...]  # the columns that are empty in a continuation row

    def continues(self, values: dict[str, object]) -> bool:
        for key in self.empty:  # most rows fill the first of these: one look decides
            if str(values.get(key) or "").strip():
                return False
        return bool(str(values.get(self.column) or "").strip())


@dataclass(frozen=True)
class Layout:
    groups: tuple[GroupLevel, ...] = ()
    sort: tuple[str, ...] = ()
    overview: Overview | None = None
    crosstab: CrossTab | None = None
    #: a paragraph or table row of the sample whose fields are all empty is left out
    omit_empty: bool = False
    #: note above a record new since the previous edition ("" = none)
    new_note: str = NEW_NOTE
    #: note above a record whose inclusion value means "last time" ("" = none)
    last_note: str = ""
    #: rows that continue the previous row are printed as part of it
    continuation: Continuation | None = None
    #: every card on a new page: True, or the key of a setting that says Ja or Nee
    new_page: bool | str = False

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the arrangement names (checked against the sheet)."""
        named = [g.column for g in self.groups] + list(self.sort)
        if self.overview:
            named.append(self.overview.column)
        if self.crosstab:
            named += [self.crosstab.rows, self.crosstab.columns]
            if self.crosstab.cells:
                named.append(self.crosstab.cells)
        return tuple(named)


#: every key of [indeling] and its sub-tables, with its Dutch meaning; declared once in
#: declaration_keys (which also checks them and documents them in docs/verklaringen.md)
LAYOUT_KEYS: dict[str, dict[str, str]] = {
    table.name: {
        **{key.name: key.help for key in table.keys},
        **{sub.short: sub.heading for sub in children(table.name)},
    }
    for table in TABLES.values()
    if table.name.split(".")[0] == "indeling"
}


def read_layout(
    data: Any, sheet: TableSheet, settings: Iterable[str], fail: Callable[[str, str], Exception]
) -> Layout:
    """The [indeling] of a declaration; fail(where, what) makes the Dutch error."""
    if data is None:
        return Layout()
    if not isinstance(data, dict):
        raise fail("[indeling]", "schrijf [indeling] als onderdeel met vierkante haken.")
    setting_keys = set(settings)

    def known(table: str, entry: dict[str, Any], where: str) -> None:
        import difflib

        for key in entry:
            if key not in LAYOUT_KEYS[table]:
                near = difflib.get_close_matches(key, list(LAYOUT_KEYS[table]), n=1)
                hint = f" Bedoelt u '{near[0]}'?" if near else f" Geldig: {', '.join(LAYOUT_KEYS[table])}."
                raise fail(where, f"de sleutel '{key}' bestaat niet.{hint}")

    def text(entry: dict[str, Any], key: str, where: str, default: str) -> str:
        value = entry.get(key, default)
        if not isinstance(value, str):
            raise fail(where, f"'{key}' moet tekst zijn (tussen aanhalingstekens).")
        return value

    def flag(entry: dict[str, Any], key: str, where: str, default: bool) -> bool:
        value = entry.get(key, default)
        if not isinstance(value, bool):
            raise fail(where, f"'{key}' moet true of false zijn.")
        return value

    def column(
        entry: dict[str, Any], key: str, where: str, kinds: Sequence[Kind] = (), required: bool = True
    ) -> str | None:
        value = entry.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str):
            raise fail(where, f"'{key}' is de sleutel van een kolom, tussen aanhalingstekens.")
        col = next((c for c in sheet.columns if c.key == value), None)
        if col is None:
            import difflib

            near = difflib.get_close_matches(value, [c.key for c in sheet.columns], n=1)
            hint = f" Bedoelt u '{near[0]}'?" if near else ""
            raise fail(where, f"'{key}' noemt de kolom '{value}', maar die is niet verklaard.{hint}")
        if kinds and col.kind not in kinds:
            names = " of ".join(f"'{k.value}'" for k in kinds)
            raise fail(where, f"de kolom '{value}' moet van soort {names} zijn.")
        return value

    known("indeling", data, "[indeling]")
    sort = data.get("sorteren", [])
    if isinstance(sort, str):
        sort = [sort]
    if not isinstance(sort, list) or not all(isinstance(s, str) for s in sort):
        raise fail("[indeling]", "'sorteren' is een lijst met kolomsleutels, zoals [\"datum\"].")
    for key in sort:
        column({"kolom": key}, "kolom", "[indeling] sorteren")
    groups_data = data.get("groep", [])
    if isinstance(groups_data, dict):
        groups_data = [groups_data]
    if not isinstance(groups_data, list) or not all(isinstance(g, dict) for g in groups_data):
        raise fail("[[indeling.groep]]", "schrijf elk niveau als [[indeling.groep]].")
    if len(groups_data) > 3:
        raise fail("[[indeling.groep]]", "hoogstens drie niveaus van groeperen (Kop 1 tot 3).")
    groups = []
    for index, entry in enumerate(groups_data, start=1):
        where = f"[[indeling.groep]] nummer {index}"
        known("indeling.groep", entry, where)
        number = entry.get("nummer_vanaf", 1)
        if (
            isinstance(number, bool)
            or not isinstance(number, int | str)
            or (isinstance(number, str) and number not in setting_keys)
        ):
            raise fail(where, "'nummer_vanaf' is een getal of de sleutel van een [[instelling]].")
        heading = text(entry, "kop", where, "{waarde}")
        groups.append(
            GroupLevel(
                column(entry, "kolom", where) or "",
                heading,
                flag(entry, "nieuwe_pagina", where, False),
                number,
                flag(entry, "statusoverzicht", where, False),
                text(entry, "voorvoegsel", where, ""),
            )
        )
    overview = None
    if "statusoverzicht" in data:
        entry = data["statusoverzicht"]
        where = "[indeling.statusoverzicht]"
        if not isinstance(entry, dict):
            raise fail(where, "schrijf het statusoverzicht als [indeling.statusoverzicht].")
        known("indeling.statusoverzicht", entry, where)
        overview = Overview(
            column(entry, "kolom", where, kinds_where("listed")) or "",
            text(entry, "kop", where, OVERVIEW_HEADING),
            flag(entry, "totaal", where, True),
        )
    if any(g.overview for g in groups) and overview is None:
        raise fail(
            "[[indeling.groep]]",
            "'statusoverzicht = true' vraagt om een [indeling.statusoverzicht] met de kolom van de status.",
        )
    crosstab = None
    if "kruistabel" in data:
        entry = data["kruistabel"]
        where = "[indeling.kruistabel]"
        if not isinstance(entry, dict):
            raise fail(where, "schrijf de kruistabel als [indeling.kruistabel].")
        known("indeling.kruistabel", entry, where)
        crosstab = CrossTab(
            column(entry, "rijen", where) or "",
            column(entry, "kolommen", where) or "",
            column(entry, "cellen", where, required=False),
            text(entry, "kop", where, "Overzicht"),
        )
    continuation = None
    if "vervolgrij" in data:
        entry = data["vervolgrij"]
        where = "[indeling.vervolgrij]"
        if not isinstance(entry, dict):
            raise fail(where, "schrijf de vervolgrij als [indeling.vervolgrij].")
        known("indeling.vervolgrij", entry, where)
        empty = entry.get("leeg")
        if not isinstance(empty, list) or not empty or not all(isinstance(k, str) for k in empty):
            raise fail(where, "'leeg' is een lijst met kolomsleutels, zoals [\"activiteit\"].")
        for key in empty:
            column({"leeg": key}, "leeg", where)
        continuation = Continuation(column(entry, "kolom", where) or "", tuple(empty))
    new_page = data.get("nieuwe_pagina", False)
    if not isinstance(new_page, bool) and new_page not in setting_keys:
        raise fail(
            "[indeling]", "'nieuwe_pagina' is true, false of de sleutel van een [[instelling]] (Ja/Nee)."
        )
    return Layout(
        tuple(groups),
        tuple(sort),
        overview,
        crosstab,
        flag(data, "leeg_weglaten", "[indeling]", False),
        text(data, "nieuw", "[indeling]", NEW_NOTE),
        text(data, "voor_het_laatst", "[indeling]", ""),
        continuation,
        new_page,
    )
