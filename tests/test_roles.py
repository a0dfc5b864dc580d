"""Roles of list values (issue #10 item 3) and the optional card heading (item 6).

A coordinator may give a list value its own wording on the Lijsten sheet; the column
beside the list says which standard wording it stands for. These tests rename values the
way an officer would in Excel and check that nothing silently changes meaning.
"""

from __future__ import annotations

import shutil

import bundled
import openpyxl
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, MUNICIPALITY
from docx import Document
from docx.oxml.ns import qn
from openpyxl.utils import get_column_letter

from toolkit.build.documents import build_documents
from toolkit.cli import cli
from toolkit.declarations import schema
from toolkit.declarations.annextypes import BUILTIN as _TYPES
from toolkit.register.diff import compare
from toolkit.register.read import read_register
from toolkit.register.write import write_register
from toolkit.validation.validate import validate_file

LAST_TIME_NOTE = _TYPES.get("pilots").arrangement.last_note


def published_pilots(register):
    return register.published(_TYPES.get("pilots"))


def _lists_column(ws, label: str) -> int:
    """The 1-based column of a list (or 'betekenis') header on the Lijsten sheet."""
    for cell in ws[1]:
        if cell.value == label:
            return cell.column
    raise AssertionError(label)


def _rename(src, dst, vocabulary: str, old: str, new: str, with_meaning: bool = True):
    """Rename a list value on Lijsten and everywhere the register uses it, as in Excel.

    with_meaning=False empties the 'betekenis' cell: the officer forgot to say what it is.
    """
    shutil.copy(src, dst)
    wb = openpyxl.load_workbook(dst)
    voc = schema.vocabulary(vocabulary)
    ws = wb[schema.LISTS_SHEET]
    col = _lists_column(ws, voc.label)
    meaning_col = _lists_column(ws, voc.role_label)
    assert meaning_col == col + 1  # beside the list, where the officer sees it
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, col).value == old:
            ws.cell(row, col).value = new
            ws.cell(row, meaning_col).value = old if with_meaning else None
    for sheet in (bundled.PILOTS, bundled.ACTIONS):
        for column in sheet.columns:
            if column.vocabulary != vocabulary:
                continue
            ws = wb[sheet.name]
            index = next(c.column for c in ws[1] if c.value == column.label)
            for row in range(2, ws.max_row + 1):
                if ws.cell(row, index).value == old:
                    ws.cell(row, index).value = new
    wb.save(dst)
    return dst


def _codes(path):
    return [
        (f.code, f.sheet, f.value) for f in validate_file(path).findings if f.code.startswith("betekenis")
    ]


def test_the_template_has_a_meaning_column_beside_each_list_with_roles(tmp_path):
    path = write_register(tmp_path / "leeg.xlsx")
    ws = openpyxl.load_workbook(path)[schema.LISTS_SHEET]
    headers = [c.value for c in ws[1]]
    for voc in schema.VOCABULARIES:
        if voc.roles:
            assert headers[headers.index(voc.label) + 1] == voc.role_label
            col = headers.index(voc.label) + 1
            pairs = [
                (ws.cell(r, col).value, ws.cell(r, col + 1).value) for r in range(2, 2 + len(voc.values))
            ]
            assert pairs == [(r.label, r.label) for r in voc.roles]
        else:
            assert f"{voc.label}: betekenis" not in headers
    # the meaning column offers the standard wordings as a drop-down
    sources = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}

    def meaning_cell(key: str) -> str:
        return get_column_letter(headers.index(schema.vocabulary(key).role_label) + 1) + "2"

    assert sources[meaning_cell("status")] == '"' + ",".join(schema.vocabulary("status").values) + '"'
    assert sources[meaning_cell("opnemen")] == '"Ja,Laatste keer,Nee"'


def test_an_unknown_meaning_is_kept_and_still_named(tmp_path):
    path = write_register(
        tmp_path / "r.xlsx",
        lists={"status": ["Klaar", "Bezig"]},
        meanings={"status": {"Klaar": "Afgerond", "Bezig": "Druk"}},
    )
    register = read_register(path)
    assert register.meanings["status"] == {"Klaar": "Afgerond", "Bezig": "Druk"}
    assert _codes(path) == [("betekenis-onbekend", "Lijsten", "Bezig")]


