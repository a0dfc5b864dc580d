"""Every key a declaration file (toolkit/declarations/bijlagetypen/*.toml) may hold, declared once.

A coordinator writes declarations by hand, so a misspelt key (`verplict = true`) must
not be ignored: it would quietly turn a required column into an optional one. This
registry says per table which keys exist, of what type, with which default and what
they mean. The reader (annextypes) checks a parsed file against it and reads its values
through it; docs/verklaringen.md is generated from it (`uv run python -m
toolkit.declarations.keys`). A new table is one `declare(Table(...))`, a new key one
`Key(...)` in its table.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace

from toolkit.core.closest import closest
from toolkit.core.errors import TemplateError
from toolkit.core.sheetscan import MAX_COLUMNS
from toolkit.declarations.elements import ELEMENTS
from toolkit.declarations.rulekinds import COMMON_PARAMS, RULE_KINDS, Param, ParamType

#: what the toolkit reads of one sheet (sheetscan.MAX_COLUMNS): a table must fit in it
MAX_DECLARED_COLUMNS = MAX_COLUMNS
#: values of one list; the drop-downs in the register cover this many (workbook.LIST_ROWS)
MAX_LIST_VALUES = 200
#: Excel's limit for a table's column head and for a cell's input message
EXCEL_TEXT_LIMIT = 255


@dataclass(frozen=True)
class ValueType:
    """A kind of TOML value, with how the documentation and the messages name it."""

    name: str  # in the reference page: "tekst"
    wrong: str  # completes "'kop' ...": "moet tekst zijn (tussen aanhalingstekens)"
    accepts: Callable[[object], bool]


TEXT = ValueType("tekst", "moet tekst zijn (tussen aanhalingstekens)", lambda v: isinstance(v, str))
FLAG = ValueType(
    "true/false", "moet true of false zijn (zonder aanhalingstekens)", lambda v: isinstance(v, bool)
)
WHOLE = ValueType(
    "geheel getal",
    "moet een geheel getal zijn (zonder aanhalingstekens)",
    lambda v: isinstance(v, int) and not isinstance(v, bool),
)
TEXTS = ValueType(
    "lijst met teksten",
    'moet een lijst met teksten zijn, zoals ["a", "b"]',
    lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
)

WHOLES = ValueType(
    "lijst met gehele getallen",
    "moet een lijst met gehele getallen zijn, zoals [3, 4, 2]",
    lambda v: (
        isinstance(v, list) and all(isinstance(x, int) and not isinstance(x, bool) and x > 0 for x in v)
    ),
)

TEXT_OR_TEXTS = ValueType(
    "tekst of lijst met teksten",
    'moet een tekst of een lijst met teksten zijn, zoals ["a", "b"]',
    lambda v: isinstance(v, str) or TEXTS.accepts(v),
)
FLAG_OR_TEXT = ValueType(
    "true/false of tekst", "moet true, false of een tekst zijn", lambda v: isinstance(v, bool | str)
)
WHOLE_OR_TEXT = ValueType(
    "geheel getal of tekst",
    "moet een geheel getal of een tekst zijn",
    lambda v: TEXT.accepts(v) or WHOLE.accepts(v),
)


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


#: the key must be given
REQUIRED = _Marker("REQUIRED")
#: without the key, the reader works the value out from others (Key.derived says how)
DERIVED = _Marker("DERIVED")


def utf16_length(text: str) -> int:
    """Length as Excel counts it (UTF-16 code units: an emoji counts twice)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Key:
    """One key of a table: its type, default and meaning."""

    name: str
    type: ValueType
    help: str  # Dutch, one or two sentences, for the reference page
    example: object  # a value as it would be written, for the reference page
    default: object = REQUIRED  # REQUIRED, DERIVED, None (optional, no value) or a value
    derived: str = ""  # with DERIVED: what the value is when the key is left out
    choices: tuple[str, ...] = ()  # the allowed texts (compared without case and spaces)
    also: tuple[str, ...] = ()  # older spellings still accepted, not documented
    limit: int | None = None  # longest text (as Excel counts), most items, or largest number
    minimum: int | None = None  # smallest number
    blank: bool = True  # an empty text (or only spaces) is allowed
    wrong: str = ""  # the message for a value of the wrong type, if the generic one is unclear

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def problem(self, value: object) -> str | None:
        """What is wrong with a given value, in Dutch, or None when it may be used."""
        if not self.type.accepts(value):
            return self.wrong or f"'{self.name}' {self.type.wrong}."
        if isinstance(value, str):
            folded = value.strip().casefold()
            if self.choices and folded not in self.choices and folded not in self.also:
                return f"de {self.name} '{shown(value)}' bestaat niet; kies uit {said(self.choices, 'of')}."
            if not self.blank and not value.strip():
                return f"'{self.name}' mag niet leeg zijn."
            if self.limit is not None and utf16_length(value) > self.limit:
                return (
                    f"'{self.name}' is {number(utf16_length(value))} tekens lang; "
                    f"hoogstens {self.limit} mogen. Maak hem korter."
                )
        if isinstance(value, list) and self.limit is not None and len(value) > self.limit:
            return f"'{self.name}' heeft {len(value)} waarden; hoogstens {self.limit} mogen."
        if isinstance(value, int) and not isinstance(value, bool):
            low = self.minimum if self.minimum is not None else value
            high = self.limit if self.limit is not None else value
            if not low <= value <= high:
                return f"'{self.name}' moet een geheel getal tussen {low} en {high} zijn."
        return None

    def read(
        self, entry: Mapping[str, object], fail: Callable[[str], Exception], fallback: object = None
    ) -> object:
        """The entry's value for this key, checked; the default (or fallback, for a
        DERIVED default) when the key is left out. fail(message) makes the exception."""
        if self.name not in entry:
            if self.default is REQUIRED:
                raise fail(f"'{self.name}' ontbreekt.")
            if self.default is DERIVED:
                return fallback
            return list(self.default) if isinstance(self.default, list) else self.default
        value = entry[self.name]
        problem = self.problem(value)
        if problem is not None:
            raise fail(problem)
        return value


