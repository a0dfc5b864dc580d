"""Editions: compare two registers, mark what is new, start the next edition."""

from __future__ import annotations

import json
import shutil
from datetime import date

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE
from docx import Document

from toolkit import schema
from toolkit.build import build_documents
from toolkit.cards import CHANGES_HEADING, NEW_NOTE
from toolkit.cli import cli
from toolkit.diff import compare, word_diff
from toolkit.register import read_register
from toolkit.workbook import write_register


def _edit(src, dst, edits):
    """Copy a register and change cells, as an officer would in Excel."""
    shutil.copy(src, dst)
    wb = openpyxl.load_workbook(dst)
    for sheet, cell, value in edits:
        wb[sheet][cell] = value
    wb.save(dst)
    return dst


def test_import_change_three_compare_gives_exactly_three(tmp_path):
    """The issue's acceptance: build, import, change three pilots, compare."""
    built = build_documents(read_register(EXAMPLE), tmp_path / "uit")
    runner = CliRunner()
    result = runner.invoke(cli, ["import", *map(str, built.documents),
                                 "--out", str(tmp_path / "a.xlsx")])
    assert result.exit_code == 0, result.output
    b = _edit(tmp_path / "a.xlsx", tmp_path / "b.xlsx", [
        ("Pilots", "H3", "1ste helft 2025"),              # Flexwonen: einddatum
        ("Pilots", "J5", "Ja, het project loopt goed."),  # Dealbreakers: succesvol
        ("Pilots", "C8", "Een nieuwe korte omschrijving van het project."),  # Vindplaats
    ])
    diff = compare(read_register(tmp_path / "a.xlsx"), read_register(b))
    changed = diff.of("gewijzigd")
    assert [(c.name, [f.key for f in c.fields]) for c in changed] == [
        ("Flexwonen Ruimtebaan", ["einddatum"]),
        ("Dealbreakers", ["succesvol"]),
        ("Vindplaats verborgen schulden", ["omschrijving"]),
    ]
    assert not diff.of("nieuw") and not diff.of("vervallen")
    assert all(c.matched_by == "id" for c in changed)

    out = tmp_path / "rapport"
    result = runner.invoke(cli, ["diff", str(tmp_path / "a.xlsx"), str(b), "--report-dir",
                                 str(out)])
    assert result.exit_code == 0, result.output
    assert "Pilots: 0 nieuw, 0 vervallen, 3 gewijzigd, 9 ongewijzigd." in result.output
    data = json.loads((out / "verschillen_a_b.json").read_text(encoding="utf-8"))
    assert [w["naam"] for w in data["wijzigingen"]] == [c.name for c in changed]
    html = (out / "verschillen_a_b.html").read_text(encoding="utf-8")
    assert html.count('data-soort="gewijzigd"') == 3
    assert "<del>4de kwartaal 2024</del>" in html and "<ins>1ste helft 2025</ins>" in html
    wb = openpyxl.load_workbook(out / "verschillen_a_b.xlsx")
    assert wb.sheetnames == ["Overzicht", "Pilots", "Acties"]
    rows = list(wb["Pilots"].iter_rows(min_row=2, values_only=True))
    assert [r[2] for r in rows] == [c.name for c in changed]


BASE = {"programma": "5. Veiligheid", "portefeuille": "Wonen", "omschrijving": "Tekst",
        "doel": "Doel", "startdatum": "2023", "einddatum": "2025", "evaluatiemoment": "2024",
        "succesvol": "Ja", "beleid": "Nee", "financieel": "Nee", "gerapporteerd": "Memo",
        "opnemen": "Ja"}


def _register(path, pilots):
    write_register(path, [{**BASE, **p} for p in pilots], settings={"peildatum": "1-4-2024"})
    return read_register(path)


def test_matching_by_id_name_and_close_name_and_warnings(tmp_path):
    old = _register(tmp_path / "oud.xlsx", [
        {"id": "P-1", "naam": "Woonoverlast"},
        {"id": "P-2", "naam": "Pilot schoolontbijt"},
        {"id": "P-3", "naam": "Jeugdhonk", "opnemen": "Laatste keer"},
        {"id": "P-4", "naam": "IPTA"},
        {"id": "P-5", "naam": "Flexwonen", "omschrijving": "Woningen", "doel": "Bouwen",
         "portefeuille": "Wonen", "startdatum": "2021", "einddatum": "2024"},
    ])
    new = _register(tmp_path / "nieuw.xlsx", [
        {"id": "X-9", "naam": "woonoverlast"},
        {"id": "P-20", "naam": "Schoolontbijt"},
        {"id": "P-5", "naam": "Flexwonen", "omschrijving": "Iets heel anders",
         "doel": "Ander doel", "portefeuille": "Armoedebeleid", "startdatum": "2025",
         "einddatum": "2026", "evaluatiemoment": "2026"},
        {"id": "P-6", "naam": "RIO"},
    ])
    diff = compare(old, new)
    how = {c.name: (c.kind, c.matched_by) for c in diff.changes}
    assert how["woonoverlast"] == ("gewijzigd", "naam")  # the spelling of the name changed
    assert how["Schoolontbijt"] == ("gewijzigd", "gelijkend")
    assert how["Flexwonen"] == ("gewijzigd", "id")
    assert how["RIO"] == ("nieuw", "")
    assert how["Jeugdhonk"] == ("vervallen", "")
    assert how["IPTA"] == ("vervallen", "")
    warnings = {c.name: c.warning for c in diff.warnings}
    assert set(warnings) == {"IPTA", "Flexwonen"}  # Jeugdhonk was marked Laatste keer
    assert "andere pilot over een oude rij" in warnings["Flexwonen"]
    assert "Laatste keer" in warnings["IPTA"]


