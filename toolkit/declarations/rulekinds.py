"""Rule kinds: the checks over several columns that a declaration asks for by name.

The rules per column (verplicht, keuzelijst, datum, tekens, dubbele ID) hold for every
sheet. A check that compares columns depends on what the columns mean, so an annex type
declares it, on its own columns, as a [[regel]] table:

    [[regel]]
    soort = "datumvolgorde"
    code = "start-na-eind"
    eerste = "begindatum"
    tweede = "opleverdatum"

This module is the one place that says which kinds exist, which parameters each takes
(name, sort, Dutch help), which placeholders a message may use, what a rule says when
its declaration gives no message, and how it is checked: a new kind is its RuleKind entry
with its functions, plus a test. The declaration reader (annextypes), the strict key
check and docs/regels.md all read these specs. A kind's check asks a `SheetRows` for
whole columns at once (which rows are filled, their earliest days, ...) and combines
them with & | ~ and < >; validators/rules.py answers over the sheet's DataFrame, so a
check stays vectorised while this module loads without pandas (the declarations load
first, and a later layer is never imported here).
"""

from __future__ import annotations

import functools
import operator
import re
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Protocol

from toolkit.core.closest import closest
from toolkit.core.dates import is_unknown_phrase
from toolkit.declarations.model import Column, Kind, Role, TableSheet, Vocabulary, kinds_where

#: how a declaration names a list meaning by its flag (Role's attribute)
FLAGS = {"gepubliceerd": "published", "laatste_keer": "last_time", "afgerond": "finished"}
SEVERITIES = ("fout", "waarschuwing")
#: the longest text a placeholder puts into a message (the rest becomes …)
SHOWN_CHARS = 120
#: the column kinds a parameter may name, by what they do (model.KIND_TRAITS)
DATE = kinds_where("dated")
LISTED = kinds_where("listed")
TEXTLIKE = kinds_where("holds_text")
PLAIN = kinds_where("plain")


class ParamType(StrEnum):
    """What a parameter's value is; the Dutch word is what docs/regels.md shows."""

    COLUMN = "kolom"
    COLUMNS = "kolommen"
    MEANINGS = "betekenissen"
    NUMBER = "getal"
    CHOICE = "keuze"
    FLAG = "true/false"
    TEXT = "tekst"


@dataclass(frozen=True)
class Param:
    """One key of a [[regel]] table."""

    name: str
    type: ParamType
    help: str
    required: bool = False
    default: object = None
    #: COLUMN(S): the column kinds allowed (empty: any kind)
    kinds: tuple[Kind, ...] = ()
    #: CHOICE: the values allowed
    options: tuple[str, ...] = ()
    #: MEANINGS / FLAG: the column parameter this one is about, and the kinds it needs then
    about: str = ""
    about_kinds: tuple[Kind, ...] = ()
    #: a value as a declaration would write it (docs/verklaringen.md)
    example: object = None
    #: where a left-out value comes from instead (a required parameter then is optional)
    derived: str = ""

    @property
    def is_column(self) -> bool:
        return self.type in (ParamType.COLUMN, ParamType.COLUMNS)


#: the keys every [[regel]] has, whatever its kind
COMMON_PARAMS: tuple[Param, ...] = (
    Param(
        "soort",
        ParamType.CHOICE,
        "",  # every kind's name: filled in below RULE_KINDS
        required=True,
        example="verlopen",
    ),
    Param(
        "code",
        ParamType.TEXT,
        "De vaste code van de bevinding, zoals `start-na-eind`: "
        "kleine letters, cijfers en streepjes. Rapporten, filters en afspraken gebruiken "
        "hem; verander hem dus niet meer.",
        required=True,
        example="toezegging-verlopen",
    ),
    Param(
        "ernst",
        ParamType.CHOICE,
        "`fout` (de bouw stopt) of `waarschuwing`.",
        default="waarschuwing",
        options=SEVERITIES,
        example="fout",
    ),
    Param(
        "titel",
        ParamType.TEXT,
        "Korte naam van de regel in de samenvatting van de "
        "rapporten. Mag `{kop}` en de `{…_kop}` van de kolommen gebruiken. Leeg: "
        "afgeleid uit de kolomkoppen.",
        example="Toezegging over datum",
    ),
    Param(
        "melding",
        ParamType.TEXT,
        "Wat er mis is, met plaatshouders (zie per soort). Leeg: afgeleid uit de kolomkoppen.",
        example="{datum_kop} ({datum}) is voorbij, maar {kolom_kop} is '{kolom}'.",
    ),
    Param(
        "hint",
        ParamType.TEXT,
        "Hoe het op te lossen, met dezelfde plaatshouders. Leeg: afgeleid.",
        example="Zet de status op 'Afgedaan' of vraag uitstel.",
    ),
    Param(
        "anker",
        ParamType.COLUMN,
        "De kolom waarnaar de bevinding wijst (de cel in de rapporten). Standaard: zie per soort.",
        example="datum_toegezegd",
    ),
    Param(
        "waarde",
        ParamType.COLUMN,
        "De kolom waarvan de tekst de waarde van de bevinding "
        "is (`{waarde}`). Standaard: het anker (bij `vervolgrij` de vervolgkolom).",
        example="datum_toegezegd",
    ),
)
#: placeholders of every rule: (name, Dutch help)
COMMON_PLACEHOLDERS: tuple[tuple[str, str], ...] = (
    ("waarde", "de tekst in de kolom `waarde` (of het anker), of 'leeg'"),
    ("kop", "de kop van de ankerkolom"),
)