@dataclass(frozen=True)
class Table:
    """One table of a declaration: [name] once, or [[name]] for each of several entries.
    A dotted name ("lijst.betekenis") is a table inside each entry of its parent."""

    name: str
    many: bool
    help: str  # Dutch, for the reference page
    keys: tuple[Key, ...]
    required: bool = False
    #: most entries of a [[table]] (in one parent entry)
    limit: int | None = None
    #: a [[table]] that may also be written once as [table]
    one_ok: bool = False
    #: keys that depend on an entry's other values (a rule kind's parameters, say)
    more_keys: Callable[[Mapping[str, object]], tuple[Key, ...]] | None = None
    #: a table of names the coordinator chooses (tags): every key is allowed, its value
    #: checked as this Key (whose name is only the example's)
    free: Key | None = None
    #: the key whose value names an entry in messages ("[[regel]] 'start-na-eind'")
    named_by: str = "sleutel"
    _by_name: dict[str, Key] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {k.name: k for k in self.keys})

    @property
    def heading(self) -> str:
        return f"[[{self.name}]]" if self.many else f"[{self.name}]"

    @property
    def parent(self) -> str | None:
        return self.name.rpartition(".")[0] or None

    @property
    def short(self) -> str:
        """Its name inside its parent: 'betekenis' for lijst.betekenis."""
        return self.name.rpartition(".")[2]

    def key(self, name: str) -> Key:
        return self._by_name[name]

    def keys_of(self, entry: Mapping[str, object]) -> tuple[Key, ...]:
        return self.keys + (self.more_keys(entry) if self.more_keys else ())


class _Tables(Mapping[str, Table]):
    """The tables declared here, with those of the arrangement's elements
    (declarations.elements: each element's keys are its [indeling.<naam>] table, and a
    [[indeling.groep]] key when it can stand under every group's heading). Worked out
    from the element registry when asked, so an element added to it is a table at once."""

    def __init__(self) -> None:
        self.declared: dict[str, Table] = {}
        self._made: tuple[tuple[int, ...], dict[str, Table]] | None = None

    def _all(self) -> dict[str, Table]:
        stamp = (len(self.declared), *(id(e) for e in ELEMENTS.values()))
        if self._made is not None and self._made[0] == stamp:
            return self._made[1]
        out: dict[str, Table] = {}
        for name, table in self.declared.items():
            if name == ELEMENTS_AFTER:
                group_keys = tuple(
                    Key(e.name, FLAG, e.per_group, True, False) for e in ELEMENTS.values() if e.per_group
                )
                out[name] = replace(table, keys=table.keys + group_keys)
                for element in ELEMENTS.values():
                    out[f"indeling.{element.name}"] = Table(
                        f"indeling.{element.name}",
                        False,
                        element.help,
                        tuple(param_key(p) for p in element.params),
                    )
            else:
                out[name] = table
        self._made = (stamp, out)
        return out

    def __getitem__(self, name: str) -> Table:
        return self._all()[name]

    def copy(self) -> _Tables:
        """A registry with the same tables, to add to without changing this one."""
        other = _Tables()
        other.declared = dict(self.declared)
        return other

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


#: the elements' tables follow this one on the reference page (their parent's first child)
ELEMENTS_AFTER = "indeling.groep"

#: every table a declaration may hold, by name; in the order of the reference page
TABLES = _Tables()


def declare(table: Table) -> Table:
    """Add a table to the registry: the reader then accepts it and the docs list it."""
    if table.name in TABLES.declared:
        raise ValueError(f"table {table.name} declared twice")
    if table.parent is not None and table.parent not in TABLES.declared:
        raise ValueError(f"table {table.name} before its parent")
    TABLES.declared[table.name] = table
    return table


def children(parent: str | None) -> list[Table]:
    return [t for t in TABLES.values() if t.parent == parent]


#: a key names a list in the register (Lijst_<sleutel>, an Excel name of at most 255)
KEY_LIMIT = 64


def _sleutel(what: str, example: str) -> Key:
    return Key(
        "sleutel",
        TEXT,
        f"De naam waarmee de toolkit {what} kent: kleine letters, cijfers en _, beginnend met een letter.",
        example,
        limit=KEY_LIMIT,
    )


