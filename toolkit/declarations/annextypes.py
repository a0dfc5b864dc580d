"""Annex types as declarations: one TOML file per kind of annex.

A municipality's annex is a register sheet (its columns, with labels, help texts,
vocabularies and required-ness), lists whose values carry a meaning (published, last
time, finished, a colour), settings, a Word template and a document name. All of that
is declared in a file, not in Python, so that a coordinator adds an annex type (the
Projectenrapportage, say) by writing a declaration and a template: the reader, the
workbook, the validators, the reports, build, import, diff and new-edition loop over
the declared types.

The bundled types are the files in toolkit/declarations/bijlagetypen/. A register adds its own:
every *.toml in its folder of Word templates (setting 'Map met Word-sjablonen' or
--sjablonen). The keys are Dutch because coordinators write them.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any, cast

from toolkit.core.errors import TemplateError
from toolkit.declarations.handmade import HandMade, Starter, read_handmade, read_starter
from toolkit.declarations.keys import TABLES, check_keys, shown, utf16_length
from toolkit.declarations.layout import Layout, read_layout
from toolkit.declarations.model import (
    COMMON_SETTINGS,
    INSTRUCTIONS_SHEET,
    LAST_SETTINGS,
    LISTS_SHEET,
    SETTINGS_SHEET,
    Column,
    Kind,
    Role,
    Setting,
    TableSheet,
    Vocabulary,
    normalise,
)
from toolkit.declarations.rulekinds import DeclaredRule, RuleError, read_rule

#: how a declaration names a column's kind (the long forms are Kind's own values)
KINDS = {**{word: k for k in Kind for word in k.traits.words}, **{k.value: k for k in Kind}}
#: the layouts there are: every type, bundled or own, is laid out by the sample card in its
#: template ({{ kaarten }} … {{ einde }}) in the arrangement of its [indeling]
LAYOUTS = ("kaarten",)
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


@dataclass(frozen=True)
class AnnexType:
    """One declared kind of annex (see the module docstring)."""

    key: str
    name: str  # as users read it: "pilotbijlage"
    plural: str  # what a count is of: "12 pilots"
    singular: str  # one row, in messages: "pilot P-7 Woonoverlast"
    sheet: TableSheet
    vocabularies: tuple[Vocabulary, ...]
    settings: tuple[Setting, ...]
    template: str  # file name of its Word template ("bijlage.docx")
    document: str  # the document's name, with {setting} placeholders
    title: str  # the document's title property, with {setting} placeholders
    layout: str
    source: Path
    order: int = 100
    bundled: bool = True
    #: its rules over several columns ([[regel]], toolkit.declarations.rulekinds), in declaration order
    rules: tuple[DeclaredRule, ...] = ()
    #: its lists whose values differ per municipality ('gemeentelijk = true')
    municipal: frozenset[str] = frozenset()
    #: how its records are arranged around the sample: groups, order, overviews ([indeling])
    arrangement: Layout = Layout()
    #: the block tag older templates have where the records go ({{ opgaven }}): there the
    #: sample of the type's bundled template is used ('bloktag')
    legacy_block: str | None = None
    #: more tags for its template, as patterns of settings ([bijlagetype.tags]:
    #: titel = "{bijlage_pilots_titel}"); {aantal} is the number of records
    tags: tuple[tuple[str, str], ...] = ()
    #: how a hand-made annex of this type is recognised and read ([inlezen]), if it says
    handmade: HandMade | None = None
    #: the texts of its first Word template ([sjabloon], or their defaults)
    starter: Starter | None = None

    @property
    def kind(self) -> str:
        """The template's name without .docx: how templates and tags are keyed."""
        return Path(self.template).stem

    def fill(self, pattern: str, setting: Callable[[str], str]) -> str:
        """A pattern with each {setting} replaced by that setting's text (or default)."""
        return _PLACEHOLDER.sub(lambda m: setting(m.group(1)), pattern)

    def role_column(self, *flags: str) -> Column | None:
        """The first choice column whose list has a role with one of these flags
        (published/last_time: it decides inclusion; finished/colour: it is the status)."""
        by_key = {v.key: v for v in self.vocabularies}
        for col in self.sheet.columns:
            voc = by_key.get(col.vocabulary or "")
            if voc is not None and any(getattr(r, f) for r in voc.roles for f in flags):
                return col
        return None


