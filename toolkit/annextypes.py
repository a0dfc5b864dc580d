"""Annex types as declarations: one TOML file per kind of annex.

A municipality's annex is a register sheet (its columns, with labels, help texts,
vocabularies and required-ness), lists whose values carry a meaning (published, last
time, finished, a colour), settings, a Word template and a document name. All of that
is declared in a file, not in Python, so that a coordinator adds an annex type (the
Projectenrapportage, say) by writing a declaration and a template: the reader, the
workbook, the validators, the reports, build, import, diff and new-edition loop over
the declared types.

The bundled types are the files in toolkit/bijlagetypen/. A register adds its own:
every *.toml in its folder of Word templates (setting 'Map met Word-sjablonen' or
--sjablonen). The keys are Dutch because coordinators write them.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .declarations import (
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
from .errors import TemplateError
from .layout import Layout, read_layout

#: how a declaration names a column's kind (the long forms are Kind's own values)
KINDS = {"id": Kind.ID, "tekst": Kind.TEXT, "rijke tekst": Kind.RICH, "rijk": Kind.RICH,
         "datum": Kind.DATE, "keuze": Kind.CHOICE, **{k.value: k for k in Kind}}
#: built-in layouts in Python; any other type is laid out by the sample card in its
#: template ({{ kaarten }} … {{ einde }}), which also overrides a built-in layout
LAYOUTS = ("pilotkaarten", "opgaven", "kaarten")
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
    #: the rules over several columns this type switches on (validators.SHEET_RULES)
    rules: tuple[str, ...] = ()
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
        own = {s.key for t in self.types if t not in present for s in t.settings} - \
            {s.key for t in present for s in t.settings}
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
        extra = [load(path, bundled=False) for path in sorted(folder.glob("*.toml"))]
        for annex in extra:
            check_rules(annex)
        return self.plus(extra)

    def plus(self, extra: list[AnnexType]) -> AnnexTypes:
        types = list(self.types)
        for new in extra:
            clash = next((t for t in types if t.key == new.key
                          or t.sheet.name.casefold() == new.sheet.name.casefold()
                          or t.sheet.table_name.casefold() == new.sheet.table_name.casefold()),
                         None)
            if clash is not None and clash.bundled:
                what = ("dezelfde sleutel" if clash.key == new.key else "hetzelfde tabblad"
                        if clash.sheet.name.casefold() == new.sheet.name.casefold()
                        else "dezelfde tabelnaam")
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
            ("de instelling", [(t, st) for t in types for st in t.settings])]
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
        return AnnexTypes(tuple(sorted(types, key=lambda t: t.order)))


def check_rules(annex: AnnexType) -> None:
    """Every rule a declaration switches on exists and finds the columns it needs."""
    from toolkit.validators import SHEET_RULES

    where = f"In de verklaring '{annex.source.name}' ([bijlagetype] regels)"
    for code in annex.rules:
        rule = SHEET_RULES.get(code)
        if rule is None:
            known = ", ".join(f"'{c}'" for c in SHEET_RULES)
            raise TemplateError(f"{where}: de regel '{code}' bestaat niet. Bekende regels: "
                                f"{known} (zie docs/regels.md).")
        for key, kind in rule.columns:
            col = next((c for c in annex.sheet.columns if c.key == key), None)
            fits = col is not None and (col.kind is kind or {col.kind, kind} <= {Kind.TEXT, Kind.RICH})
            if not fits:
                raise TemplateError(f"{where}: de regel '{code}' heeft een kolom '{key}' van "
                                    f"soort '{kind.value}' nodig. Verklaar die kolom of haal "
                                    f"de regel weg.")


class _Reader:
    """Turns one parsed declaration into an AnnexType, with Dutch messages that name the
    file and the entry, because a coordinator wrote it by hand."""

    def __init__(self, path: Path, data: dict) -> None:  # type: ignore[type-arg]
        self.path = path
        self.data = data

    def fail(self, where: str, what: str) -> TemplateError:
        return TemplateError(f"In de verklaring '{self.path.name}' ({where}): {what}")

    def table(self, name: str) -> dict:  # type: ignore[type-arg]
        value = self.data.get(name)
        if not isinstance(value, dict):
            raise self.fail(f"[{name}]", f"het onderdeel [{name}] ontbreekt.")
        return value

    def text(self, entry: dict, key: str, where: str, default: str | None = None) -> str:  # type: ignore[type-arg]
        value = entry.get(key, default)
        if value is None:
            raise self.fail(where, f"'{key}' ontbreekt.")
        if not isinstance(value, str):
            raise self.fail(where, f"'{key}' moet tekst zijn (tussen aanhalingstekens).")
        return value

    def flag(self, entry: dict, key: str, where: str, default: bool = False) -> bool:  # type: ignore[type-arg]
        value = entry.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(where, f"'{key}' moet true of false zijn.")
        return value

    def key(self, entry: dict, where: str) -> str:  # type: ignore[type-arg]
        key = self.text(entry, "sleutel", where)
        if not _KEY.match(key):
            raise self.fail(where, f"de sleutel '{key}' mag alleen kleine letters, cijfers en _ "
                            f"bevatten en begint met een letter.")
        return key

    def entries(self, name: str) -> list[dict]:  # type: ignore[type-arg]
        value = self.data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(f"[[{name}]]", f"schrijf elk onderdeel als [[{name}]].")
        return value

    def column(self, entry: dict, index: int) -> Column:  # type: ignore[type-arg]
        where = f"[[kolom]] nummer {index}"
        key = self.key(entry, where)
        where = f"[[kolom]] '{key}'"
        kind_text = self.text(entry, "soort", where, "tekst")
        kind = KINDS.get(kind_text.strip().casefold())
        if kind is None:
            raise self.fail(where, f"de soort '{kind_text}' bestaat niet; kies uit 'id', "
                            f"'tekst', 'rijke tekst', 'datum' of 'keuze'.")
        width = entry.get("breedte", 20)
        if not isinstance(width, int) or not 3 <= width <= 120:
            raise self.fail(where, "'breedte' moet een geheel getal tussen 3 en 120 zijn.")
        aliases = entry.get("aliassen", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise self.fail(where, "'aliassen' moet een lijst met teksten zijn.")
        vocabulary = entry.get("lijst")
        if vocabulary is not None and not isinstance(vocabulary, str):
            raise self.fail(where, "'lijst' is de sleutel van één lijst, tussen "
                            "aanhalingstekens: lijst = \"status\".")
        if (kind is Kind.CHOICE) != (vocabulary is not None):
            raise self.fail(where, "een kolom van soort 'keuze' noemt zijn lijst ('lijst = ...'); "
                            "een andere soort niet.")
        fallback = entry.get("als_leeg")
        if fallback is not None and not isinstance(fallback, str):
            raise self.fail(where, "'als_leeg' is de sleutel van een andere kolom, tussen "
                            "aanhalingstekens.")
        return Column(key, self.text(entry, "kop", where), kind,
                      self.text(entry, "uitleg", where, ""), width,
                      self.flag(entry, "verplicht", where),
                      vocabulary, self.flag(entry, "gepubliceerd", where, True), tuple(aliases),
                      fallback)

    def role(self, entry: dict, where: str) -> Role:  # type: ignore[type-arg]
        key = self.key(entry, where)
        colour = self.text(entry, "kleur", where, "").lstrip("#").upper()
        if colour and not re.fullmatch(r"[0-9A-F]{6}", colour):
            raise self.fail(where, f"de kleur '{colour}' is geen kleurcode als 'C6EFCE'.")
        return Role(key, self.text(entry, "waarde", where), self.text(entry, "uitleg", where, ""),
                    required=self.flag(entry, "verplicht", where),
                    published=self.flag(entry, "gepubliceerd", where),
                    last_time=self.flag(entry, "laatste_keer", where),
                    finished=self.flag(entry, "afgerond", where), colour=colour)

    def vocabulary(self, entry: dict, index: int) -> tuple[Vocabulary, bool]:  # type: ignore[type-arg]
        key = self.key(entry, f"[[lijst]] nummer {index}")
        where = f"[[lijst]] '{key}'"
        meanings = entry.get("betekenis", [])
        if not isinstance(meanings, list) or not all(isinstance(r, dict) for r in meanings):
            raise self.fail(where, "schrijf elke betekenis als [[lijst.betekenis]] (met twee "
                            "paar vierkante haken).")
        roles = tuple(self.role(r, f"{where}, betekenis {i}")
                      for i, r in enumerate(meanings, start=1))
        labels = [r.label.casefold() for r in roles]
        if len(set(labels)) != len(labels):
            raise self.fail(where, "twee betekenissen hebben dezelfde waarde.")
        values = entry.get("waarden", [r.label for r in roles])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise self.fail(where, "'waarden' moet een lijst met teksten zijn.")
        return (Vocabulary(key, self.text(entry, "naam", where), self.text(entry, "uitleg", where, ""),
                           tuple(values), roles),
                self.flag(entry, "gemeentelijk", where))

    def setting(self, entry: dict, index: int) -> Setting:  # type: ignore[type-arg]
        key = self.key(entry, f"[[instelling]] nummer {index}")
        where = f"[[instelling]] '{key}'"
        if key in {s.key for s in (*COMMON_SETTINGS, *LAST_SETTINGS)}:
            raise self.fail(where, f"'{key}' is een instelling van elk register; verklaar hem "
                            f"niet opnieuw.")
        kind = KINDS.get(self.text(entry, "soort", where, "tekst").strip().casefold(), Kind.TEXT)
        return Setting(key, self.text(entry, "naam", where), self.text(entry, "uitleg", where, ""),
                       self.text(entry, "standaard", where, ""),
                       self.flag(entry, "verplicht", where, True), kind)

    def annex_type(self, bundled: bool) -> AnnexType:
        head = self.table("bijlagetype")
        key = self.key(head, "[bijlagetype]")
        tab = self.table("tabblad")
        columns = tuple(self.column(c, i) for i, c in enumerate(self.entries("kolom"), start=1))
        keys = [c.key for c in columns]
        double = sorted({k for k in keys if keys.count(k) > 1})
        if double:
            raise self.fail("[[kolom]]", f"de sleutel '{double[0]}' staat er twee keer.")
        heads: dict[str, str] = {}
        for col in columns:
            for label in (col.label, *col.aliases):
                other = heads.setdefault(normalise(label), col.key)
                if other != col.key:
                    raise self.fail(f"[[kolom]] '{col.key}'", f"de kop of alias '{label}' hoort "
                                    f"ook bij de kolom '{other}'; elke kolomkop moet uniek zijn, "
                                    f"anders weet de toolkit niet welke kolom het is.")
        for col in columns:
            if col.fallback is not None and (col.fallback not in keys or col.fallback == col.key):
                raise self.fail(f"[[kolom]] '{col.key}'", f"'als_leeg' noemt '{col.fallback}', "
                                f"maar dat is geen andere kolom van dit tabblad.")
        key_column = self.text(tab, "sleutelkolom", "[tabblad]", "id")
        name_column = self.text(tab, "naamkolom", "[tabblad]", "naam")
        owner_column = tab.get("eigenaarkolom")
        for what, wanted in (("sleutelkolom", key_column), ("naamkolom", name_column),
                             *((("eigenaarkolom", owner_column),) if owner_column else ())):
            if wanted not in keys:
                raise self.fail("[tabblad]", f"de {what} '{wanted}' is geen kolom; verklaar een "
                                f"[[kolom]] met sleutel = \"{wanted}\".")
        pairs = [self.vocabulary(v, i) for i, v in enumerate(self.entries("lijst"), start=1)]
        vocabularies = tuple(v for v, _ in pairs)
        declared = {v.key for v in vocabularies}
        borrowed = {v.key: v for v in _builtin_vocabularies()}
        for col in columns:  # a list of a bundled type may be used without declaring it
            if col.vocabulary and col.vocabulary not in declared:
                if col.vocabulary not in borrowed:
                    raise self.fail(f"[[kolom]] '{col.key}'", f"de lijst '{col.vocabulary}' is "
                                    f"niet verklaard; voeg een [[lijst]] met sleutel = "
                                    f"\"{col.vocabulary}\" toe.")
                vocabularies += (borrowed[col.vocabulary],)
                declared.add(col.vocabulary)
        sheet_name = self.text(tab, "naam", "[tabblad]")
        if not sheet_name.strip() or len(sheet_name) > 31 or re.search(r"[\[\]:*?/\\]", sheet_name) \
                or sheet_name.strip("'") != sheet_name:
            raise self.fail("[tabblad]", f"'{sheet_name}' kan geen naam van een Excel-tabblad zijn: "
                            f"hoogstens 31 tekens, zonder [ ] : * ? / \\ en niet beginnend of "
                            f"eindigend met een apostrof.")
        if sheet_name.casefold() in {n.casefold() for n in (INSTRUCTIONS_SHEET, LISTS_SHEET,
                                                             SETTINGS_SHEET, "Bevindingen")}:
            raise self.fail("[tabblad]", f"het tabblad '{sheet_name}' heeft het register al voor "
                            f"iets anders; kies een andere naam.")
        table_name = self.text(tab, "tabel", "[tabblad]", re.sub(r"\W", "_", sheet_name))
        if not re.fullmatch(r"[A-Za-z_\\][A-Za-z0-9_.]{0,254}", table_name) or \
                re.fullmatch(r"[A-Za-z]{1,3}[0-9]+|[RrCc]", table_name):
            raise self.fail("[tabblad]", f"'{table_name}' kan geen naam van een Excel-tabel zijn: "
                            f"begin met een letter, gebruik letters, cijfers en _ (geen spaties), "
                            f"en niet iets dat op een celverwijzing lijkt (zoals 'AB12').")
        layout = self.text(head, "indeling", "[bijlagetype]", "kaarten")
        if layout not in LAYOUTS or (not bundled and layout != "kaarten"):
            raise self.fail("[bijlagetype]", f"de indeling '{layout}' bestaat niet; kies "
                            f"'kaarten' (de voorbeeldkaart in het Word-sjabloon).")
        template = self.text(head, "sjabloon", "[bijlagetype]", f"{key}.docx")
        if not template.endswith(".docx") or "/" in template or "\\" in template:
            raise self.fail("[bijlagetype]", f"'sjabloon' is de naam van een .docx-bestand in "
                            f"dezelfde map, niet '{template}'.")
        known_settings = {s.key for s in COMMON_SETTINGS} | {
            e.get("sleutel") for e in self.entries("instelling")}
        for what in ("document", "titel"):
            for placeholder in _PLACEHOLDER.findall(str(head.get(what, ""))):
                if placeholder not in known_settings:
                    raise self.fail("[bijlagetype]", f"'{what}' noemt {{{placeholder}}}, maar dat "
                                    f"is geen instelling van dit bijlagetype; verklaar een "
                                    f"[[instelling]] met sleutel = \"{placeholder}\" of gebruik "
                                    f"{{gemeente}}, {{editie}} of {{peildatum}}.")
        legacy = head.get("bloktag")
        if legacy is not None and (not isinstance(legacy, str) or not _KEY.match(legacy)):
            raise self.fail("[bijlagetype]", "'bloktag' is de naam van een bloktag, zoals "
                            "\"opgaven\".")
        tags = head.get("tags", {})
        if not isinstance(tags, dict) or not all(isinstance(k, str) and _KEY.match(k) and
                                                 isinstance(v, str) for k, v in tags.items()):
            raise self.fail("[bijlagetype.tags]", "schrijf elke tag als naam = \"patroon\", "
                            "zoals titel = \"{bijlage_titel}\".")
        for name, pattern in tags.items():
            for placeholder in _PLACEHOLDER.findall(pattern):
                if placeholder not in known_settings | {"aantal"}:
                    raise self.fail("[bijlagetype.tags]", f"de tag '{name}' noemt "
                                    f"{{{placeholder}}}, maar dat is geen instelling van dit "
                                    f"bijlagetype.")
        order = head.get("volgorde", 100)
        rules = head.get("regels", [])
        if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
            raise self.fail("[bijlagetype]", "'regels' moet een lijst met regelcodes zijn, "
                            "zoals [\"start-na-eind\"].")
        settings = tuple(self.setting(s, i)
                         for i, s in enumerate(self.entries("instelling"), start=1))
        sheet = TableSheet(sheet_name, table_name, self.text(tab, "uitleg", "[tabblad]", ""),
                           columns, key_column, name_column, owner_column)
        arrangement = read_layout(self.data.get("indeling"), sheet,
                                  [st.key for st in (*COMMON_SETTINGS, *settings)], self.fail)
        annex = AnnexType(
            key=key, name=self.text(head, "naam", "[bijlagetype]", key),
            plural=self.text(head, "meervoud", "[bijlagetype]", "rijen"),
            singular=self.text(head, "enkelvoud", "[bijlagetype]", "rij"),
            sheet=sheet,
            vocabularies=vocabularies,
            settings=settings,
            template=template,
            document=self.text(head, "document", "[bijlagetype]", sheet_name),
            title=self.text(head, "titel", "[bijlagetype]", sheet_name),
            layout=layout, source=self.path, order=order if isinstance(order, int) else 100,
            bundled=bundled, rules=tuple(rules),
            municipal=frozenset(v.key for v, municipal in pairs if municipal),
            arrangement=arrangement, legacy_block=legacy, tags=tuple(tags.items()))
        return annex


def _builtin_vocabularies() -> tuple[Vocabulary, ...]:
    return BUILTIN.vocabularies if "BUILTIN" in globals() else ()


def load(path: Path, bundled: bool = True) -> AnnexType:
    """One declaration file; TemplateError (Dutch, naming the file) when it is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r"line (\d+), column (\d+)", str(exc))
        where = f" (regel {at.group(1)}, teken {at.group(2)})" if at else ""
        raise TemplateError(f"De verklaring '{path.name}' is geen geldige TOML{where}. "
                            f"Controleer daar de aanhalingstekens, = en [kopjes].") from exc
    except UnicodeDecodeError as exc:
        raise TemplateError(f"De verklaring '{path.name}' is geen UTF-8-tekst. Sla het bestand "
                            f"op als UTF-8 (in Kladblok: Opslaan als, codering UTF-8).") from exc
    except OSError as exc:
        raise TemplateError(f"De verklaring '{path.name}' kan niet worden gelezen.") from exc
    try:
        return _Reader(path, data).annex_type(bundled)
    except TemplateError:
        raise
    except (TypeError, AttributeError, ValueError, KeyError) as exc:  # a value of the wrong sort
        raise TemplateError(f"In de verklaring '{path.name}' staat een waarde van de verkeerde "
                            f"soort (bijvoorbeeld een lijst waar één tekst hoort, of [x] waar "
                            f"[[x]] hoort). Vergelijk met examples/projecten/sjablonen/"
                            f"projecten.toml.") from exc


BUNDLED_FOLDER = Path(__file__).resolve().parent / "bijlagetypen"
BUILTIN = AnnexTypes(tuple(sorted((load(p) for p in sorted(BUNDLED_FOLDER.glob("*.toml"))),
                                  key=lambda t: t.order)))