KIND_CHOICES = ("id", "tekst", "rijke tekst", "datum", "keuze")

declare(
    Table(
        "bijlagetype",
        False,
        "Wat voor bijlage dit is en hoe het document heet.",
        (
            Key(
                "sleutel",
                TEXT,
                "De naam waarmee de toolkit het bijlagetype kent (ook voor "
                "`--bijlagetype`): kleine letters, cijfers en _, beginnend met een letter.",
                "wijkplannen",
                limit=KEY_LIMIT,
            ),
            Key(
                "naam",
                TEXT,
                "Hoe de bijlage in meldingen heet.",
                "wijkplannenoverzicht",
                DERIVED,
                "de sleutel",
            ),
            Key("enkelvoud", TEXT, 'Eén rij, in meldingen: "wijkplan W-3".', "wijkplan", "rij"),
            Key("meervoud", TEXT, 'Waar een aantal van is: "12 wijkplannen".', "wijkplannen", "rijen"),
            Key(
                "volgorde",
                WHOLE,
                "De plaats tussen de bijlagetypen (tabbladen, documenten, meldingen): lager komt eerder.",
                3,
                100,
                minimum=0,
                limit=10_000,
            ),
            Key(
                "sjabloon",
                TEXT,
                "Het Word-sjabloon: een .docx-bestand in dezelfde map als de verklaring.",
                "wijkplannen.docx",
                DERIVED,
                "de sleutel met .docx erachter",
            ),
            Key(
                "document",
                TEXT,
                "De naam van het document; `{instelling}` wordt ingevuld en "
                '" - {editie}" komt er vanzelf achter.',
                "Wijkplannen {wijkprogramma}",
                DERIVED,
                "de naam van het tabblad",
            ),
            Key(
                "titel",
                TEXT,
                "De titel in de documenteigenschappen; `{instelling}` wordt ingevuld.",
                "Wijkplannen {wijkprogramma}",
                DERIVED,
                "de naam van het tabblad",
            ),
            Key(
                "indeling",
                TEXT,
                "Hoe de rijen in het document komen: `kaarten` is de voorbeeldkaart "
                "in het Word-sjabloon (`{{ kaarten }}` … `{{ einde }}`).",
                "kaarten",
                "kaarten",
            ),
            Key(
                "bloktag",
                TEXT,
                "De bloktag die oudere sjablonen hebben waar de rijen komen "
                "(`{{ plannen }}`): daar komt de voorbeeldkaart van het meegeleverde sjabloon.",
                "plannen",
                None,
            ),
        ),
        required=True,
    )
)

declare(
    Table(
        "bijlagetype.tags",
        False,
        "Extra tags voor het Word-sjabloon, elk als patroon "
        "van instellingen; `{aantal}` is het aantal rijen. De naam kiest u zelf (kleine "
        "letters, cijfers en _).",
        (),
        free=Key(
            "titel",
            TEXT,
            "Een tag met deze naam (`{{ titel }}`) en dit patroon.",
            "{wijkplannen_titel}",
            None,
        ),
    )
)

declare(
    Table(
        "tabblad",
        False,
        "Het tabblad in het register met één rij per record.",
        (
            Key(
                "naam",
                TEXT,
                "De naam van het tabblad: hoogstens 31 tekens, zonder [ ] : * ? / \\, "
                "niet beginnend of eindigend met een spatie of apostrof.",
                "Wijkplannen",
            ),
            Key(
                "tabel",
                TEXT,
                "De naam van de Excel-tabel op het tabblad: letters, cijfers en _, geen spaties.",
                "Wijkplannen",
                DERIVED,
                "de naam van het tabblad, met _ voor spaties en leestekens",
            ),
            Key(
                "uitleg",
                TEXT,
                "Wat er op het tabblad hoort (komt op het tabblad Instructies).",
                "Eén rij per wijkplan.",
                "",
            ),
            Key(
                "sleutelkolom",
                TEXT,
                "De kolom die een rij aanwijst (uniek, nooit hergebruikt): "
                "`diff`, `import` en de rapporten gebruiken haar.",
                "id",
                "id",
            ),
            Key(
                "naamkolom",
                TEXT,
                "De kolom met de naam van een rij, in meldingen en rapporten.",
                "naam",
                "naam",
            ),
            Key(
                "eigenaarkolom",
                TEXT,
                "De kolom met wie de rij bijhoudt; het rapport per eigenaar groepeert hierop.",
                "wijkcoordinator",
                None,
            ),
            Key(
                "kenmerken",
                TEXTS,
                "De kolommen die samen zeggen waar een rij over gaat. Blijft bij "
                "`toolkit diff` de naam gelijk terwijl de meeste hiervan (minstens 4, of alle als het er "
                "minder zijn) tegelijk veranderen, dan waarschuwt diff: is er een andere rij over een "
                "oude heen geschreven?",
                '["omschrijving", "wijk", "begindatum"]',
                (),
            ),
            Key(
                "eigenaar_scheiding",
                TEXT,
                "Noemt de eigenaarkolom soms meer namen, dan de tekens "
                "die ze scheiden (hoogstens vijf, geen letters, cijfers of spaties): de naam vóór het "
                "eerste ervan is de eigenaar in het rapport per eigenaar ('Pieter Jansen; Woonbron' "
                "is van Pieter Jansen). Het invoerbericht van de kolom zegt het. Leeg: de hele tekst.",
                ";,",
                "",
            ),
        ),
        required=True,
    )
)

