"""Templates per register (setting, --sjablonen, `toolkit sjablonen`) and a neutral init."""

from __future__ import annotations

import json
from datetime import date

import openpyxl
from click.testing import CliRunner
from conftest import EXAMPLE, MUNICIPALITY
from docx import Document
from test_validate import GOOD, GOOD_ACTION

from toolkit.cli import cli
from toolkit.declarations import schema
from toolkit.register.read import read_register
from toolkit.register.write import write_register
from toolkit.validation.validate import validate_file

SETTINGS = {**MUNICIPALITY, "peildatum": date(2024, 4, 1), "inleiding": "Over deze bijlage."}


def _run(*args: str):
    return CliRunner().invoke(cli, list(args))


def _copy_templates(folder):
    result = _run("sjablonen", str(folder))
    assert result.exit_code == 0, result.output
    return result


def _restyle(path, text):
    """A coordinator's edit in Word: a line of their own at the top of the template."""
    doc = Document(path)
    doc.paragraphs[0].insert_paragraph_before(text)
    doc.save(path)


def _texts(docx):
    doc = Document(docx)
    return "\n".join(p.text for p in doc.paragraphs)


def _register(tmp_path, **settings):
    path = tmp_path / "register" / "r.xlsx"
    path.parent.mkdir(exist_ok=True)
    write_register(path, {"Pilots": [GOOD], "Acties": [GOOD_ACTION]}, {**SETTINGS, **settings})
    return path