def test_word_diff():
    words = word_diff("De pilot is succesvol afgerond.", "De pilot is niet succesvol afgerond.")
    assert [(w.op, w.text) for w in words] == [
        ("gelijk", "De pilot is"), ("erbij", "niet"), ("gelijk", "succesvol afgerond.")]


def test_build_with_previous_marks_new_pilots_and_lists_changes(tmp_path):
    old = _register(tmp_path / "oud.xlsx", [{"id": "P-1", "naam": "Woonoverlast"},
                                             {"id": "P-2", "naam": "IPTA"}])
    new = _register(tmp_path / "nieuw.xlsx", [{"id": "P-1", "naam": "Woonoverlast",
                                               "succesvol": "Nog niet bekend"},
                                              {"id": "P-3", "naam": "RIO"}])
    result = build_documents(new, tmp_path / "uit", previous=old)
    doc = Document(result.documents[0])
    texts = [p.text for p in doc.paragraphs]
    assert CHANGES_HEADING in texts
    assert "Nieuw (1)" in texts and "Niet meer opgenomen (1)" in texts
    assert "Gewijzigd (1)" in texts
    assert "Woonoverlast: " + schema.PILOTS.column("succesvol").label in texts
    rio = len(texts) - 1 - texts[::-1].index("RIO")  # the card's heading, not the overview's
    assert texts[rio + 1] == NEW_NOTE
    assert texts.count(NEW_NOTE) == 1
    plain = build_documents(new, tmp_path / "zonder")
    texts = [p.text for p in Document(plain.documents[0]).paragraphs]
    assert CHANGES_HEADING not in texts and NEW_NOTE not in texts
    assert not any("{{" in t or "TOOLKITBLOK" in t for t in texts)


def test_build_previous_then_import_ignores_the_overview(tmp_path):
    old = _register(tmp_path / "oud.xlsx", [{"id": "P-1", "naam": "Woonoverlast"}])
    new = _register(tmp_path / "nieuw.xlsx", [{"id": "P-1", "naam": "Woonoverlast"},
                                              {"id": "P-3", "naam": "RIO"}])
    result = build_documents(new, tmp_path / "uit", previous=old)
    from toolkit.annex_import import import_annexes

    imported = import_annexes(result.documents)
    assert [p["naam"] for p in imported.pilots] == ["Woonoverlast", "RIO"]
    assert "Nieuw" not in str(imported.settings.get("inleiding", ""))


def test_new_edition(tmp_path):
    target = tmp_path / "volgende.xlsx"
    before = EXAMPLE.read_bytes()
    result = CliRunner().invoke(cli, ["new-edition", str(EXAMPLE), str(target), "--editie",
                                      "Programmabegroting 2025", "--peildatum", "1-10-2024"])
    assert result.exit_code == 0, result.output
    assert EXAMPLE.read_bytes() == before
    old, new = read_register(EXAMPLE), read_register(target)
    kept = [p["naam"] for p in old.pilots if p["opnemen"] != "Laatste keer"]
    assert [p["naam"] for p in new.pilots] == kept
    assert len(new.pilots) == 10
    assert all(a["status"] not in ("Afgerond", "Gestopt") for a in new.actions)
    assert len(new.actions) == sum(1 for a in old.actions if a["status"] != "Afgerond")
    assert new.settings["editie"] == "Programmabegroting 2025"
    assert new.settings["peildatum"].date() == date(2024, 10, 1)
    assert "verwijderd: pilot P-001 Stedenbouwkundige buurtvisie" in result.output
    assert result.output.count("verwijderd: actie") == len(old.actions) - len(new.actions)
    again = CliRunner().invoke(cli, ["new-edition", str(EXAMPLE), str(target), "--editie", "x"])
    assert again.exit_code == 2 and "overschrijft nooit" in again.output


@pytest.mark.parametrize("args", [["diff", "nergens.xlsx", "ook-niet.xlsx"]])
def test_diff_on_missing_files_is_a_dutch_message(tmp_path, args):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "bestaat niet" in result.output