declare(
    Table(
        "kolom",
        True,
        "Eén kolom van het tabblad, in de volgorde van het tabblad.",
        (
            _sleutel("de kolom (ook de tag in het Word-sjabloon: `{{ wat }}`)", "wat"),
            Key(
                "kop",
                TEXT,
                "De kolomkop in het register: uniek, niet leeg, hoogstens 255 tekens.",
                "Wat gaan we doen?",
                blank=False,
                limit=EXCEL_TEXT_LIMIT,
            ),
            Key(
                "soort",
                TEXT,
                "Hoe de cel gelezen wordt: `id`, `tekst`, `rijke tekst` (opsommingen, "
                "vet), `datum` (een datum of een omschrijving als 'Q4-2022') of `keuze` (uit een lijst).",
                "rijke tekst",
                "tekst",
                choices=KIND_CHOICES,
                also=("rijk", "datum of omschrijving", "keuze uit lijst"),
            ),
            Key(
                "uitleg",
                TEXT,
                "Het invoerbericht in Excel en de uitleg op het tabblad Instructies (hoogstens 255 tekens).",
                "Wat houdt het project in?",
                "",
                limit=EXCEL_TEXT_LIMIT,
            ),
            Key("breedte", WHOLE, "De kolombreedte in Excel (in tekens).", 60, 20, minimum=3, limit=120),
            Key("verplicht", FLAG, "Een lege cel is een fout.", True, False),
            Key(
                "lijst",
                TEXT,
                "Bij soort `keuze`: de sleutel van de [[lijst]] met de waarden (ook "
                'een lijst van een meegeleverd type, zoals "status").',
                "projectstatus",
                None,
                wrong="'lijst' is de sleutel van één lijst, tussen aanhalingstekens: lijst = \"status\".",
            ),
            Key("gepubliceerd", FLAG, "false: een interne kolom die nooit in een bijlage komt.", False, True),
            Key(
                "aliassen",
                TEXTS,
                "Andere koppen waaronder de kolom ook herkend wordt (een oud register, een tikfout).",
                ["Naam project", "Naam"],
                [],
                limit=20,
            ),
            Key(
                "als_leeg",
                TEXT,
                "De sleutel van een andere kolom: is deze kolom leeg, dan komt de "
                "waarde van die kolom in de bijlage (een kop die anders de naam is).",
                "naam",
                None,
            ),
        ),
        required=True,
        limit=MAX_DECLARED_COLUMNS,
    )
)

declare(
    Table(
        "lijst",
        True,
        "Een keuzelijst op het tabblad Lijsten.",
        (
            _sleutel("de lijst (een kolom noemt haar met `lijst = ...`)", "projectstatus"),
            Key("naam", TEXT, "De kop van de lijst op het tabblad Lijsten.", "Projectstatussen"),
            Key("uitleg", TEXT, "Waar de lijst voor is.", "De statussen van wijkplannen.", ""),
            Key(
                "gemeentelijk",
                FLAG,
                "true: de waarden verschillen per gemeente; een nieuw register begint met een lege lijst.",
                True,
                False,
            ),
            Key(
                "waarden",
                TEXTS,
                "De waarden in een nieuw register.",
                ["Hoog", "Midden", "Laag"],
                DERIVED,
                "de waarden van de betekenissen",
                limit=MAX_LIST_VALUES,
            ),
        ),
        limit=50,
    )
)

declare(
    Table(
        "lijst.betekenis",
        True,
        "Een waarde van de lijst erboven met een betekenis "
        "voor de toolkit. Een register mag de waarde anders noemen; de betekenis "
        "blijft.",
        (
            _sleutel("de betekenis", "opgeleverd"),
            Key("waarde", TEXT, "De standaardwaarde in de lijst.", "Opgeleverd", blank=False),
            Key(
                "uitleg",
                TEXT,
                "Wat de waarde betekent (op het tabblad Instructies).",
                "Het project is klaar.",
                "",
            ),
            Key("verplicht", FLAG, "Een lijst zonder waarde met deze betekenis is een fout.", True, False),
            Key("gepubliceerd", FLAG, "Een rij met deze waarde komt in de bijlage.", True, False),
            Key(
                "laatste_keer",
                FLAG,
                "Een rij met deze waarde komt voor het laatst in de bijlage, met een opmerking.",
                True,
                False,
            ),
            Key(
                "afgerond",
                FLAG,
                "Een rij met deze waarde is klaar en gaat niet mee naar de volgende editie.",
                True,
                False,
            ),
            Key("kleur", TEXT, "De kleur naast de status (een kleurcode, zonder of met #).", "C6EFCE", ""),
        ),
        limit=MAX_LIST_VALUES,
    )
)

