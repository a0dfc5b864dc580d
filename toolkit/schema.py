"""The register's columns, declared once.

Every label, help text, vocabulary and rule that the workbook template, the reader,
the validators, the reports and the documentation use comes from here, so that a
renamed column or a new status is changed in one place only. The same holds for what
list values mean (Role): code asks "is this published / last time / finished, which
colour?" through ListRoles, never by comparing with a wording such as "Laatste keer",
because a coordinator may rename the values on the Lijsten sheet.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property, lru_cache


class Kind(StrEnum):
    """How a cell's content is interpreted."""

    ID = "id"
    TEXT = "tekst"
    RICH = "rijke tekst"
    DATE = "datum of omschrijving"
    CHOICE = "keuze uit lijst"


UNKNOWN_ANSWER = "Nog niet bekend"


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


@dataclass(frozen=True)
class TableSheet:
    name: str
    table_name: str
    purpose: str
    columns: tuple[Column, ...]
    key_column: str = "id"
    name_column: str = "naam"

    @cached_property
    def _by_key(self) -> dict[str, Column]:
        return {col.key: col for col in self.columns}

    def column(self, key: str) -> Column:
        return self._by_key[key]

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)


EVALUATION_QUESTIONS = ("succesvol", "beleid", "financieel", "gerapporteerd")

PILOTS = TableSheet(
    name="Pilots",
    table_name="Pilots",
    purpose="Eén rij per pilot. Deze rijen vullen de Bijlage Monitoring evaluatie pilots.",
    columns=(
        Column("id", "ID", Kind.ID, "Unieke code van de pilot, bijvoorbeeld P-013. Nooit hergebruiken.",
               width=9, required=True),
        Column("naam", "Naam pilot", Kind.TEXT, "De naam van de pilot zoals die in de bijlage komt.",
               width=30, required=True, aliases=("Naam", "Pilot")),
        Column("omschrijving", "Korte omschrijving", Kind.RICH,
               "Waar gaat de pilot over? Een paar zinnen; opsommingen met • of - mogen "
               "(Alt+Enter voor een nieuwe regel).", width=60, required=True,
               aliases=("Omschrijving",)),
        Column("programma", "Programma", Kind.CHOICE,
               "Kies het programma uit de lijst (tabblad Lijsten).", width=28, required=True,
               vocabulary="programma"),
        Column("portefeuille", "Portefeuille", Kind.CHOICE,
               "Kies de portefeuille uit de lijst (tabblad Lijsten).", width=28, required=True,
               vocabulary="portefeuille", aliases=("Portefeulle", "Portefeuillehouder")),
        Column("doel", "Doel / beoogd resultaat", Kind.RICH,
               "Wat moet de pilot opleveren? Schrijf het beoogde resultaat zo concreet mogelijk.",
               width=60, required=True,
               aliases=("Doel, beoogd resultaat", "Doel/Beoogd resultaat", "Doel")),
        Column("startdatum", "Startdatum", Kind.DATE,
               "Een datum (1-9-2022) of een omschrijving: 'september 2022', "
               "'4de kwartaal 2024', '1ste helft 2025', '2018', 'Nog niet bekend'.",
               width=18, required=True),
        Column("einddatum", "Einddatum", Kind.DATE,
               "Een datum of een omschrijving, zoals bij Startdatum. Onbekend? Schrijf "
               "'Nog niet bekend'.", width=18, required=True),
        Column("evaluatiemoment", "Evaluatiemoment", Kind.DATE,
               "Wanneer wordt geëvalueerd? Een datum, 'Q1-2025', 'jaarlijks', "
               "'december 2023, februari 2024' of 'Nog niet bekend'.", width=22, required=True),
        Column("succesvol",
               "Pilot succesvol? Zijn de vooraf gestelde doelen/resultaten gehaald?",
               Kind.RICH, "Is de pilot succesvol? Zijn de vooraf gestelde doelen/resultaten "
               "gehaald? Nog geen antwoord? Schrijf 'Nog niet bekend'.", width=45,
               required=True, aliases=("Pilot succesvol?",)),
        Column("beleid",
               "Geven de resultaten van de pilot aanleiding om het bestaande beleid aan te passen?",
               Kind.RICH, "Geven de resultaten aanleiding om het bestaande beleid aan te "
               "passen? Nog geen antwoord? Schrijf 'Nog niet bekend'.", width=45,
               required=True,
               aliases=("Geven de resultaten aanleiding om het bestaande beleid aan te passen?",)),
        Column("financieel", "Leidt aanpassing van het beleid tot een financieel gevolg?",
               Kind.RICH, "Leidt aanpassing van het beleid tot een financieel gevolg? "
               "Nog geen antwoord? Schrijf 'Nog niet bekend'.", width=40, required=True),
        Column("gerapporteerd", "Hoe bestuurlijk gerapporteerd?", Kind.RICH,
               "Hoe is of wordt het bestuur geïnformeerd (raadsvoorstel, memo, "
               "voortgangsrapportage)? Nog geen antwoord? Schrijf 'Nog niet bekend'.",
               width=40, required=True),
        Column("opnemen", "Opnemen in bijlage", Kind.CHOICE,
               "Ja: komt in de bijlage. Laatste keer: komt er nog één keer in, met die "
               "vermelding. Nee: komt er niet in.", width=16, required=True,
               vocabulary="opnemen"),
        Column("kop", "Kop in bijlage", Kind.TEXT,
               "Alleen invullen als de kop van de pilotkaart (en de inhoudsopgave) anders "
               "moet zijn dan de naam, bijvoorbeeld 'Pilot schoolontbijt' bij de naam "
               "'Schoolontbijt'. Leeg: de naam is de kop.", width=30,
               aliases=("Kop", "Kop pilotkaart")),
        Column("eigenaar", "Eigenaar (intern)", Kind.TEXT,
               "Wie houdt deze rij bij? Wordt nooit gepubliceerd.", width=20, published=False),
        Column("bijgewerkt_op", "Bijgewerkt op (intern)", Kind.DATE,
               "Datum van de laatste wijziging van deze rij. Wordt nooit gepubliceerd.",
               width=16, published=False),
        Column("opmerking", "Interne opmerking", Kind.TEXT,
               "Opmerkingen voor collega's en de coördinator. Wordt nooit gepubliceerd.",
               width=30, published=False),
    ),
)