@dataclass(frozen=True)
class DeclaredRule:
    """One [[regel]] of an annex type, read and checked against its columns and lists."""

    kind: str
    code: str
    severity: str  # "fout" or "waarschuwing"
    title: str  # rendered: the column heads are filled in
    message: str  # a template with placeholders, filled in per finding
    hint: str
    anchor: str  # column key
    value: str  # column key
    params: tuple[tuple[str, object], ...] = ()

    def get(self, name: str, default: object = None) -> object:
        return next((v for k, v in self.params if k == name), default)

    def columns(self, name: str) -> tuple[str, ...]:
        """A column parameter's keys (one for 'kolom', any for 'kolommen'); () when absent."""
        value = self.get(name)
        return () if value is None else value if isinstance(value, tuple) else (str(value),)

    def column(self, name: str) -> str:
        return self.columns(name)[0]

    @property
    def spec(self) -> RuleKind:
        return RULE_KINDS[self.kind]


#: derived texts: (title, message, hint) for a rule, given its columns' heads
Texts = Callable[["Declared"], tuple[str, str, str]]


# ---- what a check may ask of a sheet ------------------------------------------------------


class Mask(Protocol):
    """Per row of the sheet, yes or no (a boolean pandas Series at run time)."""

    def __and__(self, other: Mask, /) -> Mask: ...
    def __or__(self, other: Mask, /) -> Mask: ...
    def __invert__(self) -> Mask: ...


class Moment(Protocol):
    """One day every row can be compared with (the peildatum, moved by some days)."""


class Days(Protocol):
    """Per row, a day of a date column or none; a comparison with none is no."""

    def __lt__(self, other: Days | Moment, /) -> Mask: ...
    def __gt__(self, other: Days | Moment, /) -> Mask: ...


class Values(Protocol):
    """Per row, a text to compare with the other rows (see SheetRows.normalised)."""


class SheetRows(Protocol):
    """The rows of one sheet as a check sees them, whole columns at a time.

    Everything a kind's check needs and no more: the check combines what this returns
    (& | ~ on masks, < > on days) and only then looks at the rows it found one by one, for
    the placeholders of their message. Rows are the Excel row numbers the officer sees.
    """

    def filled(self, key: str) -> Mask:
        """Whether the column has a value (blank, spaces only: no)."""
        ...

    def holds(self, key: str, test: Callable[[str], bool]) -> Mask:
        """test(the cell's text) per row: for what no mask here says; it runs once per row."""
        ...

    def has_meaning(self, rule: DeclaredRule, param: str) -> Mask:
        """Whether the list column that a meaning parameter (met_betekenis ...) is about
        has one of the meanings it names."""
        ...

    def earliest(self, key: str) -> Days:
        """The first day a date column's cell can mean ('Q1-2024': 1 January 2024)."""
        ...

    def latest(self, key: str) -> Days:
        """The last day a date column's cell can mean ('Q1-2024': 31 March 2024)."""
        ...

    def peildatum(self, days: int = 0) -> Moment:
        """The peildatum moved by days (negative: earlier); only asked by a kind that
        needs_peildatum, which does not run without one."""
        ...

    def normalised(self, keys: tuple[str, ...]) -> Values:
        """The columns' texts together, as an officer reads them alike: case, spaces and
        invisible characters folded away."""
        ...

    def same(self, values: Values, among: Mask) -> dict[int, list[int]]:
        """The rows among `among` whose value another of them has too, in sheet order,
        each with those other rows."""
        ...

    def rows(self, mask: Mask) -> list[int]:
        """The rows where the mask says yes, in sheet order."""
        ...

    def previous_row(self, row: int) -> int | None:
        """The row before this one on the sheet; None for the first."""
        ...

    def text(self, row: int, key: str) -> str:
        """A cell's text as the officer typed it."""
        ...

    def label(self, key: str) -> str:
        """A column's head."""
        ...


#: per row a check finds (its Excel row number): the placeholders only the check can tell
Broken = dict[int, dict[str, str]]
#: a kind's check: the rows a rule of that kind finds on a sheet
Check = Callable[["DeclaredRule", SheetRows], Broken]


def _all(masks: Iterable[Mask]) -> Mask:
    return functools.reduce(operator.and_, masks)


def _any(masks: Iterable[Mask]) -> Mask:
    return functools.reduce(operator.or_, masks)


@dataclass(frozen=True)
class Declared:
    """What a kind's derived texts need: the parameters as given and the sheet's heads."""

    params: Mapping[str, object]
    sheet: TableSheet
    meaning_names: Mapping[str, str] = field(default_factory=dict)

    def label(self, name: str) -> str:
        return self.sheet.column(str(self.params[name])).label

    def names(self, name: str, joiner: str = " of ") -> str:
        """The meanings a parameter names, as a reader knows them: 'Afgerond' of 'Gestopt'."""
        return joiner.join(f"'{self.meaning_names.get(m, m)}'" for m in _as_tuple(self.params[name]))