@dataclass(frozen=True)
class AnnexTypes:
    """The annex types one register (or the toolkit, by default) knows about."""

    types: tuple[AnnexType, ...]

    @cached_property
    def sheets(self) -> tuple[TableSheet, ...]:
        return tuple(t.sheet for t in self.types)

    @cached_property
    def vocabularies(self) -> tuple[Vocabulary, ...]:
        seen: dict[str, Vocabulary] = {}
        for t in self.types:
            for voc in t.vocabularies:
                seen.setdefault(voc.key, voc)
        return tuple(seen.values())

    @cached_property
    def settings(self) -> tuple[Setting, ...]:
        seen: dict[str, Setting] = {s.key: s for s in COMMON_SETTINGS}
        for t in self.types:
            for s in t.settings:
                seen.setdefault(s.key, s)
        for s in LAST_SETTINGS:
            seen.setdefault(s.key, s)
        return tuple(seen.values())

    def settings_for(self, sheets: Collection[str] | None) -> tuple[Setting, ...]:
        """The common settings and those of the types whose sheet is in sheets (all types
        for None): a register with only Pilots has no Acties settings to fill in."""
        if sheets is None:
            return self.settings
        present = [t for t in self.types if t.sheet.name in sheets]
        own = {s.key for t in self.types if t not in present for s in t.settings} - {
            s.key for t in present for s in t.settings
        }
        return tuple(s for s in self.settings if s.key not in own)

    @cached_property
    def municipal(self) -> frozenset[str]:
        return frozenset(key for t in self.types for key in t.municipal)

    def vocabulary(self, key: str) -> Vocabulary:
        for voc in self.vocabularies:
            if voc.key == key:
                return voc
        raise KeyError(key)

    def setting(self, key: str) -> Setting:
        for s in self.settings:
            if s.key == key:
                return s
        raise KeyError(key)

    def of_sheet(self, name: str) -> AnnexType:
        for t in self.types:
            if t.sheet.name == name:
                return t
        raise KeyError(name)

    def get(self, key: str) -> AnnexType:
        for t in self.types:
            if t.key == key:
                return t
        raise KeyError(key)

    def with_folder(self, folder: Path | None) -> AnnexTypes:
        """These types plus the declarations (*.toml) in a folder of Word templates."""
        if folder is None or not folder.is_dir():
            return self
        return self.plus([load(path, bundled=False) for path in sorted(folder.glob("*.toml"))])

    def plus(self, extra: list[AnnexType]) -> AnnexTypes:
        types = list(self.types)
        for new in extra:
            clash = next(
                (
                    t
                    for t in types
                    if t.key == new.key
                    or t.sheet.name.casefold() == new.sheet.name.casefold()
                    or t.sheet.table_name.casefold() == new.sheet.table_name.casefold()
                ),
                None,
            )
            if clash is not None and clash.bundled:
                what = (
                    "dezelfde sleutel"
                    if clash.key == new.key
                    else "hetzelfde tabblad"
                    if clash.sheet.name.casefold() == new.sheet.name.casefold()
                    else "dezelfde tabelnaam"
                )
                raise TemplateError(
                    f"Het bijlagetype in '{new.source.name}' heeft {what} als het "
                    f"meegeleverde bijlagetype '{clash.key}' ('{clash.sheet.name}'). Kies in "
                    f"[bijlagetype] een andere sleutel en in [tabblad] een andere naam en tabel."
                )
            if clash is not None:
                raise TemplateError(
                    f"De bijlagetypen in '{clash.source.name}' en '{new.source.name}' hebben "
                    f"dezelfde sleutel, hetzelfde tabblad of dezelfde tabelnaam. Geef elk een "
                    f"eigen sleutel, tabblad en tabel."
                )
            types.append(new)
        declared: list[tuple[str, list[tuple[AnnexType, Vocabulary | Setting]]]] = [
            ("de lijst", [(t, v) for t in types for v in t.vocabularies]),
            ("de instelling", [(t, st) for t in types for st in t.settings]),
        ]
        for what, items in declared:  # a list or setting declared twice must be declared alike
            seen: dict[str, tuple[Vocabulary | Setting, AnnexType]] = {}
            for t, item in items:
                key = item.key
                first = seen.setdefault(key, (item, t))
                if first[0] != item:
                    source = t.source.name if not t.bundled else first[1].source.name
                    other = first[1].source.name if not t.bundled else t.source.name
                    raise TemplateError(
                        f"Het bijlagetype in '{source}' verklaart {what} '{key}' anders dan "
                        f"'{other}'. Geef {what} een eigen sleutel, of verklaar hem in beide "
                        f"precies gelijk (of laat hem weg en gebruik de bestaande)."
                    )
        _labels_apart(types)
        return AnnexTypes(tuple(sorted(types, key=lambda t: t.order)))


