"""Build the example register from the reference council documents.

Run: uv run python examples/make_example.py

The texts in examples/bronnen/ are extractions of the real annexes. This script reads
their pilot cards and action tables and writes:
- templates/pilot_register.xlsx: the empty register template;
- examples/voorbeeld_register.xlsx: the bundled example (gaps filled with
  "Nog niet bekend", rows split over a page break merged), which validates;
- tests/data/register_met_gaten.xlsx: the same data with the original gaps and split
  rows kept, for the validation tests;
- examples/zoetermeer/ and examples/leidschendam-voorburg/: one register per
  municipality (Zoetermeer's pilots only, Leidschendam-Voorburg's Sterk voor Noord actions
  only), each with its own settings, lists and house-style templates in sjablonen/.
Text is carried over exactly, HTML fragments and all.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from docx.shared import RGBColor

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit.declarations import schema  # noqa: E402
from toolkit.declarations.annextypes import BUILTIN  # noqa: E402
from toolkit.declarations.status import split_status as status_parts  # noqa: E402
from toolkit.layouts.docx_templates import (  # noqa: E402
    HouseStyle,
    make_bundled_template,
)
from toolkit.register.write import write_register, write_template  # noqa: E402

SOURCES = ROOT / "examples" / "bronnen"
PILOTS_TXT = SOURCES / "000_8ab1aa7bced9a356.txt"
ACTIONS_TXT = SOURCES / "003_afd4022e2fc85249.txt"

SECTIONS = {
    "naam pilot": "naam",
    "korte omschrijving": "omschrijving",
    "programma/portefeuillehouder": "programma",
    "doel/beoogd resultaat": "doel",
    "data": "data",
    "uitkomst evaluatie": "uitkomst",
}
LABELS = {
    "naam pilot": "naam",
    "programma": "programma",
    "portefeuille": "portefeuille",
    "doel, beoogd resultaat": "doel",
    "startdatum": "startdatum",
    "einddatum": "einddatum",
    "evaluatiemoment": "evaluatiemoment",
    "pilot succesvol? zijn de vooraf gestelde doelen/resultaten gehaald?": "succesvol",
    "geven de resultaten van de pilot aanleiding om het bestaande beleid aan te passen?": "beleid",
    "leidt aanpassing van het beleid tot een financieel gevolg?": "financieel",
    "hoe bestuurlijk gerapporteerd?": "gerapporteerd",
}
_SEPARATOR = re.compile(r"^[-\t ]+$")


@dataclass
class PilotCard:
    heading: str
    values: dict[str, str] = field(default_factory=dict)


def parse_pilots(text: str) -> list[PilotCard]:
    """The twelve cards of the pilot annex, each field exactly as printed."""
    lines = text.splitlines()
    cards: list[PilotCard] = []
    section = None
    paragraphs: list[str] = []

    def flush() -> None:
        nonlocal paragraphs
        if cards and section in ("omschrijving", "doel") and paragraphs:
            cards[-1].values.setdefault(section, "\n".join(paragraphs))
        paragraphs = []

    for i, line in enumerate(lines):
        stripped = line.strip()
        nxt = next((x.strip() for x in lines[i + 1 :] if x.strip()), "")
        if stripped and nxt.lower() == "naam pilot" and "\t" not in line:
            flush()
            cards.append(PilotCard(stripped))
            section = None
            continue
        if not cards or not stripped or _SEPARATOR.match(line):
            continue
        if stripped.lower() in SECTIONS:
            flush()
            section = SECTIONS[stripped.lower()]
            continue
        if "\t" in line:
            label, _, value = line.partition("\t")
            key = LABELS.get(label.strip().lower())
            if key:
                cards[-1].values[key] = value.strip()
                continue
        if section in ("omschrijving", "doel"):
            paragraphs.append(stripped)
    flush()
    return cards


@dataclass
class ActionRow:
    annex: str
    opgave: str
    doel: str
    activiteit: str
    resultaat: str
    status: str
    continued: bool = False


def parse_actions(text: str) -> list[ActionRow]:
    """Every row of Bijlage 2, 3 and 4; a row with an empty Activiteit is a continuation."""
    start = text.index("## Bijlage 2")
    end = text.index("### Ondermijning")
    rows: list[ActionRow] = []
    annex = opgave = doel = ""
    for line in text[start:end].splitlines():
        if line.startswith("## Bijlage"):
            annex = line[3:].strip()
            opgave = re.sub(r"^Bijlage \d+ [Uu]itvoeringsplan ", "", annex)
            continue
        if not line.strip() or _SEPARATOR.match(line):
            continue
        cells = line.split("\t")
        first = re.sub(r"</?b>", "", cells[0]).strip()
        if first.startswith("Doel:") or (len(cells) >= 2 and not any(c.strip() for c in cells[1:]) and first):
            doel = first.removeprefix("Doel:").strip()
            continue
        if first == "Activiteit":
            continue
        while len(cells) < 3:
            cells.append("")
        activiteit, resultaat, status = cells[0].strip(), cells[1].strip(), cells[2].strip()
        rows.append(ActionRow(annex, opgave, doel, activiteit, resultaat, status, continued=not activiteit))
    return rows


STATUS_MAP = {
    "Wordt voortgezet binnen LEA": "Overgedragen aan de lijn",
    "Loopt, effect wordt gemonitord en meegenomen in de LEA": "In uitvoering",
    "Wordt uitgebreid met andere projecten die ouderbetrokkenheid vragen": "Wordt uitgebreid",
    "Wordt opgepakt in de lijn (OAB)": "Overgedragen aan de lijn",
    "Dit wordt verder opgepakt in werkgroep 2 van de LEA": "Overgedragen aan de lijn",
    "Dit wordt verder opgepakt in de lijn (GALA)": "Overgedragen aan de lijn",
    "Wordt doorontwikkeld": "In uitvoering",
    "<p>Wordt in de lijn verder ontwikkeld</p>": "Overgedragen aan de lijn",
    "Zeer succesvol en verlengen.": "Wordt uitgebreid",
    "Succesvol afgerond.": "Afgerond",
    "Succesvol afgerond": "Afgerond",
    "Binnenkort in uitvoering": "Nog niet gestart",
}


def split_status(original: str) -> tuple[str, str]:
    """(controlled status, toelichting) such that the original text is kept."""
    if original in STATUS_MAP:
        return STATUS_MAP[original], original
    status, note = status_parts(original, BUILTIN.vocabulary("status").values)
    return (status, note) if status or not original else ("In uitvoering", original)


def _join(previous: str, continuation: str) -> str:
    if not continuation:
        return previous
    if not previous:
        return continuation
    separator = " " if re.search(r"[\w,]$", previous) and not continuation.startswith("<") else "\n"
    return previous + separator + continuation


def build_rows(keep_gaps: bool) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    cards = parse_pilots(PILOTS_TXT.read_text(encoding="utf-8"))
    pilots = []
    last_time = ("Stedenbouwkundige buurtvisie", "Positieve gezondheid en het huishouden")
    for n, card in enumerate(cards, start=1):
        row: dict[str, object] = {"id": f"P-{n:03d}", **card.values}
        row["opnemen"] = (
            schema.standard_value("opnemen", last_time=True)
            if card.values.get("naam") in last_time
            else schema.standard_value("opnemen", published=True, last_time=False)
        )
        row["eigenaar"] = "Coördinator pilots"
        row["bijgewerkt_op"] = date(2024, 3, 25)
        if not keep_gaps:
            for col in BUILTIN.get("pilots").sheet.required:
                if not str(row.get(col.key) or "").strip():
                    row[col.key] = schema.UNKNOWN_ANSWER
        pilots.append(row)

    actions: list[dict[str, object]] = []
    for item in parse_actions(ACTIONS_TXT.read_text(encoding="utf-8")):
        if item.continued and not keep_gaps and actions:
            prev = actions[-1]
            prev["resultaat"] = _join(str(prev.get("resultaat") or ""), item.resultaat)
            if item.status:
                prev["toelichting_status"] = _join(str(prev.get("toelichting_status") or ""), item.status)
            continue
        status, note = split_status(item.status)
        if not status and not keep_gaps and not item.continued:
            status = schema.UNKNOWN_ANSWER
        actions.append(
            {
                "id": f"A-{len(actions) + 1:03d}",
                "opgave": item.opgave,
                "doel": item.doel,
                "activiteit": item.activiteit,
                "resultaat": item.resultaat,
                "status": status,
                "toelichting_status": note,
                "trekker": "Sterk voor Noord",
                "bijgewerkt_op": date(2024, 9, 1),
            }
        )
    return pilots, actions


SETTINGS = {
    "gemeente": "Zoetermeer",
    "editie": "Perspectiefnota 2025",
    "peildatum": date(2024, 4, 1),
    "bijlage_pilots_nummer": "5",
    "bijlage_pilots_titel": "Monitoring evaluatie pilots",
    "inleiding": (
        "Deze bijlage geeft een overzicht van alle recent afgeronde en lopende pilots die bij "
        "de gemeente lopen. De nadruk ligt op de evaluatie van deze pilots en, indien van "
        "toepassing, de gevolgen van deze evaluatie.\n"
        "Deze bijlage is een uitvloeisel van raadsmotie 21-0642, Oogst van de pilots en wordt "
        "twee keer per jaar geactualiseerd (en opgenomen in perspectiefnota en "
        "programmabegroting)."
    ),
    "actieprogramma": "Sterk voor Noord",
    "bijlage_acties_eerste_nummer": "2",
    "bijlage_acties_titel": "Uitvoeringsplan",
}


#: Leidschendam-Voorburg's register: the Sterk voor Noord actions of 003 (autumn 2024)
LV_SETTINGS = {
    "gemeente": "Leidschendam-Voorburg",
    "editie": "Evaluatie uitvoeringsplannen najaar 2024",
    "peildatum": date(2024, 10, 1),
    "actieprogramma": "Sterk voor Noord",
    "bijlage_acties_eerste_nummer": "2",
    "bijlage_acties_titel": "Uitvoeringsplan",
    "sjablonen": "sjablonen",
}
#: house styles (title and heading colour at least 4.5:1 on white)
ZOETERMEER_HOUSE = HouseStyle(
    font="Arial",
    accent=RGBColor(0x00, 0x5A, 0x4E),  # 7.9:1
    header_fill="D3EAE6",
)
LV_HOUSE = HouseStyle(
    font="Verdana",
    accent=RGBColor(0x8B, 0x1A, 0x2B),  # 9.6:1
    header_fill="F3DDE0",
)
NOORDERVEEN_HOUSE = HouseStyle(font="Calibri", accent=RGBColor(0x1F, 0x4E, 0x79))  # 8.6:1


#: The example municipalities' own lists (Zoetermeer's programmes and portfolios, the
#: opgaven of Sterk voor Noord). The declarations leave these lists empty: every
#: municipality has its own.
EXAMPLE_LISTS: dict[str, list[str]] = {
    "programma": [
        "1. Onderwijs, economie en arbeidsparticipatie",
        "2. Samen leven en ondersteunen",
        "3. Sport en cultuur",
        "4. Vrije tijd",
        "5. Veiligheid",
        "6. Duurzaamheid en mobiliteit",
        "7. Inrichting van de stad",
        "8. Bestuur en dienstverlening",
    ],
    "portefeuille": [
        "Armoedebeleid",
        "Dienstverlening, vastgoed en ICT",
        "Openbare orde en Veiligheid",
        "Ruimtelijke ordening",
        "Wijkgericht werken",
        "Wonen",
        "Zorg en Welzijn",
    ],
    "opgave": ["Jeugd en onderwijs", "Financiële zelfredzaamheid", "Fijn en veilig wonen"],
}


def _municipal_lists(*keys: str) -> dict[str, list[str]]:
    """The example's own values for these lists; the other municipal lists stay empty."""
    return {key: list(EXAMPLE_LISTS[key]) if key in keys else [] for key in schema.MUNICIPAL_VOCABULARIES}