@dataclass(frozen=True)
class RuleKind:
    """One kind of rule: its parameters, placeholders, example and derived texts."""

    name: str
    summary: str  # one line, Dutch
    help: str
    params: tuple[Param, ...]
    example: str  # a [[regel]] table in TOML, for docs/regels.md (and a test loads it)
    texts: Texts
    check: Check
    default_anchor: str  # the parameter naming the anchor column
    default_value: str = ""  # the parameter naming the value column ("" : the anchor)
    placeholders: tuple[tuple[str, str], ...] = ()  # beyond the common and column ones
    needs_peildatum: bool = False
    #: exactly one of these (one_required) or at most one
    one_of: tuple[str, ...] = ()
    one_required: bool = False
    #: a column parameter whose cells a finding of this kind explains: an empty required
    #: cell there gets no finding of its own in a row this kind found (a continued row
    #: leaves them empty on purpose)
    explains_empty: str = ""
    #: the column (key) whose being empty is what a rule of this kind finds, or "": on an
    #: empty required cell, verplicht-leeg says that already and this finding is left out
    says_empty: Callable[[DeclaredRule], str] = lambda rule: ""

    def param(self, name: str) -> Param | None:
        return next((p for p in (*COMMON_PARAMS, *self.params) if p.name == name), None)

    @property
    def keys(self) -> tuple[str, ...]:
        """Every key a [[regel]] of this kind may have (for the strict key check)."""
        return tuple(p.name for p in (*COMMON_PARAMS, *self.params))

    def placeholder_names(self, title: bool = False) -> tuple[str, ...]:
        """The placeholders a message (or, with title, a title) of this kind may use."""
        columns = [p.name for p in self.params if p.is_column]
        heads = ("kop", *(f"{c}_kop" for c in columns))
        if title:
            return heads
        extra = tuple(name for name, _ in self.placeholders)
        return ("waarde", *heads, *columns, *extra, *(("peildatum",) if self.needs_peildatum else ()))


def _as_tuple(value: object) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (str(value),)


# ---- the kinds ---------------------------------------------------------------------------


def _date_order_texts(d: Declared) -> tuple[str, str, str]:
    first, second = d.label("eerste"), d.label("tweede")
    return (
        f"{first} ligt na {second}",
        "'{eerste_kop}' ({eerste}) ligt na '{tweede_kop}' ({tweede}).",
        "Controleer beide datums; is er een dag en maand omgewisseld (dag eerst: 1-9-2022)?",
    )


def _date_order(rule: DeclaredRule, rows: SheetRows) -> Broken:
    found = rows.earliest(rule.column("eerste")) > rows.latest(rule.column("tweede"))
    return dict.fromkeys(rows.rows(found), {})


def _overdue_texts(d: Declared) -> tuple[str, str, str]:
    days = int(d.params.get("dagen", 0))  # type: ignore[call-overload]
    before = d.params.get("richting", "voor") == "voor"
    if days:
        when = f"meer dan {days} dagen {'vóór' if before else 'na'} de peildatum"
        said = f"ligt {when} ({{peildatum}})"
    else:
        when = "voorbij" if before else "na de peildatum"
        said = "is voorbij (peildatum {peildatum})" if before else "ligt na de peildatum ({peildatum})"
    dates = " of ".join(d.sheet.column(k).label for k in _as_tuple(d.params["datum"]))
    column = d.label("kolom")
    if "met_betekenis" in d.params:
        title = f"{dates} {when}, {column} {d.names('met_betekenis')}"
        tail, hint = (
            "en '{kolom_kop}' is '{kolom}'.",
            "Klopt '{kolom_kop}' nog? Kies een andere waarde, of pas '{datum_kop}' aan.",
        )
    elif "zonder_betekenis" in d.params:
        title = f"{dates} {when}, {column} niet {d.names('zonder_betekenis')}"
        tail, hint = (
            "maar '{kolom_kop}' is '{kolom}'.",
            "Werk '{kolom_kop}' bij, of pas '{datum_kop}' aan als de datum is verschoven.",
        )
    else:
        title = f"{dates} {when}, {column} nog onbekend"
        tail, hint = (
            "maar '{kolom_kop}' is nog '{kolom}'.",
            "Vul '{kolom_kop}' in, of pas '{datum_kop}' aan als de datum is verschoven.",
        )
    return title, f"'{{datum_kop}}' ({{datum}}) {said}, {tail}", hint


def _overdue(rule: DeclaredRule, rows: SheetRows) -> Broken:
    days = int(rule.get("dagen", 0))  # type: ignore[call-overload]
    if rule.get("richting", "voor") == "voor":
        passed = {key: rows.latest(key) < rows.peildatum(-days) for key in rule.columns("datum")}
    else:
        passed = {key: rows.earliest(key) > rows.peildatum(days) for key in rule.columns("datum")}
    column = rule.column("kolom")
    if rule.get("met_betekenis") is not None:
        says = rows.has_meaning(rule, "met_betekenis")
    elif rule.get("zonder_betekenis") is not None:
        says = ~rows.has_meaning(rule, "zonder_betekenis")
    else:
        says = rows.holds(column, is_unknown_phrase)
    found = rows.rows(_any(passed.values()) & says)
    if not found:
        return {}
    # {datum}: the first date column that is past
    past = {key: set(rows.rows(mask)) for key, mask in passed.items()} if len(passed) > 1 else {}
    broken: Broken = {}
    for row in found:
        key = next((k for k, r in past.items() if row in r), next(iter(passed)))
        broken[row] = {"datum": rows.text(row, key), "datum_kop": rows.label(key)}
    return broken


def _required_if_texts(d: Declared) -> tuple[str, str, str]:
    column, other = d.label("kolom"), d.label("als")
    for name, word in (("met_betekenis", ""), ("zonder_betekenis", "niet ")):
        if name in d.params:
            return (
                f"{column} leeg bij {other} {word}{d.names(name)}",
                "'{kolom_kop}' is leeg, terwijl '{als_kop}' '{als}' is.",
                "Vul '{kolom_kop}' in, of kies bij '{als_kop}' een andere waarde.",
            )
    return (
        f"{column} leeg terwijl {other} is ingevuld",
        "'{kolom_kop}' is leeg, terwijl '{als_kop}' is ingevuld ('{als}').",
        "Vul '{kolom_kop}' in, of maak '{als_kop}' leeg als het daar niet hoort.",
    )