ACTIONS = TableSheet(
    name="Acties",
    table_name="Acties",
    purpose="Eén rij per actie van het actieprogramma (bijvoorbeeld Sterk voor Noord). "
    "Deze rijen vullen de statusbijlagen per opgave.",
    name_column="activiteit",
    columns=(
        Column("id", "ID", Kind.ID, "Unieke code van de actie, bijvoorbeeld A-101.",
               width=9, required=True),
        Column("opgave", "Opgave (uitvoeringsplan)", Kind.CHOICE,
               "Kies het uitvoeringsplan waar de actie onder valt (tabblad Lijsten).",
               width=26, required=True, vocabulary="opgave", aliases=("Opgave",)),
        Column("doel", "Doel", Kind.TEXT,
               "Het doel uit het uitvoeringsplan. Acties met precies dezelfde tekst komen in "
               "één tabel.", width=35, required=True),
        Column("activiteit", "Activiteit", Kind.RICH, "Wat wordt er gedaan?", width=50,
               required=True),
        Column("resultaat", "Resultaat", Kind.RICH,
               "Wat is er tot nu toe bereikt? Opsommingen met • of - mogen.", width=60),
        Column("status", "Status", Kind.CHOICE,
               "Kies de status uit de lijst. Licht toe in de volgende kolom.", width=22,
               required=True, vocabulary="status"),
        Column("toelichting_status", "Toelichting status", Kind.RICH,
               "Korte toelichting bij de status, bijvoorbeeld 'Wordt voortgezet binnen LEA'.",
               width=35),
        Column("trekker", "Trekker/partners", Kind.TEXT,
               "Wie trekt de actie en met welke partners? Wordt niet gepubliceerd.", width=25,
               published=False, aliases=("Trekker", "Trekker / partners")),
        Column("bijgewerkt_op", "Bijgewerkt op (intern)", Kind.DATE,
               "Datum van de laatste wijziging van deze rij. Wordt nooit gepubliceerd.",
               width=16, published=False, aliases=("Bijgewerkt op",)),
    ),
)

