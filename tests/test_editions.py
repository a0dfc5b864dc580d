"""Editions: compare two registers, mark what is new, start the next edition."""

from __future__ import annotations

import json
import shutil
from datetime import date

import bundled
import openpyxl
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, MUNICIPALITY
from docx import Document

from toolkit.build.documents import build_documents
from toolkit.cli import cli
from toolkit.declarations.layout import NEW_NOTE
from toolkit.layouts.word import CHANGES_HEADING
from toolkit.register.diff import compare, word_diff
from toolkit.register.read import read_register
from toolkit.register.write import write_register


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
    result = runner.invoke(cli, ["import", *map(str, built.documents), "--out", str(tmp_path / "a.xlsx")])
    assert result.exit_code == 0, result.output
    b = _edit(
        tmp_path / "a.xlsx",
        tmp_path / "b.xlsx",
        [
            ("Pilots", "H3", "1ste helft 2025"),  # Flexwonen: einddatum
            ("Pilots", "J5", "Ja, het project loopt goed."),  # Dealbreakers: succesvol
            ("Pilots", "C8", "Een nieuwe korte omschrijving van het project."),  # Vindplaats
        ],
    )
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
    result = runner.invoke(cli, ["diff", str(tmp_path / "a.xlsx"), str(b), "--report-dir", str(out)])
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


BASE = {
    "programma": "5. Veiligheid",
    "portefeuille": "Wonen",
    "omschrijving": "Tekst",
    "doel": "Doel",
    "startdatum": "2023",
    "einddatum": "2025",
    "evaluatiemoment": "2024",
    "succesvol": "Ja",
    "beleid": "Nee",
    "financieel": "Nee",
    "gerapporteerd": "Memo",
    "opnemen": "Ja",
}


def _register(path, pilots):
    write_register(
        path, {"Pilots": [{**BASE, **p} for p in pilots]}, settings={**MUNICIPALITY, "peildatum": "1-4-2024"}
    )
    return read_register(path)


def test_matching_by_id_name_and_close_name_and_warnings(tmp_path):
    old = _register(
        tmp_path / "oud.xlsx",
        [
            {"id": "P-1", "naam": "Woonoverlast"},
            {"id": "P-2", "naam": "Pilot schoolontbijt"},
            {"id": "P-3", "naam": "Jeugdhonk", "opnemen": "Laatste keer"},
            {"id": "P-4", "naam": "IPTA"},
            {
                "id": "P-5",
                "naam": "Flexwonen",
                "omschrijving": "Woningen",
                "doel": "Bouwen",
                "portefeuille": "Wonen",
                "startdatum": "2021",
                "einddatum": "2024",
            },
        ],
    )
    new = _register(
        tmp_path / "nieuw.xlsx",
        [
            {"id": "X-9", "naam": "woonoverlast"},
            {"id": "P-20", "naam": "Schoolontbijt"},
            {
                "id": "P-5",
                "naam": "Flexwonen",
                "omschrijving": "Iets heel anders",
                "doel": "Ander doel",
                "portefeuille": "Armoedebeleid",
                "startdatum": "2025",
                "einddatum": "2026",
                "evaluatiemoment": "2026",
            },
            {"id": "P-6", "naam": "RIO"},
        ],
    )
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
    assert "andere rij over een oude heen" in warnings["Flexwonen"]
    # the declared 'kenmerken' of pilots.toml, by their labels
    assert "Korte omschrijving, Portefeuille, Doel / beoogd resultaat" in warnings["Flexwonen"]
    assert "Laatste keer" in warnings["IPTA"]


def test_word_diff():
    words = word_diff("De pilot is succesvol afgerond.", "De pilot is niet succesvol afgerond.")
    assert [(w.op, w.text) for w in words] == [
        ("gelijk", "De pilot is"),
        ("erbij", "niet"),
        ("gelijk", "succesvol afgerond."),
    ]


