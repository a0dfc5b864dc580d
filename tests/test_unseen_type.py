"""A type the toolkit has never seen, as a coordinator starts it: a declaration only
(tests/data/wijkbudgetten/wijkbudgetten.toml: neighbourhood budgets, grouped per wijk
with a status overview per group, a cross-tab, a date rule, list values without an
explanation and a setting {jaar} in the title), then `toolkit sjablonen`, `init`, the
officers' rows, validate, build, import and diff.
"""

from __future__ import annotations

import datetime
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document

from toolkit.cli import cli

DECLARATION = Path(__file__).parent / "data" / "wijkbudgetten" / "wijkbudgetten.toml"
ROWS = [
    (
        "WB-01",
        "Moestuin De Bron",
        "Noord",
        "Groen",
        "Bezig",
        datetime.date(2026, 2, 1),
        None,
        "Een moestuin.",
    ),
    (
        "WB-02",
        "Speeltuin Zuidpark",
        "Zuid",
        "Spelen",
        "Afgerond",
        datetime.date(2025, 11, 3),
        datetime.date(2026, 5, 1),
        None,
    ),
    (
        "WB-03",
        "Buurtkamer Centrum",
        "Centrum",
        "Ontmoeten",
        "Aangevraagd",
        datetime.date(2026, 4, 12),
        None,
        None,
    ),
]


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output and "Onverwachte fout" not in result.output, result.output
    return result.output


@pytest.fixture(scope="module")
def started(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    work = tmp_path_factory.mktemp("wijkbudgetten")
    (work / "sjablonen").mkdir()
    shutil.copy(DECLARATION, work / "sjablonen")
    _run("sjablonen", str(work / "sjablonen"))
    _run(
        "init",
        str(work / "register.xlsx"),
        "--gemeente",
        "Delft",
        "--sjablonen",
        str(work / "sjablonen"),
        "--bijlagetype",
        "wijkbudgetten",
    )
    book = openpyxl.load_workbook(work / "register.xlsx")
    sheet = book["Initiatieven"]
    for r, row in enumerate(ROWS, start=2):
        for c, value in enumerate(row, start=1):
            sheet.cell(row=r, column=c, value=value)
    for row in book["Instellingen"].iter_rows(min_row=2):
        if row[0].value == "Editie":
            row[1].value = "Voorjaarsnota 2026"
        elif row[0].value == "Peildatum":
            row[1].value = "1-6-2026"
    book.save(work / "register.xlsx")
    return work


def test_init_explains_list_values_that_have_no_explanation(started) -> None:
    """A [[lijst.betekenis]] without uitleg made init stop with IndexError."""
    book = openpyxl.load_workbook(started / "register.xlsx")
    texts = [str(c.value) for row in book["Instructies"].iter_rows() for c in row if c.value]
    line = next(t for t in texts if "De standaardwaarden" in t and "Aangevraagd" in t)
    assert "Aangevraagd; Bezig; Afgerond." in line and "()" not in line


def test_a_year_in_the_title_is_no_annex_number(started) -> None:
    """A setting with a number as default in the title is taken for the annex number
    (Bijlage 7) only when an annex can have it: {jaar} = 2026 is not checked as 1-999."""
    output = _run("validate", str(started / "register.xlsx"), "--report-dir", str(started / "rapport"))
    assert "0 fouten, 0 waarschuwingen" in output, output


def test_the_starter_card_stays_on_one_page(started) -> None:
    """Every row of the starter template's card but the last is kept with the next, as in
    the bundled pilot card: a short card is not split with one row alone on a page."""
    xml = zipfile.ZipFile(started / "sjablonen" / "wijkbudgetten.docx").read("word/document.xml").decode()
    card = xml[xml.index("{{ kaarten }}") : xml.index("{{ einde }}")]
    rows = re.findall(r"<w:tr[ >].*?</w:tr>", card, re.S)
    kept = [("<w:keepNext/>" in row) for row in rows]
    assert len(rows) >= 5 and kept == [True] * (len(rows) - 1) + [False]


def test_the_unseen_type_builds_imports_and_diffs(started) -> None:
    _run("build", str(started / "register.xlsx"), "--out", str(started / "uit"))
    (path,) = (started / "uit").glob("*.docx")
    doc = Document(str(path))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["Initiatieven per wijk en thema", "Stand per fase", "Wijk Noord"]
    assert doc.paragraphs[0].text == "Overzicht wijkbudgetten 2026"
    back = started / "terug.xlsx"
    output = _run("import", str(path), "--out", str(back), "--sjablonen", str(started / "sjablonen"))
    assert "3 initiatieven ingelezen" in output
    output = _run("diff", str(started / "register.xlsx"), str(back), "--report-dir", str(started / "r"))
    assert "0 nieuw, 0 vervallen, 0 gewijzigd, 3 ongewijzigd" in output


def test_its_tags_are_listed_in_the_terminal_and_on_the_server(started) -> None:
    """`toolkit tags --sjablonen MAP` and the web application's reference page (for a
    server with that folder) name the own type's template and its setting tags."""
    from lxml import html as lxml_html
    from starlette.testclient import TestClient

    from toolkit.web.app import create_app
    from toolkit.web.settings import Settings

    output = _run("tags", "--sjablonen", str(started / "sjablonen"))
    assert "**wijkbudgetten.docx** (overzicht wijkbudgetten, eigen bijlagetype):" in output
    assert "| `{{ jaar }}` | tekst | Jaar (Instellingen). |" in output
    assert "wijkbudgetten" not in _run("tags")  # the docs: the bundled types only
    with TestClient(create_app(Settings(warm=False, templates=started / "sjablonen"))) as client:
        page = lxml_html.fromstring(client.get("/sjablonen/tags").text)
    cells = [td.text_content() for td in page.xpath("//div[@class='naslag']//td[1]")]
    assert "{{ jaar }}" in cells
    assert "wijkbudgetten.docx" in page.text_content()
