"""What officers type or paste into cells: soft line breaks, control and direction
characters, hidden rows, HTML in plain fields, formulas, odd numbers and IDs.

Registers are made with write_register and, where Excel writes something openpyxl
cannot, by editing the sheet XML in the zip.
"""

from __future__ import annotations

import json
import re
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import MUNICIPALITY
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from test_validate import GOOD, GOOD_ACTION, flat

from toolkit.cli import cli
from toolkit.core.errors import RegisterUnreadable
from toolkit.register.read import read_register
from toolkit.register.write import write_register
from toolkit.validation.validate import validate_file

BOTH_READERS = pytest.mark.parametrize("careful", [False, True], ids=["calamine", "openpyxl"])


def make(
    tmp_path: Path, pilots: list[dict], actions: list[dict] | None = None, name: str = "register.xlsx"
) -> Path:
    path = tmp_path / name
    write_register(
        path,
        {"Pilots": [{**GOOD, **p} for p in pilots], "Acties": actions or [GOOD_ACTION]},
        {**MUNICIPALITY, "peildatum": date(2024, 4, 1), "inleiding": "Over deze bijlage."},
    )
    return path


def edit_xml(path: Path, member: str, edit) -> None:  # type: ignore[no-untyped-def]
    """Rewrite one part of the workbook, as another program than openpyxl would write it."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts[member] = edit(parts[member].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def replace_text(path: Path, old: str, new: str) -> None:
    """Put Excel's own escapes (_x000B_) in the shared strings, as Excel stores them."""
    edit_xml(path, "xl/sharedStrings.xml", lambda xml: xml.replace(old, new))


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


# --- soft line breaks and control characters -------------------------------------------


@BOTH_READERS
def test_a_soft_line_break_from_word_reads_as_a_new_line(tmp_path, careful):
    path = make(tmp_path, [{"omschrijving": "regeleinde MARK uit", "naam": "Naam MARK twee"}])
    replace_text(path, " MARK ", "_x000B_")
    pilot = read_register(path, careful=careful).records("Pilots")[0]
    assert pilot["omschrijving"] == "regeleinde\nuit"
    assert pilot["naam"] == "Naam\ntwee"
    assert flat(validate_file(path)) == []