def test_build_with_previous_marks_new_pilots_and_lists_changes(tmp_path):
    old = _register(
        tmp_path / "oud.xlsx", [{"id": "P-1", "naam": "Woonoverlast"}, {"id": "P-2", "naam": "IPTA"}]
    )
    new = _register(
        tmp_path / "nieuw.xlsx",
        [{"id": "P-1", "naam": "Woonoverlast", "succesvol": "Nog niet bekend"}, {"id": "P-3", "naam": "RIO"}],
    )
    result = build_documents(new, tmp_path / "uit", previous=old)
    doc = Document(result.documents[0])
    texts = [p.text for p in doc.paragraphs]
    assert CHANGES_HEADING in texts
    assert "Nieuw (1)" in texts and "Niet meer opgenomen (1)" in texts
    assert "Gewijzigd (1)" in texts
    assert "Woonoverlast: " + bundled.PILOTS.column("succesvol").label in texts
    rio = len(texts) - 1 - texts[::-1].index("RIO")  # the card's heading, not the overview's
    assert texts[rio + 1] == NEW_NOTE
    assert texts.count(NEW_NOTE) == 1
    plain = build_documents(new, tmp_path / "zonder")
    texts = [p.text for p in Document(plain.documents[0]).paragraphs]
    assert CHANGES_HEADING not in texts and NEW_NOTE not in texts
    assert not any("{{" in t or "TOOLKITBLOK" in t for t in texts)


def test_build_previous_then_import_ignores_the_overview(tmp_path):
    old = _register(tmp_path / "oud.xlsx", [{"id": "P-1", "naam": "Woonoverlast"}])
    new = _register(
        tmp_path / "nieuw.xlsx", [{"id": "P-1", "naam": "Woonoverlast"}, {"id": "P-3", "naam": "RIO"}]
    )
    result = build_documents(new, tmp_path / "uit", previous=old)
    from toolkit.editions.annex_import import import_annexes

    imported = import_annexes(result.documents)
    assert [p["naam"] for p in imported.records("Pilots")] == ["Woonoverlast", "RIO"]
    assert "Nieuw" not in str(imported.settings.get("inleiding", ""))


def test_new_edition(tmp_path):
    target = tmp_path / "volgende.xlsx"
    before = EXAMPLE.read_bytes()
    result = CliRunner().invoke(
        cli,
        [
            "new-edition",
            str(EXAMPLE),
            str(target),
            "--editie",
            "Programmabegroting 2025",
            "--peildatum",
            "1-10-2024",
        ],
    )
    assert result.exit_code == 0, result.output
    assert EXAMPLE.read_bytes() == before
    old, new = read_register(EXAMPLE), read_register(target)
    kept = [p["naam"] for p in old.records("Pilots") if p["opnemen"] != "Laatste keer"]
    assert [p["naam"] for p in new.records("Pilots")] == kept
    assert len(new.records("Pilots")) == 10
    assert all(a["status"] not in ("Afgerond", "Gestopt") for a in new.records("Acties"))
    assert len(new.records("Acties")) == sum(1 for a in old.records("Acties") if a["status"] != "Afgerond")
    assert new.settings["editie"] == "Programmabegroting 2025"
    assert new.settings["peildatum"].date() == date(2024, 10, 1)
    assert "verwijderd: pilot P-001 Stedenbouwkundige buurtvisie" in result.output
    assert result.output.count("verwijderd: actie") == len(old.records("Acties")) - len(new.records("Acties"))
    again = CliRunner().invoke(cli, ["new-edition", str(EXAMPLE), str(target), "--editie", "x"])
    assert again.exit_code == 2 and "overschrijft nooit" in again.output


@pytest.mark.parametrize("args", [["diff", "nergens.xlsx", "ook-niet.xlsx"]])
def test_diff_on_missing_files_is_a_dutch_message(tmp_path, args):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "bestaat niet" in result.output


def test_build_previous_then_import_lists_the_toolkits_own_notes(tmp_path):
    old = _register(tmp_path / "oud.xlsx", [{"id": "P-1", "naam": "Woonoverlast"}])
    new = _register(
        tmp_path / "nieuw.xlsx",
        [{"id": "P-1", "naam": "Woonoverlast"}, {"id": "P-3", "naam": "RIO", "opnemen": "Laatste keer"}],
    )
    result = build_documents(new, tmp_path / "uit", previous=old)
    from toolkit.editions.annex_import import import_annexes

    imported = import_annexes(result.documents)
    assert [(p["naam"], p["opnemen"]) for p in imported.records("Pilots")] == [
        ("Woonoverlast", "Ja"),
        ("RIO", "Laatste keer"),
    ]
    text = imported.report.text()
    assert "Opmerkingen (2):" in text
    assert "RIO: de vermelding 'Nieuw in deze editie.' is weggelaten" in text
    assert "RIO: de vermelding 'Deze pilot wordt voor het laatst" in text
    assert "Het overzicht 'Wijzigingen sinds de vorige editie' (4 regels)" in text