VOCABULARIES: tuple[Vocabulary, ...] = (
    Vocabulary("programma", "Programma's", "De programma's van de begroting.", (
        "1. Onderwijs, economie en arbeidsparticipatie",
        "2. Samen leven en ondersteunen",
        "3. Sport en cultuur",
        "4. Vrije tijd",
        "5. Veiligheid",
        "6. Duurzaamheid en mobiliteit",
        "7. Inrichting van de stad",
        "8. Bestuur en dienstverlening",
    )),
    Vocabulary("portefeuille", "Portefeuilles", "De portefeuilles van het college.", (
        "Armoedebeleid",
        "Dienstverlening, vastgoed en ICT",
        "Openbare orde en Veiligheid",
        "Ruimtelijke ordening",
        "Wijkgericht werken",
        "Wonen",
        "Zorg en Welzijn",
    )),
    Vocabulary("opgave", "Opgaven", "De uitvoeringsplannen van het actieprogramma.", (
        "Jeugd en onderwijs",
        "Financiële zelfredzaamheid",
        "Fijn en veilig wonen",
    )),
    _roled("status", "Statussen", "De statussen van acties; de volgorde is die van "
           "het overzicht in de bijlage.", (
        Role("afgerond", "Afgerond", "De actie is klaar en gaat niet mee naar de volgende "
             "editie.", required=True, finished=True, colour="C6EFCE"),
        Role("in_uitvoering", "In uitvoering", "De actie loopt.", colour="DDEBF7"),
        Role("doorlopend", "Doorlopend", "De actie loopt door zonder einddatum.",
             colour="E2EFDA"),
        Role("uitgebreid", "Wordt uitgebreid", "De actie loopt en wordt groter.",
             colour="FFF2CC"),
        Role("overgedragen", "Overgedragen aan de lijn", "De actie loopt verder in de "
             "gewone organisatie.", colour="EDE7F6"),
        Role("niet_gestart", "Nog niet gestart", "De actie is nog niet begonnen.",
             colour="FCE4D6"),
        Role("gestopt", "Gestopt", "De actie is beëindigd en gaat niet mee naar de volgende "
             "editie.", finished=True, colour="F8CBAD"),
        Role("onbekend", "Nog niet bekend", "De status is nog niet bekend.", colour="EDEDED"),
    )),
    _roled("opnemen", "Opnemen in bijlage", "Of een pilot in de bijlage komt.", (
        Role("opnemen", "Ja", "De pilot komt in de bijlage.", required=True, published=True),
        Role("laatste_keer", "Laatste keer", "De pilot komt er nog één keer in, met die "
             "vermelding.", required=True, published=True, last_time=True),
        Role("niet_opnemen", "Nee", "De pilot komt niet in de bijlage.", required=True),
    )),
)

SETTINGS: tuple[Setting, ...] = (
    # neutral defaults: a new register carries no municipality's values (toolkit init)
    Setting("gemeente", "Gemeente", "Naam van de gemeente, voor titelpagina en voettekst.",
            ""),
    Setting("editie", "Editie", "Voor welk document is deze editie, bijvoorbeeld "
            "'Programmabegroting 2025'.", ""),
    # not "required": a missing peildatum has its own warning (peildatum-ontbreekt)
    Setting("peildatum", "Peildatum", "De datum waartegen de datumregels worden getoetst "
            "(bijvoorbeeld 1-4-2024).", "", required=False, kind=Kind.DATE),
    Setting("bijlage_pilots_nummer", "Nummer bijlage pilots", "Het bijlagenummer van de "
            "pilotbijlage, bijvoorbeeld 5.", "5"),
    Setting("bijlage_pilots_titel", "Titel bijlage pilots", "De titel van de pilotbijlage.",
            "Monitoring evaluatie pilots"),
    Setting("inleiding", "Inleiding", "De inleidende tekst van de pilotbijlage. Alinea's "
            "scheiden met Alt+Enter.", "", required=False, kind=Kind.RICH),
    Setting("actieprogramma", "Naam actieprogramma", "De naam van het actieprogramma, "
            "bijvoorbeeld 'Sterk voor Noord'.", "Actieprogramma"),
    Setting("bijlage_acties_eerste_nummer", "Eerste nummer statusbijlagen", "Het nummer van "
            "de eerste statusbijlage; elke volgende opgave krijgt het volgende nummer.", "2"),
    Setting("bijlage_acties_titel", "Titel statusbijlagen", "Staat vóór de naam van de opgave, "
            "bijvoorbeeld 'Uitvoeringsplan'.", "Uitvoeringsplan"),
    Setting("pilot_nieuwe_pagina", "Elke pilot op een nieuwe pagina", "Ja: elke pilotkaart "
            "begint op een nieuwe pagina. Nee (of leeg): de kaarten lopen door.", "Nee",
            required=False),
    Setting("sjablonen", "Map met Word-sjablonen", "Leeg: de meegeleverde sjablonen. Anders "
            "een map met bijlage.docx en acties.docx, ten opzichte van de map van dit register "
            "(of een volledig pad). Maak die map met 'toolkit sjablonen MAP'.", "",
            required=False),
)
#: how a yes/no setting says yes (after normalise)
YES = frozenset({"ja", "j", "yes", "waar", "true", "1"})