def _labels_apart(types: list[AnnexType]) -> None:
    """Two lists (or settings) of different types with one heading: the register finds a
    list by its heading on Lijsten and a setting by its name on Instellingen, so one of
    them would silently take the other's values."""
    from toolkit.declarations.model import COMMON_SETTINGS, LAST_SETTINGS

    for what, named in (
        ("de lijst", [(t, v.key, (v.label, v.key, v.role_label)) for t in types for v in t.vocabularies]),
        (
            "de instelling",
            [(None, s.key, (s.label,)) for s in (*COMMON_SETTINGS, *LAST_SETTINGS)]
            + [(t, s.key, (s.label,)) for t in types for s in t.settings],
        ),
    ):
        seen: dict[str, tuple[AnnexType | None, str]] = {}
        for annex, key, labels in named:
            for label in labels:
                first = seen.setdefault(normalise(label), (annex, key))
                if first[1] != key:
                    files = [a.source.name for a in (first[0], annex) if a is not None]
                    raise TemplateError(
                        f"{what.capitalize()} '{key}' ('{files[-1]}') heeft dezelfde naam "
                        f"'{label}' als {what} '{first[1]}'"
                        f"{f' ({files[0]})' if len(files) > 1 else ''}; het register kan ze "
                        f"dan niet uit elkaar houden. Geef een van beide een andere naam."
                    )


def _owner_help(help: str, separators: str) -> str:
    """An owner column's help with how it is read, for Excel's input message and the
    Instructies sheet."""
    signs = [f"'{c}'" for c in separators]
    named = f"{', '.join(signs[:-1])} of {signs[-1]}" if len(signs) > 1 else signs[0]
    said = (
        f"Zet wie de rij bijhoudt voorop: bij meer namen telt alleen de naam vóór de "
        f"eerste {named} in het rapport per eigenaar."
    )
    return f"{help.rstrip()} {said}" if help.strip() else said


