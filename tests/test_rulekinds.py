"""Declared rules ([[regel]]): an own annex type checks its own columns, a wrong declaration
is refused in Dutch, and every kind is documented from the code."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import ROOT

from toolkit.cli import cli
from toolkit.core.errors import TemplateError
from toolkit.declarations.annextypes import BUILTIN
from toolkit.declarations.model import Kind
from toolkit.declarations.rulekinds import (
    COMMON_PARAMS,
    RULE_KEYS,
    RULE_KINDS,
    Broken,
    Declared,
    DeclaredRule,
    Param,
    ParamType,
    RuleKind,
    SheetRows,
    example_rule,
)
from toolkit.register.write import write_register
from toolkit.validation.rulesdoc import rules_markdown
from toolkit.validation.validate import validate_file

#: a council's list of promises (toezeggingen): its own columns, list and rules
DECLARATION = """
[bijlagetype]
sleutel = "toezeggingen"
naam = "lijst van toezeggingen"
meervoud = "toezeggingen"
enkelvoud = "toezegging"

[tabblad]
naam = "Toezeggingen"
sleutelkolom = "nummer"
naamkolom = "toezegging"

[[kolom]]
sleutel = "nummer"
kop = "Nummer"
soort = "id"
verplicht = true

[[kolom]]
sleutel = "toezegging"
kop = "Toezegging"
soort = "rijke tekst"
verplicht = true

[[kolom]]
sleutel = "portefeuillehouder"
kop = "Portefeuillehouder"

[[kolom]]
sleutel = "vergadering"
kop = "Vergadering"
soort = "datum"

[[kolom]]
sleutel = "datum_toegezegd"
kop = "Datum toegezegd"
soort = "datum"

[[kolom]]
sleutel = "status"
kop = "Status"
soort = "keuze"
lijst = "toezeggingstatus"
verplicht = true

[[kolom]]
sleutel = "toelichting"
kop = "Toelichting"
soort = "rijke tekst"

[[kolom]]
sleutel = "commissie"
kop = "Commissie"
soort = "keuze"
lijst = "commissie"

[[regel]]
soort = "verlopen"
code = "toezegging-verlopen"
datum = "datum_toegezegd"
kolom = "status"
zonder_betekenis = "afgerond"

{extra}

[[lijst]]
sleutel = "commissie"
naam = "Commissies"
waarden = ["Bestuur", "Ruimte"]

[[lijst]]
sleutel = "toezeggingstatus"
naam = "Statussen toezeggingen"

[[lijst.betekenis]]
sleutel = "open"
waarde = "Open"
uitleg = "Nog te doen."

[[lijst.betekenis]]
sleutel = "ingetrokken"
waarde = "Ingetrokken"
uitleg = "Niet meer nodig."
afgerond = true