def _required_if(rule: DeclaredRule, rows: SheetRows) -> Broken:
    column, other = rule.column("kolom"), rule.column("als")
    if rule.get("met_betekenis") is not None:
        on = rows.has_meaning(rule, "met_betekenis")
    elif rule.get("zonder_betekenis") is not None:
        on = rows.filled(other) & ~rows.has_meaning(rule, "zonder_betekenis")
    else:
        on = rows.filled(other)
    return dict.fromkeys(rows.rows(on & ~rows.filled(column)), {})


def _unique_texts(d: Declared) -> tuple[str, str, str]:
    keys = _as_tuple(d.params["kolommen"])
    hint = "Staat dezelfde rij twee keer in het register? Voeg de rijen samen of maak ze onderscheidend."
    if len(keys) == 1:
        return (
            f"{d.sheet.column(keys[0]).label} komt vaker voor",
            "'{waarde}' komt vaker voor in '{kolommen_kop}' (hoofdletters en spaties "
            "niet meegeteld), ook in rij {rijen}.",
            hint,
        )
    return (
        f"Combinatie van {_joined([d.sheet.column(k).label for k in keys])} komt vaker voor",
        "De combinatie '{kolommen}' komt vaker voor in {kolommen_kop} (hoofdletters en "
        "spaties niet meegeteld), ook in rij {rijen}.",
        hint,
    )


def _unique(rule: DeclaredRule, rows: SheetRows) -> Broken:
    keys = rule.columns("kolommen")
    same = rows.same(rows.normalised(keys), among=_all(rows.filled(k) for k in keys))
    return {row: {"rijen": ", ".join(str(r) for r in others)} for row, others in same.items()}


def _continuation_texts(d: Declared) -> tuple[str, str, str]:
    return (
        "Rij lijkt een vervolg van de vorige",
        "Deze rij heeft alleen '{vervolg_kop}' en lijkt '{vervolg_kop}' van rij "
        "{vorige_rij} voort te zetten (een overblijfsel van een paginagrens).",
        "Plak de tekst achter '{vervolg_kop}' van rij {vorige_rij} en verwijder deze rij.",
    )


def _continuation(rule: DeclaredRule, rows: SheetRows) -> Broken:
    """Rows that only continue the previous row's text: `vervolg` is filled and every
    column in `leeg` is empty. The first row continues nothing."""
    found = rows.filled(rule.column("vervolg"))
    for key in rule.columns("leeg"):
        found &= ~rows.filled(key)
    broken: Broken = {}
    for row in rows.rows(found):
        previous = rows.previous_row(row)
        if previous is not None:
            broken[row] = {"vorige_rij": str(previous)}
    return broken


def _joined(items: list[str]) -> str:
    """'A', 'A en B', 'A, B en C'."""
    return _listed(items, " en ")


