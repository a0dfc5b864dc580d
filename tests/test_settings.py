"""Settings that would give a wrong or broken annex get a finding, never a traceback."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, MUNICIPALITY
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.build.documents import build_documents, document_names
from toolkit.cli import cli
from toolkit.core.settingtext import annex_number, municipality, setting_number
from toolkit.declarations.findings import RULES_BY_CODE
from toolkit.register.read import read_register
from toolkit.register.write import write_register
from toolkit.validation.rulesdoc import rules_markdown
from toolkit.validation.validate import validate_register

PILOT = {
    "id": "P-1",
    "naam": "Schoolontbijt",
    "omschrijving": "Tekst",
    "programma": "5. Veiligheid",
    "portefeuille": "Wonen",
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
ACTION = {
    "id": "A-1",
    "opgave": "Jeugd en onderwijs",
    "doel": "Doel",
    "activiteit": "Iets doen",
    "resultaat": "Gedaan",
    "status": "Afgerond",
}
BASE = {"peildatum": "1-4-2024", "inleiding": "Over deze bijlage."}


def _register(tmp_path, pilots=(PILOT,), actions=(ACTION,), **changes):
    path = tmp_path / "r.xlsx"
    write_register(
        path, {"Pilots": list(pilots), "Acties": list(actions)}, {**MUNICIPALITY, **BASE, **changes}
    )
    return read_register(path)


def _codes(register):
    return {f.code: f for f in validate_register(register).findings}


def test_every_new_rule_is_in_the_catalogue_and_the_docs():
    docs = (EXAMPLE.parent.parent / "docs" / "regels.md").read_text(encoding="utf-8")
    assert docs == rules_markdown()
    for code in (
        "instelling-te-lang",
        "bijlagenummer-ongeldig",
        "bijlagenummer-dubbel",
        "gemeente-voorvoegsel",
        "inleiding-leeg",
        "register-leeg",
    ):
        assert code in RULES_BY_CODE and f"`{code}`" in docs


def test_the_example_gets_none_of_these(tmp_path):
    codes = _codes(read_register(EXAMPLE))
    assert not {
        "bijlagenummer-dubbel",
        "inleiding-leeg",
        "register-leeg",
        "gemeente-voorvoegsel",
        "bijlagenummer-ongeldig",
    } & set(codes)


@pytest.mark.parametrize(
    ("pilot_number", "first", "opgaven", "clash"),
    [
        ("2", "2", 1, True),
        ("3", "2", 2, True),
        ("4", "2", 2, False),
        ("1", "2", 3, False),
        ("5", "2", 4, True),
    ],
)
def test_duplicate_annex_numbers_are_a_warning(tmp_path, pilot_number, first, opgaven, clash):
    actions = [{**ACTION, "id": f"A-{i}", "opgave": f"Opgave {i}"} for i in range(opgaven)]
    codes = _codes(
        _register(
            tmp_path, actions=actions, bijlage_pilots_nummer=pilot_number, bijlage_acties_eerste_nummer=first
        )
    )
    assert ("bijlagenummer-dubbel" in codes) is clash
    if clash:
        finding = codes["bijlagenummer-dubbel"]
        assert finding.severity == "waarschuwing" and finding.sheet == "Instellingen"
        assert pilot_number in finding.message


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("bijlage_pilots_nummer", "0"),
        ("bijlage_pilots_nummer", "-3"),
        ("bijlage_pilots_nummer", "10000"),
        ("bijlage_pilots_nummer", "abc"),
        ("bijlage_acties_eerste_nummer", "5a"),
        ("bijlage_acties_eerste_nummer", "1e400"),
        ("bijlage_acties_eerste_nummer", "nan"),
        ("bijlage_acties_eerste_nummer", "2.5"),
    ],
)
def test_absurd_annex_numbers_are_an_error_with_a_hint(tmp_path, key, value):
    finding = _codes(_register(tmp_path, **{key: value}))["bijlagenummer-ongeldig"]
    assert finding.severity == "fout" and value in finding.message
    assert "1 tot en met 999" in finding.hint
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "r.xlsx"), "--out", str(tmp_path / "uit")])
    assert result.exit_code == 1, result.output
    assert "bijlagenummer-ongeldig" in result.output


@pytest.mark.parametrize("value", ["5", "5.0", " 12 ", "999"])
def test_ordinary_annex_numbers_pass(tmp_path, value):
    assert "bijlagenummer-ongeldig" not in _codes(
        _register(tmp_path, bijlage_pilots_nummer=value, bijlage_acties_eerste_nummer="1")
    )


def test_a_letter_is_allowed_only_on_the_pilot_annex():
    assert annex_number("5a", letter_ok=True) == 5
    assert annex_number("5a") is None


@given(st.text(max_size=12))
@settings(max_examples=200, deadline=None)
def test_setting_number_never_raises_and_stays_in_range(text):
    number = setting_number(text, 2)
    assert 1 <= number <= 999


def test_empty_register_and_empty_inleiding_are_warned(tmp_path):
    codes = _codes(_register(tmp_path, pilots=[{**PILOT, "opnemen": "Nee"}], actions=(), inleiding=""))
    assert codes["register-leeg"].severity == "waarschuwing"
    assert codes["inleiding-leeg"].severity == "waarschuwing"
    assert codes["inleiding-leeg"].cell.startswith("B")


def test_a_register_with_actions_only_is_not_empty(tmp_path):
    assert "register-leeg" not in _codes(_register(tmp_path, pilots=()))


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Gemeente Zoetermeer", "Zoetermeer"),
        ("gemeente  Den Haag", "Den Haag"),
        ("Zoetermeer", "Zoetermeer"),
        ("Gemeentewerf", "Gemeentewerf"),
        ("Gemeente", "Gemeente"),
    ],
)
def test_municipality_drops_a_typed_gemeente(typed, name):
    assert municipality(typed) == name


def test_gemeente_x_does_not_become_gemeente_gemeente_x(tmp_path):
    register = _register(tmp_path, gemeente="Gemeente Zoetermeer")
    finding = _codes(register)["gemeente-voorvoegsel"]
    assert finding.severity == "waarschuwing" and "Zoetermeer" in finding.hint
    result = build_documents(register, tmp_path / "uit")
    doc = Document(result.documents[0])
    texts = [p.text for p in doc.paragraphs] + [
        p.text for s in doc.sections for p in s.header.paragraphs + s.footer.paragraphs
    ]
    assert any("Gemeente Zoetermeer" in t for t in texts)
    assert not any("Gemeente Gemeente" in t for t in texts)
    assert doc.core_properties.author == "Gemeente Zoetermeer"


@pytest.mark.parametrize(
    "key", ["editie", "gemeente", "bijlage_pilots_titel", "actieprogramma", "bijlage_acties_titel"]
)
def test_an_overlong_setting_is_an_error_not_a_traceback(tmp_path, key):
    _register(tmp_path, **{key: "Programmabegroting " * 20})
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "r.xlsx"), "--out", str(tmp_path / "uit")])
    assert result.exit_code == 1, result.output
    assert "instelling-te-lang" in result.output
    assert not list((tmp_path / "uit").glob("*.docx"))


def test_document_names_stay_short_enough_for_every_file_system(tmp_path):
    register = _register(tmp_path, editie="é" * 100, bijlage_pilots_titel="ü" * 100)
    for name in document_names(register):
        assert len(name.encode("utf-8")) <= 200