[[lijst.betekenis]]
sleutel = "afgedaan"
waarde = "Afgedaan"
uitleg = "Gedaan."
verplicht = true
afgerond = true
"""
PEIL = date(2024, 4, 1)


def _folder(tmp_path: Path, extra: str = "") -> Path:
    folder = tmp_path / "sjablonen"
    folder.mkdir(exist_ok=True)
    (folder / "toezeggingen.toml").write_text(DECLARATION.replace("{extra}", extra), encoding="utf-8")
    return folder


def _register(
    tmp_path: Path,
    rows: list[dict[str, object]],
    extra: str = "",
    meanings: dict[str, dict[str, str]] | None = None,
    lists: dict[str, list[str]] | None = None,
    peildatum: object = PEIL,
) -> Path:
    folder = _folder(tmp_path, extra)
    types = BUILTIN.with_folder(folder)
    path = tmp_path / "toezeggingen.xlsx"
    rows = [
        {"nummer": f"T-{i}", "toezegging": f"Toezegging {i}", "status": "Open", **row}
        for i, row in enumerate(rows, start=1)
    ]
    write_register(
        path,
        settings={
            "gemeente": "Delft",
            "editie": "Raad 2024",
            "peildatum": peildatum,
            "sjablonen": "sjablonen",
        },
        sheets=["Toezeggingen"],
        tables={"Toezeggingen": rows},
        types=types,
        meanings=meanings,
        lists=lists,
    )
    return path


def _cells(path: Path, code: str) -> list[str]:
    return [f.cell for f in validate_file(path).findings if f.code == code]


def test_an_own_type_finds_a_promise_past_its_date_at_the_status_cell(tmp_path):
    path = _register(
        tmp_path,
        [
            {"datum_toegezegd": "1-2-2024"},  # row 2: passed, still open
            {"datum_toegezegd": "1-2-2024", "status": "Afgedaan"},  # done
            {"datum_toegezegd": "1-6-2024"},  # not yet due
            {"datum_toegezegd": "Q1-2024"},  # row 5: the quarter ended on 31 March
            {"datum_toegezegd": "1-2-2024", "status": "Ingetrokken"},  # its meaning is finished too
            {"datum_toegezegd": "Nog niet bekend"},  # no date, no finding
            {"datum_toegezegd": "1-3-2024", "status": ""},  # row 8: no status is not finished
        ],
    )
    result = validate_file(path)
    found = [f for f in result.findings if f.code == "toezegging-verlopen"]
    assert [f.cell for f in found] == ["F2", "F5", "F8"]
    # an empty status is not a finished one: past its date, that says more than that the
    # required status is empty (unlike "nog onbekend", where empty is all it says)
    assert sorted(f.code for f in result.findings if f.cell == "F8") == [
        "toezegging-verlopen",
        "verplicht-leeg",
    ]
    assert found[2].message.endswith("maar 'Status' is 'leeg'.")
    first = found[0]
    assert first.sheet == "Toezeggingen" and first.label == "Status"
    assert str(first.severity) == "waarschuwing" and first.value == "Open"
    assert "Toezegging 1" in first.record
    assert first.message == (
        "'Datum toegezegd' (1-2-2024) is voorbij (peildatum 1 april 2024), maar 'Status' is 'Open'."
    )
    assert first.hint == ("Werk 'Status' bij, of pas 'Datum toegezegd' aan als de datum is verschoven.")
    # --peildatum moves the day the rule looks from
    assert [
        f.cell for f in validate_file(path, date(2024, 2, 15)).findings if f.code == "toezegging-verlopen"
    ] == ["F2"]


def test_without_a_peildatum_the_overdue_rule_is_skipped_and_the_register_says_why(tmp_path):
    path = _register(tmp_path, [{"datum_toegezegd": "1-2-2024"}], peildatum="")
    codes = [f.code for f in validate_file(path).findings]
    assert "toezegging-verlopen" not in codes and "peildatum-ontbreekt" in codes


def test_the_overdue_rule_follows_the_meaning_not_the_wording(tmp_path):
    """A council that calls its finished promises 'Klaar' says so on the Lijsten sheet."""
    path = _register(
        tmp_path,
        [{"datum_toegezegd": "1-2-2024", "status": "Klaar"}, {"datum_toegezegd": "1-2-2024"}],
        lists={"toezeggingstatus": ["Open", "Klaar", "Ingetrokken"]},
        meanings={"toezeggingstatus": {"Klaar": "Afgedaan"}},
    )
    assert _cells(path, "toezegging-verlopen") == ["F3"]


def test_the_cli_reports_the_declared_rule_with_its_title(tmp_path):
    path = _register(tmp_path, [{"datum_toegezegd": "1-2-2024"}])
    out = tmp_path / "rapport"
    result = CliRunner().invoke(cli, ["validate", str(path), "--report-dir", str(out)])
    assert result.exit_code == 0, result.output  # a warning only
    assert "toezegging-verlopen" in result.output
    data = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    (finding,) = [f for f in data["bevindingen"] if f["code"] == "toezegging-verlopen"]
    assert finding["cel"] == "F2" and finding["tabblad"] == "Toezeggingen"
    wb = openpyxl.load_workbook(next(out.glob("*.xlsx")))
    summary = [[c.value for c in row][:4] for row in wb.worksheets[0].iter_rows(min_row=5, max_row=6)]
    assert [
        1,
        "waarschuwing",
        "toezegging-verlopen",
        "Datum toegezegd voorbij, Status niet 'afgerond'",
    ] in summary


def test_declared_texts_and_the_other_kinds_on_own_columns(tmp_path):
    extra = """
