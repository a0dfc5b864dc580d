"""Validation: the reference flaws are found, each rule fires where it should."""

from __future__ import annotations

import json
from datetime import date

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, GAPS, MUNICIPALITY, ROOT, with_example_lists
from hypothesis import given
from hypothesis import strategies as st

from toolkit.cli import cli
from toolkit.declarations.findings import RULES
from toolkit.register.write import write_register
from toolkit.validation.rulesdoc import rules_markdown
from toolkit.validation.validate import validate_file


def flat(result):
    return [(f.code, f.sheet, f.cell) for f in result.findings]


def test_reference_gaps_golden():
    assert flat(validate_file(GAPS)) == [
        ("uitkomst-verlopen", "Pilots", "J3"),
        ("verplicht-leeg", "Pilots", "L5"),  # Dealbreakers: financieel gevolg
        ("verplicht-leeg", "Pilots", "L6"),  # IPTA: financieel gevolg
        ("verplicht-leeg", "Pilots", "C11"),  # Stille studieruimtes: Korte omschrijving
        ("verplicht-leeg", "Pilots", "K11"),
        ("verplicht-leeg", "Pilots", "L11"),
        ("verplicht-leeg", "Pilots", "M11"),
        ("verplicht-leeg", "Pilots", "M12"),  # Jeugdhonk: hoe gerapporteerd
        ("schrijfwijze-lijst", "Pilots", "E13"),
        ("verplicht-leeg", "Acties", "F16"),  # "Meer vroegsignalering": empty status
        ("vervolgrij", "Acties", "D22"),
        ("vervolgrij", "Acties", "D23"),
        ("vervolgrij", "Acties", "D33"),
        ("vervolgrij", "Acties", "D47"),
        ("vervolgrij", "Acties", "D51"),
        ("vervolgrij", "Acties", "D63"),
    ]


def test_example_has_no_errors():
    result = validate_file(EXAMPLE)
    assert result.exit_code == 0
    assert {f.code for f in result.findings} == {"uitkomst-verlopen", "schrijfwijze-lijst"}


