"""The declared arrangement of an annex: grouping, sorting, overviews, notes.

A declaration's [indeling] says how the records of an annex type are arranged around
the sample card or row of its Word template: in groups with headings (per opgave, then
per doel), in an order (a column, a date column by its earliest date, a list column in
list order), with a status overview per group and in total, a cross-tab, and notes for
new records and records shown for the last time. It is data, read once from the
declaration, so every annex type (bundled or a municipality's own) gets the same
arrangement code (layouts.word and layouts.html render it). The blocks beside the
records (a status overview, a cross-tab) are elements: each declares its own keys and
block in declarations.elements, and is read here like any other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from toolkit.core.closest import closest
from toolkit.declarations.elements import ELEMENTS, Declared
from toolkit.declarations.keys import TABLES, children
from toolkit.declarations.model import TableSheet
from toolkit.declarations.rulekinds import param_value

if TYPE_CHECKING:
    pass

#: the note above a record that is new since the previous edition (build --previous)
NEW_NOTE = "Nieuw in deze editie."


@dataclass(frozen=True)
class GroupLevel:
    """One level of grouping: the records with the same value in column under a heading."""

    column: str
    #: the heading, with {waarde} (the group's value), {nummer} and {setting} placeholders
    heading: str = "{waarde}"
    new_page: bool = False
    #: {nummer} of the first group: a number, or the key of a setting that holds it
    number_from: int | str = 1
    #: a word before a value that does not start with it ("Doel" -> "Doel: …")
    prefix: str = ""
    #: the elements (by name) shown for this group's records under its heading
    elements: tuple[str, ...] = ()


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
    #: the elements beside the records (a status overview, a cross-tab), in registry order
    elements: tuple[Declared, ...] = ()
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
        for element in self.elements:
            named += element.columns
        return tuple(named)

    def element(self, name: str) -> Declared | None:
        return next((e for e in self.elements if e.name == name), None)

    @property
    def counted(self) -> Declared | None:
        """The first element that counts the values of a list column (the status
        overview): the web edition filters on that column."""
        return next((e for e in self.elements if e.counted), None)


def layout_keys() -> dict[str, dict[str, str]]:
    """Every key of [indeling] and its sub-tables, with its Dutch meaning; declared once in
    declarations.keys (which also checks them and documents them in docs/verklaringen.md),
    the elements' keys with their element."""
    return {
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
    keys = layout_keys()

    def known(table: str, entry: dict[str, Any], where: str) -> None:
        for key in entry:
            if key not in keys[table]:
                near = closest(key, keys[table])
                hint = f" Bedoelt u '{near}'?" if near else f" Geldig: {', '.join(keys[table])}."
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

    def column(entry: dict[str, Any], key: str, where: str) -> str:
        value = entry.get(key)
        if not isinstance(value, str):
            raise fail(where, f"'{key}' is de sleutel van een kolom, tussen aanhalingstekens.")
        if not any(c.key == value for c in sheet.columns):
            near = closest(value, [c.key for c in sheet.columns])
            hint = f" Bedoelt u '{near}'?" if near else ""
            raise fail(where, f"'{key}' noemt de kolom '{value}', maar die is niet verklaard.{hint}")
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
        per_group = tuple(
            e.name for e in ELEMENTS.values() if e.per_group and flag(entry, e.name, where, False)
        )
        for name in per_group:
            if name not in data:
                raise fail(where, f"'{name} = true' vraagt om een [indeling.{name}].")
        groups.append(
            GroupLevel(
                column(entry, "kolom", where),
                heading,
                flag(entry, "nieuwe_pagina", where, False),
                number,
                text(entry, "voorvoegsel", where, ""),
                per_group,
            )
        )
    elements = []
    columns = {c.key: c for c in sheet.columns}
    for element in ELEMENTS.values():
        if element.name not in data:
            continue
        entry = data[element.name]
        where = f"[indeling.{element.name}]"
        if not isinstance(entry, dict):
            raise fail(where, f"schrijf dit onderdeel als {where}.")
        known(f"indeling.{element.name}", entry, where)
        values: dict[str, object] = {}

        def failing(what: str, where: str = where) -> Exception:
            return fail(where, what)

        for param in element.params:
            if param.name in entry:
                values[param.name] = param_value(param, entry[param.name], columns, failing)
            elif param.required:
                raise fail(where, f"'{param.name}' ontbreekt: {param.help}")
            else:
                values[param.name] = param.default
        elements.append(Declared(element, values))
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
        continuation = Continuation(column(entry, "kolom", where), tuple(empty))
    new_page = data.get("nieuwe_pagina", False)
    if not isinstance(new_page, bool) and new_page not in setting_keys:
        raise fail(
            "[indeling]", "'nieuwe_pagina' is true, false of de sleutel van een [[instelling]] (Ja/Nee)."
        )
    return Layout(
        tuple(groups),
        tuple(sort),
        tuple(elements),
        flag(data, "leeg_weglaten", "[indeling]", False),
        text(data, "nieuw", "[indeling]", NEW_NOTE),
        text(data, "voor_het_laatst", "[indeling]", ""),
        continuation,
        new_page,
    )