#: Lists whose values differ per municipality: a new register (toolkit init) leaves them
#: empty, and an empty one never falls back to the values above (those are the example's).
#: The other lists carry meaning the toolkit relies on and start filled.
MUNICIPAL_VOCABULARIES = frozenset({"programma", "portefeuille", "opgave"})

SETTINGS_SHEET = "Instellingen"
LISTS_SHEET = "Lijsten"
INSTRUCTIONS_SHEET = "Instructies"
TABLE_SHEETS = (PILOTS, ACTIONS)
SHEET_ORDER = (INSTRUCTIONS_SHEET, PILOTS.name, ACTIONS.name, LISTS_SHEET, SETTINGS_SHEET)


def vocabulary(key: str) -> Vocabulary:
    for voc in VOCABULARIES:
        if voc.key == key:
            return voc
    raise KeyError(key)


def setting(key: str) -> Setting:
    for s in SETTINGS:
        if s.key == key:
            return s
    raise KeyError(key)


_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


@lru_cache(maxsize=65_536)  # controlled values repeat on every row
def normalise(text: str) -> str:
    """Fold what officers cannot see (case, non-breaking and zero-width spaces) away."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = text.replace("\u00a0", " ")
    return " ".join(text.split()).casefold()


@dataclass
class HeaderMatch:
    """Which spreadsheet column holds each schema column."""

    positions: dict[str, int] = field(default_factory=dict)
    missing: list[Column] = field(default_factory=list)


def match_headers(sheet: TableSheet, headers: list[object]) -> HeaderMatch:
    """Find each declared column among headers, tolerant of case, spacing and order."""
    wanted: dict[str, str] = {}
    for col in sheet.columns:
        for name in (col.label, *col.aliases):
            wanted.setdefault(normalise(name), col.key)
    result = HeaderMatch()
    for index, header in enumerate(headers):
        if header is None or str(header).strip() == "":
            continue
        key = wanted.get(normalise(str(header)))
        if key is not None and key not in result.positions:
            result.positions[key] = index
    result.missing = [c for c in sheet.columns if c.key not in result.positions]
    return result


#: An Acties row with all of these empty but a Resultaat only continues the previous
#: row's Resultaat: a page break in the Word annex split the cell. One rule for the
#: warning (validators), the printing (cards) and reading annexes back (annex_import).
CONTINUATION_BLANK = ("activiteit", "status", "toelichting_status")


def continues_previous(values: dict[str, object]) -> bool:
    """Whether an Acties row (values by column key) only continues the previous one."""
    def blank(key: str) -> bool:
        return not str(values.get(key) or "").strip()

    return all(blank(key) for key in CONTINUATION_BLANK) and not blank("resultaat")


#: fill colour per standard status (shown beside the status text, never instead of it)
STATUS_COLOURS = {r.label: r.colour for r in vocabulary("status").roles}
UNLISTED_STATUS_COLOUR = "FFFFFF"


@dataclass(frozen=True)
class ListRoles:
    """Which role each value of a register's lists plays.

    Built from the Lijsten sheet (the values and the 'betekenis' column beside them), so
    that a coordinator's own wording ("Laatste editie") keeps the standard meaning
    ("Laatste keer"). Values are looked up after normalise; an unknown value has no role.
    """

    by_value: dict[str, dict[str, Role]] = field(default_factory=dict)

    def role(self, vocabulary_key: str, value: str) -> Role | None:
        return self.by_value.get(vocabulary_key, {}).get(normalise(value))

    def published(self, value: str) -> bool:
        """Whether a pilot with this 'Opnemen in bijlage' goes into the annex."""
        role = self.role("opnemen", value)
        return role is not None and role.published

    def last_time(self, value: str) -> bool:
        role = self.role("opnemen", value)
        return role is not None and role.last_time

    def finished(self, status: str) -> bool:
        """Whether an action with this status is done (it leaves the next edition)."""
        role = self.role("status", status)
        return role is not None and role.finished

    def colour(self, status: str) -> str:
        role = self.role("status", status)
        return role.colour if role is not None and role.colour else UNLISTED_STATUS_COLOUR

    def values_with(self, vocabulary_key: str, **flags: bool) -> set[str]:
        """The normalised values whose role has all these flags, e.g. published=True."""
        return {value for value, role in self.by_value.get(vocabulary_key, {}).items()
                if all(getattr(role, flag) == want for flag, want in flags.items())}


def role_by_label(vocabulary_key: str, text: str) -> Role | None:
    """The declared role whose standard wording (or key) is text, after normalise."""
    folded = normalise(text)
    for role in vocabulary(vocabulary_key).roles:
        if folded in (normalise(role.label), normalise(role.key)):
            return role
    return None


def list_roles(lists: dict[str, list[str]] | None = None,
               meanings: dict[str, dict[str, str]] | None = None) -> ListRoles:
    """The roles of a register's list values.

    A value's role is the one its 'betekenis' cell names; with that cell empty (or no
    such column, as in older registers) a value that is itself a standard wording has
    that role. Anything else has no role: validate says so (betekenis-onbekend).
    """
    by_value: dict[str, dict[str, Role]] = {}
    for voc in VOCABULARIES:
        if not voc.roles:
            continue
        given = (meanings or {}).get(voc.key, {})
        values = (lists or {}).get(voc.key) or list(voc.values)
        found: dict[str, Role] = {}
        for value in values:
            said = given.get(value, "").strip()
            role = role_by_label(voc.key, said or value)
            if role is not None:
                found.setdefault(normalise(value), role)
        by_value[voc.key] = found
    return ListRoles(by_value)


#: the roles of the standard lists, for code that has no register (an imported annex)
DEFAULT_ROLES = list_roles()


def standard_value(vocabulary_key: str, **flags: bool) -> str:
    """The standard wording of the first role with these flags (e.g. last_time=True)."""
    for role in vocabulary(vocabulary_key).roles:
        if all(getattr(role, flag) == want for flag, want in flags.items()):
            return role.label
    raise KeyError(flags)

#: Word styles the build uses, by the name a coordinator sees in Word
STYLE_NAMES = {
    "heading1": "Heading 1",
    "heading2": "Heading 2",
    "heading3": "Heading 3",
    "bullet": "List Bullet",
    "number": "List Continue",
    "table": "Table Grid",
    "label": "Kaartlabel",
    "note": "Kaartnotitie",
}

#: the pilot card as printed in the annex: (section heading, [(label, column key)])
CARD_SECTIONS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Naam pilot", (("Naam pilot", "naam"),)),
    ("Korte omschrijving", ()),
    ("Programma/Portefeuillehouder", (("Programma", "programma"),
                                      ("Portefeuille", "portefeuille"))),
    ("Doel/Beoogd resultaat", (("Doel, beoogd resultaat", "doel"),)),
    ("Data", (("Startdatum", "startdatum"), ("Einddatum", "einddatum"),
              ("Evaluatiemoment", "evaluatiemoment"))),
    ("Uitkomst evaluatie", tuple((PILOTS.column(k).label, k) for k in EVALUATION_QUESTIONS)),
)