GOOD = {
    "id": "P-1",
    "naam": "Goede pilot",
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
GOOD_ACTION = {
    "id": "A-1",
    "opgave": "Jeugd en onderwijs",
    "doel": "Doel",
    "activiteit": "Iets",
    "resultaat": "Iets bereikt",
    "status": "Afgerond",
}

# one small register per rule: (pilots changes, actions, expected flat findings)
CASES = {
    "verplicht-leeg": ([{"beleid": ""}], [], [("verplicht-leeg", "Pilots", "K2")]),
    "niet-in-lijst": ([{"programma": "9. Onbekend"}], [], [("niet-in-lijst", "Pilots", "D2")]),
    "schrijfwijze-lijst": ([{"portefeuille": " wonen"}], [], [("schrijfwijze-lijst", "Pilots", "E2")]),
    "id-dubbel": (
        [{}, {"naam": "Andere pilot"}],
        [],
        [("id-dubbel", "Pilots", "A2"), ("id-dubbel", "Pilots", "A3")],
    ),
    "naam-dubbel": (
        [{}, {"id": "P-2", "naam": "goede\u00a0PILOT\u200b"}],
        [],
        [("naam-dubbel", "Pilots", "B2"), ("naam-dubbel", "Pilots", "B3")],
    ),
    "datum-onleesbaar": ([{"startdatum": "na de zomer"}], [], [("datum-onleesbaar", "Pilots", "G2")]),
    "start-na-eind": (
        [{"startdatum": "1-5-2025", "evaluatiemoment": "Nog niet bekend"}],
        [],
        [("start-na-eind", "Pilots", "G2")],
    ),
    "evaluatie-voor-start": ([{"evaluatiemoment": "2022"}], [], [("evaluatie-voor-start", "Pilots", "I2")]),
    "uitkomst-verlopen": (
        [{"einddatum": "maart 2024", "evaluatiemoment": "Q1-2024", "succesvol": "Nog niet bekend"}],
        [],
        [("uitkomst-verlopen", "Pilots", "J2")],
    ),
    "oude-pilot": (
        [{"startdatum": "2020", "einddatum": "2022", "evaluatiemoment": "2022"}],
        [],
        [("oude-pilot", "Pilots", "N2")],
    ),
    "html-onbekend": ([{"doel": "<p>Zie <a href='x'>site</a></p>"}], [], [("html-onbekend", "Pilots", "F2")]),
    "html-in-tekstveld": (
        [{"naam": "Jeugdhonk <span>Buytenwegh</span>"}],
        [],
        [("html-in-tekstveld", "Pilots", "B2")],
    ),
    "teken-ongeldig": ([{"omschrijving": "Tekst\x07met bel"}], [], [("teken-ongeldig", "Pilots", "C2")]),
    "te-lang": ([{}], [], [("te-lang", "Pilots", "C2")]),  # written by openpyxl, see below
    "vervolgrij": (
        [{}],
        [
            GOOD_ACTION,
            {
                "id": "A-2",
                "opgave": "Jeugd en onderwijs",
                "doel": "Doel",
                "resultaat": "vervolg van de tekst",
            },
        ],
        [("vervolgrij", "Acties", "D3")],
    ),
    "instelling-leeg": ([{}], [], [("instelling-leeg", "Instellingen", "B2")]),
    "cellen-samengevoegd": (
        [{}, {"id": "P-2", "naam": "Twee", "omschrijving": None}],
        [],
        [("cellen-samengevoegd", "Pilots", "C2"), ("verplicht-leeg", "Pilots", "C3")],
    ),
    "peildatum-ontbreekt": ([{}], [], [("peildatum-ontbreekt", "Instellingen", "B4")]),
    "id-onzichtbaar": ([{"id": "P-1\u200b"}], [], [("id-onzichtbaar", "Pilots", "A2")]),
    "getal-onleesbaar": ([{"doel": 1.5e300}], [], [("getal-onleesbaar", "Pilots", "F2")]),
    "teken-richting": ([{"naam": "Goede \u202epilot"}], [], [("teken-richting", "Pilots", "B2")]),
    "rijen-verborgen": (
        [{}, {"id": "P-2", "naam": "Twee"}, {"id": "P-3", "naam": "Drie"}],
        [],
        [("rijen-verborgen", "Pilots", "A3")],
    ),  # rows 3 and 4, one finding
    "kolommen-verborgen": ([{}], [], [("kolommen-verborgen", "Pilots", "")]),
    "tabblad-verborgen": ([{}], [], [("tabblad-verborgen", "Pilots", "")]),
    "formule-niet-berekend": ([{}], [], [("formule-niet-berekend", "Pilots", "K2")]),
    "tabblad-ontbreekt": ([{}], [], [("tabblad-ontbreekt", "Instellingen", "A5")]),
    "formule-fout": ([{}], [], [("formule-fout", "Pilots", "K2")]),  # "-tekst" typed in Excel
    "teken-emoji": ([{"omschrijving": "Klaar \U0001f44d"}], [], [("teken-emoji", "Pilots", "C2")]),
    "opsomming-niveau": (
        [{"doel": "<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li></ul>"}],
        [],
        [("opsomming-niveau", "Pilots", "F2")],
    ),
    "html-tabel": (
        [{"omschrijving": "<table><tr><td>a</td><td>b</td><td>c</td></tr></table>"}],
        [],
        [("html-tabel", "Pilots", "C2")],
    ),
    "markdown-kop": ([{"omschrijving": "## Aanpak\nEerst praten."}], [], [("markdown-kop", "Pilots", "C2")]),
    "instelling-te-lang": ([{}], [], [("instelling-te-lang", "Instellingen", "B3")]),
    "bijlagenummer-ongeldig": ([{}], [], [("bijlagenummer-ongeldig", "Instellingen", "B5")]),
    "bijlagenummer-dubbel": ([{}], [], [("bijlagenummer-dubbel", "Instellingen", "B10")]),
    "gemeente-voorvoegsel": ([{}], [], [("gemeente-voorvoegsel", "Instellingen", "B2")]),
    "inleiding-leeg": ([{}], [], [("inleiding-leeg", "Instellingen", "B7")]),
    "register-leeg": ([{"opnemen": "Nee"}], [], [("register-leeg", "Pilots", "")]),
    # Lijsten: C is 'Opnemen in bijlage', D its 'betekenis' column
    "betekenis-onbekend": ([{}], [], [("betekenis-onbekend", "Lijsten", "C5")]),
    "betekenis-ontbreekt": ([{}], [], [("betekenis-ontbreekt", "Lijsten", "C1")]),
    # an empty list of the municipality's own: one finding, not an error on every row
    "lijst-leeg": ([{}, {"id": "P-2", "naam": "Twee"}], [], [("lijst-leeg", "Lijsten", "")]),
}
#: the Lijsten sheet per rule: (lists, meanings)
LIST_CASES = {
    "betekenis-onbekend": ({"opnemen": ["Ja", "Laatste keer", "Nee", "Misschien"]}, {}),
    "betekenis-ontbreekt": ({"opnemen": ["Ja", "Nee"]}, {}),
    "lijst-leeg": ({"programma": ()}, None),
}
#: settings per rule (on top of a peildatum and an inleiding)
SETTING_CASES = {
    "instelling-te-lang": {"editie": "x" * 101},
    "bijlagenummer-ongeldig": {"bijlage_pilots_nummer": "0"},
    "bijlagenummer-dubbel": {"bijlage_pilots_nummer": "2", "bijlage_acties_eerste_nummer": "2"},
    "gemeente-voorvoegsel": {"gemeente": "Gemeente Zoetermeer"},
    "inleiding-leeg": {"inleiding": ""},
}


def _register(tmp_path, code, pilots, actions):
    settings = {
        **MUNICIPALITY,
        "peildatum": date(2024, 4, 1),
        "inleiding": "Over deze bijlage.",
        **SETTING_CASES.get(code, {}),
    }
    if code == "instelling-leeg":
        settings["gemeente"] = ""
    if code == "peildatum-ontbreekt":
        settings["peildatum"] = "binnenkort"
    path = tmp_path / f"{code}.xlsx"
    if code != "register-leeg":
        actions = actions or [GOOD_ACTION]
    lists, meanings = LIST_CASES.get(code, (None, None))
    write_register(
        path,
        {"Pilots": [{**GOOD, **changes} for changes in pilots], "Acties": actions},
        settings,
        with_example_lists(lists),
        meanings=meanings,
    )
    if code == "cellen-samengevoegd":
        wb = openpyxl.load_workbook(path)
        wb["Pilots"].merge_cells("C2:C3")
        wb.save(path)
    if code in (
        "rijen-verborgen",
        "kolommen-verborgen",
        "formule-niet-berekend",
        "tabblad-verborgen",
        "formule-fout",
    ):
        wb = openpyxl.load_workbook(path)
        ws = wb["Pilots"]
        if code == "rijen-verborgen":  # a filter left on hides rows the same way
            ws.row_dimensions[3].hidden = ws.row_dimensions[4].hidden = True
            ws.row_dimensions[9].hidden = True  # an empty row: nothing published, no finding
        elif code == "tabblad-verborgen":  # Blad verbergen: the pilots are published anyway
            ws.sheet_state = "hidden"
        elif code == "kolommen-verborgen":
            ws.column_dimensions["C"].hidden = True
            ws.column_dimensions["P"].hidden = True  # internal: never published, no finding
        elif code == "formule-fout":
            ws["K2"] = "#NAME?"  # openpyxl writes an error value (t="e"), as Excel does
        else:
            ws["K2"] = '=A2&""'  # openpyxl writes the formula without a calculated value
        wb.save(path)
    if code == "tabblad-ontbreekt":  # deleted; Instellingen still describe the pilot annex
        wb = openpyxl.load_workbook(path)
        del wb["Pilots"]
        wb.save(path)
    if code == "te-lang":  # Excel and its libraries truncate; LibreOffice and scripts do not
        _replace_in_zip(path, b"Tekst", b"x" * 32_768)
    return path


def _replace_in_zip(path, old, new):
    import zipfile

    data = {}
    with zipfile.ZipFile(path) as z:
        for item in z.infolist():
            data[item.filename] = z.read(item).replace(old, new)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in data.items():
            z.writestr(name, content)


def test_every_rule_has_a_case():
    """The fixed rules and the rules the bundled annex types declare ([[regel]])."""
    from toolkit.declarations.annextypes import BUILTIN

    declared = {rule.code for annex in BUILTIN.types for rule in annex.rules}
    assert set(CASES) == {r.code for r in RULES} | declared


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_rule_fires_exactly_where_expected(tmp_path, code):
    pilots, actions, expected = CASES[code]
    result = validate_file(_register(tmp_path, code, pilots, actions))
    assert flat(result) == expected
    for f in result.findings:
        assert f.message and f.hint and f.label and f.record or f.sheet == "Instellingen"


def test_the_careful_reader_reports_merged_cells_too(tmp_path):
    """openpyxl's read-only mode cannot see merged cells; the reader finds them itself."""
    from toolkit.register.read import read_register
    from toolkit.validation.validate import validate_register

    pilots, actions, expected = CASES["cellen-samengevoegd"]
    path = _register(tmp_path, "cellen-samengevoegd", pilots, actions)
    careful = validate_register(read_register(path, careful=True))
    assert flat(careful) == flat(validate_register(read_register(path))) == expected


def test_peildatum_option_overrides_settings(tmp_path):
    path = _register(
        tmp_path,
        "x",
        [{"einddatum": "maart 2024", "evaluatiemoment": "Q1-2024", "succesvol": "Nog niet bekend"}],
        [],
    )
    assert flat(validate_file(path, date(2024, 1, 1))) == []


def test_blank_rows_keep_excel_row_numbers(tmp_path):
    path = _register(tmp_path, "rijen", [{}, {"id": "P-2", "naam": "Twee", "beleid": ""}], [])
    wb = openpyxl.load_workbook(path)
    wb["Pilots"].insert_rows(3, 3)
    wb["Pilots"].row_dimensions[4].hidden = True
    wb.save(path)
    assert flat(validate_file(path)) == [("verplicht-leeg", "Pilots", "K6")]


def test_rules_catalogue_docs_are_current():
    assert (ROOT / "docs" / "regels.md").read_text(encoding="utf-8") == rules_markdown()


def test_cli_validate_writes_reports_and_exit_codes(tmp_path):
    runner = CliRunner()
    out = tmp_path / "rapport"
    before = GAPS.read_bytes()
    result = runner.invoke(cli, ["validate", str(GAPS), "--report-dir", str(out)])
    assert result.exit_code == 1, result.output
    assert "8 fouten" in result.output
    assert GAPS.read_bytes() == before
    data = json.loads((out / "register_met_gaten_validatie.json").read_text(encoding="utf-8"))
    assert data["aantallen"] == {"fout": 8, "waarschuwing": 8}
    assert data["bevindingen"][1]["cel"] == "L5"
    # the keys are the documented ones (docs/beoordelen.md, De rapporten), all Dutch
    assert set(data["bevindingen"][0]) == {
        "code",
        "ernst",
        "tabblad",
        "rij",
        "kolom",
        "kolomnaam",
        "waarde",
        "melding",
        "hint",
        "onderwerp",
        "cel",
    }
    result = runner.invoke(cli, ["validate", str(EXAMPLE), "--report-dir", str(out)])
    assert result.exit_code == 0, result.output


def test_cli_validate_bad_file_exit_2(tmp_path):
    bad = tmp_path / "register.xlsx"
    bad.write_text("ID;Naam\n1;x\n")
    result = CliRunner().invoke(cli, ["validate", str(bad), "--report-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "geen Excel-werkmap" in result.output
    assert "Traceback" not in result.output
    assert bad.read_text() == "ID;Naam\n1;x\n"


def test_cli_rejects_a_vague_peildatum(tmp_path):
    result = CliRunner().invoke(cli, ["validate", str(EXAMPLE), "--peildatum", "april 2024"])
    assert result.exit_code == 2
    assert "geen dag" in result.output


def test_register_open_in_excel_is_read_and_mentioned(tmp_path):
    import shutil

    reg = tmp_path / "register.xlsx"
    shutil.copy(EXAMPLE, reg)
    (tmp_path / "~$register.xlsx").write_bytes(b"\x00" * 165)
    result = CliRunner().invoke(cli, ["validate", str(reg), "--report-dir", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    assert "geopend in Excel" in result.output


@given(
    st.lists(
        st.fixed_dictionaries(
            {
                key: st.sampled_from([None, "x", "tekst"])
                for key in ("activiteit", "resultaat", "status", "toelichting_status")
            }
        ),
        min_size=1,
        max_size=6,
    )
)
def test_the_warning_and_the_printing_agree_on_continued_rows(rows):
    """One rule for 'this row only continues the previous Resultaat', wherever it is used."""
    from toolkit.declarations.annextypes import BUILTIN
    from toolkit.declarations.schema import ListRoles
    from toolkit.layouts.arrange import merge_continuations
    from toolkit.register.read import Record
    from toolkit.validators import sheet_frame
    from toolkit.validators.rules import Sheet, broken_rows

    annex = BUILTIN.get("acties")
    actions, continuation = annex.sheet, annex.arrangement.continuation
    (rule,) = [r for r in annex.rules if r.kind == "vervolgrij"]  # derived from [indeling.vervolgrij]
    assert (rule.column("vervolg"), rule.columns("leeg")) == (continuation.column, continuation.empty)
    records = [Record(actions, i + 2, dict(row), {}) for i, row in enumerate(rows)]
    by_row = {r.row: r for r in records}
    ctx = Sheet(actions, ListRoles(), None, lambda row, key: by_row[row].text(key))
    found = broken_rows(sheet_frame(records, actions), rule, ctx)
    flagged = [r.row in found for r in records]
    assert all(found[r] == {"vorige_rij": str(r - 1)} for r in found)
    assert flagged == [i > 0 and continuation.continues(row) for i, row in enumerate(rows)]
    printed, _ = merge_continuations(records, continuation)
    assert len(printed) == len(rows) - sum(flagged)


def test_a_value_close_to_one_in_the_list_gets_a_suggestion(tmp_path):
    """'Ruimtelijke ordenning' (a typo) and 'Armoede beleid': the list value is named;
    a value like nothing in the list gets no guess."""
    path = tmp_path / "r.xlsx"
    pilots = [
        {**GOOD, "id": "P-1", "portefeuille": "Ruimtelijke ordenning"},
        {**GOOD, "id": "P-2", "portefeuille": "Armoedebeleidd"},
        {**GOOD, "id": "P-3", "portefeuille": "Sport"},
    ]
    write_register(
        path,
        {"Pilots": pilots, "Acties": [GOOD_ACTION]},
        {**MUNICIPALITY, "peildatum": date(2024, 4, 1), "inleiding": "Over deze bijlage."},
        with_example_lists(None),
    )
    messages = [f.message for f in validate_file(path).findings if f.code == "niet-in-lijst"]
    assert messages == [
        "'Ruimtelijke ordenning' staat niet in de keuzelijst voor 'Portefeuille'. "
        "Bedoelt u 'Ruimtelijke ordening'?",
        "'Armoedebeleidd' staat niet in de keuzelijst voor 'Portefeuille'. Bedoelt u 'Armoedebeleid'?",
        "'Sport' staat niet in de keuzelijst voor 'Portefeuille'.",
    ]
