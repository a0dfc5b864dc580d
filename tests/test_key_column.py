"""The declared key and name columns are used everywhere, whatever they are called.

An own annex type whose key column is 'nummer' and whose name column is 'titel' (the
projecten example with those two keys renamed): diff pairs its rows on the key, and
every report names a row by key and name ('SI-01 Basisbanen').
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from toolkit.cli import cli
from toolkit.register.diff import compare
from toolkit.register.read import read_register
from toolkit.report.owners import owner_groups
from toolkit.validation.validate import validate_file

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "projecten"
REGISTER = "projecten_sociale_innovatie.xlsx"


def _renamed_type(folder: Path) -> None:
    """Rename the key column 'id' to 'nummer' and the name column 'naam' to 'titel' in the
    declaration and the Word template; the register keeps its headers (ID, Project)."""
    toml = folder / "sjablonen" / "projecten.toml"
    text = toml.read_text(encoding="utf-8")
    for old, new in (
        ('sleutelkolom = "id"', 'sleutelkolom = "nummer"'),
        ('naamkolom = "naam"', 'naamkolom = "titel"'),
        ('sleutel = "id"', 'sleutel = "nummer"'),
        ('sleutel = "naam"', 'sleutel = "titel"'),
        ('kolommen = ["naam"]', 'kolommen = ["titel"]'),
    ):  # its naam-dubbel rule
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    toml.write_text(text, encoding="utf-8")
    template = folder / "sjablonen" / "projecten.docx"
    renamed = template.with_suffix(".tmp")
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(renamed, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                assert data.count(b"{{ naam }}") == 1
                data = data.replace(b"{{ naam }}", b"{{ titel }}")
            target.writestr(item, data)
    renamed.replace(template)


@pytest.fixture
def work(tmp_path: Path) -> Path:
    folder = tmp_path / "projecten"
    shutil.copytree(EXAMPLE, folder)
    _renamed_type(folder)
    return folder


def _edit(path: Path, target: Path, cells: dict[tuple[int, str], object]) -> Path:
    wb = openpyxl.load_workbook(path)
    ws = wb["Projecten"]
    header = [c.value for c in ws[1]]
    for (row, label), value in cells.items():
        ws.cell(row, header.index(label) + 1).value = value
    wb.save(target)
    return target


def test_the_renamed_type_reads_by_its_own_keys(work: Path) -> None:
    register = read_register(work / REGISTER)
    (sheet,) = register.table_sheets
    assert (sheet.key_column, sheet.name_column) == ("nummer", "titel")
    first = register.tables["Projecten"][0]
    assert (first.text("nummer"), first.text("titel")) == ("SI-01", "Basisbanen")


def test_diff_pairs_rows_on_the_declared_key(work: Path, tmp_path: Path) -> None:
    """A project renamed beyond recognition stays the same project: its key did not change."""
    old = work / REGISTER
    new = _edit(
        old, work / "najaar.xlsx", {(2, "Project"): "Werkplekken met begeleiding", (3, "ID"): "SI-99"}
    )
    result = compare(read_register(old), read_register(new))
    changed = [c for c in result.changes if c.kind == "gewijzigd"]
    assert [(c.ident, c.name, c.matched_by) for c in changed] == [
        ("SI-01", "Werkplekken met begeleiding", "id")
    ]
    assert [f.key for f in changed[0].fields] == ["titel"]  # the key is no field of its own
    assert changed[0].matched_label == "op ID"
    # SI-02 got another key but kept its name: paired by name, the key is no change
    (renumbered,) = [c for c in result.changes if c.new and c.new.text("nummer") == "SI-99"]
    assert renumbered.kind == "ongewijzigd" and renumbered.matched_by == "naam"
    assert not result.of("nieuw") and not result.of("vervallen")

    out = CliRunner().invoke(cli, ["diff", str(old), str(new), "--report-dir", str(tmp_path / "verschil")])
    assert out.exit_code == 0, out.output
    assert "Projecten: 0 nieuw, 0 vervallen, 1 gewijzigd, 6 ongewijzigd." in out.output
    (report,) = (tmp_path / "verschil").glob("*.json")
    data = json.loads(report.read_text(encoding="utf-8"))
    assert [(c["id"], c["naam"], c["gekoppeld"]) for c in data["wijzigingen"]] == [
        ("SI-01", "Werkplekken met begeleiding", "op ID")
    ]
    (html,) = (tmp_path / "verschil").glob("*.html")
    page = lxml_html.fromstring(html.read_text(encoding="utf-8"))
    (change,) = page.xpath('//div[contains(@class, "wijziging")]')
    assert "Gewijzigd: SI-01 Werkplekken met begeleiding (gekoppeld op ID)" in " ".join(
        change.text_content().split()
    )
    (excel,) = (tmp_path / "verschil").glob("*.xlsx")
    ws = openpyxl.load_workbook(excel)["Projecten"]
    rows = [[c.value for c in row] for row in ws.iter_rows(max_col=4)]
    assert rows[0] == ["Soort", "ID", "Project", "Gekoppeld"]  # the register's own heads
    assert rows[1] == ["gewijzigd", "SI-01", "Werkplekken met begeleiding", "op ID"]


def test_reports_name_a_row_by_key_and_name(work: Path, tmp_path: Path) -> None:
    path = _edit(
        work / REGISTER,
        work / REGISTER,
        {(2, "Wat gaan we doen?"): None, (2, "Projectleider (intern)"): "Anna"},
    )
    result = validate_file(path)
    (empty,) = [f for f in result.findings if f.code == "verplicht-leeg"]
    assert empty.record == "SI-01 Basisbanen"
    anna = next(o for o in owner_groups(result) if o.name == "Anna")
    assert [g.record for g in anna.groups] == ["SI-01 Basisbanen"]

    out = CliRunner().invoke(
        cli, ["validate", str(path), "--report-dir", str(tmp_path / "rapport"), "--per-eigenaar"]
    )
    assert out.exit_code == 1, out.output
    assert "Projecten!" in out.output and "(SI-01 Basisbanen)" in out.output
    data = json.loads(
        (tmp_path / "rapport" / "projecten_sociale_innovatie_validatie.json").read_text(encoding="utf-8")
    )
    assert {"SI-01 Basisbanen"} == {
        f["onderwerp"] for f in data["bevindingen"] if f["code"] == "verplicht-leeg"
    }
    page = lxml_html.fromstring(
        (tmp_path / "rapport" / "projecten_sociale_innovatie_validatie.html").read_text(encoding="utf-8")
    )
    assert any(
        " ".join(h.text_content().split()).startswith("Projecten: SI-01 Basisbanen") for h in page.iter("h3")
    )
    owner_page = (tmp_path / "rapport" / "per-eigenaar" / "anna.html").read_text(encoding="utf-8")
    assert "SI-01 Basisbanen" in owner_page
    ws = openpyxl.load_workbook(tmp_path / "rapport" / "projecten_sociale_innovatie_validatie.xlsx")
    rows = [[c.value for c in row] for row in ws["Bevindingen"].iter_rows()]
    assert any("SI-01 Basisbanen" in row for row in rows)


def test_new_edition_and_import_name_rows_by_key_and_name(work: Path, tmp_path: Path) -> None:
    old = work / REGISTER
    out = CliRunner().invoke(
        cli, ["new-edition", str(old), str(work / "volgende.xlsx"), "--editie", "Najaar 2023"]
    )
    assert out.exit_code == 0, out.output
    assert "SI-03 Onder de pannen" in out.output  # finished: it leaves, named by key and name
    built = CliRunner().invoke(cli, ["build", str(old), "--out", str(tmp_path / "uit")])
    assert built.exit_code == 0, built.output
    (annex,) = (tmp_path / "uit").glob("*.docx")
    back = CliRunner().invoke(
        cli,
        ["import", str(annex), "--sjablonen", str(work / "sjablonen"), "--out", str(tmp_path / "terug.xlsx")],
    )
    assert back.exit_code == 0, back.output
    rows = read_register(tmp_path / "terug.xlsx").tables["Projecten"]
    assert [r.text("titel") for r in rows][:2] == ["Basisbanen", "Vindplaatsen verborgen schulden"]
    assert all(r.text("nummer") for r in rows)