def test_renamed_last_time_still_publishes_with_the_note(tmp_path):
    renamed = _rename(EXAMPLE, tmp_path / "hernoemd.xlsx", "opnemen", "Laatste keer", "Laatste editie")
    register = read_register(renamed)
    last = [p for p in register.records("Pilots") if p["opnemen"] == "Laatste editie"]
    assert len(last) == 2
    assert all(p in published_pilots(register) for p in last)
    assert _codes(renamed) == []
    result = build_documents(register, tmp_path / "uit")
    assert not result.validation.errors
    doc = Document(next(p for p in result.documents if "pilots" in p.name))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    notes = [p.text for p in doc.paragraphs if p.style.name == "Kaartnotitie"]
    for pilot in last:
        assert pilot["naam"] in headings
    assert notes == [LAST_TIME_NOTE] * 2


def test_renamed_value_without_meaning_is_a_finding_not_a_silent_drop(tmp_path):
    renamed = _rename(
        EXAMPLE, tmp_path / "vergeten.xlsx", "opnemen", "Laatste keer", "Laatste editie", with_meaning=False
    )
    assert _codes(renamed) == [
        ("betekenis-ontbreekt", "Lijsten", "Laatste keer"),
        ("betekenis-onbekend", "Lijsten", "Laatste editie"),
    ]
    finding = next(f for f in validate_file(renamed).findings if f.code == "betekenis-onbekend")
    assert finding.cell == "C3" and "Opnemen in bijlage: betekenis" in finding.hint
    assert validate_file(renamed).exit_code == 1


def test_an_unknown_meaning_is_a_finding(tmp_path):
    path = write_register(
        tmp_path / "r.xlsx",
        lists={"status": ["Klaar", "Bezig"]},
        meanings={"status": {"Klaar": "Afgerond", "Bezig": "Bezig"}},
    )
    assert _codes(path) == [("betekenis-onbekend", "Lijsten", "Bezig")]


def test_renamed_finished_status_keeps_its_colour_and_leaves_the_next_edition(tmp_path):
    renamed = _rename(EXAMPLE, tmp_path / "klaar.xlsx", "status", "Afgerond", "Klaar")
    register = read_register(renamed)
    done = [a for a in register.records("Acties") if a["status"] == "Klaar"]
    assert done and not any(a["status"] == "Afgerond" for a in register.records("Acties"))
    assert _codes(renamed) == []
    assert register.roles.finished("Klaar", "status")
    assert register.roles.colour("Klaar", "status") == bundled.STATUS_COLOURS["Afgerond"]

    result = build_documents(register, tmp_path / "uit")
    doc = Document(next(p for p in result.documents if "Sterk" in p.name))
    fills = {}
    for table in doc.tables:
        for row in table.rows[1:]:
            paragraph = row.cells[-1].paragraphs[0]
            shd = paragraph._p.pPr.find(qn("w:shd")) if paragraph._p.pPr is not None else None
            if shd is not None:
                fills.setdefault(paragraph.text, shd.get(qn("w:fill")))
    assert fills["Klaar"] == bundled.STATUS_COLOURS["Afgerond"]
    overview_fill = doc.tables[0].rows[1].cells[0]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill"))
    assert doc.tables[0].rows[1].cells[0].text == "Klaar"
    assert overview_fill == bundled.STATUS_COLOURS["Afgerond"]

    target = tmp_path / "volgende.xlsx"
    out = CliRunner().invoke(cli, ["new-edition", str(renamed), str(target), "--editie", "x"])
    assert out.exit_code == 0, out.output
    new = read_register(target)
    assert len(new.records("Acties")) == len(register.records("Acties")) - len(done) - sum(
        1 for a in register.records("Acties") if a["status"] == "Gestopt"
    )
    assert not any(a["status"] == "Klaar" for a in new.records("Acties"))
    # the next register keeps the coordinator's wording and its meaning
    assert "Klaar" in new.lists["status"] and new.meanings["status"]["Klaar"] == "Afgerond"
    assert _codes(target) == []


def test_renamed_last_time_is_known_to_diff(tmp_path):
    renamed = _rename(EXAMPLE, tmp_path / "oud.xlsx", "opnemen", "Laatste keer", "Laatste editie")
    target = tmp_path / "nieuw.xlsx"
    out = CliRunner().invoke(cli, ["new-edition", str(renamed), str(target), "--editie", "x"])
    assert out.exit_code == 0, out.output
    diff = compare(read_register(renamed), read_register(target))
    dropped = diff.of("vervallen", bundled.PILOTS.name)
    assert len(dropped) == 2 and not any(c.warning for c in dropped)


