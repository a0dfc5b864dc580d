"""`toolkit import`: last edition's Word annexes back into a register."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import DATA, EXAMPLE

from toolkit import schema
from toolkit.annex_import import import_annexes
from toolkit.build import build_documents
from toolkit.cli import cli
from toolkit.register import read_register
from toolkit.richtext import parse_rich
from toolkit.validate import validate_register

PILOT_FIELDS = [c.key for c in schema.PILOTS.columns if c.published and c.key != "id"]
ACTION_FIELDS = ["opgave", "doel", "activiteit", "resultaat", "status", "toelichting_status"]


def published(record, keys):
    return {k: parse_rich(record.text(k)).plain for k in keys}


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rond")
    built = build_documents(read_register(EXAMPLE), folder / "uit")
    result = CliRunner().invoke(cli, ["import", *map(str, built.documents),
                                      "--out", str(folder / "terug.xlsx")])
    assert result.exit_code == 0, result.output
    return read_register(folder / "terug.xlsx"), folder


def test_build_then_import_gives_back_the_published_content(round_trip):
    back, _ = round_trip
    original = read_register(EXAMPLE)
    assert [published(p, PILOT_FIELDS) for p in back.pilots] == [
        published(p, PILOT_FIELDS) for p in original.pilots if p["opnemen"] != "Nee"]
    assert [published(a, ACTION_FIELDS) for a in back.actions] == [
        published(a, ACTION_FIELDS) for a in original.actions]
    assert back.settings["gemeente"] == "Zoetermeer"
    assert back.settings["editie"] == "Perspectiefnota 2025"
    assert str(back.settings["bijlage_pilots_nummer"]) == "5"
    assert back.settings["peildatum"].date().isoformat() == "2024-04-01"


def test_imported_register_validates_and_report_lists_everything(round_trip):
    back, folder = round_trip
    assert validate_register(back).exit_code == 0
    report = (folder / "terug_importverslag.txt").read_text(encoding="utf-8")
    assert "Pilots gevonden (12)" in report and "Acties gevonden (60)" in report
    assert "Statusoverzicht van 'Jeugd en onderwijs'" in report


def test_hand_made_annexes():
    imported = import_annexes([DATA / "handgemaakte_pilotbijlage.docx",
                               DATA / "handgemaakte_acties.docx"])
    first, second = imported.pilots
    assert first["naam"] == "Schoolontbijt"
    assert first["portefeuille"] == "Armoedebeleid"  # label spelt "Portefeulle"
    assert first["succesvol"] == "Ja, een succes op beide scholen."  # question over two lines
    assert first["omschrijving"] == "Gratis ontbijt op twee scholen.\n• Regenboog\n• Touwladder"
    assert first["doel"].startswith("Kinderen hebben een ontbijt")
    assert first["opnemen"] == "Ja"
    assert second["naam"] == "Stille studieruimtes"  # merged value cell
    assert second["omschrijving"] == "Studeren in rust bij Gymworld."
    assert second["opnemen"] == "Laatste keer"
    assert imported.settings["gemeente"] == "Zoetermeer"
    assert imported.settings["inleiding"] == "Deze bijlage geeft een overzicht van alle pilots."
    notes = " ".join(imported.report.notes)
    assert "Kop 'Pilot schoolontbijt' en Naam pilot 'Schoolontbijt' verschillen" in notes
    actions = imported.actions
    assert [a["activiteit"] for a in actions] == [
        "Ouderkamer open.", "Brugfunctionaris gestart.", "Nieuw contract plaagdierbestrijding.",
        "Rattenoverlast adviesbureau inhuren.", "Pilot Wijk GGZ."]
    assert actions[1]["resultaat"] == ("Ouders krijgen een vertrouwensband\n"
                                       "met school en delen sneller zorgen.")
    assert (actions[2]["status"], actions[2]["toelichting_status"]) == (
        "Afgerond", "Wordt voorgezet via Stadsbeheer")
    assert actions[3]["status"] == "Afgerond"
    assert actions[4]["doel"] == "Andere initiatieven"
    assert (actions[4]["status"], actions[4]["toelichting_status"]) == (
        "", "Binnenkort in uitvoering")
    assert "samengevoegd" in notes and "niet herkend" in notes


def test_import_never_overwrites(tmp_path):
    target = tmp_path / "bestaat.xlsx"
    target.write_bytes(b"officers' work")
    result = CliRunner().invoke(cli, ["import", str(DATA / "handgemaakte_acties.docx"),
                                      "--out", str(target)])
    assert result.exit_code == 2
    assert "overschrijft nooit" in result.output
    assert target.read_bytes() == b"officers' work"


def test_import_of_a_non_word_file_is_a_dutch_message(tmp_path):
    bad = tmp_path / "bijlage.docx"
    bad.write_text("geen word")
    result = CliRunner().invoke(cli, ["import", str(bad), "--out", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 2
    assert "Word-document" in result.output
    assert not (tmp_path / "r.xlsx").exists()


def test_a_sentence_that_starts_like_a_section_stays_text(tmp_path):
    from docx import Document

    doc = Document()
    doc.add_paragraph("Proef", style="Heading 1")
    doc.add_paragraph("Naam Pilot")
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Naam pilot", "Proef"
    doc.add_paragraph("Korte omschrijving")
    doc.add_paragraph("Uitkomst evaluatie volgt later.")
    path = tmp_path / "b.docx"
    doc.save(path)
    assert import_annexes([path]).pilots[0]["omschrijving"] == "Uitkomst evaluatie volgt later."


def test_a_zip_bomb_docx_is_refused_before_opening(tmp_path):
    import zipfile

    bomb = tmp_path / "bijlage.docx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\0" * (60 * 1024 * 1024))
    result = CliRunner().invoke(cli, ["import", str(bomb), "--out", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 2
    assert "onredelijk groot" in result.output
