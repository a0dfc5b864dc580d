"""The building blocks of a declaration: columns, list values and their roles, settings,
table sheets. Kept apart from schema (which holds what is declared) so that the loader
of declaration files (annextypes) and schema can both use them without a cycle.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property, lru_cache


class Kind(StrEnum):
    """How a cell's content is interpreted. Code asks a kind for its traits (below), never
    which kind it is, so a new kind is its member here and its traits in KIND_TRAITS."""

    ID = "id"
    TEXT = "tekst"
    RICH = "rijke tekst"
    DATE = "datum of omschrijving"
    CHOICE = "keuze uit lijst"

    @property
    def traits(self) -> KindTraits:
        return KIND_TRAITS[self]


@dataclass(frozen=True)
class KindTraits:
    """What a column kind does, at every step that reads, checks, writes or prints it."""

    #: how a declaration may name the kind (`soort = "rijk"`), besides the Kind's value
    words: tuple[str, ...]
    #: read and printed as rich text: lists, bold, the CMS's HTML (else as one plain line)
    rich: bool = False
    #: typed text: formatted as text in Excel ('@': "-" starts no formula), checked for
    #: HTML tags, control and direction characters, and what the annex cannot show
    free_text: bool = False
    #: published without markup: a tag in it is named (html-in-tekstveld)
    plain: bool = False
    #: holds text, so a number Excel made of it is worth a word (getal-onleesbaar)
    holds_text: bool = False
    #: names a row: look-alike characters and spaces are named (id-onzichtbaar)
    identifies: bool = False
    #: a date or a Dutch date phrase: read as its earliest and latest day, checked for
    #: readability, sorted by date, a date cell in Excel, usable by the date rules
    dated: bool = False
    #: a value from a keuzelijst: checked against it, sorted in its order, coloured by its
    #: meaning, usable as a group or cross-tab column and by the meaning rules
    listed: bool = False

    @property
    def repeats(self) -> bool:
        """Short values that recur (a status, a date as typed): held once in memory."""
        return self.dated or self.listed


KIND_TRAITS: dict[Kind, KindTraits] = {
    Kind.ID: KindTraits(("id",), holds_text=True, identifies=True),
    Kind.TEXT: KindTraits(("tekst",), free_text=True, plain=True, holds_text=True),
    Kind.RICH: KindTraits(("rijke tekst", "rijk"), rich=True, free_text=True, holds_text=True),
    Kind.DATE: KindTraits(("datum",), dated=True),
    Kind.CHOICE: KindTraits(("keuze",), listed=True),
}


def kinds_where(trait: str) -> tuple[Kind, ...]:
    """The kinds with a trait ("dated"): what a declaration may use where that is needed."""
    return tuple(kind for kind in Kind if getattr(kind.traits, trait))


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind
    help: str
    width: int = 20
    required: bool = False
    vocabulary: str | None = None
    published: bool = True
    aliases: tuple[str, ...] = ()
    #: the column whose value is printed when this one is empty ('als_leeg': a card's
    #: heading 'Kop in bijlage', else the name)
    fallback: str | None = None

    @property
    def internal(self) -> bool:
        return not self.published


@dataclass(frozen=True)
class Role:
    """What a list value means to the toolkit, whatever the coordinator calls it.

    The label is the standard wording (also the default value); a Lijsten sheet that
    uses its own wording says per value, in the column beside the list, which standard
    wording it stands for. Code asks by these flags, never by the wording itself, so a
    renamed value keeps its meaning.
    """

    key: str
    label: str
    help: str
    required: bool = False  # a list without a value for this role is a finding
    published: bool = False  # opnemen: the pilot goes into the annex
    last_time: bool = False  # opnemen: ... for the last time, with a note
    finished: bool = False  # status: the action is done and leaves the next edition
    colour: str = ""  # status: fill beside the status text


@dataclass(frozen=True)
class Vocabulary:
    key: str
    label: str
    help: str
    values: tuple[str, ...]
    roles: tuple[Role, ...] = ()

    @property
    def role_label(self) -> str:
        """Header of the column beside the list that says what each value means."""
        return f"{self.label}: betekenis"


def _roled(key: str, label: str, help: str, roles: tuple[Role, ...]) -> Vocabulary:
    """A vocabulary whose default values are its roles' standard wordings."""
    return Vocabulary(key, label, help, tuple(r.label for r in roles), roles)


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    help: str
    default: str = ""
    required: bool = True
    kind: Kind = Kind.TEXT
    #: left empty, it gives a warning (inleiding-leeg): optional, but the annex should have it
    warn_empty: bool = False


@dataclass(frozen=True)
class TableSheet:
    name: str
    table_name: str
    purpose: str
    columns: tuple[Column, ...]
    key_column: str = "id"
    name_column: str = "naam"
    #: who keeps a row up to date (the owners' report groups findings by it)
    owner_column: str | None = None
    #: the columns that together say what a row is about ('kenmerken': diff warns when
    #: most change at once under the same name)
    identity: tuple[str, ...] = ()
    #: how the owner column is read: the first name before any of these characters
    #: ("Pieter Jansen; Woonbron, Vidomes" is Pieter Jansen's row); "": the whole text
    owner_separators: str = ""

    def owner(self, text: str) -> str:
        """The owner named in an owner cell, spaces tidied; '' when it names none."""
        if self.owner_separators:
            pieces = re.split("[" + re.escape(self.owner_separators) + "]", text)
            text = next((piece for piece in pieces if piece.strip()), "")
        return " ".join(text.split())

    @cached_property
    def _by_key(self) -> dict[str, Column]:
        return {col.key: col for col in self.columns}

    def column(self, key: str) -> Column:
        return self._by_key[key]

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)


_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


@lru_cache(maxsize=65_536)  # controlled values repeat on every row
def normalise(text: str) -> str:
    """Fold what officers cannot see (case, non-breaking and zero-width spaces) away."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = text.replace("\u00a0", " ")
    return " ".join(text.split()).casefold()


#: Settings of every register, whatever its annex types; each type declares its own
#: settings (toolkit/declarations/bijlagetypen/*.toml), which come between these and LAST_SETTINGS.
COMMON_SETTINGS: tuple[Setting, ...] = (
    # neutral defaults: a new register carries no municipality's values (toolkit init)
    Setting("gemeente", "Gemeente", "Naam van de gemeente, voor titelpagina en voettekst.", ""),
    Setting(
        "editie", "Editie", "Voor welk document is deze editie, bijvoorbeeld 'Programmabegroting 2025'.", ""
    ),
    # not "required": a missing peildatum has its own warning (peildatum-ontbreekt)
    Setting(
        "peildatum",
        "Peildatum",
        "De datum waartegen de datumregels worden getoetst (bijvoorbeeld 1-4-2024).",
        "",
        required=False,
        kind=Kind.DATE,
    ),
)
LAST_SETTINGS: tuple[Setting, ...] = (
    Setting(
        "sjablonen",
        "Map met Word-sjablonen",
        "Leeg: de meegeleverde sjablonen. Anders "
        "een map met de Word-sjablonen (met de namen van de meegeleverde) en eventueel eigen "
        "bijlagetypen (*.toml), ten opzichte van de map van dit register (of een volledig "
        "pad). Maak die map met 'toolkit sjablonen MAP'.",
        "",
        required=False,
    ),
)

SETTINGS_SHEET = "Instellingen"
LISTS_SHEET = "Lijsten"
INSTRUCTIONS_SHEET = "Instructies"