# -- the optional card heading ------------------------------------------------------------

GOOD = {
    "id": "P-1",
    "naam": "Schoolontbijt",
    "omschrijving": "Tekst",
    "programma": "5. Veiligheid",
    "portefeuille": "Wonen",
    "doel": "Doel",
    "startdatum": "januari 2023",
    "einddatum": "december 2024",
    "evaluatiemoment": "juni 2024",
    "succesvol": "Ja",
    "beleid": "Nee",
    "financieel": "Nee",
    "gerapporteerd": "Memo",
    "opnemen": "Ja",
}


@pytest.fixture
def headed(tmp_path):
    path = write_register(
        tmp_path / "kop.xlsx",
        {
            "Pilots": [
                {**GOOD, "kop": "Pilot schoolontbijt"},
                {**GOOD, "id": "P-2", "naam": "Buurtkamer"},
            ]
        },
        settings={**MUNICIPALITY, "inleiding": "Over deze bijlage.", "peildatum": "1-4-2024"},
    )
    result = build_documents(read_register(path), tmp_path / "uit")
    assert not result.validation.errors
    return path, result


def test_card_heading_and_contents_use_kop_in_bijlage(headed):
    _, result = headed
    pilot_doc = next(p for p in result.documents if "pilots" in p.name)
    doc = Document(pilot_doc)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Inleiding", "Pilot schoolontbijt", "Buurtkamer"]
    first_card = [c.text for c in doc.tables[0].rows[0].cells]
    assert first_card[-1] == "Schoolontbijt"  # the name stays in the card
    contents = {
        link.get(qn("w:anchor")): "".join(t.text for t in link.iter(qn("w:t")))
        for link in doc.element.body.iter(qn("w:hyperlink"))
    }
    assert contents["_TocKaart1"] == "Pilot schoolontbijt"
    assert contents["_TocKaart2"] == "Buurtkamer"


def test_import_fills_kop_only_when_it_differs(headed, tmp_path):
    _, result = headed
    pilot_doc = next(p for p in result.documents if "pilots" in p.name)
    out = tmp_path / "terug.xlsx"
    run = CliRunner().invoke(cli, ["import", str(pilot_doc), "--out", str(out)])
    assert run.exit_code == 0, run.output
    pilots = read_register(out).records("Pilots")
    assert [(p.text("naam"), p.text("kop")) for p in pilots] == [
        ("Schoolontbijt", "Pilot schoolontbijt"),
        ("Buurtkamer", ""),
    ]


def test_diff_reports_a_changed_heading_as_a_normal_column(headed, tmp_path):
    path, _ = headed
    changed = tmp_path / "anders.xlsx"
    shutil.copy(path, changed)
    wb = openpyxl.load_workbook(changed)
    ws = wb[bundled.PILOTS.name]
    col = next(c.column for c in ws[1] if c.value == bundled.PILOTS.column("kop").label)
    ws.cell(3, col).value = "Pilot buurtkamer"
    wb.save(changed)
    diff = compare(read_register(path), read_register(changed))
    assert [(c.name, [f.key for f in c.fields]) for c in diff.of("gewijzigd")] == [("Buurtkamer", ["kop"])]


def test_a_register_without_the_heading_column_still_reads(tmp_path):
    path = write_register(tmp_path / "oud.xlsx", {"Pilots": [GOOD]}, settings=MUNICIPALITY)
    wb = openpyxl.load_workbook(path)
    ws = wb[bundled.PILOTS.name]
    col = next(c.column for c in ws[1] if c.value == bundled.PILOTS.column("kop").label)
    ws.delete_cols(col)
    wb.save(path)
    register = read_register(path)
    assert register.records("Pilots")[0].text("kop") == ""
    assert not [f for f in validate_file(path).findings if f.severity == "fout"]


def test_list_findings_go_to_the_coordinator(tmp_path):
    from toolkit.report.owners import COORDINATOR, owner_of

    renamed = _rename(EXAMPLE, tmp_path / "vergeten.xlsx", "status", "Afgerond", "Klaar", with_meaning=False)
    result = validate_file(renamed)
    found = [f for f in result.findings if f.sheet == schema.LISTS_SHEET]
    assert found and all(owner_of(result, f) == COORDINATOR for f in found)
