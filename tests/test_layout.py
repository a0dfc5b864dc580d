"""The declared arrangement ([indeling]) on an annex type the toolkit has never seen.

examples/moties/sjablonen/toezeggingen.toml declares the Lijst van moties en
toezeggingen only in TOML: grouped per portefeuillehouder, sorted on 'Afdoen vóór',
with status overviews per group and in total, a cross-tab per wijk and thema, empty
fields left out and a note on the last appearance. These tests build it and read the
document as a council member would, then run import, diff and new-edition on it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document

from toolkit.cli import cli
from toolkit.core.errors import TemplateError
from toolkit.declarations.annextypes import BUILTIN, load
from toolkit.declarations.layout import Layout
from toolkit.layouts.arrange import sorted_records
from toolkit.register.read import read_register

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "examples" / "moties"
REGISTER = FOLDER / "moties_toezeggingen.xlsx"
GROUPS = [
    "Portefeuillehouder Burgemeester A. de Wit",
    "Portefeuillehouder Wethouder M. Yilmaz",
    "Portefeuillehouder Wethouder J. Bakker",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Document]:
    work = tmp_path_factory.mktemp("moties") / "moties"
    shutil.copytree(FOLDER, work)
    out = work / "uit"
    result = CliRunner().invoke(cli, ["build", str(work / REGISTER.name), "--out", str(out)])
    assert result.exit_code == 0, result.output
    (path,) = out.glob("*.docx")
    return path, Document(str(path))


def _headings(doc: Document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]


def test_groups_come_in_list_order_with_their_overview_and_cards(built) -> None:
    _, doc = built
    headings = _headings(doc)
    # the starting template heads the introduction 'Inleiding' (not read as contents)
    assert headings[0] == ("Heading 1", "Inleiding")
    headings = headings[1:]
    assert headings[:2] == [
        ("Heading 1", "Moties en toezeggingen per wijk en thema"),
        ("Heading 1", "Overzicht statussen"),
    ]
    assert [t for s, t in headings if s == "Heading 1"][2:] == GROUPS
    first = headings.index(("Heading 1", GROUPS[0]))
    assert headings[first + 1] == ("Heading 2", "Overzicht statussen")
    # within a group: sorted on 'Afdoen vóór' by earliest date, 'Nog niet bekend' last
    assert [t for _, t in headings[first + 2 : first + 5]] == [
        "Evaluatie cameratoezicht Centrum",
        "Handhaving parkeren Noord",
        "Jongerenplek in het Centrum",
    ]
    bakker = headings.index(("Heading 1", GROUPS[2]))
    assert [t for _, t in headings[bakker + 2 :]] == [
        "Verlichting fietspad Zuid",
        "Veilige schoolroutes Noord",
        "Speelplekken Zuid",
        "Wachtlijst jeugdzorg",
    ]  # Q4-2024, Q2-2025, Q4-2025, 'jaarlijks' (no date) last


def test_status_overviews_count_per_group_and_in_total(built) -> None:
    _, doc = built
    overviews = [t for t in doc.tables if t.rows[0].cells[0].text == "Status"]
    assert len(overviews) == 4  # the total and one per portefeuillehouder
    total = [[c.text.strip() for c in row.cells] for row in overviews[0].rows]
    assert total[0] == ["Status", "Aantal toezeggingen", "Aandeel"]
    assert total[1:] == [
        ["Nieuw", "3", "30%"],
        ["In behandeling", "4", "40%"],
        ["Vertraagd", "1", "10%"],
        ["Afgedaan", "2", "20%"],
        ["Totaal", "10", "100%"],
    ]
    de_wit = [[c.text.strip() for c in row.cells] for row in overviews[1].rows]
    assert de_wit[-1] == ["Totaal", "3", "100%"]
    # the declared colour beside the text, never colour alone; a bar with a text alternative
    xml = overviews[0]._tbl.xml
    assert 'w:fill="C6EFCE"' in xml and "Afgedaan: 2 van 10 toezeggingen, 20 procent" in xml


def test_cross_tab_has_a_row_per_wijk_and_a_column_per_thema(built) -> None:
    _, doc = built
    table = doc.tables[0]
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == ["Wijk", "Veiligheid", "Wonen", "Verkeer", "Jeugd", "Groen"]
    assert [row[0] for row in cells[1:]] == ["Centrum", "Noord", "Oost", "Zuid", "Hele gemeente"]
    centrum = dict(zip(cells[0], cells[1], strict=True))
    assert centrum["Veiligheid"] == "Afgedaan" and centrum["Jeugd"] == "Nieuw"
    assert centrum["Groen"] == "–"
    xml = table._tbl.xml
    assert "<w:tblCaption" in xml and "<w:tblDescription" in xml and "<w:tblHeader/>" in xml


def test_empty_fields_are_left_out_and_last_time_is_noted(built) -> None:
    _, doc = built
    cards = [t for t in doc.tables if t.rows[0].cells[0].text == "Nummer"]
    assert len(cards) == 10
    labels = {t.rows[0].cells[1].text: [r.cells[0].text for r in t.rows] for t in cards}
    assert "Afgedaan met" in labels["T2024-012"]  # filled
    assert "Afgedaan met" not in labels["M2024-031"] and "Stand van zaken" in labels["M2024-031"]
    assert "Stand van zaken" not in labels["T2025-003"]  # a new toezegging: nothing yet
    notes = [p.text for p in doc.paragraphs if p.text.startswith("Afgedaan: deze motie")]
    assert len(notes) == 2


def test_contents_list_groups_and_cards(built) -> None:
    path, _ = built
    import zipfile

    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    for text in (*GROUPS, "Evaluatie cameratoezicht Centrum", "Moties en toezeggingen per wijk"):
        assert xml.count(text) >= 2  # in the contents and in the body
    assert "_TocGroep1" in xml


def test_the_arranged_annex_imports_diffs_and_rolls_over(built, tmp_path) -> None:
    path, _ = built
    runner = CliRunner()
    back = tmp_path / "terug.xlsx"
    result = runner.invoke(
        cli, ["import", str(path), "--out", str(back), "--sjablonen", str(FOLDER / "sjablonen")]
    )
    assert result.exit_code == 0, result.output
    assert "10 toezeggingen ingelezen" in result.output
    result = runner.invoke(cli, ["diff", str(REGISTER), str(back), "--report-dir", str(tmp_path / "rapport")])
    assert result.exit_code == 0, result.output
    assert "0 nieuw, 0 vervallen, 0 gewijzigd, 10 ongewijzigd" in result.output
    work = tmp_path / "moties"
    shutil.copytree(FOLDER, work)
    result = runner.invoke(
        cli,
        [
            "new-edition",
            str(work / REGISTER.name),
            str(work / "volgende.xlsx"),
            "--editie",
            "Najaarsnota 2025",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = openpyxl.load_workbook(work / "volgende.xlsx")["Toezeggingen"]
    numbers = [r[0] for r in rows.iter_rows(min_row=2, values_only=True) if r[0]]
    assert len(numbers) == 8 and "T2024-012" not in numbers  # Afgedaan: shown its last time


def test_previous_edition_marks_new_records_and_lists_changes(tmp_path) -> None:
    work = tmp_path / "moties"
    shutil.copytree(FOLDER, work)
    older = work / "vorige.xlsx"
    book = openpyxl.load_workbook(work / REGISTER.name)
    sheet = book["Toezeggingen"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "T2025-003":
            for cell in row:
                cell.value = None
    book.save(older)
    result = CliRunner().invoke(
        cli, ["build", str(work / REGISTER.name), "--out", str(work / "uit"), "--previous", str(older)]
    )
    assert result.exit_code == 0, result.output
    (path,) = (work / "uit").glob("*.docx")
    texts = [p.text for p in Document(str(path)).paragraphs]
    assert "Wijzigingen sinds de vorige editie" in texts
    assert "Nieuw (1)" in texts
    at = texts.index("Wachtlijst jeugdzorg", texts.index("Nieuw (1)") + 2)
    assert texts[at + 1] == "Nieuw in deze editie."


def test_sorting_dates_by_earliest_and_lists_in_list_order() -> None:
    annex = BUILTIN.with_folder(FOLDER / "sjablonen").get("toezeggingen")
    register = read_register(REGISTER, templates=FOLDER / "sjablonen")
    records = register.tables["Toezeggingen"]
    by_date = sorted_records(records, Layout(sort=("afdoen_voor",)), annex.sheet, register.lists)
    firsts = [r.text("afdoen_voor") for r in by_date]
    assert firsts[0] == "Q4-2024"  # from 1 October, before the date 31-12-2024
    assert firsts[1].startswith("2024-12-31") or firsts[1] == "31 december 2024"
    assert firsts[-2:] == ["jaarlijks", "Nog niet bekend"]  # no date: last, in register order
    by_list = sorted_records(records, Layout(sort=("status",)), annex.sheet, register.lists)
    assert [r.text("status") for r in by_list][:3] == ["Nieuw"] * 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[indeling]\ngroeperen = ["wijk"]\n', "'groeperen' is geen sleutel van [indeling]"),
        ('[indeling]\nsorteren = ["afdoen_voorr"]\n', "Bedoelt u 'afdoen_voor'?"),
        ('[indeling.statusoverzicht]\nkolom = "titel"\n', "moet een kolom van soort 'keuze uit lijst' zijn"),
        (
            '[[indeling.groep]]\nkolom = "wijk"\nstatusoverzicht = true\n',
            "vraagt om een [indeling.statusoverzicht]",
        ),
        ('[[indeling.groep]]\nkolom = "wijk"\nnummer_vanaf = "geen_instelling"\n', "nummer_vanaf"),
    ],
)
def test_a_wrong_arrangement_is_named_in_dutch(tmp_path, text, message) -> None:
    source = (FOLDER / "sjablonen" / "toezeggingen.toml").read_text(encoding="utf-8")
    head = source[: source.index("[indeling]")]
    path = tmp_path / "toezeggingen.toml"
    path.write_text(head + text, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        load(path, bundled=False)
    assert message in str(caught.value) and "toezeggingen.toml" in str(caught.value)


def test_a_status_in_a_card_is_bold_on_its_declared_colour(built) -> None:
    _, doc = built
    card = next(t for t in doc.tables if t.rows[0].cells[1].text == "M2023-052")
    status = next(r.cells[1] for r in card.rows if r.cells[0].text == "Status")
    assert status.text == "Vertraagd"
    xml = status._tc.xml
    assert 'w:fill="FCE4D6"' in xml and "<w:b/>" in xml  # text and colour, never colour alone
    wijk = next(r.cells[1] for r in card.rows if r.cells[0].text == "Wijk")
    assert "w:shd" not in wijk._tc.xml  # a list without colours stays plain


def test_long_rows_in_groups_have_their_own_bookmarks_and_build_the_same_twice(tmp_path) -> None:
    """A card row longer than a part of the page is cut, each piece with a bookmark; in
    an annex with groups those ids came from the same range as the groups' (5000001 …),
    and from a counter that went on from the previous build in the process (a web worker
    builds many): the same register then gave other bytes."""
    import re
    import zipfile
    from collections import Counter

    work = tmp_path / "moties"
    shutil.copytree(FOLDER, work)
    book = openpyxl.load_workbook(work / REGISTER.name)
    sheet = book["Toezeggingen"]
    head = [c.value for c in sheet[1]]
    column = head.index("Stand van zaken") + 1
    for row in range(2, 8):  # long rows in several groups: a cut mark each
        sheet.cell(row=row, column=column).value = " ".join(["Een lange stand van zaken."] * 400)
    book.save(work / "lang.xlsx")

    def document(out: str) -> str:
        result = CliRunner().invoke(cli, ["build", str(work / "lang.xlsx"), "--out", str(work / out)])
        assert result.exit_code == 0, result.output
        (path,) = (work / out).glob("*.docx")
        return zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")

    first = document("een")
    ids = Counter(re.findall(r'<w:bookmarkStart w:id="(\d+)"', first))
    assert first.count("_Vervolg") >= 3 and "_TocGroep" in first
    assert [i for i, n in ids.items() if n > 1] == []
    assert document("twee") == first
