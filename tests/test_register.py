"""Reading the register: locations, tolerance, and every kind of bad file."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import bundled
import openpyxl
import pytest
import xlsxwriter
from conftest import EXAMPLE, GAPS

from toolkit.core.errors import RegisterStructureError, RegisterUnreadable, ToolkitError
from toolkit.declarations import schema
from toolkit.register.read import read_register
from toolkit.register.write import write_register


def test_example_reads_with_locations():
    reg = read_register(EXAMPLE)
    assert len(reg.records("Pilots")) == 12
    first = reg.records("Pilots")[0]
    assert first.row == 2
    assert first["naam"] == "Stedenbouwkundige buurtvisie"
    loc = first.location("startdatum")
    assert (loc.sheet, loc.cell, loc.label) == ("Pilots", "G2", "Startdatum")
    assert reg.settings["gemeente"] == "Zoetermeer"
    assert reg.settings["peildatum"] == datetime(2024, 4, 1)
    assert reg.lists["status"][0] == "Afgerond"
    assert len(reg.sha256) == 64


def test_reading_never_changes_the_register():
    before = EXAMPLE.read_bytes()
    read_register(EXAMPLE)
    assert EXAMPLE.read_bytes() == before


def _rewrite(tmp_path, mutate, name="r.xlsx"):
    wb = openpyxl.load_workbook(EXAMPLE)
    mutate(wb)
    path = tmp_path / name
    wb.save(path)
    return path


def test_headers_tolerant_of_case_spaces_nbsp_and_order(tmp_path):
    def mutate(wb):
        ws = wb["Pilots"]
        ws["B1"] = "  naam\u00a0PILOT "
        ws["C1"] = "Korte\u200b omschrijving"
        ws.move_range("A1:A20", cols=20)  # ID now lives far to the right

    reg = read_register(_rewrite(tmp_path, mutate))
    assert reg.records("Pilots")[0]["naam"] == "Stedenbouwkundige buurtvisie"
    assert reg.records("Pilots")[0]["id"] == "P-001"
    assert reg.records("Pilots")[0].location("id").column == "U"


def test_trailing_formatted_rows_and_blank_rows(tmp_path):
    def mutate(wb):
        ws = wb["Pilots"]
        ws.insert_rows(5, 2)  # two blank rows inside the data
        for r in range(30, 5000):
            ws.cell(r, 3).number_format = "@"
            ws.cell(r, 3).value = " "

    reg = read_register(_rewrite(tmp_path, mutate))
    assert len(reg.records("Pilots")) == 12
    assert [p.row for p in reg.records("Pilots")][:5] == [2, 3, 4, 7, 8]


def test_real_dates_and_1904_date_system(tmp_path):
    path = tmp_path / "1904.xlsx"
    write_register(path, tables={"Pilots": [{"id": "P-1", "naam": "x", "startdatum": date(2022, 9, 1)}]})
    wb = openpyxl.load_workbook(path)
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    wb.save(path)
    reg = read_register(path)
    assert reg.date1904
    assert reg.records("Pilots")[0]["startdatum"] == datetime(2022, 9, 1)


def test_missing_sheet(tmp_path):
    path = _rewrite(tmp_path, lambda wb: setattr(wb["Acties"], "title", "Actiepunten"))
    with pytest.raises(RegisterStructureError, match="tabblad 'Acties' ontbreekt.*Actiepunten"):
        read_register(path)


def test_renamed_sheet_is_reported_by_both_readers(tmp_path):
    """A renamed Pilots sheet is recognised by its header row, never silently left out."""
    path = _rewrite(tmp_path, lambda wb: setattr(wb["Pilots"], "title", "Onze pilots"))
    for careful in (False, True):
        with pytest.raises(RegisterStructureError, match="tabblad 'Pilots' ontbreekt"):
            read_register(path, careful=careful)


def test_a_renamed_sheet_with_a_title_above_its_header_is_reported_too(tmp_path):
    """The header row is searched as the reader searches it, not only in row 1."""

    def mutate(wb):
        ws = wb["Acties"]
        ws.title = "Actiepunten 2025"
        ws.insert_rows(1, 2)
        ws["A1"] = "Acties van het actieprogramma"

    path = _rewrite(tmp_path, mutate)
    for careful in (False, True):
        with pytest.raises(RegisterStructureError, match="tabblad 'Acties' ontbreekt"):
            read_register(path, careful=careful)


def test_a_register_may_lack_one_annex_sheet_but_not_both(tmp_path):
    def drop(*names):
        def mutate(wb):
            for name in names:
                del wb[name]

        return mutate

    for careful in (False, True):
        only_pilots = read_register(_rewrite(tmp_path, drop("Acties")), careful=careful)
        assert only_pilots.sheets == {"Pilots"}
        assert len(only_pilots.records("Pilots")) == 12 and only_pilots.records("Acties") == []
        only_actions = read_register(_rewrite(tmp_path, drop("Pilots")), careful=careful)
        assert only_actions.sheets == {"Acties"} and only_actions.records("Pilots") == []
        with pytest.raises(RegisterStructureError, match="geen tabblad 'Pilots' of 'Acties'"):
            read_register(_rewrite(tmp_path, drop("Pilots", "Acties")), careful=careful)


def test_records_of_an_unknown_sheet_is_an_error_not_another_sheet_s_rows():
    from toolkit.declarations.schema import TableSheet

    other = TableSheet("Projecten", "Projecten", "", bundled.PILOTS.columns)
    with pytest.raises(KeyError, match="Projecten"):
        read_register(EXAMPLE).records(other)


def test_renamed_sheet_case_only_is_fine(tmp_path):
    def mutate(wb):
        wb["Pilots"].title = "tijdelijk"
        wb["tijdelijk"].title = "PILOTS"

    path = _rewrite(tmp_path, mutate)
    assert len(read_register(path).records("Pilots")) == 12


def test_missing_column(tmp_path):
    def mutate(wb):
        wb["Pilots"]["G1"] = "Begindatum"

    with pytest.raises(RegisterStructureError, match="ontbreken de kolommen 'Startdatum'"):
        read_register(_rewrite(tmp_path, mutate))


def _xlsx_bytes():
    return EXAMPLE.read_bytes()


BAD_FILES = {
    "oud.xlsx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "oud Excel-bestand"),
    "wachtwoord.xlsx": (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 100
        + "EncryptedPackage".encode("utf-16-le")
        + b"\0" * 100,
        "wachtwoord",
    ),
    "tekst.xlsx": (b"ID;Naam pilot\nP-1;Test\n", "CSV"),
    "pagina.xlsx": (b"<!DOCTYPE html><html><table></table></html>", "HTML"),
    "leeg.xlsx": (b"", "leeg"),
    "afgebroken.xlsx": (None, "beschadigd"),
    "~$register.xlsx": (b"lock", "vergrendelingsbestand"),
    "zip.xlsx": (None, "geen Excel-werkmap"),
    "calc.xlsx": (None, "OpenDocument"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_get_one_dutch_message(tmp_path, name):
    content, expected = BAD_FILES[name]
    path = tmp_path / name
    if name == "afgebroken.xlsx":
        content = _xlsx_bytes()[:3000]
    elif name == "zip.xlsx":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr("readme.txt", "hallo")
        content = buffer.getvalue()
    elif name == "calc.xlsx":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
            z.writestr("content.xml", "<x/>")
        content = buffer.getvalue()
    path.write_bytes(content)
    with pytest.raises(ToolkitError, match=expected):
        read_register(path)
    assert path.read_bytes() == content, "the file is never changed"


def test_missing_file(tmp_path):
    with pytest.raises(RegisterUnreadable, match="bestaat niet"):
        read_register(tmp_path / "nergens.xlsx")


def test_zip_bomb_is_refused_before_opening(tmp_path):
    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    with pytest.raises(RegisterUnreadable, match="onredelijk groot"):
        read_register(path)


def test_hostile_xml_is_never_expanded(tmp_path):
    """A billion-laughs workbook is refused or read without expanding its entities."""
    path = tmp_path / "vijandig.xlsx"
    with zipfile.ZipFile(EXAMPLE) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/workbook.xml":
                entities = b'<!ENTITY a0 "ha">' + b"".join(
                    f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">'.encode() for i in range(1, 10)
                )
                data = b'<?xml version="1.0"?><!DOCTYPE x [' + entities + b"]>" + data.split(b"?>", 1)[1]
            dst.writestr(item, data)
    try:
        reg = read_register(path)
    except RegisterUnreadable:
        return
    assert len(reg.records("Pilots")) == 12


def test_formula_cells_read_their_cached_value(tmp_path):
    path = tmp_path / "formule.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    for name in schema.SHEET_ORDER:
        ws = wb.add_worksheet(name)
        if name in ("Pilots", "Acties"):
            sheet = bundled.PILOTS if name == "Pilots" else bundled.ACTIONS
            for i, col in enumerate(sheet.columns):
                ws.write_string(0, i, col.label)
    wb.get_worksheet_by_name("Pilots").write_formula(1, 1, '="Pilot "&"A"', None, "Pilot A")
    wb.close()
    reg = read_register(path)
    assert reg.records("Pilots")[0]["naam"] == "Pilot A"


def test_gaps_fixture_keeps_the_reference_gaps():
    reg = read_register(GAPS)
    stille = next(p for p in reg.records("Pilots") if p["naam"] == "Stille studieruimtes")
    assert stille["omschrijving"] is None
    assert stille["beleid"] is None
    assert any(a["activiteit"] is None for a in reg.records("Acties"))


@pytest.mark.parametrize("careful", [False, True])
def test_both_readers_give_the_same_records(careful):
    fast = read_register(EXAMPLE)
    other = read_register(EXAMPLE, careful=careful)
    assert [p.values for p in other.records("Pilots")] == [p.values for p in fast.records("Pilots")]
    assert [a.values for a in other.records("Acties")] == [a.values for a in fast.records("Acties")]
    assert other.settings == fast.settings and other.lists == fast.lists
    assert [p.row for p in other.records("Pilots")] == [p.row for p in fast.records("Pilots")]


def test_a_far_away_cell_never_reaches_the_fast_reader(tmp_path):
    from toolkit.register.read import _fast_reader_is_safe

    def mutate(wb):
        wb["Pilots"]["XFD1048576"] = "ver weg"

    path = _rewrite(tmp_path, mutate)
    assert not _fast_reader_is_safe(path)
    with pytest.raises(RegisterUnreadable, match="250.000 rijen en 200 kolommen"):
        read_register(path)
    assert _fast_reader_is_safe(EXAMPLE)


def test_reader_refuses_to_run_without_defusedxml(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "defusedxml", None)  # makes "import defusedxml" fail
    with pytest.raises(RegisterUnreadable, match="defusedxml"):
        read_register(EXAMPLE)


def test_an_own_sheet_is_not_taken_for_a_renamed_one(tmp_path):
    def mutate(wb):
        del wb["Acties"]
        wb.create_sheet("Notities")["A1"] = "Onze aantekeningen"

    path = _rewrite(tmp_path, mutate)
    for careful in (False, True):
        register = read_register(path, careful=careful)
        assert register.sheets == {"Pilots"} and len(register.records("Pilots")) == 12


def test_a_row_or_column_made_as_small_as_nothing_counts_as_hidden_and_a_page_setup_does_not():
    from toolkit.register.sheetxml import scan_sheet

    def sheet(rows: str, tail: str = "") -> bytes:
        return (
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cols>'
            b'<col min="3" max="3" width="0" customWidth="1"/></cols><sheetData>'
            + rows.encode()
            + b"</sheetData>"
            + tail.encode()
            + b"</worksheet>"
        )

    facts = scan_sheet(sheet('<row r="2"/><row r="3" ht="0.0" customHeight="1"/>'), "Pilots", "r.xlsx")
    assert (facts.hidden_rows, facts.hidden_columns) == ([3], ["C"])
    # every register's page setup says fitToHeight="0": no row or column is hidden by it
    plain = sheet('<row r="2" ht="15"/>', '<pageSetup fitToHeight="0" fitToWidth="1"/>').replace(
        b'width="0"', b'width="9"'
    )
    facts = scan_sheet(plain, "Pilots", "r.xlsx")
    assert (facts.hidden_rows, facts.hidden_columns) == ([], [])