def test_sjablonen_copies_the_defaults_and_says_what_next(tmp_path):
    folder = tmp_path / "mijn sjablonen"
    result = _copy_templates(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["acties.docx", "bijlage.docx"]
    from toolkit.layouts import render

    assert (folder / "bijlage.docx").read_bytes() == render.BUNDLED_TEMPLATES["bijlage.docx"].read_bytes()
    assert "Map met Word-sjablonen" in result.output and "--sjablonen" in result.output


def test_sjablonen_never_overwrites_without_the_option(tmp_path):
    folder = tmp_path / "s"
    _copy_templates(folder)
    (folder / "bijlage.docx").write_bytes(b"eigen werk")
    (folder / "acties.docx").unlink()
    result = _run("sjablonen", str(folder))
    assert result.exit_code == 0
    assert (folder / "bijlage.docx").read_bytes() == b"eigen werk"
    assert "niet overschreven" in result.output and "--overschrijven" in result.output
    assert (folder / "acties.docx").exists(), "a missing one is added"
    assert _run("sjablonen", str(folder), "--overschrijven").exit_code == 0
    assert (folder / "bijlage.docx").read_bytes() != b"eigen werk"


def test_sjablonen_on_a_file_is_a_dutch_message(tmp_path):
    target = tmp_path / "bestand"
    target.write_text("x")
    result = _run("sjablonen", str(target))
    assert result.exit_code == 2 and "geen map" in result.output
    assert "Traceback" not in result.output


def test_build_uses_the_folder_given_with_the_option(tmp_path):
    folder = tmp_path / "s"
    _copy_templates(folder)
    _restyle(folder / "bijlage.docx", "Huisstijl Delft")
    out = tmp_path / "uit"
    result = _run("build", str(_register(tmp_path)), "--out", str(out), "--sjablonen", str(folder))
    assert result.exit_code == 0, result.output
    annex = next(out.glob("Bijlage *.docx"))
    assert "Huisstijl Delft" in _texts(annex)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    used = manifest["sjablonen"]["bijlage.docx"]
    assert used["bron"] == "--sjablonen"
    assert used["pad"] == "../s/bijlage.docx"  # from the register's folder, as the setting says it
    assert str(tmp_path) not in (out / "manifest.json").read_text(encoding="utf-8")
    import hashlib

    assert used["sha256"] == hashlib.sha256((folder / "bijlage.docx").read_bytes()).hexdigest()


def test_the_setting_is_relative_to_the_registers_folder(tmp_path):
    register = _register(tmp_path, sjablonen="huisstijl")
    folder = register.parent / "huisstijl"
    _copy_templates(folder)
    _restyle(folder / "acties.docx", "Acties in huisstijl")
    out = tmp_path / "uit"
    result = _run("build", str(register), "--out", str(out))  # run from elsewhere
    assert result.exit_code == 0, result.output
    assert "via de instelling" in result.output
    annex = next(out.glob("Bijlagen *.docx"))
    assert "Acties in huisstijl" in _texts(annex)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["sjablonen"]["acties.docx"]["bron"] == "instelling"


def test_the_option_goes_before_the_setting(tmp_path):
    register = _register(tmp_path, sjablonen="bestaat-niet")
    folder = tmp_path / "s"
    _copy_templates(folder)
    result = _run("build", str(register), "--out", str(tmp_path / "uit"), "--sjablonen", str(folder))
    assert result.exit_code == 0, result.output


def test_a_missing_template_names_the_folder_and_the_file(tmp_path):
    folder = tmp_path / "s"
    _copy_templates(folder)
    (folder / "acties.docx").unlink()
    out = tmp_path / "uit"
    result = _run("build", str(_register(tmp_path)), "--out", str(out), "--sjablonen", str(folder))
    assert result.exit_code == 2
    assert "'acties.docx'" in result.output and str(folder) in result.output
    assert "Traceback" not in result.output
    assert not list(out.glob("*.docx")), "no annex in a mixed house style"


def test_a_register_without_actions_needs_no_actions_template(tmp_path):
    folder = tmp_path / "s"
    _copy_templates(folder)
    (folder / "acties.docx").unlink()
    path = tmp_path / "r.xlsx"
    write_register(path, {"Pilots": [GOOD], "Acties": []}, SETTINGS)
    result = _run("build", str(path), "--out", str(tmp_path / "uit"), "--sjablonen", str(folder))
    assert result.exit_code == 0, result.output


def test_a_missing_folder_in_the_setting_is_a_dutch_message(tmp_path):
    register = _register(tmp_path, sjablonen="weg")
    result = _run("build", str(register), "--out", str(tmp_path / "uit"))
    assert result.exit_code == 2
    assert "bestaat niet" in result.output and "Map met Word-sjablonen" in result.output


def test_a_chosen_template_gets_the_same_checks(tmp_path):
    folder = tmp_path / "s"
    _copy_templates(folder)
    doc = Document(folder / "bijlage.docx")
    doc.paragraphs[0].insert_paragraph_before("{% for x in range(10) %}x{% endfor %}")
    doc.save(folder / "bijlage.docx")
    result = _run(
        "build", str(_register(tmp_path)), "--out", str(tmp_path / "uit"), "--sjablonen", str(folder)
    )
    assert result.exit_code == 2 and "lus" in result.output


def test_the_example_still_builds_with_the_bundled_templates(tmp_path):
    out = tmp_path / "uit"
    result = _run("build", str(EXAMPLE), "--out", str(out))
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["sjablonen"]["bijlage.docx"]["bron"] == "meegeleverd"
    assert "Zoetermeer" in _texts(next(out.glob("Bijlage *.docx")))


def _lists(path):
    ws = openpyxl.load_workbook(path)[schema.LISTS_SHEET]
    columns = {}
    for column in ws.iter_cols(values_only=True):
        columns[column[0]] = [v for v in column[1:] if v]
    return columns


def _settings(path):
    ws = openpyxl.load_workbook(path)[schema.SETTINGS_SHEET]
    return {row[0]: row[1] for row in ws.iter_rows(min_row=2, values_only=True)}


def test_init_with_gemeente_is_neutral(tmp_path):
    target = tmp_path / "delft.xlsx"
    result = _run("init", str(target), "--gemeente", "Delft")
    assert result.exit_code == 0, result.output
    lists = _lists(target)
    assert lists["Programma's"] == [] and lists["Portefeuilles"] == [] and lists["Opgaven"] == []
    assert lists["Statussen"] == list(schema.vocabulary("status").values)
    assert lists["Opnemen in bijlage"] == ["Ja", "Laatste keer", "Nee"]
    settings = _settings(target)
    assert settings["Gemeente"] == "Delft"
    assert not settings["Editie"]
    text = " ".join(str(v) for v in settings.values() if v)
    assert "Zoetermeer" not in text and "Sterk voor Noord" not in text
    # what to fill in first, in order
    out = result.output
    assert out.index("Lijsten") < out.index("Instellingen") < out.index("Pilots")
    assert "naam van uw gemeente" not in out


def test_init_without_gemeente_asks_for_it_in_the_register(tmp_path):
    target = tmp_path / "r.xlsx"
    result = _run("init", str(target))
    assert result.exit_code == 0, result.output
    assert "naam van uw gemeente" in result.output and "--gemeente" in result.output
    assert not _settings(target)["Gemeente"]
    codes = {(f.code, f.label) for f in validate_file(target).findings}
    assert ("instelling-leeg", "Gemeente") in codes


def test_rows_against_an_empty_list_give_one_finding_not_one_per_row(tmp_path):
    target = tmp_path / "r.xlsx"
    assert _run("init", str(target), "--gemeente", "Delft").exit_code == 0
    register = read_register(target)
    assert register.lists["programma"] == [], "no other municipality's values slip in"
    path = tmp_path / "gevuld.xlsx"
    pilots = [{**GOOD, "id": f"P-{i}", "naam": f"Pilot {i}"} for i in range(5)]
    write_register(
        path, {"Pilots": pilots, "Acties": []}, SETTINGS, lists={"programma": (), "portefeuille": ()}
    )
    findings = validate_file(path).findings
    empty = [f for f in findings if f.code == "lijst-leeg"]
    assert sorted(f.label for f in empty) == ["Portefeuilles", "Programma's"]
    assert all(f.sheet == "Lijsten" and "5 rijen" in f.message for f in empty)
    assert not [f for f in findings if f.code == "niet-in-lijst"]
    assert _run("validate", str(path), "--report-dir", str(tmp_path / "rapport")).exit_code == 1