declare(
    Table(
        "instelling",
        True,
        "Een regel op het tabblad Instellingen en een tag (`{{ sleutel }}`) in het Word-sjabloon.",
        (
            _sleutel("de instelling (de tag in het sjabloon en {sleutel} in `document`)", "programma_naam"),
            Key("naam", TEXT, "De naam op het tabblad Instellingen.", "Naam programma", blank=False),
            Key(
                "uitleg",
                TEXT,
                "De toelichting op het tabblad Instellingen en het invoerbericht in "
                "Excel (hoogstens 255 tekens).",
                "De naam van het programma.",
                "",
                limit=EXCEL_TEXT_LIMIT,
            ),
            Key("standaard", TEXT, "De waarde in een nieuw register.", "Sociale innovatie", ""),
            Key("verplicht", FLAG, "Een lege instelling is een fout.", False, True),
            Key(
                "soort",
                TEXT,
                "Hoe de waarde gelezen wordt: `tekst`, `rijke tekst` of `datum`.",
                "rijke tekst",
                "tekst",
                choices=("tekst", "rijke tekst", "datum"),
                also=("rijk", "datum of omschrijving"),
            ),
            Key(
                "leeg_waarschuwen",
                FLAG,
                "true: een lege waarde geeft de waarschuwing `inleiding-leeg` (bij een "
                "instelling die niet verplicht is, maar die de bijlage wel hoort te hebben).",
                True,
                False,
            ),
        ),
        limit=100,
    )
)

declare(
    Table(
        "indeling",
        False,
        "Hoe de rijen rond de voorbeeldkaart van het Word-sjabloon "
        "staan: groepen met koppen, volgorde, statusoverzichten, een kruistabel.",
        (
            Key(
                "sorteren",
                TEXT_OR_TEXTS,
                "Kolomsleutels: de volgorde van de rijen binnen een groep; "
                "een datumkolom op de vroegste datum, een keuzekolom in de volgorde van de lijst.",
                ["begindatum", "naam"],
                [],
            ),
            Key(
                "leeg_weglaten",
                FLAG,
                "true: een alinea of tabelrij van de voorbeeldkaart waarvan alle "
                "velden leeg zijn, valt weg (met zijn label).",
                True,
                False,
            ),
            Key(
                "nieuw",
                TEXT,
                'Tekst boven een rij die nieuw is sinds de vorige editie (build --previous); "" voor geen.',
                "Nieuw in deze editie.",
                "Nieuw in deze editie.",
            ),
            Key(
                "voor_het_laatst",
                TEXT,
                "Tekst boven een rij waarvan de waarde in de kolom die "
                "opnemen bepaalt 'laatste keer' betekent; \"\" voor geen.",
                "Dit plan staat voor het laatst in de bijlage.",
                "",
            ),
            Key(
                "nieuwe_pagina",
                FLAG_OR_TEXT,
                "true: elke kaart begint op een nieuwe pagina; of de "
                "sleutel van een [[instelling]] waarin de coördinator Ja of Nee zet.",
                "plan_nieuwe_pagina",
                False,
            ),
        ),
    )
)

declare(
    Table(
        "indeling.groep",
        True,
        "Een niveau van groeperen, het bovenste eerst (hoogstens drie: Kop 1 tot 3).",
        (
            Key("kolom", TEXT, "De kolom waarop gegroepeerd wordt.", "wijk"),
            Key(
                "kop",
                TEXT,
                "De kop van elke groep, met {waarde}, {nummer} en {instelling}.",
                "Bijlage {nummer}: {waarde}",
                "{waarde}",
            ),
            Key("nieuwe_pagina", FLAG, "true: elke groep begint op een nieuwe pagina.", True, False),
            Key(
                "nummer_vanaf",
                WHOLE_OR_TEXT,
                "Het eerste {nummer}: een getal of de sleutel van een instelling.",
                "wijkplannen_eerste_nummer",
                1,
            ),
            Key(
                "voorvoegsel",
                TEXT,
                'Een woord vóór een waarde die er niet mee begint ("Wijk: …").',
                "Wijk",
                "",
            ),
        ),
        one_ok=True,
    )
)

declare(
    Table(
        "indeling.vervolgrij",
        False,
        "Een rij die alleen de tekst van de vorige rij "
        "voortzet (een paginagrens in de Word-bijlage van een vorige editie splitste de "
        "cel), wordt in de bijlage een deel van die rij.",
        (
            Key("kolom", TEXT, "De kolom waarvan de tekst doorloopt.", "voortgang"),
            Key(
                "leeg",
                TEXTS,
                "De kolommen die in een vervolgrij leeg zijn, de meest gevulde eerst.",
                ["actiepunt", "fase"],
            ),
        ),
    )
)