class _Reader:
    """Turns one parsed declaration into an AnnexType, with Dutch messages that name the
    file and the entry, because a coordinator wrote it by hand. Every value is read
    through the registry (declaration_keys), which knows its type and default."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data

    def fail(self, where: str, what: str) -> TemplateError:
        return TemplateError(f"In de verklaring '{self.path.name}' ({where}): {what}")

    def value(
        self, table: str, entry: Mapping[str, object], key: str, where: str, fallback: object = None
    ) -> Any:
        return TABLES[table].key(key).read(entry, lambda what: self.fail(where, what), fallback)

    def text(self, table: str, entry: Mapping[str, object], key: str, where: str, fallback: str = "") -> str:
        return cast(str, self.value(table, entry, key, where, fallback))

    def flag(self, table: str, entry: Mapping[str, object], key: str, where: str) -> bool:
        return cast(bool, self.value(table, entry, key, where))

    def key(self, table: str, entry: Mapping[str, object], where: str) -> str:
        key = self.text(table, entry, "sleutel", where)
        if not _KEY.match(key):
            raise self.fail(
                where,
                f"de sleutel '{shown(key)}' mag alleen kleine letters, "
                f"cijfers en _ bevatten en begint met een letter.",
            )
        return key

    def entries(self, name: str, within: Mapping[str, object] | None = None) -> list[dict[str, Any]]:
        """The entries of a [[table]]; check_keys has made sure of their shape."""
        return cast(
            list[dict[str, Any]], (self.data if within is None else within).get(TABLES[name].short, [])
        )

    def column(self, entry: Mapping[str, object], index: int) -> Column:
        key = self.key("kolom", entry, f"[[kolom]] nummer {index}")
        where = f"[[kolom]] '{key}'"
        kind = KINDS[self.text("kolom", entry, "soort", where).strip().casefold()]
        label = self.text("kolom", entry, "kop", where)
        if not normalise(label):
            raise self.fail(
                where,
                "'kop' bestaat alleen uit spaties of onzichtbare tekens; "
                "geef de kolom een kop die officieren kunnen lezen.",
            )
        vocabulary = self.value("kolom", entry, "lijst", where)
        if kind.traits.listed != (vocabulary is not None):
            raise self.fail(
                where, "een kolom van soort 'keuze' noemt zijn lijst ('lijst = ...'); een andere soort niet."
            )
        fallback = self.value("kolom", entry, "als_leeg", where)
        return Column(
            key,
            label,
            kind,
            self.text("kolom", entry, "uitleg", where),
            self.value("kolom", entry, "breedte", where),
            self.flag("kolom", entry, "verplicht", where),
            vocabulary,
            self.flag("kolom", entry, "gepubliceerd", where),
            tuple(self.value("kolom", entry, "aliassen", where)),
            fallback,
        )

    def role(self, entry: Mapping[str, object], where: str) -> Role:
        key = self.key("lijst.betekenis", entry, where)
        colour = self.text("lijst.betekenis", entry, "kleur", where).lstrip("#").upper()
        if colour and not re.fullmatch(r"[0-9A-F]{6}", colour):
            raise self.fail(where, f"de kleur '{shown(colour)}' is geen kleurcode als 'C6EFCE'.")

        def flag(name: str) -> bool:
            return self.flag("lijst.betekenis", entry, name, where)

        return Role(
            key,
            self.text("lijst.betekenis", entry, "waarde", where),
            self.text("lijst.betekenis", entry, "uitleg", where),
            required=flag("verplicht"),
            published=flag("gepubliceerd"),
            last_time=flag("laatste_keer"),
            finished=flag("afgerond"),
            colour=colour,
        )

    def vocabulary(self, entry: Mapping[str, object], index: int) -> tuple[Vocabulary, bool]:
        key = self.key("lijst", entry, f"[[lijst]] nummer {index}")
        where = f"[[lijst]] '{key}'"
        roles = tuple(
            self.role(r, f"{where}, betekenis {i}")
            for i, r in enumerate(self.entries("lijst.betekenis", entry), start=1)
        )
        labels = [normalise(r.label) for r in roles]
        if len(set(labels)) != len(labels):
            raise self.fail(where, "twee betekenissen hebben dezelfde waarde.")
        keys = [r.key for r in roles]
        if len(set(keys)) != len(keys):
            raise self.fail(where, "twee betekenissen hebben dezelfde sleutel.")
        values = self.value("lijst", entry, "waarden", where, [r.label for r in roles])
        return (
            Vocabulary(
                key,
                self.text("lijst", entry, "naam", where),
                self.text("lijst", entry, "uitleg", where),
                tuple(values),
                roles,
            ),
            self.flag("lijst", entry, "gemeentelijk", where),
        )

    def setting(self, entry: Mapping[str, object], index: int) -> Setting:
        key = self.key("instelling", entry, f"[[instelling]] nummer {index}")
        where = f"[[instelling]] '{key}'"
        common = {s.key: s for s in (*COMMON_SETTINGS, *LAST_SETTINGS)}
        if key in common:
            raise self.fail(where, f"'{key}' is een instelling van elk register; verklaar hem niet opnieuw.")
        label = self.text("instelling", entry, "naam", where)
        clash = next((s for s in common.values() if normalise(s.label) == normalise(label)), None)
        if clash is not None:
            raise self.fail(
                where,
                f"de naam '{shown(label)}' heeft de instelling '{clash.key}' "
                f"van elk register al; kies een andere naam.",
            )
        kind = KINDS[self.text("instelling", entry, "soort", where).strip().casefold()]
        return Setting(
            key,
            label,
            self.text("instelling", entry, "uitleg", where),
            self.text("instelling", entry, "standaard", where),
            self.flag("instelling", entry, "verplicht", where),
            kind,
            self.flag("instelling", entry, "leeg_waarschuwen", where),
        )

    def unique(self, table: str, items: list[tuple[str, str]], what: str) -> None:
        """Each key and label occurs once: the register finds a list or setting by its
        label (or key), so two alike would be read as one."""
        seen: dict[str, str] = {}
        for number, (key, label) in enumerate(items):
            for name in dict.fromkeys((key, normalise(label))):
                if seen.setdefault(name, f"{key}#{number}") != f"{key}#{number}":
                    raise self.fail(
                        f"{TABLES[table].heading} '{key}'",
                        f"de sleutel of {what} "
                        f"'{shown(name)}' staat er twee keer; geef elk onderdeel "
                        f"een eigen sleutel en {what}.",
                    )

    def sheet_name(self, tab: Mapping[str, object]) -> str:
        name = self.text("tabblad", tab, "naam", "[tabblad]")
        if name != name.strip():
            raise self.fail(
                "[tabblad]",
                f"de naam '{shown(name)}' begint of eindigt met een "
                f"spatie; Excel en officieren zien die niet. Haal de spatie weg.",
            )
        if (
            not name
            or utf16_length(name) > 31
            or re.search(r"[\[\]:*?/\\]", name)
            or name.strip("'") != name
            or any(unicodedata.category(c) == "Cc" for c in name)
        ):
            raise self.fail(
                "[tabblad]",
                f"'{shown(name)}' kan geen naam van een Excel-tabblad "
                f"zijn: hoogstens 31 tekens, zonder [ ] : * ? / \\ of stuurtekens, en "
                f"niet beginnend of eindigend met een apostrof.",
            )
        if name.casefold() in {
            n.casefold() for n in (INSTRUCTIONS_SHEET, LISTS_SHEET, SETTINGS_SHEET, "Bevindingen")
        }:
            raise self.fail(
                "[tabblad]",
                f"het tabblad '{name}' heeft het register al voor iets anders; kies een andere naam.",
            )
        if name.casefold() == "history":
            raise self.fail("[tabblad]", "Excel houdt de naam 'History' voor zichzelf; kies een andere naam.")
        return name

    def rules(
        self, sheet: TableSheet, vocabularies: dict[str, Vocabulary], layout: Layout
    ) -> tuple[DeclaredRule, ...]:
        from toolkit.declarations.findings import RULES_BY_CODE

        continuation = layout.continuation
        derived = (
            {"vervolg": continuation.column, "leeg": continuation.empty} if continuation is not None else {}
        )
        rules: list[DeclaredRule] = []
        for index, entry in enumerate(self.entries("regel"), start=1):
            try:
                rule = read_rule(entry, index, sheet, vocabularies, frozenset(RULES_BY_CODE), derived)
            except RuleError as exc:
                raise self.fail(exc.where, exc.what) from None
            other = next((r for r in rules if r.code == rule.code), None)
            if other is not None and other.severity != rule.severity:
                raise self.fail(
                    f"[[regel]] '{rule.code}'",
                    f"de code staat er twee keer, met "
                    f"ernst '{other.severity}' en '{rule.severity}'; één code "
                    f"heeft één ernst.",
                )
            rules.append(rule)
        return tuple(rules)

    def annex_type(self, bundled: bool) -> AnnexType:
        head = self.data.get("bijlagetype")
        if isinstance(head, dict) and "regels" in head:  # fixed rule codes before [[regel]]
            raise self.fail(
                "[bijlagetype]",
                "'regels = [...]' bestaat niet meer; verklaar "
                "elke regel over meer kolommen als een [[regel]] met een soort en "
                "de kolommen die hij vergelijkt (zie docs/regels.md; de "
                "meegeleverde pilots.toml en acties.toml doen het voor).",
            )
        check_keys(self.data, self.path.name)
        head = self.data["bijlagetype"]
        key = self.key("bijlagetype", head, "[bijlagetype]")
        tab = self.data["tabblad"]
        columns = tuple(self.column(c, i) for i, c in enumerate(self.entries("kolom"), start=1))
        keys = [c.key for c in columns]
        double = sorted(k for k, n in Counter(keys).items() if n > 1)
        if double:
            raise self.fail("[[kolom]]", f"de sleutel '{double[0]}' staat er twee keer.")
        heads: dict[str, str] = {}
        for col in columns:
            for label in (col.label, *col.aliases):
                other = heads.setdefault(normalise(label), col.key)
                if other != col.key:
                    raise self.fail(
                        f"[[kolom]] '{col.key}'",
                        f"de kop of alias '{shown(label)}' "
                        f"hoort ook bij de kolom '{other}'; elke kolomkop moet uniek "
                        f"zijn, anders weet de toolkit niet welke kolom het is.",
                    )
        for col in columns:
            if col.fallback is not None and (col.fallback not in keys or col.fallback == col.key):
                raise self.fail(
                    f"[[kolom]] '{col.key}'",
                    f"'als_leeg' noemt "
                    f"'{shown(col.fallback)}', maar dat is geen andere kolom van dit "
                    f"tabblad.",
                )
        key_column = self.text("tabblad", tab, "sleutelkolom", "[tabblad]")
        name_column = self.text("tabblad", tab, "naamkolom", "[tabblad]")
        owner_column = self.value("tabblad", tab, "eigenaarkolom", "[tabblad]")
        for what, wanted in (
            ("sleutelkolom", key_column),
            ("naamkolom", name_column),
            *((("eigenaarkolom", owner_column),) if owner_column else ()),
        ):
            if wanted not in keys:
                raise self.fail(
                    "[tabblad]",
                    f"de {what} '{shown(wanted)}' is geen kolom; "
                    f'verklaar een [[kolom]] met sleutel = "{shown(wanted)}".',
                )
        separators = self.text("tabblad", tab, "eigenaar_scheiding", "[tabblad]")
        if separators and (
            not owner_column or len(separators) > 5 or any(c.isalnum() or c.isspace() for c in separators)
        ):
            raise self.fail(
                "[tabblad]",
                "'eigenaar_scheiding' noemt de tekens die namen in de "
                'eigenaarkolom scheiden, zoals ";," (hoogstens vijf, geen letters, '
                "cijfers of spaties), en hoort bij een 'eigenaarkolom'.",
            )
        if separators:  # said where the officer types: the column's input message
            columns = tuple(
                replace(c, help=_owner_help(c.help, separators)) if c.key == owner_column else c
                for c in columns
            )
        pairs = [self.vocabulary(v, i) for i, v in enumerate(self.entries("lijst"), start=1)]
        vocabularies = tuple(v for v, _ in pairs)
        self.unique("lijst", [(v.key, v.label) for v in vocabularies], "naam")
        declared = {v.key for v in vocabularies}
        borrowed = {v.key: v for v in _builtin_vocabularies()}
        for col in columns:  # a list of a bundled type may be used without declaring it
            if col.vocabulary and col.vocabulary not in declared:
                if col.vocabulary not in borrowed:
                    raise self.fail(
                        f"[[kolom]] '{col.key}'",
                        f"de lijst '{shown(col.vocabulary)}' "
                        f"is niet verklaard; voeg een [[lijst]] met sleutel = "
                        f'"{shown(col.vocabulary)}" toe.',
                    )
                vocabularies += (borrowed[col.vocabulary],)
                declared.add(col.vocabulary)
        sheet_name = self.sheet_name(tab)
        table_name = self.text("tabblad", tab, "tabel", "[tabblad]", re.sub(r"\W", "_", sheet_name))
        if not re.fullmatch(r"[A-Za-z_\\][A-Za-z0-9_.]{0,254}", table_name) or re.fullmatch(
            r"[A-Za-z]{1,3}[0-9]+|[RrCc]", table_name
        ):
            raise self.fail(
                "[tabblad]",
                f"'{shown(table_name)}' kan geen naam van een "
                f"Excel-tabel zijn: begin met een letter, gebruik letters, cijfers en "
                f"_ (geen spaties), en niet iets dat op een celverwijzing lijkt "
                f"(zoals 'AB12').",
            )
        layout = self.text("bijlagetype", head, "indeling", "[bijlagetype]")
        if layout not in LAYOUTS:
            raise self.fail(
                "[bijlagetype]",
                f"de indeling '{shown(layout)}' bestaat niet; kies "
                f"'kaarten' (de voorbeeldkaart in het Word-sjabloon).",
            )
        template = self.text("bijlagetype", head, "sjabloon", "[bijlagetype]", f"{key}.docx")
        if not template.endswith(".docx") or "/" in template or "\\" in template:
            raise self.fail(
                "[bijlagetype]",
                f"'sjabloon' is de naam van een .docx-bestand in dezelfde map, niet '{shown(template)}'.",
            )
        settings = tuple(self.setting(s, i) for i, s in enumerate(self.entries("instelling"), start=1))
        self.unique("instelling", [(s.key, s.label) for s in settings], "naam")
        known_settings = {s.key for s in (*COMMON_SETTINGS, *settings)}
        document = self.text("bijlagetype", head, "document", "[bijlagetype]", sheet_name)
        title = self.text("bijlagetype", head, "titel", "[bijlagetype]", sheet_name)
        for what, pattern in (("document", document), ("titel", title)):
            for placeholder in _PLACEHOLDER.findall(pattern):
                if placeholder not in known_settings:
                    raise self.fail(
                        "[bijlagetype]",
                        f"'{what}' noemt {{{placeholder}}}, maar dat "
                        f"is geen instelling van dit bijlagetype; verklaar een "
                        f'[[instelling]] met sleutel = "{placeholder}" of gebruik '
                        f"{{gemeente}}, {{editie}} of {{peildatum}}.",
                    )
        legacy = self.value("bijlagetype", head, "bloktag", "[bijlagetype]")
        if legacy is not None and not _KEY.match(legacy):
            raise self.fail("[bijlagetype]", "'bloktag' is de naam van een bloktag, zoals \"plannen\".")
        tags = cast(dict[str, str], head.get("tags", {}))  # check_keys: texts by name
        for name, pattern in tags.items():
            if not _KEY.match(name):
                raise self.fail(
                    "[bijlagetype.tags]",
                    f"de tag '{shown(name)}' mag alleen "
                    f"kleine letters, cijfers en _ bevatten en begint met een letter.",
                )
            for placeholder in _PLACEHOLDER.findall(pattern):
                if placeholder not in known_settings | {"aantal"}:
                    raise self.fail(
                        "[bijlagetype.tags]",
                        f"de tag '{name}' noemt "
                        f"{{{placeholder}}}, maar dat is geen instelling van dit "
                        f"bijlagetype.",
                    )
        identity = tuple(self.value("tabblad", tab, "kenmerken", "[tabblad]") or ())
        for wanted in identity:
            if wanted not in keys:
                raise self.fail(
                    "[tabblad]",
                    f"'kenmerken' noemt '{shown(wanted)}', maar dat is geen kolom van dit tabblad.",
                )
        sheet = TableSheet(
            sheet_name,
            table_name,
            self.text("tabblad", tab, "uitleg", "[tabblad]"),
            columns,
            key_column,
            name_column,
            owner_column,
            identity,
            owner_separators=separators,
        )
        arrangement = read_layout(
            self.data.get("indeling"), sheet, [st.key for st in (*COMMON_SETTINGS, *settings)], self.fail
        )
        return AnnexType(
            key=key,
            name=self.text("bijlagetype", head, "naam", "[bijlagetype]", key),
            plural=self.text("bijlagetype", head, "meervoud", "[bijlagetype]"),
            singular=self.text("bijlagetype", head, "enkelvoud", "[bijlagetype]"),
            sheet=sheet,
            vocabularies=vocabularies,
            settings=settings,
            template=template,
            document=document,
            title=title,
            layout=layout,
            source=self.path,
            order=self.value("bijlagetype", head, "volgorde", "[bijlagetype]"),
            bundled=bundled,
            rules=self.rules(sheet, {v.key: v for v in vocabularies}, arrangement),
            municipal=frozenset(v.key for v, municipal in pairs if municipal),
            arrangement=arrangement,
            legacy_block=legacy,
            tags=tuple(tags.items()),
            handmade=read_handmade(self.data.get("inlezen"), sheet, key, title, self.fail),
            starter=read_starter(
                self.data.get("sjabloon"), title, _PLACEHOLDER.sub(lambda m: m.group(1), title), self.fail
            ),
        )


def _builtin_vocabularies() -> tuple[Vocabulary, ...]:
    return BUILTIN.vocabularies if "BUILTIN" in globals() else ()


#: a declaration is a few kilobytes; this keeps a hostile one from taking memory and time
MAX_DECLARATION_BYTES = 1024 * 1024


def _read_declaration(path: Path) -> bytes:
    """The file's bytes, at most MAX_DECLARATION_BYTES; a FIFO, device or folder (a *.toml
    that links to /dev/zero, say) is refused without waiting or reading on."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)  # non-blocking: opening a FIFO must not wait for a writer
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise TemplateError(
                f"De verklaring '{path.name}' is geen gewoon bestand (maar een "
                f"map, apparaat of pijp). Zet er een tekstbestand neer of haal "
                f"het weg uit de map met Word-sjablonen."
            )
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_DECLARATION_BYTES:
            chunk = os.read(fd, MAX_DECLARATION_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > MAX_DECLARATION_BYTES:
        raise TemplateError(
            f"De verklaring '{path.name}' is groter dan 1 MiB; een verklaring "
            f"is een paar kilobyte. Is het wel een verklaring? Haal het bestand "
            f"weg uit de map met Word-sjablonen of maak het kleiner."
        )
    return b"".join(chunks)


def load(path: Path, bundled: bool = True) -> AnnexType:
    """One declaration file; TemplateError (Dutch, naming the file) when it is wrong."""
    try:
        text = _read_declaration(path).decode("utf-8-sig")  # Notepad writes a BOM
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r"line (\d+), column (\d+)", str(exc))
        where = f" (regel {at.group(1)}, teken {at.group(2)})" if at else ""
        raise TemplateError(
            f"De verklaring '{path.name}' is geen geldige TOML{where}. "
            f"Controleer daar de aanhalingstekens, = en [kopjes]."
        ) from exc
    except RecursionError as exc:
        raise TemplateError(
            f"De verklaring '{path.name}' is te diep genest (lijsten in lijsten "
            f"in lijsten …); een verklaring heeft hoogstens [[lijst.betekenis]] "
            f"en lijsten met teksten. Vergelijk met examples/projecten/"
            f"sjablonen/projecten.toml."
        ) from exc
    except UnicodeDecodeError as exc:
        raise TemplateError(
            f"De verklaring '{path.name}' is geen UTF-8-tekst. Sla het bestand "
            f"op als UTF-8 (in Kladblok: Opslaan als, codering UTF-8)."
        ) from exc
    except OSError as exc:
        raise TemplateError(
            f"De verklaring '{path.name}' kan niet worden gelezen ({exc.strerror or type(exc).__name__})."
        ) from exc
    return _Reader(path, data).annex_type(bundled)


BUNDLED_FOLDER = Path(__file__).resolve().parent / "bijlagetypen"
BUILTIN = AnnexTypes(
    tuple(sorted((load(p) for p in sorted(BUNDLED_FOLDER.glob("*.toml"))), key=lambda t: t.order))
)