def _all_lists() -> dict[str, list[str]]:
    """Every list with its declared values, the municipal ones with the example's."""
    return {voc.key: list(EXAMPLE_LISTS.get(voc.key, voc.values)) for voc in schema.VOCABULARIES}


def write_municipal_examples(pilots: list[dict[str, object]], actions: list[dict[str, object]]) -> None:
    zoetermeer = ROOT / "examples" / "zoetermeer"
    (zoetermeer / "sjablonen").mkdir(parents=True, exist_ok=True)
    make_bundled_template(zoetermeer / "sjablonen" / "bijlage.docx", BUILTIN.get("pilots"), ZOETERMEER_HOUSE)
    write_register(
        zoetermeer / "pilots_zoetermeer.xlsx",
        {"Pilots": pilots, "Acties": ()},
        {k: v for k, v in SETTINGS.items() if "acties" not in k and k != "actieprogramma"}
        | {"sjablonen": "sjablonen"},
        _municipal_lists("programma", "portefeuille"),
        sheets=(BUILTIN.get("pilots").sheet.name,),
    )
    lv = ROOT / "examples" / "leidschendam-voorburg"
    (lv / "sjablonen").mkdir(parents=True, exist_ok=True)
    make_bundled_template(lv / "sjablonen" / "acties.docx", BUILTIN.get("acties"), LV_HOUSE)
    write_register(
        lv / "acties_sterk_voor_noord.xlsx",
        {"Pilots": (), "Acties": actions},
        LV_SETTINGS,
        _municipal_lists("opgave"),
        sheets=(BUILTIN.get("acties").sheet.name,),
    )