declare(
    Table(
        "inlezen",
        False,
        "Hoe `toolkit import` een handgemaakte bijlage van dit type herkent en leest (een "
        "bijlage die niet met de toolkit is gemaakt, zoals de raadsbijlage van een vorige "
        "editie). Zonder deze tabel leest import alleen bijlagen die de voorbeeldkaart van "
        "het Word-sjabloon herhalen.",
        (
            Key(
                "vorm",
                TEXT,
                "`kaarten`: per rij een kop en onderdelen met een kop en een tabel label | "
                "tekst ([[inlezen.onderdeel]]); `tabellen`: per groep van [[indeling.groep]] "
                "een tabel met een koprij (de kolommen in `kolommen`).",
                "tabellen",
                choices=("kaarten", "tabellen"),
            ),
            Key(
                "nummering",
                TEXT,
                "De waarde in de sleutelkolom van een ingelezen rij; `{nummer}` is het "
                "volgnummer (met voorloopnullen tot drie cijfers).",
                "W-{nummer}",
                DERIVED,
                "de eerste drie letters van de sleutel van het bijlagetype, in hoofdletters",
            ),
            Key(
                "titel",
                TEXT,
                "De titel van de bijlage; `{instelling}` wordt uit de titel gelezen, `…` "
                "staat voor willekeurige tekst.",
                "{wijkprogramma}: …",
                DERIVED,
                "`titel` van [bijlagetype]",
            ),
            Key(
                "kopregel",
                TEXT,
                "De koptekst van de pagina's, waaruit `{instelling}` wordt gelezen.",
                "Gemeente {gemeente} · {wijkprogramma} · {editie}",
                "Gemeente {gemeente} · {editie}",
            ),
            Key(
                "kolommen",
                TEXTS,
                "Bij `tabellen`: de kolommen van de tabel, herkend aan hun kop of alias; een "
                "tabel met al deze koppen is een tabel met rijen.",
                ["plan", "stand", "fase"],
                [],
            ),
            Key(
                "toelichting",
                TEXT,
                "Bij `tabellen`: de kolom die de tekst krijgt die in de cel van een "
                "keuzekolom na de waarde staat.",
                "toelichting_fase",
                None,
            ),
            Key(
                "laatste_keer",
                TEXTS,
                "Bij `kaarten`: woorden die, in deze volgorde, in een zin bij een kaart "
                "staan die zegt dat de rij voor het laatst in de bijlage komt; de kolom die "
                "opnemen bepaalt krijgt dan de waarde met de betekenis laatste keer.",
                ["plan", "voor het laatst", "opgenomen"],
                [],
            ),
        ),
    )
)

declare(
    Table(
        "inlezen.onderdeel",
        True,
        "Bij `kaarten`: een onderdeel van de kaart, in de volgorde van de bijlage. Het "
        "onderdeel met de naamkolom begint een kaart. `toolkit sjablonen` en het "
        "meegeleverde sjabloon maken de voorbeeldkaart met deze onderdelen.",
        (
            Key("kop", TEXT, "De kop boven het onderdeel.", "Planning", blank=False),
            Key(
                "velden",
                TEXTS,
                "De kolommen van de tabel label | tekst onder de kop, in deze volgorde.",
                ["begindatum", "opleverdatum"],
                [],
            ),
            Key(
                "labels",
                TEXTS,
                "De labels van die kolommen in de tabel, als ze anders zijn dan hun kop.",
                ["Begin", "Oplevering"],
                [],
            ),
            Key(
                "tekst",
                TEXT,
                "De kolom die de alinea's onder de kop krijgt (of een tabelrij zonder label).",
                "toelichting",
                None,
            ),
            Key(
                "laatste_keer",
                TEXTS,
                "Woorden die, in deze volgorde, in een van de velden van dit onderdeel een "
                "rij voor het laatst in de bijlage zetten.",
                ["wordt", "niet voortgezet"],
                [],
            ),
        ),
        limit=50,
    )
)


declare(
    Table(
        "sjabloon",
        False,
        "Hoe `toolkit sjablonen` (en `docx_templates` voor de meegeleverde sjablonen) het "
        "eerste Word-sjabloon van dit type maakt: de teksten van titelblad, kop- en "
        "voettekst. `{instelling}` wordt een tag. De kaart zelf volgt [[inlezen.onderdeel]] "
        'of, bij `vorm = "tabellen"`, de `kolommen` van [inlezen].',
        (
            Key(
                "titel",
                TEXT,
                "De titel op het titelblad.",
                "{wijkprogramma}: stand van zaken",
                DERIVED,
                "`titel` van [bijlagetype]",
            ),
            Key(
                "ondertitel",
                TEXT,
                "De regel onder de titel.",
                "Gemeente {gemeente} · {editie}",
                "Gemeente {gemeente} · {editie} · peildatum {peildatum}",
            ),
            Key(
                "voetregel",
                TEXT,
                "De voettekst, vóór het paginanummer.",
                "{wijkprogramma} · pagina ",
                DERIVED,
                'de titel met " · pagina "',
            ),
            Key(
                "documenttitel",
                TEXT,
                "De titel in de documenteigenschappen van het sjabloon.",
                "Wijkplannen",
                DERIVED,
                "`titel` van [bijlagetype] met de sleutels van de instellingen",
            ),
            Key(
                "breedtes",
                WHOLES,
                'Bij `vorm = "tabellen"`: de verhouding van de kolombreedtes.',
                [3, 4, 2],
                [],
            ),
            Key(
                "tabelbeschrijving",
                TEXT,
                "De beschrijving van de tabel voor een schermlezer (Alternatieve tekst).",
                "Plannen in deze wijk, per plan de fase.",
                "",
            ),
        ),
    )
)


