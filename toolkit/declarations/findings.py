"""Findings: what is wrong, where, and how to fix it, as data.

Each fixed rule is declared once here (code, severity, message, hint); the validators
only say which rule failed on which cell, and every report (Excel, HTML, JSON, terminal,
docs/regels.md) reads the same catalogue. The rules over several columns are declared per
annex type ([[regel]], toolkit.declarations.rulekinds); their findings carry their own texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from toolkit.core.richtext import BIDI_CONTROLS, ILLEGAL_CHARS

if TYPE_CHECKING:
    from toolkit.declarations.rulekinds import DeclaredRule


class Severity(StrEnum):
    ERROR = "fout"
    WARNING = "waarschuwing"


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    title: str
    message: str  # may use {label}, {value}, {detail}
    hint: str


RULES: tuple[Rule, ...] = (
    Rule(
        "verplicht-leeg",
        Severity.ERROR,
        "Verplicht veld is leeg",
        "'{label}' is leeg.",
        "Vul dit veld in. Is het antwoord nog niet bekend? Schrijf dan 'Nog niet bekend'.",
    ),
    Rule(
        "niet-in-lijst",
        Severity.ERROR,
        "Waarde staat niet in de keuzelijst",
        "'{value}' staat niet in de keuzelijst voor '{label}'.{detail}",
        "Kies een waarde uit de keuzelijst (tabblad Lijsten), of vraag de coördinator de "
        "lijst aan te vullen.",
    ),
    Rule(
        "lijst-leeg",
        Severity.ERROR,
        "Keuzelijst is leeg",
        "De keuzelijst '{label}' op het tabblad Lijsten is leeg, maar de kolom '{value}' "
        "wordt gebruikt ({detail}); die waarden kunnen niet worden gecontroleerd.",
        "Vul op het tabblad Lijsten de lijst '{label}' met de waarden van uw gemeente (één "
        "per regel, onder de kop). Daarna zijn ze in Excel te kiezen en controleert de "
        "toolkit elke rij ertegen.",
    ),
    Rule(
        "schrijfwijze-lijst",
        Severity.WARNING,
        "Andere schrijfwijze dan in de keuzelijst",
        "'{value}' wijkt in hoofdletters of spaties af van '{detail}' in de keuzelijst.",
        "Kies '{detail}' uit de keuzelijst, zodat de bijlage overal dezelfde schrijfwijze heeft.",
    ),
    Rule(
        "id-dubbel",
        Severity.ERROR,
        "ID komt vaker voor",
        "Het ID '{value}' komt vaker voor in '{label}' (hoofdletters, spaties en "
        "onzichtbare tekens niet meegeteld).",
        "Geef elke rij een eigen ID; hergebruik nooit het ID van een andere rij.",
    ),
    Rule(
        "id-onzichtbaar",
        Severity.WARNING,
        "ID met onzichtbare of afwijkende tekens",
        "Het ID '{value}' bevat {detail}; het lijkt op een gewoon ID, maar is het niet.",
        "Typ het ID opnieuw met gewone letters, cijfers en streepjes, zonder spaties eromheen.",
    ),
    Rule(
        "datum-onleesbaar",
        Severity.WARNING,
        "Datum niet te lezen",
        "'{value}' in '{label}' is geen datum of datumomschrijving die de toolkit begrijpt.",
        "De bijlage toont de tekst zoals hij is, maar de datumcontroles slaan dit veld over. "
        "Begrepen worden o.a.: {detail}.",
    ),
    Rule(
        "html-onbekend",
        Severity.WARNING,
        "Onbekende HTML",
        "'{label}' bevat HTML die de toolkit niet opmaakt: {detail}.",
        "De tekst blijft staan, maar zonder opmaak. Gebruik alleen <p>, <ul>, <ol>, <li>, "
        "<br>, <b>, <i>, <u> en eenvoudige tabellen, of gewone regels met • of -.",
    ),
    Rule(
        "html-in-tekstveld",
        Severity.WARNING,
        "HTML in een veld zonder opmaak",
        "'{label}' wordt zonder opmaak gepubliceerd, maar bevat HTML ({detail}).",
        "De melding zegt wat er in de bijlage komt: bekende tags (zoals <span> en <b>) laat "
        "de toolkit weg, andere tekst tussen < en > blijft staan. Haal de HTML uit de cel "
        "(plak als platte tekst met Ctrl+Shift+V); opmaak kan in dit veld niet.",
    ),
    Rule(
        "teken-ongeldig",
        Severity.WARNING,
        "Onzichtbare stuurtekens",
        "'{label}' bevat stuurtekens ({detail}) die een Word-document beschadigen.",
        "De toolkit laat ze weg in de bijlage (tussen twee woorden komt een spatie). Typ de "
        "tekst opnieuw of plak hem als platte tekst (Ctrl+Shift+V) om ze ook uit het register te halen.",
    ),
    Rule(
        "teken-emoji",
        Severity.WARNING,
        "Tekens die het lettertype niet heeft",
        "'{label}' bevat tekens die de lettertypen van de bijlage niet hebben ({detail}); in "
        "Word of de PDF staan ze als leeg vakje of als een ander teken.",
        "De toolkit laat de tekst zoals hij is. Schrijf het in woorden (bijvoorbeeld "
        "'afgerond' in plaats van een vinkje) of laat het teken weg. Een opsommingsteken uit "
        "Word aan het begin van een regel wordt vanzelf een gewoon opsommingsteken.",
    ),
    Rule(
        "opsomming-niveau",
        Severity.WARNING,
        "Opsomming te diep",
        "'{label}' heeft een opsomming van {detail} niveaus diep; de bijlage toont twee "
        "niveaus, de diepere punten staan op het tweede.",
        "Kijk in de bijlage of de opsomming zo te volgen is, of maak hem minder diep.",
    ),
    Rule(
        "html-tabel",
        Severity.WARNING,
        "Tabel als regels",
        "'{label}' bevat een HTML-tabel met {detail}; in de bijlage staat elke rij op een "
        "eigen regel, met de cellen gescheiden door ' | '.",
        "Kijk in de bijlage of het zo leesbaar is. Een tabel met twee kolommen (kop en "
        "waarde) wordt vanzelf 'kop: waarde'; zet een grotere tabel als gewone regels in de "
        "cel.",
    ),
    Rule(
        "markdown-kop",
        Severity.WARNING,
        "Markdown-kop",
        "'{label}' heeft een regel die een Markdown-kop lijkt ('{detail}'); de bijlage toont "
        "hem zoals hij getypt is, met de #.",
        "Een kop binnen een cel kan niet. Haal de # weg; een vetgedrukte regel kan met **tekst**.",
    ),
    Rule(
        "getal-onleesbaar",
        Severity.WARNING,
        "Onleesbaar groot getal in een tekstveld",
        "'{label}' bevat het getal {value}, groter dan Excel precies kan bewaren; zo komt "
        "het ook in de bijlage.",
        "Is het per ongeluk ingevoerd of geplakt? Typ de bedoelde tekst. Een lang nummer "
        "bewaart u als tekst door er een ' (apostrof) voor te typen.",
    ),
    Rule(
        "teken-richting",
        Severity.ERROR,
        "Tekens die de leesrichting omdraaien",
        "'{label}' bevat tekens die de leesrichting van de tekst omdraaien ({detail}); "
        "in de bijlage kan de tekst dan achterstevoren staan.",
        "Typ de tekst opnieuw of plak hem als platte tekst (Ctrl+Shift+V). Zolang ze erin "
        "staan, maakt de toolkit geen bijlage.",
    ),
    Rule(
        "te-lang",
        Severity.ERROR,
        "Tekst te lang voor Excel",
        "'{label}' is {detail} tekens lang; Excel bewaart er hoogstens 32.767.",
        "Kort de tekst in; Excel kapt langere tekst stilzwijgend af.",
    ),
    Rule(
        "cellen-samengevoegd",
        Severity.WARNING,
        "Samengevoegde cellen",
        "De cellen {value} zijn samengevoegd; de toolkit leest alleen de eerste cel, de "
        "andere rijen lijken leeg.",
        "Maak de samenvoeging ongedaan (Start > Samenvoegen en centreren) en vul elke rij zelf in.",
    ),
    Rule(
        "rijen-verborgen",
        Severity.WARNING,
        "Verborgen rijen worden gepubliceerd",
        "De rijen {value} zijn in Excel verborgen (een filter of verborgen rijen), maar "
        "tellen gewoon mee: wat erin staat, komt in de bijlage.",
        "Wis het filter (Gegevens > Wissen) of maak de rijen zichtbaar en kijk ze na. Hoort "
        "een rij niet in de bijlage, zet dan de kolom die opnemen bepaalt op een waarde "
        "die niet opnemen betekent, of haal de rij uit het register.",
    ),
    Rule(
        "tabblad-verborgen",
        Severity.WARNING,
        "Verborgen tabblad wordt gepubliceerd",
        "Het tabblad {value} is in Excel verborgen, maar de rijen erop worden gewoon gepubliceerd.",
        "Maak het tabblad zichtbaar (rechtsklik op een tabblad > Zichtbaar maken) en kijk na wat erop staat.",
    ),
    Rule(
        "kolommen-verborgen",
        Severity.WARNING,
        "Verborgen kolommen worden gepubliceerd",
        "De kolommen {value} zijn in Excel verborgen, maar worden gewoon gepubliceerd.",
        "Maak de kolommen zichtbaar (rechtsklik op de kolomletters > Zichtbaar maken) en "
        "kijk na wat erin staat.",
    ),
    Rule(
        "tabblad-ontbreekt",
        Severity.WARNING,
        "Tabblad ontbreekt, de instellingen noemen het",
        "Het tabblad {value} ontbreekt, maar het tabblad Instellingen beschrijft de "
        "{detail} nog ('{label}'). Is het tabblad verwijderd?",
        "Zonder het tabblad {value} wordt de {detail} niet gemaakt. Hoort die er wel bij, "
        "zet het tabblad dan terug (uit een eerdere versie van het register); zo niet, haal "
        "de regels over de {detail} weg van het tabblad Instellingen.",
    ),
    Rule(
        "formule-niet-berekend",
        Severity.ERROR,
        "Formule zonder berekende waarde",
        "'{label}' bevat een formule die Excel nog niet heeft berekend; er is geen waarde "
        "om te controleren of te publiceren.",
        "Open het register in Excel en sla het op: Excel berekent de formule dan. Of "
        "vervang de formule door de waarde zelf.",
    ),
    Rule(
        "formule-fout",
        Severity.ERROR,
        "Excel-foutwaarde in een cel",
        "'{label}' toont de Excel-fout {value}: de cel is als formule gelezen. Meestal "
        "begon de tekst met -, = of +; de getypte tekst staat niet in het register.",
        "Typ de tekst opnieuw met een ' (apostrof) ervoor ('- punt), of begin een "
        "opsomming met • in plaats van -. In een nieuw register (toolkit init, "
        "toolkit new-edition) zijn de tekstkolommen als tekst opgemaakt en gebeurt dit niet.",
    ),
    Rule(
        "betekenis-onbekend",
        Severity.ERROR,
        "Lijstwaarde zonder bekende betekenis",
        "'{value}' in de lijst '{label}' heeft geen betekenis die de toolkit kent.",
        "Kies in de kolom '{label}: betekenis' ernaast welke standaardwaarde '{value}' "
        "vervangt ({detail}). Zonder betekenis weet de toolkit niet of een rij in de "
        "bijlage komt of is afgerond, en welke kleur een status krijgt.",
    ),
    Rule(
        "betekenis-ontbreekt",
        Severity.ERROR,
        "Geen waarde met een verplichte betekenis",
        "Geen enkele waarde in de lijst '{label}' betekent '{value}'.",
        "Zet '{value}' terug in de lijst, of kies '{value}' in de kolom '{label}: "
        "betekenis' naast de waarde die het vervangt (bijvoorbeeld 'Laatste editie' "
        "betekent 'Laatste keer').",
    ),
    Rule(
        "instelling-leeg",
        Severity.ERROR,
        "Instelling ontbreekt",
        "De instelling '{label}' is leeg.",
        "Vul op het tabblad Instellingen de waarde in.",
    ),
    Rule(
        "instelling-te-lang",
        Severity.ERROR,
        "Instelling te lang",
        "'{label}' is {detail} tekens lang; hoogstens {value} passen in de titel, de "
        "documenteigenschappen en de bestandsnaam van de bijlage.",
        "Kort de tekst in op het tabblad Instellingen; een lange toelichting hoort in de Inleiding.",
    ),
    Rule(
        "bijlagenummer-ongeldig",
        Severity.ERROR,
        "Bijlagenummer ongeldig",
        "'{value}' is geen bruikbaar nummer voor '{label}'.",
        "Vul een heel getal van 1 tot en met 999 in, bijvoorbeeld 5{detail}.",
    ),
    Rule(
        "bijlagenummer-dubbel",
        Severity.WARNING,
        "Twee bijlagen met hetzelfde nummer",
        "Bijlage {value} valt in de nummers {detail} die '{label}' geeft: twee bijlagen "
        "krijgen hetzelfde nummer.",
        "Pas een van de bijlagenummers op het tabblad Instellingen aan, zodat elke bijlage "
        "een eigen nummer heeft.",
    ),
    Rule(
        "gemeente-voorvoegsel",
        Severity.WARNING,
        "'Gemeente' staat al in de naam",
        "'{value}' begint met 'Gemeente'; de bijlagen zetten dat woord er zelf voor.",
        "De toolkit laat het dubbele woord weg ('Gemeente {detail}'). Schrijf op het "
        "tabblad Instellingen alleen de naam: {detail}.",
    ),
    Rule(
        "inleiding-leeg",
        Severity.WARNING,
        "Geen inleiding",
        "De instelling '{label}' is leeg; de {detail} krijgt geen inleidende tekst.",
        "Schrijf op het tabblad Instellingen een inleiding (alinea's scheiden met "
        "Alt+Enter), of laat hem bewust leeg.",
    ),
    Rule(
        "register-leeg",
        Severity.WARNING,
        "Niets om te publiceren",
        "Geen enkele rij komt in een bijlage: de tabbladen hebben nog geen rijen, of bij "
        "geen rij staat '{label}' op een waarde die opnemen betekent; de bijlagen "
        "blijven leeg.",
        "Is dit het goede register? Vul de tabbladen, of zet '{label}' bij de rijen die "
        "in de bijlage horen op een waarde die opnemen betekent (tabblad Lijsten).",
    ),
    Rule(
        "peildatum-ontbreekt",
        Severity.WARNING,
        "Geen peildatum",
        "De peildatum ontbreekt of is geen datum (nu: {value}); de controles ten "
        "opzichte van de peildatum zijn overgeslagen.",
        "Vul op het tabblad Instellingen een peildatum in (bijvoorbeeld 1-4-2024), of geef --peildatum mee.",
    ),
)
RULES_BY_CODE = {rule.code: rule for rule in RULES}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    sheet: str
    row: int | None
    column: str
    label: str
    value: str
    message: str
    hint: str
    record: str = ""  # "P-004 Dealbreakers": which pilot or action it concerns
    #: the rule's short name in summaries (a declared rule has its own)
    title: str = field(default="", compare=False)

    @property
    def cell(self) -> str:
        return f"{self.column}{self.row}" if self.row and self.column else ""

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        del data["title"]  # the reports' summary names it; each finding has its message
        data["severity"] = str(self.severity)
        data["cell"] = self.cell
        return data


_UNSHOWABLE = re.compile(f"{ILLEGAL_CHARS.pattern}|{BIDI_CONTROLS.pattern}")


def visible(text: str) -> str:
    """Text a report can hold and a reviewer can see: a control or direction character
    becomes its code ("[U+0007]"), so it can neither break a report nor reverse it."""
    if text.isprintable() and not BIDI_CONTROLS.search(text):
        return text
    return _UNSHOWABLE.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def make_finding(
    code: str,
    sheet: str,
    row: int | None,
    column: str,
    label: str,
    value: object,
    detail: str = "",
    record: str = "",
) -> Finding:
    rule = RULES_BY_CODE[code]
    text = visible("" if value is None else str(value))
    shown = text if len(text) <= 120 else text[:117] + "…"
    fields = {"label": label, "value": shown, "detail": visible(detail)}
    return Finding(
        code,
        rule.severity,
        sheet,
        row,
        column,
        label,
        text,
        rule.message.format(**fields),
        rule.hint.format(**fields),
        visible(record),
        rule.title,
    )


class _Fields(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""  # the declaration reader allows only known placeholders; never a crash


def declared_finding(
    rule: DeclaredRule,
    sheet: str,
    row: int,
    column: str,
    label: str,
    value: str,
    fields: Mapping[str, str],
    record: str,
) -> Finding:
    """A finding of a rule an annex type declares ([[regel]]): its code, severity and texts
    are the declaration's; fields fill the placeholders of its message and hint."""
    filled = _Fields(fields)
    return Finding(
        rule.code,
        Severity(rule.severity),
        sheet,
        row,
        column,
        label,
        visible(value or "leeg"),
        rule.message.format_map(filled),
        rule.hint.format_map(filled),
        visible(record),
        rule.title,
    )


def titles(findings: Iterable[Finding]) -> dict[str, str]:
    """The short name of each rule code among these findings, for a report's summary."""
    names: dict[str, str] = {}
    for f in findings:
        if f.code not in names:
            names[f.code] = f.title or (RULES_BY_CODE[f.code].title if f.code in RULES_BY_CODE else f.code)
    return names


def counts(findings: list[Finding]) -> dict[str, int]:
    return {
        "fout": sum(1 for f in findings if f.severity is Severity.ERROR),
        "waarschuwing": sum(1 for f in findings if f.severity is Severity.WARNING),
    }


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def summary(totals: dict[str, int]) -> str:
    """'1 fout, 3 waarschuwingen': how every report says it."""
    return (
        f"{plural(totals['fout'], 'fout', 'fouten')}, "
        f"{plural(totals['waarschuwing'], 'waarschuwing', 'waarschuwingen')}"
    )