PROJECTS_SETTINGS = {
    "gemeente": "Zoetermeer",
    "editie": "Rapportage sociaal domein, eerste helft 2023",
    "peildatum": date(2023, 4, 1),
    "programma_naam": "Sociale innovatie",
    "rapportage_inleiding": (
        "Het programma Sociale innovatie is in 2022 gestart met zeven projecten die "
        "bijdragen aan de kernopgaven uit 'De winst van het sociaal domein'. Per project "
        "staat hieronder wat we doen, waarom, hoe en hoe we het meten, met de stand van "
        "zaken op de peildatum.\nDe rapportage is onderdeel van de rapportage sociaal "
        "domein, die de gemeenteraad twee keer per jaar ontvangt."
    ),
    "sjablonen": "sjablonen",
}


def write_projects_example() -> None:
    """examples/projecten/: the third annex type, from its declaration and template only.

    The declaration (sjablonen/projecten.toml) is written by hand, as a coordinator would;
    the template is the toolkit's generic starting template for a declaration
    (make_card_template), in Zoetermeer's house style."""
    from projects_source import PROJECT_DATES, PROJECT_STATUS, PROJECTS_TXT, parse_projects

    from toolkit.declarations.annextypes import BUILTIN
    from toolkit.layouts.docx_templates import make_card_template

    folder = ROOT / "examples" / "projecten"
    types = BUILTIN.with_folder(folder / "sjablonen")
    annex = types.get("projecten")
    make_card_template(folder / "sjablonen" / annex.template, annex, ZOETERMEER_HOUSE)
    rows = []
    for number, project in enumerate(parse_projects(PROJECTS_TXT.read_text(encoding="utf-8")), start=1):
        start, end = PROJECT_DATES[project["naam"]]
        rows.append(
            {
                **project,
                "id": f"SI-{number:02d}",
                "status": PROJECT_STATUS[project["naam"]],
                "startdatum": start,
                "einddatum": end,
            }
        )
    write_register(
        folder / "projecten_sociale_innovatie.xlsx",
        settings=PROJECTS_SETTINGS,
        sheets=(annex.sheet.name,),
        tables={annex.sheet.name: rows},
        types=types,
    )