def test_a_soft_line_break_becomes_a_line_break_in_the_annex(tmp_path):
    path = make(tmp_path, [{"omschrijving": "regeleinde MARK uit", "naam": "Naam MARK twee"}])
    replace_text(path, " MARK ", "_x000B_")
    out = tmp_path / "uit"
    result = CliRunner().invoke(cli, ["build", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    annex = next(out.glob("Bijlage*pilots*.docx"))
    text = docx_text(annex)
    assert "regeleindeuit" not in text and "Naamtwee" not in text
    assert "regeleinde\nuit" in text  # two paragraphs of the description
    assert "Naam\ntwee" in text  # a <w:br/> in the heading
    with zipfile.ZipFile(annex) as z:
        assert "Naam</w:t><w:br/><w:t" in z.read("word/document.xml").decode()


@pytest.mark.parametrize("command", ["validate", "build"])
def test_control_characters_never_stop_the_reports(tmp_path, command):
    """A bell character (_x0007_) is a finding, and every report is still written."""
    path = make(
        tmp_path, [{"omschrijving": "regeleinde MARK uit", "naam": "Pilot MARK bel", "beleid": ""}]
    )  # "beleid" empty: an error, so build reports
    replace_text(path, " MARK ", "_x0007_")
    before = path.read_bytes()
    out = tmp_path / "uit"
    args = (
        ["validate", str(path), "--report-dir", str(out)]
        if command == "validate"
        else ["build", str(path), "--out", str(out)]
    )
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert "Onverwachte fout" not in result.output
    assert path.read_bytes() == before
    folder = out if command == "validate" else out / "validatie"
    data = json.loads((folder / "register_validatie.json").read_text(encoding="utf-8"))
    codes = [(f["code"], f["cel"]) for f in data["bevindingen"]]
    assert ("teken-ongeldig", "C2") in codes and ("teken-ongeldig", "B2") in codes
    shown = next(f for f in data["bevindingen"] if f["cel"] == "C2")
    assert shown["waarde"] == "regeleinde[U+0007]uit"
    assert shown["onderwerp"] == "P-1 Pilot bel"  # as the annex prints the name: no glued words
    html = (folder / "register_validatie.html").read_text(encoding="utf-8")
    assert "\x07" not in html and "regeleinde[U+0007]uit" in html
    copy = openpyxl.load_workbook(folder / "register_validatie.xlsx")
    values = [c.value for row in copy["Bevindingen"].iter_rows() for c in row]
    assert "regeleinde[U+0007]uit" in values


# --- what only the sheet XML tells: shared-string references, hidden rows, formulas ------


def _set_cell_xml(path: Path, ref: str, xml: str) -> None:
    """Replace cell `ref` of the Pilots sheet (sheet2.xml in write_register's files)."""
    edit_xml(
        path,
        "xl/worksheets/sheet2.xml",
        lambda s: re.sub(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', xml, s, count=1),
    )


@pytest.mark.parametrize("index", ["-1", "-3", "1.5", "abc", "99999", "4294967296"])
@BOTH_READERS
def test_a_shared_string_reference_outside_the_table_is_refused(tmp_path, index, careful):
    """calamine reads '-1' as the first text and openpyxl as the last: never silently."""
    path = make(tmp_path, [{}])
    _set_cell_xml(path, "B2", f'<c r="B2" t="s"><v>{index}</v></c>')
    with pytest.raises(RegisterUnreadable, match="beschadigd"):
        read_register(path, careful=careful)


@pytest.mark.parametrize(
    "cell",
    [
        """<c r="B2" t='s'><v>-1</v></c>""",
        '<c r="B2" t="s"><v >-1</v ></c >',
        '<c r="B2" t="s"><v>&#45;1</v></c>',
        '<c r="B2" t="&#115;"><v>-1</v></c>',
        '<c r="B2" t="s"><v><![CDATA[-1]]></v></c>',
        '<c t="s" r="B2"><v>-1</v></c>',
        '<c r="B2" t="s"><v/></c>',
    ],
)
def test_every_spelling_of_a_broken_reference_is_refused(tmp_path, cell):
    path = make(tmp_path, [{}])
    _set_cell_xml(path, "B2", cell)
    for careful in (False, True):
        with pytest.raises(RegisterUnreadable, match="beschadigd"):
            read_register(path, careful=careful)


def test_a_broken_reference_in_a_sheet_the_toolkit_does_not_use_is_refused_too(tmp_path):
    path = make(tmp_path, [{}])
    edit_xml(
        path,
        "xl/worksheets/sheet1.xml",  # Instructies
        lambda s: re.sub(r'(<c r="A1"[^>]*?)>.*?</c>', r"\1><v>-1</v></c>", s, count=1),
    )
    with pytest.raises(RegisterUnreadable, match="Instructies!A1"):
        read_register(path)


def test_cli_refuses_a_broken_shared_string_reference_with_exit_2(tmp_path):
    path = make(tmp_path, [{}])
    _set_cell_xml(path, "B2", '<c r="B2" t="s"><v>-1</v></c>')
    result = CliRunner().invoke(cli, ["validate", str(path), "--report-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "Pilots!B2" in result.output and "beschadigd" in result.output
    assert "Traceback" not in result.output


def test_numbers_with_signs_and_decimals_are_still_numbers(tmp_path):
    """The closer look only refuses shared-string cells; '-1.5' as a number is fine."""
    path = make(tmp_path, [{}])
    _set_cell_xml(path, "L2", '<c r="L2"><v>-1.5</v></c>')
    assert read_register(path).records("Pilots")[0]["financieel"] == -1.5


def test_hidden_rows_and_columns_are_named_in_the_report(tmp_path):
    path = make(
        tmp_path,
        [{}, {"id": "P-2", "naam": "Twee"}, {"id": "P-3", "naam": "Drie"}, {"id": "P-4", "naam": "Vier"}],
    )
    wb = openpyxl.load_workbook(path)
    ws = wb["Pilots"]
    ws.auto_filter.ref = "A1:Q5"
    for row in (3, 4, 5):
        ws.row_dimensions[row].hidden = True
    ws.column_dimensions["F"].hidden = True
    wb.save(path)
    for careful in (False, True):
        from toolkit.validation.validate import validate_register

        result = validate_register(read_register(path, careful=careful))
        messages = {f.code: f.message for f in result.findings}
        assert "De rijen 3-5 zijn in Excel verborgen" in messages["rijen-verborgen"]
        assert "komt in de bijlage" in messages["rijen-verborgen"]
        assert "F (Doel / beoogd resultaat)" in messages["kolommen-verborgen"]
        assert result.exit_code == 0  # published as they are, with a warning
    out = tmp_path / "uit"
    result = CliRunner().invoke(cli, ["build", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "rijen-verborgen" in result.output
    text = docx_text(next(out.glob("Bijlage*pilots*.docx")))
    assert "Vier" in text  # hidden rows are published


@BOTH_READERS
def test_an_uncalculated_formula_is_not_called_empty(tmp_path, careful):
    from toolkit.validation.validate import validate_register

    path = make(tmp_path, [{}])
    _set_cell_xml(path, "C2", '<c r="C2"><f>B2&amp;"!"</f></c>')
    result = validate_register(read_register(path, careful=careful))
    assert flat(result) == [("formule-niet-berekend", "Pilots", "C2")]
    assert "formule die Excel nog niet heeft berekend" in result.findings[0].message
    assert "sla het op" in result.findings[0].hint
    # the same formula with its value, as Excel saves it: nothing to report
    _set_cell_xml(path, "C2", '<c r="C2" t="str"><f>B2&amp;"!"</f><v>Goede pilot!</v></c>')
    assert flat(validate_file(path)) == []


# --- IDs and names that differ only invisibly; direction characters ----------------------


@pytest.mark.parametrize("other", ["P-1 ", "P-1\u00a0", "P\u200b-1", "\uff30-1", "p-1", "P-1\ufeff"])
def test_ids_that_differ_only_invisibly_are_duplicates(tmp_path, other):
    path = make(tmp_path, [{}, {"id": other, "naam": "Andere pilot"}])
    found = flat(validate_file(path))
    assert ("id-dubbel", "Pilots", "A2") in found and ("id-dubbel", "Pilots", "A3") in found
    if other != "p-1":  # a lower-case letter is visible; the rest is not
        assert ("id-onzichtbaar", "Pilots", "A3") in found


def test_an_invisible_character_in_an_id_is_named(tmp_path):
    path = make(tmp_path, [{"id": "P-1\u200b"}], [{**GOOD_ACTION, "id": "\uff21-1"}])
    result = validate_file(path)
    messages = {(f.sheet, f.cell): f.message for f in result.findings if f.code == "id-onzichtbaar"}
    assert "onzichtbare tekens (U+200B)" in messages[("Pilots", "A2")]
    assert "volle breedte" in messages[("Acties", "A2")]
    assert [f.sheet for f in result.findings if f.code == "id-onzichtbaar"] == ["Pilots", "Acties"]
    assert result.exit_code == 0


@pytest.mark.parametrize(
    "char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
)
def test_direction_characters_are_an_error_and_never_reach_the_annex(tmp_path, char):
    path = make(tmp_path, [{"doel": f"Minder {char}afval"}], [{**GOOD_ACTION, "resultaat": f"Gehaald{char}"}])
    out = tmp_path / "uit"
    result = CliRunner().invoke(cli, ["build", str(path), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert not list(out.glob("*.docx"))
    data = json.loads((out / "validatie" / "register_validatie.json").read_text("utf-8"))
    found = [(f["code"], f["tabblad"], f["cel"]) for f in data["bevindingen"]]
    assert found == [("teken-richting", "Pilots", "F2"), ("teken-richting", "Acties", "E2")]
    code = f"U+{ord(char):04X}"
    assert code in data["bevindingen"][0]["melding"]
    assert data["bevindingen"][0]["waarde"] == f"Minder [{code}]afval"  # visible in reports


def test_direction_characters_in_a_setting_are_an_error(tmp_path):
    path = tmp_path / "r.xlsx"
    write_register(
        path,
        {"Pilots": [GOOD], "Acties": [GOOD_ACTION]},
        {
            **MUNICIPALITY,
            "peildatum": date(2024, 4, 1),
            "gemeente": "Zoeter\u202emeer",
            "inleiding": "Over deze bijlage.",
        },
    )
    assert [(c, s) for c, s, _ in flat(validate_file(path))] == [("teken-richting", "Instellingen")]


# --- HTML in a field that is published without markup ----------------------------------


def test_html_in_a_plain_field_is_a_warning_and_published_as_text(tmp_path):
    path = make(
        tmp_path,
        [
            {"naam": "Jeugdhonk <span>Buytenwegh</span>", "opmerking": "intern <b>mag</b>"}
        ],  # internal: never published
        [{**GOOD_ACTION, "doel": "Minder <b>schooluitval</b> &amp; meer"}],
    )
    result = validate_file(path)
    assert flat(result) == [("html-in-tekstveld", "Pilots", "B2"), ("html-in-tekstveld", "Acties", "C2")]
    message = result.findings[0].message
    assert "<span>" in message and "'Jeugdhonk Buytenwegh'" in message
    assert "Ctrl+Shift+V" in result.findings[0].hint
    out = tmp_path / "uit"
    run = CliRunner().invoke(cli, ["build", str(path), "--out", str(out)])
    assert run.exit_code == 0, run.output
    pilots = Document(str(next(out.glob("Bijlage*pilots*.docx"))))
    headings = [
        p.text
        for p in pilots.paragraphs
        if p.style.name.startswith("Heading") or p.style.name.startswith("Kop")
    ]
    assert "Jeugdhonk Buytenwegh" in headings
    assert "<span>" not in docx_text(next(out.glob("Bijlage*pilots*.docx")))
    actions = docx_text(next(out.glob("Bijlagen*.docx")))
    assert "Doel: Minder schooluitval & meer" in actions and "<b>" not in actions


def test_text_that_only_looks_a_little_like_html_is_left_alone(tmp_path):
    path = make(tmp_path, [{"naam": "Kosten < baten & meer"}])
    assert flat(validate_file(path)) == []


# --- numbers in text columns ------------------------------------------------------------


@BOTH_READERS
def test_numbers_in_text_columns_read_as_excel_shows_them(tmp_path, careful):
    path = make(
        tmp_path,
        [{"doel": 1.5e300, "naam": 2024, "omschrijving": 12.0, "succesvol": 12.5, "beleid": 0.1 + 0.2}],
    )
    pilot = read_register(path, careful=careful).records("Pilots")[0]
    assert [pilot.text(k) for k in ("doel", "naam", "omschrijving", "succesvol", "beleid")] == [
        "1,5E+300",
        "2024",
        "12",
        "12,5",
        "0,3",
    ]


def test_an_absurd_number_is_flagged_and_never_printed_as_301_digits(tmp_path):
    path = make(tmp_path, [{"doel": 1.5e300, "naam": 2024}])
    edit_xml(
        path,
        "xl/worksheets/sheet2.xml",  # as many digits as a script may write
        lambda s: re.sub(
            r'(<c r="C2"[^>]*?)(?: t="\w+")?>.*?</c>', r"\1><v>" + "9" * 400 + "</v></c>", s, count=1
        ),
    )
    result = validate_file(path)
    assert flat(result) == [("getal-onleesbaar", "Pilots", "C2"), ("getal-onleesbaar", "Pilots", "F2")]
    assert "1,5E+300" in result.findings[1].message
    out = tmp_path / "uit"
    run = CliRunner().invoke(cli, ["build", str(path), "--out", str(out)])
    assert run.exit_code == 0, run.output
    text = docx_text(next(out.glob("Bijlage*pilots*.docx")))
    assert "1,5E+300" in text and "000000" not in text and "999999" not in text
    assert "#GETAL!" in text  # the 400 digits: what Excel shows for a number it cannot hold
    nieuw = tmp_path / "nieuw.xlsx"
    run = CliRunner().invoke(cli, ["new-edition", str(path), str(nieuw), "--editie", "Najaar"])
    assert run.exit_code == 0, run.output
    assert read_register(nieuw).records("Pilots")[0].text("doel") == "1,5E+300"


# --- properties: whatever is in a cell, nothing crashes ---------------------------------


@given(st.text())
def test_any_cell_text_can_be_written_to_the_excel_report(text):
    from openpyxl import Workbook

    from toolkit.declarations.findings import make_finding
    from toolkit.report.excel import set_text

    finding = make_finding("teken-ongeldig", "Pilots", 2, "C", "Korte omschrijving", text, "U+0007", text)
    cell = Workbook().active["A1"]
    for value in (finding.value, finding.message, finding.record):
        set_text(cell, value)  # openpyxl refuses control characters: never reached
        assert not re.search("[\u202a-\u202e\u2066-\u2069]", cell.value)


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_excel_general_is_short_and_means_the_same_number(value):
    from toolkit.core.richtext import excel_general

    shown = excel_general(value)
    assert len(shown) <= 16 and "e" not in shown
    if shown != "#GETAL!":
        back = float(shown.replace(",", "."))
        assert back == pytest.approx(value, rel=1e-5, abs=1e-9)


_XML_BITS = st.sampled_from(
    [
        "<sheetData>",
        "</sheetData>",
        '<row r="2" hidden="1">',
        "<row ",
        "</row>",
        '<c r="B2"',
        ' t="s"',
        ">",
        "/>",
        "<v>",
        "</v>",
        "-1",
        "12",
        "abc",
        "<f>",
        "</f>",
        "</c>",
        "<x:c ",
        '<col min="1" max="3" hidden="true"/>',
        '<col min="0" max="99999999" hidden="1">',
        "hidden",
        "<",
        '"',
        " ",
        "<x:v>",
        "</x:v>",
        "<is><t>x</t></is>",
    ]
)


@settings(max_examples=300, deadline=None)  # a busy CI machine: no per-example deadline
@given(st.lists(_XML_BITS, max_size=40))
def test_the_sheet_scan_never_crashes(bits):
    from toolkit.register.sheetxml import scan_sheet

    try:
        facts = scan_sheet("".join(bits).encode(), "Pilots", "r.xlsx")
    except RegisterUnreadable as exc:
        assert "beschadigd" in str(exc)
    else:
        assert len(facts.hidden_columns) <= 16_384


def test_a_tag_that_is_not_html_is_printed_as_typed_with_a_warning(tmp_path):
    path = make(tmp_path, [{"naam": "Zie <a href='x'>site</a> en <c>"}])
    result = validate_file(path)
    assert flat(result) == [("html-in-tekstveld", "Pilots", "B2")]
    assert "in de bijlage komt: 'Zie <a href='x'>site</a> en <c>'" in result.findings[0].message


def test_an_uncalculated_formula_in_a_setting_is_named_too(tmp_path):
    path = make(tmp_path, [{}])
    wb = openpyxl.load_workbook(path)
    wb["Instellingen"]["B2"] = '="Zoeter"&"meer"'  # openpyxl stores no calculated value
    wb.save(path)
    assert flat(validate_file(path)) == [("formule-niet-berekend", "Instellingen", "B2")]


def test_a_row_made_zero_high_counts_as_hidden(tmp_path):
    path = make(tmp_path, [{}, {"id": "P-2", "naam": "Twee"}])
    edit_xml(
        path,
        "xl/worksheets/sheet2.xml",  # as LibreOffice and scripts may write it
        lambda s: s.replace('<row r="3"', '<row r="3" ht="0" customHeight="1"', 1).replace(
            '<col min="2" max="2" width="30.7109375"', '<col min="2" max="2" width="0"'
        ),
    )
    result = validate_file(path)
    assert [(f.code, f.value) for f in result.findings] == [
        ("kolommen-verborgen", "B (Naam pilot)"),
        ("rijen-verborgen", "3"),
    ]


_NASTY = st.lists(
    st.sampled_from(
        list("ab <>/&;\n")
        + [
            "\x07",
            "\x0b",
            "\x1f",
            "\u202e",
            "\u2066",
            "\u200b",
            "\u00a0",
            "_x000B_",
            "_x0007_",
            "<span>",
            "</p>",
            "<a href='x'>",
            "&amp;",
            "\uff30",
            "{{",
            "=1+1",
        ]
    ),
    min_size=1,
    max_size=12,
).map("".join)


@settings(max_examples=10, deadline=None)
@given(name=_NASTY, text=_NASTY, ident=_NASTY)
def test_whatever_is_typed_validate_writes_every_report(tmp_path_factory, name, text, ident):
    """No crash and every report, for any mix of what officers paste into cells."""
    folder = tmp_path_factory.mktemp("nasty")
    path = make(folder, [{"naam": name, "omschrijving": text, "id": ident}])
    result = CliRunner().invoke(cli, ["validate", str(path), "--report-dir", str(folder / "r")])
    assert result.exit_code in (0, 1), result.output
    assert "Onverwachte fout" not in result.output
    for suffix in ("xlsx", "html", "json"):
        assert (folder / "r" / f"register_validatie.{suffix}").exists()


@given(st.text(alphabet=st.sampled_from("ab \x07\x00\x1f\ufffe"), max_size=30))
def test_control_characters_never_glue_words(text):
    """Dropping a control character between two words leaves a space, never 'regeluit'."""
    from toolkit.core.richtext import ILLEGAL_CHARS, without_controls

    out = without_controls(text)
    assert not ILLEGAL_CHARS.search(out)
    words = [w for w in ILLEGAL_CHARS.sub(" ", text).split()]
    assert out.split() == words


def test_a_bell_between_words_becomes_a_space_in_the_annex(tmp_path):
    path = make(tmp_path, [{"omschrijving": "regeleinde MARK uit"}])
    replace_text(path, " MARK ", "_x0007_")
    out = tmp_path / "uit"
    result = CliRunner().invoke(cli, ["build", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = docx_text(next(out.glob("Bijlage*.docx")))
    assert "regeleinde uit" in text and "regeleindeuit" not in text