[[regel]]
soort = "verlopen"
code = "toezegging-lang-open"
datum = ["vergadering", "datum_toegezegd"]
dagen = 30
kolom = "status"
met_betekenis = "open"
ernst = "fout"
titel = "{kolom_kop} al lang open"
melding = "Al meer dan 30 dagen voorbij: {datum_kop} {datum} (peildatum {peildatum})."
hint = "Bel {waarde} na."
anker = "datum_toegezegd"

[[regel]]
soort = "verplicht-als"
code = "toelichting-ontbreekt"
kolom = "toelichting"
als = "status"
met_betekenis = "ingetrokken"

[[regel]]
soort = "uniek"
code = "toezegging-dubbel"
kolommen = ["portefeuillehouder", "toezegging"]

[[regel]]
soort = "datumvolgorde"
code = "toegezegd-voor-vergadering"
eerste = "vergadering"
tweede = "datum_toegezegd"
"""
    path = _register(
        tmp_path,
        [
            {"vergadering": "1-1-2024", "datum_toegezegd": "1-6-2024"},  # 2: meeting long ago
            {"status": "Ingetrokken"},  # 3: no reason given
            {"portefeuillehouder": "Jansen", "toezegging": "Brug  repareren"},  # 4
            {"portefeuillehouder": "jansen", "toezegging": "brug repareren"},  # 5: same as 4
            {"portefeuillehouder": "", "toezegging": "Brug repareren"},  # 6: incomplete, skipped
            {"vergadering": "1-5-2024", "datum_toegezegd": "1-4-2024", "status": "Afgedaan"},  # 7
        ],
        extra=extra,
    )
    findings = validate_file(path).findings
    by_code = {
        code: [f for f in findings if f.code == code]
        for code in (
            "toezegging-lang-open",
            "toelichting-ontbreekt",
            "toezegging-dubbel",
            "toegezegd-voor-vergadering",
        )
    }
    (late,) = by_code["toezegging-lang-open"]
    assert late.cell == "E2" and str(late.severity) == "fout"
    assert late.message == ("Al meer dan 30 dagen voorbij: Vergadering 1-1-2024 (peildatum 1 april 2024).")
    assert late.hint == "Bel 1-6-2024 na." and late.title == "Status al lang open"
    (reason,) = by_code["toelichting-ontbreekt"]
    assert reason.cell == "G3" and reason.value == "leeg"
    assert reason.message == "'Toelichting' is leeg, terwijl 'Status' 'Ingetrokken' is."
    assert [f.cell for f in by_code["toezegging-dubbel"]] == ["C4", "C5"]
    assert by_code["toezegging-dubbel"][0].message == (
        "De combinatie 'Jansen / Brug  repareren' komt vaker voor in Portefeuillehouder en "
        "Toezegging (hoofdletters en spaties niet meegeteld), ook in rij 5."
    )
    (order,) = by_code["toegezegd-voor-vergadering"]
    assert order.cell == "D7"
    assert order.message == "'Vergadering' (1-5-2024) ligt na 'Datum toegezegd' (1-4-2024)."


BASE_RULE = {
    "soort": '"verlopen"',
    "code": '"toezegging-verlopen"',
    "datum": '"datum_toegezegd"',
    "kolom": '"status"',
    "zonder_betekenis": '"afgerond"',
}
#: changes to a valid [[regel]] -> what the message must say (after the file and the rule)
ERRORS = [
    ({}, ""),  # the control case: valid
    ({"soort": '"verlopn"'}, "de regelsoort 'verlopn' bestaat niet; bedoelt u 'verlopen'?"),
    ({"kolom": '"statu"'}, "'kolom' noemt de kolom 'statu', maar die is niet verklaard; bedoelt u 'status'?"),
    (
        {"datum": '"toelichting"'},
        "'datum' moet een kolom van soort 'datum of omschrijving' "
        "zijn; 'toelichting' is van soort 'rijke tekst'.",
    ),
    (
        {"zonder_betekenis": '"afgerondt"'},
        "'afgerondt' in 'zonder_betekenis' is geen "
        "betekenis van de lijst 'toezeggingstatus' (kolom "
        "'status'); bedoelt u 'afgerond'?",
    ),
    ({"richtng": '"na"'}, "'richtng' is geen sleutel van [[regel]]; bedoelt u 'richting'?"),
    (
        {"melding": '"{kolom_kpo} is te laat"'},
        "'melding' noemt {kolom_kpo}, maar die "
        "plaatshouder bestaat niet bij een regel van "
        "soort 'verlopen'; bedoelt u 'kolom_kop'?",
    ),
    ({"melding": '"{kolom is te laat"'}, "'melding' heeft een losse { of }"),
    ({"nog_onbekend": "true"}, "gebruik hoogstens één van"),
    ({"zonder_betekenis": None}, "heeft één van 'met_betekenis', 'zonder_betekenis' of 'nog_onbekend' nodig"),
    (
        {"met_betekenis": '"open"', "zonder_betekenis": None, "kolom": '"toelichting"'},
        "'met_betekenis' kan alleen bij een kolom van soort 'keuze uit lijst'",
    ),
    (
        {"kolom": '"commissie"'},
        "'zonder_betekenis' noemt betekenissen, maar de lijst 'commissie' (kolom 'commissie') heeft er geen",
    ),
    ({"code": '"verplicht-leeg"'}, "de code 'verplicht-leeg' is al een vaste regel"),
    ({"code": '"Te Laat"'}, "de code 'Te Laat' mag alleen kleine letters"),
    ({"code": None}, "'code' ontbreekt"),
    ({"dagen": "-1"}, "'dagen' moet een geheel getal tussen 0 en 36500 zijn"),
    ({"ernst": '"fataal"'}, "de ernst 'fataal' bestaat niet; kies uit 'fout' of 'waarschuwing'"),
    ({"ernst": '"Fout"'}, ""),  # a choice is compared without case, as everywhere
    ({"soort": '"datumvolgorde"'}, "'datum' is geen sleutel van [[regel]]"),  # not of this kind
]


@pytest.mark.parametrize(("changes", "expected"), ERRORS)
def test_a_wrong_rule_is_refused_naming_file_rule_and_nearest_name(tmp_path, changes, expected):
    rule = {**BASE_RULE, **changes}
    text = "[[regel]]\n" + "".join(f"{k} = {v}\n" for k, v in rule.items() if v is not None)
    folder = tmp_path / "sjablonen"
    folder.mkdir()
    declaration = DECLARATION.replace("{extra}", "")
    start = declaration.index("[[regel]]")
    declaration = declaration[:start] + text + declaration[declaration.index("\n[[lijst]]") :]
    (folder / "toezeggingen.toml").write_text(declaration, encoding="utf-8")
    if not expected:
        assert BUILTIN.with_folder(folder).get("toezeggingen").rules
        return
    with pytest.raises(TemplateError) as caught:
        BUILTIN.with_folder(folder)
    message = str(caught.value)
    assert message.startswith("In de verklaring 'toezeggingen.toml' ([[regel]] ")
    assert expected in message
    assert "Traceback" not in message


def test_the_old_list_of_rules_says_how_to_declare_them_now(tmp_path):
    folder = _folder(tmp_path)
    path = folder / "toezeggingen.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'enkelvoud = "toezegging"', 'enkelvoud = "toezegging"\nregels = ["naam-dubbel"]'
        ),
        encoding="utf-8",
    )
    with pytest.raises(TemplateError, match=r"'regels = \[...\]' bestaat niet meer.*\[\[regel\]\]"):
        BUILTIN.with_folder(folder)


def test_one_code_has_one_severity(tmp_path):
    folder = _folder(
        tmp_path,
        '[[regel]]\nsoort = "verlopen"\ncode = "toezegging-verlopen"\n'
        'datum = "vergadering"\nkolom = "status"\n'
        'zonder_betekenis = "afgerond"\nernst = "fout"\n',
    )
    with pytest.raises(TemplateError, match="één code heeft één ernst"):
        BUILTIN.with_folder(folder)


def test_every_kind_is_documented_with_its_parameters_and_a_valid_example():
    docs = (ROOT / "docs" / "regels.md").read_text(encoding="utf-8")
    assert docs == rules_markdown()
    for kind in RULE_KINDS.values():
        assert f"### `{kind.name}`" in docs and kind.example.strip() in docs
        for param in kind.params:
            assert f"| `{param.name}` |" in docs
        example = example_rule(kind)  # the example is a valid declaration
        assert example.kind == kind.name
    for param in COMMON_PARAMS:
        assert f"| `{param.name}` |" in docs
    # the keys a strict reader accepts in a [[regel]] are exactly the documented ones
    assert set(RULE_KEYS) == {p.name for k in RULE_KINDS.values() for p in (*COMMON_PARAMS, *k.params)}
    for annex in BUILTIN.types:
        for rule in annex.rules:
            assert f"| `{rule.code}` | {annex.sheet.name} | `{rule.kind}` |" in docs


def _only_if_texts(d: Declared) -> tuple[str, str, str]:
    return (
        f"{d.label('kolom')} ingevuld, {d.label('bij')} niet {d.names('met_betekenis')}",
        "'{kolom_kop}' is al ingevuld ({tekens} tekens), maar '{bij_kop}' is '{bij}'.",
        "Laat '{kolom_kop}' leeg tot '{bij_kop}' zover is.",
    )


def _only_if(rule: DeclaredRule, rows: SheetRows) -> Broken:
    column = rule.column("kolom")
    found = rows.filled(column) & ~rows.has_meaning(rule, "met_betekenis")
    return {row: {"tekens": str(len(rows.text(row, column)))} for row in rows.rows(found)}


#: a kind the toolkit does not have: a column only filled in once another has a meaning
ONLY_IF = RuleKind(
    "alleen-als",
    "Een kolom is pas ingevuld als een andere een betekenis heeft.",
    "Een bevinding als `kolom` is ingevuld terwijl `bij` geen van de betekenissen heeft.",
    (
        Param("kolom", ParamType.COLUMN, "De kolom die tot dan leeg blijft.", required=True),
        Param("bij", ParamType.COLUMN, "De lijstkolom.", required=True, kinds=(Kind.CHOICE,)),
        Param(
            "met_betekenis",
            ParamType.MEANINGS,
            "De betekenissen van `bij`.",
            required=True,
            about="bij",
            about_kinds=(Kind.CHOICE,),
        ),
    ),
    '[[regel]]\nsoort = "alleen-als"\ncode = "toelichting-te-vroeg"\nkolom = "toelichting"\n'
    'bij = "status"\nmet_betekenis = "afgerond"\n',
    _only_if_texts,
    check=_only_if,
    default_anchor="kolom",
    placeholders=(("tekens", "het aantal tekens in `kolom`"),),
)


def test_a_new_kind_is_its_entry_with_its_check(tmp_path, monkeypatch):
    """One place: a RuleKind with its check, and an own type declares it, validate finds
    it with its declared code and texts, and docs/regels.md describes it."""
    monkeypatch.setitem(RULE_KINDS, ONLY_IF.name, ONLY_IF)
    path = _register(
        tmp_path,
        [
            {"toelichting": "Al besproken"},  # row 2: open, yet explained
            {"toelichting": "Gedaan", "status": "Afgedaan"},  # finished: fine
            {"toelichting": ""},  # empty: fine
            {"toelichting": "Vervalt", "status": "Ingetrokken"},  # finished too
            {"toelichting": "Nog even", "status": ""},  # row 6: no status is not finished
        ],
        extra=ONLY_IF.example + 'ernst = "fout"\n',
    )
    found = [f for f in validate_file(path).findings if f.code == "toelichting-te-vroeg"]
    assert [f.cell for f in found] == ["G2", "G6"]
    assert str(found[0].severity) == "fout" and found[0].value == "Al besproken"
    assert found[0].title == "Toelichting ingevuld, Status niet 'afgerond'"
    assert found[0].message == "'Toelichting' is al ingevuld (12 tekens), maar 'Status' is 'Open'."
    assert found[1].message == "'Toelichting' is al ingevuld (8 tekens), maar 'Status' is 'leeg'."
    assert found[0].hint == "Laat 'Toelichting' leeg tot 'Status' zover is."
    # the CLI says it too, and exits 1 for an error
    result = CliRunner().invoke(cli, ["validate", str(path), "--report-dir", str(tmp_path / "rapport")])
    assert result.exit_code == 1 and "toelichting-te-vroeg" in result.output
    docs = rules_markdown()
    assert "### `alleen-als`" in docs and ONLY_IF.example.strip() in docs
    assert "| `bij` |" in docs and "`{tekens}` (het aantal tekens in `kolom`)" in docs


def test_every_kind_checks_an_empty_sheet_and_blank_rows_without_finding_anything():
    """Each kind's check runs on a sheet without rows and on blank rows (a RuleKind has
    its check: there is no list of checks elsewhere to forget)."""
    import pandas as pd

    from toolkit.declarations.model import Column, TableSheet
    from toolkit.declarations.schema import ListRoles
    from toolkit.validators.rules import Sheet, broken_rows

    for kind in RULE_KINDS.values():
        rule = example_rule(kind)
        keys = sorted({k for p in kind.params if p.is_column for k in rule.columns(p.name)})
        columns = tuple(Column(k, k, Kind.TEXT, "", vocabulary="status") for k in keys)
        ctx = Sheet(TableSheet("Voorbeeld", "Voorbeeld", "", columns), ListRoles(), PEIL, lambda r, k: "")
        for rows in (0, 2):
            frame = pd.DataFrame(
                {
                    **{k: [""] * rows for k in keys},
                    **{
                        k + end: pd.to_datetime([None] * rows)
                        for k in keys
                        for end in ("__vroegst", "__laatst")
                    },
                },
                index=pd.Index(range(2, 2 + rows), name="rij"),
            )
            assert broken_rows(frame, rule, ctx) == {}, (kind.name, rows)


#: what the six rules that were fixed in code said before they became declarations of the
#: bundled types (taken from the code before; byte for byte, with value and cell)
BEFORE = [
    (
        "naam-dubbel",
        "B2",
        "Goede pilot",
        "De naam 'Goede pilot' komt vaker voor (hoofdletters en spaties niet meegeteld).",
    ),
    ("start-na-eind", "G2", "1-5-2025", "De startdatum (1-5-2025) ligt na de einddatum (december 2024)."),
    (
        "naam-dubbel",
        "B3",
        "goede\xa0PILOT",
        "De naam 'goede\xa0PILOT' komt vaker voor (hoofdletters en spaties niet meegeteld).",
    ),
    (
        "evaluatie-voor-start",
        "I3",
        "2022",
        "Het evaluatiemoment (2022) ligt vóór de startdatum (januari 2023).",
    ),
    (
        "uitkomst-verlopen",
        "J4",
        "Nog niet bekend",
        "De pilot is voorbij de einddatum (maart 2024), maar 'Pilot succesvol?' is nog 'Nog niet bekend'.",
    ),
    # J5 (an empty required 'Pilot succesvol?' past the evaluation) said uitkomst-verlopen
    # as well as verplicht-leeg; since round 3 only verplicht-leeg: one finding per cell
    (
        "oude-pilot",
        "N6",
        "2022",
        "De pilot is afgelopen (2022), meer dan een jaar vóór de peildatum, en staat nog in de bijlage.",
    ),
    (
        "vervolgrij",
        "D3",
        "vervolg van de tekst",
        "Deze rij heeft geen Activiteit en lijkt het Resultaat van rij 2 voort te zetten (een "
        "overblijfsel van een paginagrens).",
    ),
]


def test_the_bundled_declarations_say_exactly_what_the_fixed_rules_said(tmp_path):
    from conftest import MUNICIPALITY, with_example_lists

    good = {
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
    pilots = [
        {**good, "startdatum": "1-5-2025", "evaluatiemoment": "Nog niet bekend"},
        {**good, "id": "P-2", "naam": "goede\u00a0PILOT", "evaluatiemoment": "2022"},
        {
            **good,
            "id": "P-3",
            "naam": "Drie",
            "einddatum": "maart 2024",
            "evaluatiemoment": "Q1-2024",
            "succesvol": "Nog niet bekend",
        },
        {
            **good,
            "id": "P-4",
            "naam": "Vier",
            "einddatum": "juni 2024",
            "evaluatiemoment": "Q1-2024",
            "succesvol": "",
        },
        {
            **good,
            "id": "P-5",
            "naam": "Vijf",
            "startdatum": "2020",
            "einddatum": "2022",
            "evaluatiemoment": "2022",
            "opnemen": "Laatste keer",
        },
    ]
    actions = [
        {
            "id": "A-1",
            "opgave": "Jeugd en onderwijs",
            "doel": "Doel",
            "activiteit": "Iets",
            "resultaat": "Iets bereikt",
            "status": "Afgerond",
        },
        {"id": "A-2", "opgave": "Jeugd en onderwijs", "doel": "Doel", "resultaat": "vervolg van de tekst"},
    ]
    path = tmp_path / "r.xlsx"
    write_register(
        path,
        {"Pilots": pilots, "Acties": actions},
        {**MUNICIPALITY, "peildatum": PEIL, "inleiding": "x"},
        with_example_lists(None),
    )
    everything = validate_file(path).findings
    findings = [f for f in everything if f.code != "verplicht-leeg"]
    assert [(f.code, f.cell, f.value, f.message) for f in findings] == BEFORE
    assert [f.code for f in everything if f.cell == "J5"] == ["verplicht-leeg"]
    hints = {f.code: f.hint for f in findings}
    assert hints["vervolgrij"] == ("Plak de tekst achter het Resultaat van rij 2 en verwijder deze rij.")
    # the continuation row's empty Activiteit and Status are said once, as vervolgrij
    assert not [f for f in validate_file(path).findings if f.code == "verplicht-leeg" and f.sheet == "Acties"]


def test_the_moties_example_declares_its_own_rules(tmp_path):
    """examples/moties: a delayed promise past its date is a warning at its status cell."""
    import shutil

    folder = tmp_path / "moties"
    shutil.copytree(ROOT / "examples" / "moties", folder)
    register = folder / "moties_toezeggingen.xlsx"
    found = [(f.code, f.cell, f.value) for f in validate_file(register).findings]
    assert found == [("toezegging-verlopen", "J6", "Vertraagd")]
    wb = openpyxl.load_workbook(register)
    ws = wb["Toezeggingen"]
    header = [c.value for c in ws[1]]
    status, done_with = header.index("Status") + 1, header.index("Afgedaan met") + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, status).value == "Afgedaan")
    ws.cell(row, done_with).value = None
    wb.save(register)
    codes = {(f.code, f.row) for f in validate_file(register).findings}
    assert ("afgedaan-zonder-stuk", row) in codes


def test_an_empty_required_cell_is_said_once_unless_the_rule_says_more(tmp_path):
    """'nog onbekend' on an empty required cell only restates that it is empty: one
    finding there (verplicht-leeg). A date-order rule anchored on that same cell says
    something else and stays."""
    extra = """
[[regel]]
soort = "verlopen"
code = "tekst-onbekend"
datum = "datum_toegezegd"
kolom = "toezegging"
nog_onbekend = true

[[regel]]
soort = "datumvolgorde"
code = "toegezegd-voor-vergadering"
eerste = "vergadering"
tweede = "datum_toegezegd"
anker = "toezegging"
"""
    path = _register(
        tmp_path, [{"vergadering": "1-3-2024", "datum_toegezegd": "1-2-2024", "toezegging": ""}], extra
    )
    codes = sorted(f.code for f in validate_file(path).findings if f.cell == "B2")
    assert codes == ["toegezegd-voor-vergadering", "verplicht-leeg"]
    # without the rule of empty cells, 'nog onbekend' would have said it too
    filled = _register(
        tmp_path,
        [{"vergadering": "1-1-2024", "datum_toegezegd": "1-2-2024", "toezegging": "Nog niet bekend"}],
        extra,
    )
    assert [f.code for f in validate_file(filled).findings if f.cell == "B2"] == ["tekst-onbekend"]