def write_commitments_example() -> None:
    """examples/moties/: the fourth annex type, declared only (sjablonen/toezeggingen.toml)
    and laid out by its [indeling]: groups, order, status overviews and a cross-tab."""
    from commitments_source import LISTS, ROWS
    from commitments_source import SETTINGS as COMMITMENT_SETTINGS

    from toolkit.declarations.annextypes import BUILTIN
    from toolkit.layouts.docx_templates import make_card_template

    folder = ROOT / "examples" / "moties"
    types = BUILTIN.with_folder(folder / "sjablonen")
    annex = types.get("toezeggingen")
    make_card_template(folder / "sjablonen" / annex.template, annex, NOORDERVEEN_HOUSE, with_key=True)
    write_register(
        folder / "moties_toezeggingen.xlsx",
        settings=COMMITMENT_SETTINGS,
        lists=LISTS,
        sheets=(annex.sheet.name,),
        tables={annex.sheet.name: ROWS},
        types=types,
    )


def main() -> None:
    write_template(ROOT / "templates" / "pilot_register.xlsx")
    pilots, actions = build_rows(keep_gaps=False)
    write_register(
        ROOT / "examples" / "voorbeeld_register.xlsx",
        {"Pilots": pilots, "Acties": actions},
        SETTINGS,
        _all_lists(),
    )
    write_municipal_examples(pilots, actions)
    write_projects_example()
    write_commitments_example()
    pilots, actions = build_rows(keep_gaps=True)
    write_register(
        ROOT / "tests" / "data" / "register_met_gaten.xlsx",
        {"Pilots": pilots, "Acties": actions},
        SETTINGS,
        _all_lists(),
    )
    print(f"{len(pilots)} pilots en {len(actions)} acties geschreven.")


if __name__ == "__main__":
    main()
