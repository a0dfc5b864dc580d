"""The proof of #10: a third annex type from files only.

examples/projecten/sjablonen holds a declaration (projecten.toml) and a Word template
with a sample card (projecten.docx); no Python names this type. These tests load it
from those files and run every command on it: build, validate, import, diff and
new-edition.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document

from toolkit.cli import cli
from toolkit.core.errors import TemplateError
from toolkit.declarations.annextypes import BUILTIN
from toolkit.register.diff import compare
from toolkit.register.read import read_register
from toolkit.validation.validate import validate_file

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "examples" / "projecten"
REGISTER = FOLDER / "projecten_sociale_innovatie.xlsx"
TEMPLATES = FOLDER / "sjablonen"
QUESTIONS = (
    "Wat gaan we doen?",
    "Waarom gaan we dat doen?",
    "Hoe gaan we dat doen?",
    "Hoe gaan we dat meten?",
)
NAMES = [
    "Basisbanen",
    "Vindplaatsen verborgen schulden",
    "Onder de pannen",
    "Resultaat gedreven inzet voor jeugd & gezinnen",
    "Innovatief wijkgericht en integraal ondersteuningsaanbod gericht op preventie",
    "Positieve gezondheid en het huishouden",
    "Preventie in de praktijk",
]


@pytest.fixture
def work(tmp_path):
    """A copy of the example folder: the register and its templates folder beside it."""
    target = tmp_path / "projecten"
    shutil.copytree(FOLDER, target)
    return target


def _build(folder: Path, out: Path) -> Path:
    result = CliRunner().invoke(cli, ["build", str(folder / REGISTER.name), "--out", str(out)])
    assert result.exit_code == 0, result.output
    (built,) = out.glob("*.docx")
    return built


def test_the_type_comes_from_its_files_and_no_python_names_it():
    assert "projecten" not in [t.key for t in BUILTIN.types]
    types = BUILTIN.with_folder(TEMPLATES)
    annex = types.get("projecten")
    assert annex.source == TEMPLATES / "projecten.toml" and not annex.bundled
    assert annex.sheet.name == "Projecten"
    assert [c.label for c in annex.sheet.columns if c.kind.value == "rijke tekst"][:4] == list(QUESTIONS)
    assert annex.role_column("finished").key == "status"
    for source in (ROOT / "toolkit").rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert '"projecten"' not in text and "'Projecten'" not in text and '"Projecten"' not in text, source


def test_the_register_reads_its_own_type_from_the_setting():
    register = read_register(REGISTER)
    assert register.sheets == {"Projecten"}
    rows = register.tables["Projecten"]
    assert [r.text("naam") for r in rows] == NAMES
    assert rows[0].text("wat").startswith("Basisbanen zijn bedoeld voor mensen")
    assert register.setting_text("programma_naam") == "Sociale innovatie"
    assert register.lists["projectstatus"][:2] == ["In voorbereiding", "Nog niet gestart"]


def test_it_builds_one_card_per_project_from_the_sample(work, tmp_path):
    built = _build(work, tmp_path / "uit")
    assert built.name.startswith("Projectenrapportage Sociale innovatie - Rapportage sociaal")
    doc = Document(str(built))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[-7:] == NAMES
    tables = doc.tables
    assert len(tables) == 7
    first = {row.cells[0].text: row.cells[1].text for row in tables[0].rows}
    assert first["Status"] == "In uitvoering" and first["Start"] == "Q4-2022"
    assert first["Wat gaan we doen?"].startswith("Basisbanen zijn bedoeld voor mensen")
    assert all(q in first for q in QUESTIONS)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "{{" not in text and "Projectenrapportage Sociale innovatie" in text
    assert "peildatum 1 april 2023" in text and "Gemeente Zoetermeer" in text
    # the table of contents lists every project, in order
    toc = [p.text for p in doc.paragraphs if p.style.name.lower() == "toc 1"]
    assert toc == ["Inleiding", *NAMES]  # the template's own heading above the introduction


def test_validation_uses_the_declared_columns_lists_and_rules(work):
    path = work / REGISTER.name
    wb = openpyxl.load_workbook(path)
    ws = wb["Projecten"]
    header = [c.value for c in ws[1]]
    ws.cell(2, header.index("Wat gaan we doen?") + 1).value = None
    ws.cell(3, header.index("Status") + 1).value = "Bijna klaar"
    ws.cell(4, header.index("Start") + 1).value = "2026"
    ws.cell(4, header.index("Einde") + 1).value = "2024"
    wb.save(path)
    found = {(f.code, f.sheet, f.row) for f in validate_file(path).findings}
    assert ("verplicht-leeg", "Projecten", 2) in found
    assert ("niet-in-lijst", "Projecten", 3) in found
    assert ("start-na-eind", "Projecten", 4) in found  # switched on in the declaration
    assert not any(code == "uitkomst-verlopen" for code, _, _ in found)  # not switched on


def test_import_reads_the_built_annex_back_by_its_sample(work, tmp_path):
    built = _build(work, tmp_path / "uit")
    out = work / "terug.xlsx"
    result = CliRunner().invoke(
        cli, ["import", str(built), "--sjablonen", str(work / "sjablonen"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "7 projecten ingelezen" in result.output
    again = read_register(out)
    original = read_register(work / REGISTER.name)
    assert again.sheets == {"Projecten"}
    keys = ("naam", "status", "startdatum", "einddatum", "wat", "waarom", "hoe", "meten")
    assert [[r.text(k) for k in keys] for r in again.tables["Projecten"]] == [
        [r.text(k) for k in keys] for r in original.tables["Projecten"]
    ]
    # the imported register finds its own type again, through its setting
    assert validate_file(out).counts["fout"] == 0
    # and the diff between the original and the read-back annex finds nothing changed
    changes = compare(original, again)
    assert [c.kind for c in changes.changes] == ["ongewijzigd"] * 7


def test_diff_and_new_edition_work_on_the_own_type(work, tmp_path):
    path = work / REGISTER.name
    changed = work / "najaar.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["Projecten"]
    header = [c.value for c in ws[1]]
    ws.cell(
        2, header.index("Voortgang sinds de vorige rapportage") + 1
    ).value = "Twaalf deelnemers zijn begonnen."
    wb.save(changed)
    result = compare(read_register(path), read_register(changed))
    (change,) = [c for c in result.changes if c.kind == "gewijzigd"]
    assert change.sheet == "Projecten" and change.name == "Basisbanen"
    assert [f.label for f in change.fields] == ["Voortgang sinds de vorige rapportage"]
    cli_result = CliRunner().invoke(
        cli, ["diff", str(path), str(changed), "--report-dir", str(tmp_path / "verschil")]
    )
    assert cli_result.exit_code == 0, cli_result.output
    assert "Projecten: 0 nieuw, 0 vervallen, 1 gewijzigd, 6 ongewijzigd." in cli_result.output

    nieuw = work / "volgende.xlsx"
    cli_result = CliRunner().invoke(
        cli, ["new-edition", str(path), str(nieuw), "--editie", "Rapportage sociaal domein, najaar 2023"]
    )
    assert cli_result.exit_code == 0, cli_result.output
    assert "6 projecten" in cli_result.output
    next_one = read_register(nieuw)
    names = [r.text("naam") for r in next_one.tables["Projecten"]]
    assert "Onder de pannen" not in names and len(names) == 6  # its status means finished
    assert next_one.setting_text("sjablonen") == "sjablonen"


def test_an_unknown_field_in_the_sample_names_the_valid_ones(work, tmp_path):
    template = work / "sjablonen" / "projecten.docx"
    doc = Document(str(template))
    cell = doc.tables[0].rows[3].cells[1]
    cell.paragraphs[0].runs[0].text = "{{ wta }}"
    doc.save(str(template))
    result = CliRunner().invoke(cli, ["build", str(work / REGISTER.name), "--out", str(tmp_path / "uit")])
    assert result.exit_code == 2, result.output
    assert "wta" in result.output and "{{ wat }}" in result.output
    assert "Traceback" not in result.output


def test_a_wrong_declaration_is_refused_in_dutch(tmp_path):
    folder = tmp_path / "sjablonen"
    folder.mkdir()
    text = (TEMPLATES / "projecten.toml").read_text(encoding="utf-8")
    (folder / "projecten.toml").write_text(
        text.replace('soort = "datum"', 'soort = "dag"', 1), encoding="utf-8"
    )
    with pytest.raises(TemplateError, match="de soort 'dag' bestaat niet"):
        BUILTIN.with_folder(folder)
    (folder / "projecten.toml").write_text(
        text.replace('tweede = "einddatum"', 'tweede = "opnemen"'), encoding="utf-8"
    )
    with pytest.raises(TemplateError, match="start-na-eind.*'opnemen'"):
        BUILTIN.with_folder(folder)
    (folder / "projecten.toml").write_text(
        text.replace('naam = "Projecten"', 'naam = "Pilots"'), encoding="utf-8"
    )
    with pytest.raises(TemplateError, match="meegeleverde bijlagetype"):
        BUILTIN.with_folder(folder)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice ontbreekt")
def test_the_built_annex_opens_in_libreoffice(work, tmp_path):
    built = _build(work, tmp_path / "uit")
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(built)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert (tmp_path / "pdf" / built.with_suffix(".pdf").name).stat().st_size > 10_000


def test_toolkit_sjablonen_makes_a_starting_template_for_a_declaration(tmp_path):
    """A coordinator writes only the declaration; the toolkit makes a template with a
    sample card from it, which builds as it is."""
    folder = tmp_path / "projecten"
    shutil.copytree(FOLDER, folder)
    (folder / "sjablonen" / "projecten.docx").unlink()
    result = CliRunner().invoke(cli, ["sjablonen", str(folder / "sjablonen")])
    assert result.exit_code == 0, result.output
    assert "Beginsjabloon met voorbeeldkaart" in result.output
    made = Document(str(folder / "sjablonen" / "projecten.docx"))
    texts = [p.text for p in made.paragraphs]
    assert "{{ kaarten }}" in texts and "{{ einde }}" in texts and "{{ naam }}" in texts
    assert "{{ wat }}" in [c.text for row in made.tables[0].rows for c in row.cells]
    built = _build(folder, tmp_path / "uit")
    assert [p.text for p in Document(str(built)).paragraphs if p.style.name == "Heading 1"][-7:] == NAMES
    again = CliRunner().invoke(cli, ["sjablonen", str(folder / "sjablonen")])
    assert "niet overschreven" in again.output and "projecten.docx" in again.output


def test_a_missing_template_folder_is_named(work, tmp_path):
    """The register's own type lives in its template folder: when that folder is gone,
    the message says so instead of only 'no Pilots or Acties sheet'."""
    shutil.rmtree(work / "sjablonen")
    result = CliRunner().invoke(
        cli, ["validate", str(work / REGISTER.name), "--report-dir", str(tmp_path / "rapport")]
    )
    assert result.exit_code == 2
    assert "'Projecten'" in result.output and "bestaat niet" in result.output
    assert "Map met Word-sjablonen" in result.output
    result = CliRunner().invoke(
        cli,
        [
            "import",
            str(REGISTER),
            "--sjablonen",
            str(tmp_path / "nergens"),
            "--out",
            str(tmp_path / "x.xlsx"),
        ],
    )
    assert result.exit_code == 2 and "bestaat niet" in result.output


def test_init_starts_a_register_for_the_own_type(tmp_path):
    """A coordinator with only a declaration starts the register with toolkit init."""
    folder = tmp_path / "sjablonen"
    shutil.copytree(TEMPLATES, folder)
    path = tmp_path / "nieuw.xlsx"
    result = CliRunner().invoke(
        cli,
        ["init", str(path), "--gemeente", "Delft", "--sjablonen", str(folder), "--bijlagetype", "projecten"],
    )
    assert result.exit_code == 0, result.output
    register = read_register(path)
    assert register.sheets == {"Projecten"} and register.setting_text("sjablonen") == "sjablonen"
    wb = openpyxl.load_workbook(path)
    assert [c.value for c in wb["Projecten"][1]][:3] == ["ID", "Project", "Status"]
    assert "Projectstatussen" in [c.value for c in wb["Lijsten"][1]]
    assert "Naam programma" in [r[0].value for r in wb["Instellingen"].iter_rows()]
    assert "Nummer bijlage pilots" not in [r[0].value for r in wb["Instellingen"].iter_rows()]
    bad = CliRunner().invoke(cli, ["init", str(tmp_path / "x.xlsx"), "--bijlagetype", "moties"])
    assert bad.exit_code == 2 and "moties" in bad.output and "pilots" in bad.output


DECLARATION_MISTAKES = [
    ('tabel = "Projecten"', 'tabel = "Mijn projecten"', "geen naam van een Excel-tabel"),
    ('naam = "Projecten"', 'naam = "Projecten/2023"', "geen naam van een Excel-tabblad"),
    ('naam = "Projecten"', 'naam = "Lijsten"', "heeft het register al"),
    ('tabel = "Projecten"', 'tabel = "Pilots"', "dezelfde tabelnaam"),
    ('kop = "Einde"', 'kop = "Start"', "moet uniek zijn"),
    ('lijst = "projectstatus"', 'lijst = ["projectstatus"]', "de sleutel van één lijst"),
    ('aliassen = ["Naam project", "Naam"]', 'aliassen = "Naam"', "'aliassen' moet een lijst"),
    (
        'document = "Projectenrapportage {programma_naam}"',
        'document = "Rapport {bestaatniet}"',
        "{bestaatniet}",
    ),
    ('indeling = "kaarten"', 'indeling = "opgaven"', "de indeling 'opgaven' bestaat niet"),
    ('sleutel = "rapportage_inleiding"', 'sleutel = "editie"', "instelling van elk register"),
    ("[bijlagetype]", "[bijlagetype", "geen geldige TOML (regel"),
]


@pytest.mark.parametrize(("old", "new", "said"), DECLARATION_MISTAKES)
def test_a_mistake_in_the_declaration_is_named_in_dutch(work, tmp_path, old, new, said):
    declaration = work / "sjablonen" / "projecten.toml"
    text = declaration.read_text(encoding="utf-8")
    assert old in text
    declaration.write_text(text.replace(old, new, 1), encoding="utf-8")
    for args in (
        ["validate", str(work / REGISTER.name), "--report-dir", str(tmp_path / "r")],
        ["build", str(work / REGISTER.name), "--out", str(tmp_path / "uit")],
    ):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, result.output
        assert said in result.output and "projecten.toml" in result.output, result.output
        assert "kon niet volledig worden gelezen" not in result.output
        assert "Onverwachte fout" not in result.output and "Traceback" not in result.output


def test_two_own_types_may_not_declare_one_list_differently(work):
    folder = work / "sjablonen"
    text = (folder / "projecten.toml").read_text(encoding="utf-8")
    other = (
        text.replace('sleutel = "projecten"', 'sleutel = "taken"', 1)
        .replace('naam = "Projecten"', 'naam = "Taken"', 1)
        .replace('tabel = "Projecten"', 'tabel = "Taken"', 1)
        .replace('waarde = "In voorbereiding"', 'waarde = "Voorbereid"', 1)
    )
    (folder / "taken.toml").write_text(other, encoding="utf-8")
    with pytest.raises(TemplateError, match="de lijst 'projectstatus' anders"):
        BUILTIN.with_folder(folder)


def test_an_own_template_without_a_sample_card_is_refused(work, tmp_path):
    template = work / "sjablonen" / "projecten.docx"
    doc = Document()
    doc.add_paragraph("Rapport {{ gemeente }}")
    doc.save(str(template))
    result = CliRunner().invoke(cli, ["build", str(work / REGISTER.name), "--out", str(tmp_path / "uit")])
    assert result.exit_code == 2 and "geen voorbeeldkaart" in result.output
    assert not list((tmp_path / "uit").glob("*.docx"))


def test_a_plain_word_template_with_a_sample_card_builds(work, tmp_path):
    """A template made in Word defines List Bullet or Kaartlabel only once used: for an own
    type the missing styles are added instead of refusing the template."""
    template = work / "sjablonen" / "projecten.docx"
    doc = Document()
    for name in ("List Bullet", "List Continue"):
        style = doc.styles[name]
        style.element.getparent().remove(style.element)
    for text, style in (
        ("{{ kaarten }}", None),
        ("{{ naam }}", "Heading 1"),
        ("Wat: {{ wat }}", None),
        ("{{ einde }}", None),
    ):
        doc.add_paragraph(text, style=style)
    doc.save(str(template))
    built = _build(work, tmp_path / "uit")
    texts = [p.text for p in Document(str(built)).paragraphs]
    assert any(t.startswith("Wat: Basisbanen zijn bedoeld") for t in texts)


def test_an_internal_field_in_the_sample_is_named_as_internal(work, tmp_path):
    template = work / "sjablonen" / "projecten.docx"
    doc = Document(str(template))
    doc.tables[0].rows[0].cells[1].paragraphs[0].runs[0].text = "{{ projectleider }}"
    doc.save(str(template))
    result = CliRunner().invoke(cli, ["build", str(work / REGISTER.name), "--out", str(tmp_path / "uit")])
    assert result.exit_code == 2 and "intern" in result.output
    assert "{{ projectleider }}" in result.output