def _hand_edited(src, dst, long_cell):
    """A coordinator's register: an added column with values, a long text, an extra tab."""
    shutil.copy(src, dst)
    wb = openpyxl.load_workbook(dst)
    ws = wb["Pilots"]
    col = ws.max_column + 1
    ws.cell(1, col, "Contactpersoon")
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, 2).value:
            ws.cell(row, col, f"contact {ws.cell(row, 1).value}")
    ws["C3"] = long_cell
    wb.create_sheet("Notities")["A1"] = "eigen aantekeningen"
    settings = wb["Instellingen"]
    settings.cell(settings.max_row + 1, 1, "Eigen instelling")
    wb.save(dst)
    return dst


def test_new_edition_keeps_added_columns_and_long_texts_whole(tmp_path):
    long_cell = ("Een lange omschrijving. " * 1300)[:30_000]
    old = _hand_edited(EXAMPLE, tmp_path / "oud.xlsx", long_cell)
    target = tmp_path / "nieuw.xlsx"
    result = CliRunner().invoke(cli, ["new-edition", str(old), str(target), "--editie", "X"])
    assert result.exit_code == 0, result.output
    assert "meegenomen: Pilots: toegevoegde kolom(men) 'Contactpersoon'" in result.output
    assert "tabblad 'Notities' gaat niet mee" in result.output
    assert "Instellingen: regel 'Eigen instelling' gaat niet mee" in result.output
    ws = openpyxl.load_workbook(target)["Pilots"]
    header = [c.value for c in ws[1]]
    assert header[-1] == "Contactpersoon" and header[:-1] == [c.label for c in bundled.PILOTS.columns]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    assert all(r[-1] == f"contact {ident}" for ident, r in rows.items())
    assert rows["P-002"][2] == long_cell  # Flexwonen, whole
    assert len(read_register(target).records("Pilots")) == 10


def test_new_edition_names_a_text_too_long_for_a_cell(tmp_path):
    import zipfile

    marker = "LANGE-TEKST-MARKER"
    old = tmp_path / "oud.xlsx"
    write_register(
        tmp_path / "basis.xlsx",
        {"Pilots": [{**BASE, "id": "P-1", "naam": "Lang", "omschrijving": marker}]},
        settings={**MUNICIPALITY, "peildatum": "1-4-2024"},
    )
    long_text = "x" * 40_300  # no real Excel writes this; a crafted or foreign file can
    with zipfile.ZipFile(tmp_path / "basis.xlsx") as src, zipfile.ZipFile(old, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, data.replace(marker.encode(), long_text.encode()))
    assert len(read_register(old).records("Pilots")[0]["omschrijving"]) == 40_300
    target = tmp_path / "nieuw.xlsx"
    result = CliRunner().invoke(cli, ["new-edition", str(old), str(target), "--editie", "X"])
    assert result.exit_code == 0, result.output
    assert (
        "waarschuwing: Pilots!C2 (P-1 Lang, Korte omschrijving): de tekst heeft 40.300 "
        "tekens" in result.output
    )
    assert len(read_register(target).records("Pilots")[0]["omschrijving"]) == 32_767
    assert long_text in (tmp_path / "nieuw_afgekapt.txt").read_text(encoding="utf-8")


def test_new_edition_keeps_a_column_inserted_between_the_declared_ones(tmp_path):
    old = tmp_path / "oud.xlsx"
    write_register(
        old,
        {"Pilots": [{**BASE, "id": f"P-{i}", "naam": f"Pilot {i}"} for i in range(1, 4)]},
        settings={**MUNICIPALITY, "peildatum": "1-4-2024"},
    )
    wb = openpyxl.load_workbook(old)
    ws = wb["Pilots"]
    ws.insert_cols(3)  # as an officer does in Excel: a column between Naam and Omschrijving
    ws["C1"] = "Wijk"
    ws["C2"], ws["C4"] = "Noord", "Zuid"
    ws.cell(5, 3, "alleen een wijk")  # a row with nothing else
    wb.save(old)
    target = tmp_path / "nieuw.xlsx"
    result = CliRunner().invoke(cli, ["new-edition", str(old), str(target), "--editie", "X"])
    assert result.exit_code == 0, result.output
    assert "toegevoegde kolom(men) 'Wijk'" in result.output
    assert "Pilots: rij(en) 5 hebben alleen waarden in toegevoegde kolommen" in result.output
    rows = list(openpyxl.load_workbook(target)["Pilots"].iter_rows(values_only=True))
    assert rows[0][-1] == "Wijk"
    assert [(r[1], r[-1]) for r in rows[1:4]] == [
        ("Pilot 1", "Noord"),
        ("Pilot 2", None),
        ("Pilot 3", "Zuid"),
    ]
    assert [p["omschrijving"] for p in read_register(target).records("Pilots")] == ["Tekst"] * 3