def param_key(param: Param) -> Key:
    """A parameter of a [[regel]] (rulekinds, where each kind describes its own) or of an
    element of the arrangement (elements) as a key of the registry: the reader checks its
    type here, its meaning there."""
    value_type = {
        ParamType.COLUMN: TEXT,
        ParamType.COLUMNS: TEXT_OR_TEXTS,
        ParamType.MEANINGS: TEXT_OR_TEXTS,
        ParamType.NUMBER: WHOLE,
        ParamType.FLAG: FLAG,
        ParamType.CHOICE: TEXT,
        ParamType.TEXT: TEXT,
    }[param.type]
    default = DERIVED if param.derived else REQUIRED if param.required else param.default
    return Key(
        param.name,
        value_type,
        param.help,
        param.example,
        default,
        derived=param.derived,
        choices=param.options,
        limit=36_500 if param.type is ParamType.NUMBER else None,
        minimum=0 if param.type is ParamType.NUMBER else None,
        blank=not param.required,
    )


def _rule_kind_keys(entry: Mapping[str, object]) -> tuple[Key, ...]:
    """The parameters of the entry's kind; of every kind while its soort is unknown (the
    reader then names the kind that was meant)."""
    kind = RULE_KINDS.get(str(entry.get("soort")))
    kinds = [kind] if kind is not None else list(RULE_KINDS.values())
    params: dict[str, Param] = {}
    for k in kinds:
        for p in k.params:
            params.setdefault(p.name, p)
    return tuple(param_key(p) for p in params.values())


declare(
    Table(
        "regel",
        True,
        "Een regel over meer kolommen, op de kolommen van dit type: een "
        "regelsoort met de kolommen die hij vergelijkt. Elke soort heeft daarnaast zijn "
        "eigen sleutels (`eerste`, `datum`, `kolom`, …); die staan met een voorbeeld in "
        "[regels.md](regels.md).",
        tuple(param_key(p) for p in COMMON_PARAMS),
        limit=200,
        more_keys=_rule_kind_keys,
        named_by="code",
    )
)


# -- checking a parsed declaration against the registry ---------------------------------


def shown(text: object, most: int = 40) -> str:
    """A key or value as it can be shown in a message: printable, not too long."""
    clean = "".join(c if unicodedata.category(c)[0] != "C" else "?" for c in str(text))
    return clean if len(clean) <= most else clean[: most - 1] + "…"


def number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def said(items: tuple[str, ...] | list[str], last: str = "en", quote: bool = True) -> str:
    quoted = [f"'{i}'" if quote else i for i in items]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} {last} {quoted[-1]}"


def _nearest(key: str, valid: list[str]) -> str:
    near = closest(key, valid) or closest(key.casefold(), valid)
    if near:
        return f"bedoelt u '{near}'?"
    return f"geldig zijn {said(valid, 'en')} (zie docs/verklaringen.md)."


def _place(table: Table, entry: Mapping[str, object], index: int, parent: str) -> str:
    """How a message names an entry: "[[kolom]] 'status'", "[[lijst]] 'x', betekenis 2"."""
    name = entry.get(table.named_by)
    which = f"'{shown(name)}'" if isinstance(name, str) and name else f"nummer {index}"
    if not table.many:
        return table.heading
    if parent:
        return f"{parent}, {table.short} {which}"
    return f"{table.heading} {which}"