def _listed(items: list[str], joiner: str) -> str:
    """'a', 'a of b', 'a, b of c'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])}{joiner}{items[-1]}"


_MEANING_HELP = (
    "sleutels van betekenissen in de lijst van `kolom` (`[[lijst.betekenis]]` "
    "sleutel), of een vlag: `gepubliceerd`, `laatste_keer`, `afgerond` (elke "
    "waarde waarvan de betekenis die vlag heeft; een vlag gaat voor een sleutel "
    "met dezelfde naam). Eén tekst of een lijst."
)

RULE_KINDS: dict[str, RuleKind] = {
    kind.name: kind
    for kind in (
        RuleKind(
            "datumvolgorde",
            "Een datumkolom ligt niet na een andere.",
            "Een bevinding als de vroegste dag van `eerste` na de laatste dag van `tweede` "
            "ligt. Een omschrijving telt ruim: 'Q1-2024' loopt van 1 januari tot 31 maart. Een "
            "lege of onleesbare datum doet niet mee.",
            (
                Param(
                    "eerste",
                    ParamType.COLUMN,
                    "De datumkolom die het eerst komt.",
                    required=True,
                    kinds=DATE,
                    example="begindatum",
                ),
                Param(
                    "tweede",
                    ParamType.COLUMN,
                    "De datumkolom die niet eerder mag liggen.",
                    required=True,
                    kinds=DATE,
                    example="opleverdatum",
                ),
            ),
            '[[regel]]\nsoort = "datumvolgorde"\ncode = "start-na-eind"\neerste = "begindatum"\n'
            'tweede = "opleverdatum"\nernst = "fout"\n',
            _date_order_texts,
            check=_date_order,
            default_anchor="eerste",
        ),
        RuleKind(
            "verlopen",
            "Een datum is voorbij (of nog niet bereikt) terwijl een andere kolom iets (niet) zegt.",
            "Een bevinding als een datum in `datum` vóór de peildatum ligt (met `richting = "
            '"na"`: erna), eventueel met een marge van `dagen`, terwijl `kolom` een betekenis '
            "wel of niet heeft, of nog leeg of 'Nog niet bekend' is. Kies precies één van "
            "`met_betekenis`, `zonder_betekenis` en `nog_onbekend`. Zonder peildatum wordt de "
            "regel overgeslagen (met de waarschuwing `peildatum-ontbreekt`).",
            (
                Param(
                    "datum",
                    ParamType.COLUMNS,
                    "De datumkolom (of een lijst: elk ervan telt; "
                    "`{datum}` is dan de eerste die voorbij is).",
                    required=True,
                    kinds=DATE,
                    example="datum_toegezegd",
                ),
                Param(
                    "kolom",
                    ParamType.COLUMN,
                    "De kolom die iets moet zeggen zodra de datum voorbij is.",
                    required=True,
                    kinds=(*LISTED, *TEXTLIKE),
                    example="status",
                ),
                Param(
                    "met_betekenis",
                    ParamType.MEANINGS,
                    "Bevinding als `kolom` een van deze betekenissen heeft: " + _MEANING_HELP,
                    about="kolom",
                    about_kinds=LISTED,
                    example="gepubliceerd",
                ),
                Param(
                    "zonder_betekenis",
                    ParamType.MEANINGS,
                    "Bevinding als `kolom` geen van "
                    "deze betekenissen heeft (ook als hij leeg is): " + _MEANING_HELP,
                    about="kolom",
                    about_kinds=LISTED,
                    example="afgerond",
                ),
                Param(
                    "nog_onbekend",
                    ParamType.FLAG,
                    "`true`: bevinding als `kolom` leeg is of 'Nog niet bekend' zegt.",
                    about="kolom",
                    about_kinds=TEXTLIKE,
                    example=True,
                ),
                Param(
                    "dagen",
                    ParamType.NUMBER,
                    "Pas een bevinding als de datum meer dan zoveel dagen voorbij is.",
                    default=0,
                    example=365,
                ),
                Param(
                    "richting",
                    ParamType.CHOICE,
                    "`voor`: de datum ligt vóór de peildatum "
                    "(voorbij); `na`: de datum ligt na de peildatum (nog niet bereikt).",
                    default="voor",
                    options=("voor", "na"),
                    example="na",
                ),
            ),
            '[[regel]]\nsoort = "verlopen"\ncode = "toezegging-verlopen"\n'
            'datum = "datum_toegezegd"\nkolom = "status"\nzonder_betekenis = "afgerond"\n',
            _overdue_texts,
            check=_overdue,
            default_anchor="kolom",
            # "nog onbekend": an empty cell counts as unknown, which verplicht-leeg says
            says_empty=lambda rule: (
                ""
                if rule.get("met_betekenis") is not None or rule.get("zonder_betekenis") is not None
                else rule.column("kolom")
            ),
            needs_peildatum=True,
            one_of=("met_betekenis", "zonder_betekenis", "nog_onbekend"),
            one_required=True,
        ),
        RuleKind(
            "verplicht-als",
            "Een kolom is verplicht zodra een andere is ingevuld (of een betekenis heeft).",
            "Een bevinding als `kolom` leeg is terwijl `als` is ingevuld; met `met_betekenis` "
            "alleen als `als` een van die betekenissen heeft, met `zonder_betekenis` alleen als "
            "`als` is ingevuld en geen ervan heeft.",
            (
                Param(
                    "kolom",
                    ParamType.COLUMN,
                    "De kolom die dan niet leeg mag zijn.",
                    required=True,
                    example="reden",
                ),
                Param(
                    "als", ParamType.COLUMN, "De kolom die de regel aanzet.", required=True, example="status"
                ),
                Param(
                    "met_betekenis",
                    ParamType.MEANINGS,
                    "Alleen als `als` een van deze "
                    "betekenissen heeft: " + _MEANING_HELP.replace("`kolom`", "`als`"),
                    about="als",
                    about_kinds=LISTED,
                    example="ingetrokken",
                ),
                Param(
                    "zonder_betekenis",
                    ParamType.MEANINGS,
                    "Alleen als `als` is ingevuld en "
                    "geen van deze betekenissen heeft: " + _MEANING_HELP.replace("`kolom`", "`als`"),
                    about="als",
                    about_kinds=LISTED,
                    example=["afgerond", "ingetrokken"],
                ),
            ),
            '[[regel]]\nsoort = "verplicht-als"\ncode = "reden-ontbreekt"\n'
            'kolom = "reden"\nals = "status"\nmet_betekenis = "ingetrokken"\n',
            _required_if_texts,
            check=_required_if,
            default_anchor="kolom",
            says_empty=lambda rule: rule.column("kolom"),
            one_of=("met_betekenis", "zonder_betekenis"),
        ),
        RuleKind(
            "uniek",
            "Een kolom, of een combinatie van kolommen, komt maar één keer voor.",
            "Een bevinding op elke rij waarvan de waarde (of de combinatie van waarden) ook in "
            "een andere rij staat; hoofdletters, spaties en onzichtbare tekens tellen niet mee. "
            "Een rij waarin een van de kolommen leeg is, doet niet mee.",
            (
                Param(
                    "kolommen",
                    ParamType.COLUMNS,
                    "De kolom, of een lijst van kolommen die samen uniek zijn.",
                    required=True,
                    example=["wijk", "plan"],
                ),
            ),
            '[[regel]]\nsoort = "uniek"\ncode = "naam-dubbel"\nkolommen = ["naam"]\nernst = "fout"\n',
            _unique_texts,
            check=_unique,
            default_anchor="kolommen",
            placeholders=(("rijen", "de andere rijen met dezelfde waarde"),),
        ),
        RuleKind(
            "vervolgrij",
            "Een rij die alleen de tekst van de vorige rij voortzet.",
            "Een bevinding als `vervolg` is ingevuld en alle kolommen in `leeg` leeg zijn (niet "
            "op de eerste rij): een tabelrij die in Word over een paginagrens liep en bij het "
            "overnemen twee rijen werd.",
            (
                Param(
                    "vervolg",
                    ParamType.COLUMN,
                    "De kolom waarvan de tekst doorloopt.",
                    required=True,
                    kinds=TEXTLIKE,
                    example="voortgang",
                    derived="`kolom` van [indeling.vervolgrij]",
                ),
                Param(
                    "leeg",
                    ParamType.COLUMNS,
                    "De kolommen die in zo'n rij leeg zijn.",
                    required=True,
                    example=["actiepunt", "fase"],
                    derived="`leeg` van [indeling.vervolgrij]",
                ),
            ),
            '[[regel]]\nsoort = "vervolgrij"\ncode = "vervolgrij"\n'
            "# weggelaten: de kolommen van [indeling.vervolgrij]\n"
            'vervolg = "voortgang"\nleeg = ["actiepunt", "fase"]\n',
            _continuation_texts,
            check=_continuation,
            default_anchor="leeg",
            default_value="vervolg",
            explains_empty="leeg",
            placeholders=(("vorige_rij", "het rijnummer van de vorige rij"),),
        ),
    )
}
# the soort names every kind, so a new kind is its entry above and nothing else
COMMON_PARAMS = (
    replace(
        COMMON_PARAMS[0],
        help=f"De regelsoort: {_listed([f'`{k}`' for k in RULE_KINDS], ' of ')} (docs/regels.md).",
    ),
    *COMMON_PARAMS[1:],
)
#: every key a [[regel]] may have, whatever its kind (for the strict key check)
RULE_KEYS: tuple[str, ...] = tuple(dict.fromkeys(key for kind in RULE_KINDS.values() for key in kind.keys))


# ---- reading a declaration -----------------------------------------------------------------


class RuleError(ValueError):
    """A wrong [[regel]]: where (for the message) and what, in Dutch."""

    def __init__(self, where: str, what: str) -> None:
        super().__init__(what)
        self.where = where
        self.what = what


def nearest(word: str, candidates: list[str] | tuple[str, ...]) -> str:
    """ "; bedoelt u 'x'?" for the closest valid name, else the valid names: the end of a
    message about a misspelt name."""
    close = closest(word, candidates, cutoff=0.5)
    if close:
        return f"; bedoelt u '{close}'?"
    return f"; kies uit {', '.join(repr(c) for c in candidates)}." if candidates else "."


def template_fields(text: str) -> list[str]:
    """The placeholders in a message; ValueError for a stray { or }."""
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def read_rule(
    entry: dict,
    index: int,
    sheet: TableSheet,  # type: ignore[type-arg]
    vocabularies: Mapping[str, Vocabulary],
    fixed_codes: frozenset[str],
    derived: Mapping[str, object] | None = None,
) -> DeclaredRule:
    """One [[regel]] table, checked against the sheet's columns and lists.

    derived: the values of left-out parameters that the declaration says elsewhere (a
    vervolgrij's columns are those of [indeling.vervolgrij]: declared once, for the
    printing, the import and this rule). RuleError names the rule (by code, else by
    number), the key and the nearest valid name.
    """
    code = entry.get("code")
    where = f"[[regel]] '{code}'" if isinstance(code, str) and code else f"[[regel]] nummer {index}"

    def fail(what: str) -> RuleError:
        return RuleError(where, what)

    kind_name = entry.get("soort")
    if not isinstance(kind_name, str):
        raise fail(
            "'soort' ontbreekt; kies uit "
            + ", ".join(f"'{k}'" for k in RULE_KINDS)
            + " (zie docs/regels.md)."
        )
    kind = RULE_KINDS.get(kind_name)
    if kind is None:
        raise fail(f"de regelsoort '{kind_name}' bestaat niet{nearest(kind_name, list(RULE_KINDS))}")
    for key in entry:
        if kind.param(key) is None:
            raise fail(f"een regel van soort '{kind.name}' kent '{key}' niet{nearest(key, kind.keys)}")
    if not isinstance(code, str) or not code:
        raise fail("'code' ontbreekt: de vaste code van de bevinding, zoals \"toezegging-verlopen\".")
    if not re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", code):
        raise fail(
            f"de code '{code}' mag alleen kleine letters, cijfers en losse streepjes "
            f'bevatten en begint met een letter, zoals "toezegging-verlopen".'
        )
    if code in fixed_codes:
        raise fail(
            f"de code '{code}' is al een vaste regel van de toolkit (docs/regels.md); kies een eigen code."
        )
    columns = {c.key: c for c in sheet.columns}
    values: dict[str, object] = {}
    for param in (*COMMON_PARAMS, *kind.params):
        if param.name in ("soort", "code"):
            continue
        if param.name not in entry:
            if param.derived and derived and param.name in derived:
                given = derived[param.name]
                values[param.name] = param_value(
                    param, list(given) if isinstance(given, tuple) else given, columns, fail
                )
                continue
            if param.required:
                also = f" (of verklaar {param.derived.split(' van ')[-1]})" if param.derived else ""
                raise fail(f"'{param.name}' ontbreekt{also}: {param.help}")
            continue
        values[param.name] = param_value(param, entry[param.name], columns, fail)
    present = [name for name in kind.one_of if name in values]
    if len(present) > 1:
        raise fail(f"gebruik hoogstens één van {_or(kind.one_of)}, niet {_or(present, ' en ')}.")
    if kind.one_required and not present:
        raise fail(f"een regel van soort '{kind.name}' heeft één van {_or(kind.one_of)} nodig.")
    if values.get("nog_onbekend") is False:
        raise fail(
            "'nog_onbekend = false' zegt niets; laat het weg of kies met_betekenis of zonder_betekenis."
        )
    meaning_names: dict[str, str] = {}
    for param in kind.params:
        if param.name not in values or not param.about:
            continue
        column = columns[str(values[param.about])]
        if column.kind not in param.about_kinds:
            raise fail(
                f"'{param.name}' kan alleen bij een kolom van soort "
                f"{_or([k.value for k in param.about_kinds])}; '{column.key}' is van "
                f"soort '{column.kind.value}'."
            )
        if param.type is ParamType.MEANINGS:
            voc = vocabularies.get(column.vocabulary or "")
            roles = voc.roles if voc is not None else ()
            list_name = f"de lijst '{column.vocabulary}' (kolom '{column.key}')"
            if not roles:
                raise fail(
                    f"'{param.name}' noemt betekenissen, maar {list_name} heeft er geen; "
                    f"verklaar ze met [[lijst.betekenis]]."
                )
            known = [*FLAGS, *(r.key for r in roles if r.key not in FLAGS)]
            for name in _as_tuple(values[param.name]):
                if name not in known:
                    raise fail(
                        f"'{name}' in '{param.name}' is geen betekenis van {list_name}{nearest(name, known)}"
                    )
            meaning_names.update({r.key: r.label for r in roles})
    anchor = str(values.get("anker") or _first(values, kind.default_anchor))
    value = str(
        values.get("waarde") or (_first(values, kind.default_value) if kind.default_value else anchor)
    )
    declared = Declared(values, sheet, {**meaning_names, **{f: f.replace("_", " ") for f in FLAGS}})
    title, message, hint = kind.texts(declared)
    for name in ("titel", "melding", "hint"):
        text = values.get(name)
        if text is None:
            continue
        allowed = kind.placeholder_names(title=name == "titel")
        try:
            fields = template_fields(str(text))
        except ValueError:
            raise fail(
                f"'{name}' heeft een losse {{ of }}; een plaatshouder staat tussen "
                f"accolades, zoals {{waarde}}, en een accolade zelf schrijft u dubbel: "
                f"{{{{ of }}}}."
            ) from None
        for field_name in fields:
            if field_name not in allowed:
                raise fail(
                    f"'{name}' noemt {{{field_name}}}, maar die plaatshouder bestaat "
                    f"niet bij een regel van soort '{kind.name}'"
                    f"{nearest(field_name, allowed)}"
                )
    if "titel" in values:
        heads = {"kop": columns[anchor].label}
        for param in kind.params:
            if param.is_column and param.name in values:
                heads[f"{param.name}_kop"] = _joined(
                    [columns[k].label for k in _as_tuple(values[param.name])]
                )
        title = str(values["titel"]).format_map(heads)
    return DeclaredRule(
        kind.name,
        code,
        str(values.get("ernst", "waarschuwing")),
        title,
        str(values.get("melding", message)),
        str(values.get("hint", hint)),
        anchor,
        value,
        tuple(sorted((k, v) for k, v in values.items() if k not in ("titel", "melding", "hint"))),
    )


def _first(values: Mapping[str, object], name: str) -> str:
    return _as_tuple(values[name])[0]


def _or(names: list[str] | tuple[str, ...], joiner: str = " of ") -> str:
    return _listed([f"'{n}'" for n in names], joiner)


def param_value(
    param: Param, raw: object, columns: Mapping[str, Column], fail: Callable[[str], Exception]
) -> object:
    """A parameter's value in the form the checks use (a column list as a tuple); also
    how an element of the arrangement (declarations.elements) reads its keys."""
    name = param.name
    if param.type in (ParamType.COLUMN, ParamType.COLUMNS, ParamType.MEANINGS):
        many = param.type is not ParamType.COLUMN
        given = raw if many and isinstance(raw, list) else [raw]
        if not given or not all(isinstance(i, str) and i for i in given):
            raise fail(
                f"'{name}' moet "
                + (
                    f'een tekst of een lijst met teksten zijn, zoals {name} = ["a", "b"].'
                    if many
                    else f'de sleutel van één kolom zijn, tussen aanhalingstekens: {name} = "begindatum".'
                )
            )
        items = [str(i) for i in given]
        twice = [i for i in items if items.count(i) > 1]
        if twice:
            raise fail(f"'{name}' noemt '{twice[0]}' twee keer.")
        if param.type is not ParamType.MEANINGS:
            for key in items:
                column = columns.get(key)
                if column is None:
                    raise fail(
                        f"'{name}' noemt de kolom '{key}', maar die is niet verklaard"
                        f"{nearest(key, list(columns))}"
                    )
                if param.kinds and column.kind not in param.kinds:
                    raise fail(
                        f"'{name}' moet een kolom van soort "
                        f"{_or([k.value for k in param.kinds])} zijn; '{key}' is van "
                        f"soort '{column.kind.value}'."
                    )
        return tuple(items) if many else items[0]
    if param.type is ParamType.NUMBER:
        if not isinstance(raw, int) or isinstance(raw, bool) or raw < 0:
            raise fail(
                f"'{name}' moet een geheel getal van 0 of meer zijn, zonder aanhalingstekens: {name} = 365."
            )
        return raw
    if param.type is ParamType.FLAG:
        if not isinstance(raw, bool):
            raise fail(f"'{name}' moet true of false zijn.")
        return raw
    if not isinstance(raw, str):
        raise fail(f"'{name}' moet tekst zijn (tussen aanhalingstekens).")
    if param.options:
        raw = raw.strip().casefold()  # as the key registry compares a choice
    if param.options and raw not in param.options:
        raise fail(f"'{name}' kan {_or(param.options)} zijn, niet '{raw}'{nearest(raw, param.options)}")
    return raw


# ---- documentation -----------------------------------------------------------------------


def example_rule(kind: RuleKind) -> DeclaredRule:
    """A kind's example read as a declaration would be, on a sheet with just the columns it
    names (a date column for a date parameter, a small status list for a list): what
    docs/regels.md shows, and proof that the example is a valid declaration."""
    import tomllib

    entry = tomllib.loads(kind.example)["regel"][0]
    about = {
        str(entry[p.about])
        for p in kind.params
        if p.about and p.name in entry and p.type is ParamType.MEANINGS
    }
    columns: dict[str, Column] = {}
    for param in (*kind.params, *COMMON_PARAMS):
        if not param.is_column or param.name not in entry:
            continue
        for key in _as_tuple(
            tuple(entry[param.name]) if isinstance(entry[param.name], list) else entry[param.name]
        ):
            column_kind = (
                DATE[0]
                if param.kinds == DATE
                else LISTED[0]
                if key in about
                else next(k for k in TEXTLIKE if k.traits.rich)
                if param.kinds == TEXTLIKE
                else PLAIN[0]
            )
            columns.setdefault(
                key,
                Column(
                    key,
                    key.replace("_", " ").capitalize(),
                    column_kind,
                    "",
                    vocabulary="status" if column_kind.traits.listed else None,
                ),
            )
    sheet = TableSheet("Voorbeeld", "Voorbeeld", "", tuple(columns.values()))
    roles = (
        Role("open", "Open", ""),
        Role("ingetrokken", "Ingetrokken", "", finished=True),
        Role("afgerond", "Afgerond", "", finished=True),
    )
    vocabulary = Vocabulary("status", "Statussen", "", tuple(r.label for r in roles), roles)
    return read_rule(entry, 1, sheet, {"status": vocabulary}, frozenset())


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _param_rows(params: tuple[Param, ...]) -> list[str]:
    rows = ["| sleutel | waarde | standaard | uitleg |", "|---|---|---|---|"]
    for p in params:
        what = p.type.value
        if p.kinds:
            what += f" ({', '.join(k.value for k in p.kinds)})"
        if p.options:
            what += ": " + ", ".join(f"`{o}`" for o in p.options)
        default = (
            "verplicht"
            if p.required
            else ""
            if p.default is None
            else f"`{str(p.default).lower() if isinstance(p.default, bool) else p.default}`"
        )
        rows.append(f"| `{p.name}` | {_cell(what)} | {default} | {_cell(p.help)} |")
    return rows


def kinds_markdown() -> str:
    """The rule kinds part of docs/regels.md: every kind, its parameters and an example."""
    lines = [
        "## Regels over meer kolommen: de regelsoorten",
        "",
        "Een regel die kolommen vergelijkt, verklaart een bijlagetype zelf, op zijn eigen "
        "kolommen: als een `[[regel]]` in zijn verklaring (`*.toml`). Zo'n regel heeft een "
        "soort (hieronder), de kolommen en andere waarden die die soort nodig heeft, en deze "
        "sleutels:",
        "",
        *_param_rows(COMMON_PARAMS),
        "",
        "**Plaatshouders.** In `melding` en `hint` staat tussen accolades wat per rij wordt "
        "ingevuld: " + ", ".join(f"`{{{n}}}` ({h})" for n, h in COMMON_PLACEHOLDERS) + "; "
        "en voor elke kolomsleutel van de soort, zoals `eerste`: `{eerste}` (de tekst in die "
        "kolom, of 'leeg'; bij een lijst van kolommen de teksten met ' / ' ertussen) en "
        "`{eerste_kop}` (de kop). Een regel die de peildatum gebruikt, kent ook "
        "`{peildatum}`. In `titel` passen alleen de koppen. Een accolade zelf schrijft u "
        "dubbel: `{{`. Een onbekende soort, sleutel, kolom, betekenis of plaatshouder stopt "
        "elk commando met een melding die het bestand, de regel en de dichtstbijzijnde "
        "geldige naam noemt.",
        "",
        "**Eén bevinding per cel.** Vinden twee regels met dezelfde code dezelfde cel, dan "
        "telt alleen de eerst verklaarde. Zo verklaart de meegeleverde pilotbijlage "
        "`uitkomst-verlopen` twee keer (voorbij de einddatum, voorbij het evaluatiemoment), "
        "elk met een eigen melding, en krijgt een rij toch één bevinding.",
        "",
    ]
    for kind in RULE_KINDS.values():
        example = example_rule(kind)
        extra = "".join(f", `{{{n}}}` ({h})" for n, h in kind.placeholders)
        anchor = f"`{kind.default_anchor}`" + (
            " (de eerste)" if kind.param(kind.default_anchor).type is ParamType.COLUMNS else ""  # type: ignore[union-attr]
        )
        lines += [
            f"### `{kind.name}`",
            "",
            f"{kind.summary} {kind.help}",
            "",
            *_param_rows(kind.params),
            "",
            f"De bevinding wijst naar {anchor}, tenzij `anker` iets anders zegt. Extra "
            f"plaatshouders: " + (extra[2:] if extra else "geen") + ".",
            "",
            "Voorbeeld:",
            "",
            "```toml",
            kind.example.rstrip("\n"),
            "```",
            "",
            "Zonder `titel`, `melding` en `hint` (hier met de kolomkoppen "
            + ", ".join(f"'{c.label}'" for c in _example_columns(example))
            + "):",
            "",
            f"- titel: {example.title}",
            f"- melding: {example.message}",
            f"- hint: {example.hint}",
            "",
        ]
    return "\n".join(lines).rstrip("\n") + "\n"


def _example_columns(rule: DeclaredRule) -> list[Column]:
    keys: list[str] = []
    for param in rule.spec.params:
        if param.is_column:
            keys += [k for k in rule.columns(param.name) if k not in keys]
    return [Column(k, k.replace("_", " ").capitalize(), PLAIN[0], "") for k in keys]
