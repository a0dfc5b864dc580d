"""The seven projects of the Programmaplan Sociale innovatie, read from the real text.

examples/projects_source.py turns the messy text extraction into register rows; these
tests hold it to the source: every word carried over in order, layout (page numbers,
wrapped lines, list dashes, stray spaces before headings) gone, OCR slips kept.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

NAMES = [
    "Basisbanen",
    "Vindplaatsen verborgen schulden",
    "Onder de pannen",
    "Resultaat gedreven inzet voor jeugd & gezinnen",
    "Innovatief wijkgericht en integraal ondersteuningsaanbod gericht op preventie",
    "Positieve gezondheid en het huishouden",
    "Preventie in de praktijk",
]
QUESTION_KEYS = ("wat", "waarom", "hoe", "meten")
STATUSES = {"Nog niet gestart", "In voorbereiding", "In uitvoering", "Afgerond"}
HEADING = re.compile(r"(wat|waarom|hoe) gaan we( dat)? (doen|meten)\?", re.I)


@pytest.fixture(scope="module")
def source_module():
    """examples/ is no package: load projects_source.py by path, as conftest loads make_example."""
    spec = importlib.util.spec_from_file_location("projects_source", ROOT / "examples" / "projects_source.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["projects_source"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def source_text(make_example, source_module):
    """The programmaplan, found where make_example.py finds the other reference texts."""
    path = make_example.SOURCES / "004_01711f8b400a1c4b.txt"
    assert path == source_module.PROJECTS_TXT
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def projects(source_module, source_text):
    return source_module.parse_projects(source_text)


@pytest.fixture(scope="module")
def by_name(projects):
    return {p["naam"]: p for p in projects}


def _words(text: str) -> str:
    """Text without layout: bullets and list dashes dropped, whitespace squashed."""
    text = re.sub(r"^\s*[-•]\s+", "", text, flags=re.M)
    return " ".join(text.split())


def test_seven_projects_in_document_order(projects):
    assert [p["naam"] for p in projects] == NAMES
    assert all(set(p) == {"naam", *QUESTION_KEYS} for p in projects)


def test_every_question_is_answered_for_every_project(projects):
    # The source answers all four questions for all seven projects (some headings
    # carry a stray leading space, " Hoe gaan we dat meten?"), so none may be empty.
    for project in projects:
        for key in QUESTION_KEYS:
            assert project[key].strip(), (project["naam"], key)


def test_first_project_starts_with_its_text(projects):
    assert projects[0]["wat"].startswith("Basisbanen zijn bedoeld voor mensen")


def test_no_layout_left_in_the_texts(projects):
    for project in projects:
        for key in QUESTION_KEYS:
            for line in project[key].split("\n"):
                assert line == line.strip() and line, (project["naam"], key, line)
                assert not re.fullmatch(r"\d+", line), (project["naam"], key, line)
                assert not HEADING.search(line), (project["naam"], key, line)
                assert not line.startswith("http"), (project["naam"], key, line)
                assert not line.startswith("- "), (project["naam"], key, line)
                assert line not in NAMES, (project["naam"], key, line)


def test_the_page_number_between_two_projects_is_dropped(by_name):
    # "21" stands alone between "Onder de pannen" and the next project's title.
    meten = by_name["Onder de pannen"]["meten"]
    assert meten.endswith("het versterken van de bestaanszekerheid.")
    assert "21" not in meten.split()


def test_wrapped_lines_are_joined(by_name):
    wat = by_name["Basisbanen"]["wat"]
    # Wrapped over a line and even over a blank line (a page break mid-sentence).
    assert (
        "Basisbanen zijn bedoeld voor mensen voor wie een directe toeleiding naar een "
        "betaalde baan (nog) geen reéel perspectief is."
    ) in wat
    assert "De basisbaan biedt inwoners en organisaties kansen om bij te dragen" in wat
    assert "\n" not in wat
    assert (
        "Het accent ligt op samenwerking met werkgevers als vindplaats van verborgen "
        "schulden omdat werkgevers veel geldzorgen en -problemen merken nog voérdat het "
        "probleem expliciet bij schuldeisers escaleert."
    ) in (by_name["Vindplaatsen verborgen schulden"]["wat"].split("\n"))


def test_blank_lines_between_paragraphs_stay_paragraph_breaks(by_name):
    assert (
        by_name["Onder de pannen"]["waarom"].split("\n")[1].startswith("Het project onder de pannen verwacht")
    )
    assert by_name["Vindplaatsen verborgen schulden"]["wat"].count("\n") == 2


def test_list_items_start_with_a_bullet(by_name):
    meten = by_name["Vindplaatsen verborgen schulden"]["meten"].split("\n")
    assert meten[0].startswith("We willen zowel kwantitatieve")
    assert meten[1:] == [
        "• Onderzoek i.s.m. met team Onderzoek en Statistiek",
        "• Aantal voorlichtingen bij werkgevers; aantal werknemers",
        "• Ontwikkeling van voorlichtingsmateriaal",
        "• Reflectie/tevredenheidsonderzoek bij werkgevers",
        "• Aantal doorverwijzingen naar hulpverlening",
        "• Vrijwilligersorganisaties",
        "• Gemeentelijke schuldhulpverlening",
    ]
    wat = by_name["Positieve gezondheid en het huishouden"]["wat"].split("\n")
    assert wat[-3:] == [
        "• het versterken van eigen kracht en zelfregie;",
        "• het verbeteren van de betaalbaarheid van HO;",
        "• het borgen van de beschikbaarheid van HO (arbeidsmarkt)",
    ]


def test_a_list_item_continued_on_the_next_lines_is_one_item(by_name):
    meten = by_name["Resultaat gedreven inzet voor jeugd & gezinnen"]["meten"].split("\n")
    assert (
        "• Een groep van instanties, organisaties en bewoners uit de wijk zich heeft "
        "committeert aan de wijkprogrammering;"
    ) in meten
    assert sum(line.startswith("• ") for line in meten) == 9
    waarom = by_name["Vindplaatsen verborgen schulden"]["waarom"].split("\n")
    assert waarom[2].startswith("• Doorlopende ontplooiingskansen voor iedereen:")
    assert waarom[2].endswith("verbetering van hun financiéle positie en zelfredzaamheid.")


def test_a_list_item_title_keeps_its_description_as_its_own_paragraph(by_name):
    hoe = by_name["Vindplaatsen verborgen schulden"]["hoe"].split("\n")
    assert hoe[0] == "We onderscheiden drie actielijnen:"
    # The third item carries a stray leading space in the source (" - Pilot ...").
    assert hoe[1::2] == [
        "• Actie-onderzoek naar werkende minima in Zoetermeer",
        "• Pilot Geldclinic Werkgevers; ontwikkeling communicatie en voorlichting; kennisdeling",
        "• Pilot Schulden opkopen; aansluiten bij evidence based methoden",
    ]
    assert hoe[2].startswith("Wij willen beter in beeld krijgen")
    assert hoe[4].startswith("Het taboe doorbreken") and hoe[4].endswith("ervaringsdeskundigen.")
    assert hoe[6].startswith("Voortbouwen op financiéle ondersteuning")


def test_headings_with_a_stray_leading_space_are_found(by_name):
    basis = by_name["Basisbanen"]
    assert basis["waarom"].endswith("toename van zingeving en vitaliteit.")
    assert basis["hoe"].startswith("Met de basisbaan willen we werk creéren")
    assert by_name["Preventie in de praktijk"]["waarom"].startswith("We willen bereiken")


def test_ocr_slips_are_kept(by_name):
    assert "creéren van banen" in by_name["Basisbanen"]["wat"]
    assert "Ereenrapportage" in by_name["Resultaat gedreven inzet voor jeugd & gezinnen"]["meten"]


def test_every_word_of_the_projects_part_is_carried_over_in_order(projects, source_text):
    """Nothing lost, nothing added: the answers, headings and names are the whole part."""
    start = source_text.index("\nBasisbanen\n\nWat gaan we doen?")
    part = "\n".join(
        line for line in source_text[start:].splitlines() if not re.fullmatch(r"\s*\d+\s*", line)
    )
    rebuilt = []
    for project, suffix in zip(projects, [""] * 6 + ["."], strict=True):
        rebuilt.append(project["naam"] + suffix)
        for key, heading in zip(
            QUESTION_KEYS,
            (
                "Wat gaan we doen?",
                "Waarom gaan we dat doen?",
                "Hoe gaan we dat doen?",
                "Hoe gaan we dat meten?",
            ),
            strict=True,
        ):
            rebuilt += [heading, project[key]]
    assert _words("\n".join(rebuilt)) == _words(part)


def test_the_last_project_stops_before_the_next_chapter(source_module, source_text, projects):
    later = (
        "\n Bijlage 1 Begrotingswijziging Sociaal Innovatiefonds\n\n"
        "Deze tekst hoort bij geen enkel project.\n\n"
        "22\n\n Evaluatie en vervolg\n\nOok deze tekst niet.\n"
    )
    extended = source_module.parse_projects(source_text + later)
    assert extended == projects
    # A chapter heading with a leading space ends the part too, without a "Bijlage".
    extended = source_module.parse_projects(source_text + "\n Evaluatie en vervolg\n\nOok deze tekst niet.\n")
    assert extended == projects


def test_footnotes_and_running_page_numbers_are_dropped(source_module):
    text = (
        " Projecten en implementatie\n\nProef\n\nWat gaan we doen?\n\n"
        "We zetten in op de bestaanszekerheid¹ van inwoners en\n\n"
        "12\n\n"
        "https://www.zoetermeer2025.nl/\n"
        "hun gezinnen.\n\n"
        " Waarom gaan we dat doen?\nOmdat het kan.\n"
        "Hoe gaan we dat doen?\n- samen;\n -  met partners\nin de wijk.\n"
        "Hoe gaan we dat meten?  \nPagina 3 van 9\nMet cijfers.\n"
    )
    [project] = source_module.parse_projects(text)
    assert project == {
        "naam": "Proef",
        "wat": "We zetten in op de bestaanszekerheid van inwoners en hun gezinnen.",
        "waarom": "Omdat het kan.",
        "hoe": "• samen;\n• met partners in de wijk.",
        "meten": "Met cijfers.",
    }


def test_dates_and_statuses_cover_every_project(source_module):
    assert list(source_module.PROJECT_DATES) == NAMES
    assert list(source_module.PROJECT_STATUS) == NAMES
    for name, (start, end) in source_module.PROJECT_DATES.items():
        assert start.strip() and end.strip(), name
    assert set(source_module.PROJECT_STATUS.values()) <= STATUSES
    assert source_module.PROJECT_DATES[NAMES[4]][1] == "1-1-2025"