def check_keys(data: Mapping[str, object], file: str) -> None:
    """Refuse (TemplateError, Dutch) a key or table the registry does not know, a value of
    the wrong type, a table written with the wrong brackets, a required table left out and
    too many entries; whoever reads a table afterwards can trust its shape."""

    def fail(place: str, what: str) -> TemplateError:
        return TemplateError(f"In de verklaring '{file}' ({place}): {what}")

    def entries(table: Table, value: object, place: str) -> list[Mapping[str, object]]:
        if table.many and table.one_ok and isinstance(value, dict):
            return [value]
        if table.many:
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                raise fail(
                    place or table.heading,
                    f"schrijf elk onderdeel als {table.heading} (met twee paar vierkante haken).",
                )
            if table.limit is not None and len(value) > table.limit:
                raise fail(
                    place or table.heading,
                    f"{table.heading} staat er "
                    f"{number(len(value))} keer; hoogstens {number(table.limit)} mogen.",
                )
            return value
        if not isinstance(value, dict):
            raise fail(
                place or table.heading,
                f"schrijf {table.heading} (met één paar vierkante haken) met daaronder de sleutels.",
            )
        return [value]

    def check(table: Table, entry: Mapping[str, object], place: str) -> None:
        subtables = {t.short: t for t in children(table.name)}
        known = {k.name: k for k in table.keys_of(entry)}
        keys = list(known)
        for key, value in entry.items():
            if key in known:
                problem = known[key].problem(value)
                if problem is not None:
                    raise fail(place, problem)
            elif key in subtables:
                sub = subtables[key]
                for i, item in enumerate(entries(sub, value, f"{place}, {sub.short}"), start=1):
                    check(sub, item, _place(sub, item, i, place))
            elif table.free is not None:
                problem = table.free.problem(value)
                if problem is not None:
                    raise fail(place, problem.replace(f"'{table.free.name}'", f"'{shown(key)}'"))
            else:
                elsewhere = [
                    t.heading for t in TABLES.values() if t is not table and key in {k.name for k in t.keys}
                ]
                hint = _nearest(key, keys + list(subtables))
                if elsewhere:
                    hint += f" ('{shown(key)}' hoort bij {said(elsewhere[:2], 'of', quote=False)}.)"
                raise fail(place, f"'{shown(key)}' is geen sleutel van {table.heading}; {hint}")

    top = {t.name: t for t in children(None)}
    for name, value in data.items():
        table = top.get(name)
        if table is None:
            known = [t.name for t in top.values()]
            if isinstance(value, dict) or (
                isinstance(value, list) and value and all(isinstance(v, dict) for v in value)
            ):
                near = closest(name, known)
                hint = (
                    f"bedoelt u {top[near].heading}?"
                    if near
                    else f"geldig zijn {said([top[k].heading for k in known], quote=False)} (zie "
                    f"docs/verklaringen.md)."
                )
                raise TemplateError(
                    f"In de verklaring '{file}' staat een onbekend onderdeel [{shown(name)}]; {hint}"
                )
            owners = [t.heading for t in TABLES.values() if name in {k.name for k in t.keys}]
            where = f" Hoort hij onder {owners[0]}?" if owners else ""
            raise TemplateError(
                f"In de verklaring '{file}' staat '{shown(name)}' boven het "
                f"eerste [kopje]; elke sleutel hoort onder een kopje zoals "
                f"[bijlagetype].{where}"
            )
        for i, entry in enumerate(entries(table, value, ""), start=1):
            check(table, entry, _place(table, entry, i, ""))
    for table in top.values():
        if table.required and table.name not in data:
            raise fail(table.heading, f"het onderdeel {table.heading} ontbreekt.")


# -- the reference page -----------------------------------------------------------------


def toml_value(value: object) -> str:
    """A value as it is written in TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _default(key: Key) -> str:
    if key.default is REQUIRED:
        return "verplicht"
    if key.default is DERIVED:
        return key.derived
    if key.default is None:
        return "geen"
    return f"`{toml_value(key.default)}`"


def _type(key: Key) -> str:
    if key.choices:
        return f"tekst: {', '.join(f'`{c}`' for c in key.choices)}"
    if key.type is WHOLE and key.limit is not None:
        return f"geheel getal, {key.minimum or 0} tot en met {number(key.limit)}"
    if key.type is TEXT and key.limit is not None:
        return f"tekst, hoogstens {key.limit} tekens"
    if key.limit is not None:
        return f"{key.type.name}, hoogstens {key.limit}"
    return key.type.name


def keys_markdown() -> str:
    """docs/verklaringen.md, generated from TABLES so every key there is, is documented."""
    lines = [
        "# Verklaringen: alle sleutels",
        "",
        "Een bijlagetype is een verklaring: een TOML-bestand in `toolkit/declarations/bijlagetypen/` "
        "(meegeleverd) of in de map met Word-sjablonen van een register (eigen types, zie "
        "[Een bijlagetype toevoegen](bijlagetypen.md#een-bijlagetype-toevoegen)). Deze pagina noemt elke sleutel die een "
        "verklaring kan hebben. Ze wordt gemaakt uit `toolkit/declarations/keys.py` "
        "(`uv run python -m toolkit.declarations.keys`); de toolkit leest verklaringen met "
        "dezelfde lijst.",
        "",
        "Een sleutel of onderdeel dat hier niet staat, is een fout: de melding noemt het "
        "bestand, de plek, de sleutel en de sleutel die waarschijnlijk bedoeld is "
        "(`verplict = true` geeft \"bedoelt u 'verplicht'?\"). Een verklaring is hoogstens "
        f"1 MiB groot, in UTF-8 (met of zonder BOM), en een tabblad heeft hoogstens "
        f"{MAX_DECLARED_COLUMNS} kolommen.",
    ]
    for table in TABLES.values():
        if table.many:
            times = "Eén of meer keer" if table.required else "Nul of meer keer"
            if table.limit:
                times += f" (hoogstens {number(table.limit)})"
        else:
            times = "Eén keer, verplicht" if table.required else "Hoogstens één keer"
        if table.parent:
            outer = TABLES[table.parent]
            times += f", {'in elke' if outer.many else 'in'} {outer.heading}"
        lines += [
            "",
            f"## `{table.heading}`",
            "",
            f"{table.help} {times}.",
            "",
            "| sleutel | soort | standaard | betekenis | voorbeeld |",
            "|---|---|---|---|---|",
        ]
        if table.free is not None:
            free = table.free
            lines.append(
                f"| elke naam | {_cell(_type(free))} | — | {_cell(free.help)} | "
                f"`{_cell(f'{free.name} = {toml_value(free.example)}')}` |"
            )
        for key in table.keys:
            lines.append(
                f"| `{key.name}` | {_cell(_type(key))} | {_cell(_default(key))} | "
                f"{_cell(key.help)} | `{_cell(f'{key.name} = {toml_value(key.example)}')}` |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(keys_markdown(), end="")
