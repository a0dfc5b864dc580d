"""What the toolkit writes, whatever it was handed: no macro carried into a copy, no
document written twice under one name, one build per output folder, nothing dropped by
new-edition without a word. The same contract as the other fault-injection tests: no
traceback, the documented exit code, a Dutch message, inputs byte-identical."""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE
from hostile_files import with_macros

from toolkit.build.documents import build_documents
from toolkit.cli import cli
from toolkit.register.read import read_register

_spec = importlib.util.spec_from_file_location(
    "ooxml_validate", Path(__file__).parent / "ooxml" / "validate.py"
)
ooxml = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ooxml)


def _schema_problems(path: Path) -> list[str]:
    return [
        f"{name}:{line}: {message}"
        for name, line, message in ooxml.validate(str(path))
        if not message.startswith("SKIPPED")
    ]


def _no_macro_in(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert not [n for n in names if "vba" in n.lower()], names
        everything = b"".join(archive.read(n) for n in names if n.endswith((".xml", ".rels")))
    assert b"vbaProject" not in everything and b"macroEnabled" not in everything


# Macros: never carried into the annotated copy of the register.


@pytest.mark.parametrize("xlsm", [True, False], ids=["xlsm-inhoud", "vbaProject-in-xlsx"])
@pytest.mark.parametrize("fast", [True, False], ids=["snel", "openpyxl"])
def test_the_annotated_copy_carries_no_macro(tmp_path, monkeypatch, xlsm, fast):
    from toolkit.report import excel_fast

    if not fast:

        def refuse(*_args, **_kwargs):
            raise excel_fast.Unsupported("test")

        monkeypatch.setattr(excel_fast, "excel_report_bytes", refuse)
    register = with_macros(EXAMPLE, tmp_path / "register.xlsx", xlsm)
    before = register.read_bytes()
    result = CliRunner().invoke(cli, ["validate", str(register), "--report-dir", str(tmp_path / "rapport")])
    assert result.exit_code in (0, 1), result.output
    report = tmp_path / "rapport" / "register_validatie.xlsx"
    _no_macro_in(report)
    assert register.read_bytes() == before
    assert _schema_problems(report) == []
    from openpyxl import load_workbook

    sheets = load_workbook(report, read_only=True).sheetnames
    assert sheets[0] == "Bevindingen" and "Pilots" in sheets and "Acties" in sheets


def test_an_excel4_macro_sheet_is_taken_out_of_the_copy(tmp_path):
    """An XLM macro sheet (with Auto_Open) is a macro too: gone from the copy, with its
    sheet entry and the names that point at it; the copy passes the schema check."""
    from hostile_files import add_relationships, relationship, rewrite

    macro = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><xm:macrosheet xmlns:xm='
        b'"http://schemas.microsoft.com/office/excel/2006/main" xmlns="http://schemas.'
        b'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1">'
        b'<f>EXEC("calc")</f></c></row></sheetData></xm:macrosheet>'
    )

    def workbook(data: bytes) -> bytes:
        data = data.replace(b"</sheets>", b'<sheet name="Macro1" sheetId="99" r:id="rIdM"/></sheets>')
        name = b'<definedName name="Auto_Open">Macro1!$A$1</definedName>'
        if b"<definedNames>" in data:
            return data.replace(b"<definedNames>", b"<definedNames>" + name)
        return data.replace(b"</sheets>", b"</sheets><definedNames>" + name + b"</definedNames>")

    register = rewrite(
        EXAMPLE,
        tmp_path / "register.xlsx",
        {
            "xl/workbook.xml": workbook,
            "xl/_rels/workbook.xml.rels": add_relationships(
                relationship(
                    "rIdM",
                    "http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet",
                    "macrosheets/sheet1.xml",
                    external=False,
                )
            ),
            "[Content_Types].xml": lambda d: d.replace(
                b"</Types>",
                b'<Override PartName="/xl/'
                b'macrosheets/sheet1.xml" ContentType="application/vnd.ms-excel.macrosheet+xml"/>'
                b"</Types>",
            ),
        },
        {"xl/macrosheets/sheet1.xml": macro},
    )
    result = CliRunner().invoke(cli, ["validate", str(register), "--report-dir", str(tmp_path / "rapport")])
    assert result.exit_code in (0, 1), result.output
    report = tmp_path / "rapport" / "register_validatie.xlsx"
    with zipfile.ZipFile(report) as archive:
        assert not [n for n in archive.namelist() if "macrosheet" in n]
        book = archive.read("xl/workbook.xml")
        assert b"Macro1" not in book and b"Auto_Open" not in book
        assert b"macrosheet" not in archive.read("[Content_Types].xml")
    assert _schema_problems(report) == []


# Two own annex types whose documents come out under one name.

PROJECTEN = Path(__file__).resolve().parent.parent / "examples" / "projecten" / "sjablonen"


def _second_type(folder: Path, document: str) -> None:
    """A copy of the projecten declaration as its own type 'programmas', with the
    given document name pattern."""
    import shutil

    text = (PROJECTEN / "projecten.toml").read_text(encoding="utf-8")
    for old, new in (
        ('sleutel = "projecten"', 'sleutel = "programmas"'),
        ('"projecten.docx"', '"programmas.docx"'),
        ('naam = "Projecten"', 'naam = "Programmas"'),
        ('tabel = "Projecten"', 'tabel = "Programmas"'),
        ("projectstatus", "programmastatus"),
        ('"Projectstatussen"', '"Programmastatussen"'),
        ('"programma_naam"', '"programma_naam2"'),
        ('"Naam programma"', '"Naam programma 2"'),
        ('"rapportage_inleiding"', '"rapportage_inleiding2"'),
        ('"Inleiding projectenrapportage"', '"Inleiding 2"'),
    ):
        assert old in text, old
        text = text.replace(old, new)
    text = text.replace('document = "Projectenrapportage {programma_naam}"', document, 1)
    text = text.replace("{programma_naam}", "{programma_naam2}")
    (folder / "programmas.toml").write_text(text, encoding="utf-8")
    shutil.copy(PROJECTEN / "projecten.docx", folder / "programmas.docx")


@pytest.mark.parametrize(
    "document",
    [
        'document = "Projectenrapportage {programma_naam2}"',
        'document = "PROJECTENRAPPORTAGE Sociale innovatie"',
    ],
    ids=["zelfde naam", "alleen hoofdletters anders"],
)
def test_two_annex_types_with_one_document_name_are_refused_before_writing(tmp_path, document):
    import shutil

    folder = tmp_path / "sjablonen"
    shutil.copytree(PROJECTEN, folder)
    _second_type(folder, document)
    register = tmp_path / "register.xlsx"
    runner = CliRunner()
    made = runner.invoke(
        cli,
        [
            "init",
            str(register),
            "--gemeente",
            "Delft",
            "--sjablonen",
            str(folder),
            "--bijlagetype",
            "projecten",
            "--bijlagetype",
            "programmas",
        ],
    )
    assert made.exit_code == 0, made.output
    before = register.read_bytes()
    out = tmp_path / "uit"
    result = runner.invoke(cli, ["build", str(register), "--out", str(out), "--sjablonen", str(folder)])
    assert result.exit_code == 2, result.output
    said = result.output
    assert "Traceback" not in said and "Geschreven" not in said
    assert "'projecten' (projecten.toml)" in said and "'programmas' (programmas.toml)" in said
    assert "Projectenrapportage Sociale innovatie" in said.replace(
        "PROJECTENRAPPORTAGE", "Projectenrapportage"
    )
    assert not out.exists() or not [p for p in out.rglob("*") if p.is_file()]
    assert register.read_bytes() == before


# Two builds into one output folder.


def _manifest_registers(folder: Path) -> dict[str, tuple[str, str]]:
    """Per document the manifest describes: (sha256, register it was made from)."""
    import json

    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    described = {name: (digest, data["register"]) for name, digest in data["bestanden"].items()}
    for name, entry in data.get("eerdere_bestanden", {}).items():
        described[name] = (entry["sha256"], entry["register"])
    return described


def test_concurrent_builds_into_one_folder_stay_consistent(tmp_path):
    """Two registers (another edition, so other document names) built into one folder at
    the same moment, twice without cleaning up (then in the other order): each run exits
    0 or 2 (with a Dutch message), and the manifest names, for every annex in the folder,
    the register it was made from."""
    import hashlib
    import os
    import shutil
    import subprocess
    import sys

    from conftest import ROOT
    from hostile import replace_shared_string

    data = EXAMPLE.read_bytes()
    (tmp_path / "a.xlsx").write_bytes(data)
    other = replace_shared_string(data, ">Perspectiefnota 2025<", ">Perspectiefnota 2026<")
    (tmp_path / "b.xlsx").write_bytes(replace_shared_string(other, "Jeugdhonk", "Jeugdhonk B"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def start(name: str, out: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "toolkit", "build", name, "--out", out],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    made_by: dict[str, str] = {}  # sha256 of a document -> the register that makes it
    for name in ("a.xlsx", "b.xlsx"):  # builds are byte-identical for the same input
        built = build_documents(read_register(tmp_path / name), tmp_path / f"ref-{name}", parallel=False)
        for doc in built.documents:
            made_by[hashlib.sha256(doc.read_bytes()).hexdigest()] = name
    assert len(made_by) == 4
    befores = {n: (tmp_path / n).read_bytes() for n in ("a.xlsx", "b.xlsx")}
    for round_ in range(2):
        order = ("a.xlsx", "b.xlsx") if round_ % 2 == 0 else ("b.xlsx", "a.xlsx")
        runs = [start(name, "uit") for name in order]
        results = [(p.wait(timeout=120), p.stderr.read()) for p in runs]
        for code, err in results:
            assert code in (0, 2), err
            assert "Traceback" not in err
            if code == 2:
                assert err.strip().startswith("Fout:") and "andere toolkit-bouw" in err, err
        assert any(code == 0 for code, _ in results)
        described = _manifest_registers(tmp_path / "uit")
        for doc in (tmp_path / "uit").glob("*.docx"):
            digest = hashlib.sha256(doc.read_bytes()).hexdigest()
            assert doc.name in described, f"round {round_}: {doc.name} not in the manifest"
            assert described[doc.name] == (digest, made_by[digest]), (
                f"round {round_}: the manifest names {described[doc.name][1]} for {doc.name}, "
                f"made from {made_by[digest]}"
            )
        assert not [p.name for p in (tmp_path / "uit").iterdir() if p.name.startswith(".")]
    assert {n: (tmp_path / n).read_bytes() for n in befores} == befores
    shutil.rmtree(tmp_path / "uit")


# new-edition: nothing dropped or cut without a word.


def _edition(tmp_path, old: Path) -> tuple[str, Path]:
    before = old.read_bytes()
    new = tmp_path / "nieuw.xlsx"
    result = CliRunner().invoke(cli, ["new-edition", str(old), str(new), "--editie", "E2"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert old.read_bytes() == before
    return result.output, new


def test_new_edition_carries_comments_and_hyperlinks_to_the_same_cells(tmp_path):
    from openpyxl import load_workbook
    from openpyxl.comments import Comment

    wb = load_workbook(EXAMPLE)
    ws = wb["Pilots"]
    assert ws["A2"].value == "P-001" and ws["A4"].value == "P-003"  # P-001 leaves
    ws["F4"].comment = Comment("Controleer dit met de wethouder", "Anna")
    ws["B5"].hyperlink = "https://www.zoetermeer.nl/pilots"
    ws["B5"].hyperlink.tooltip = "Naar de website"
    ws["B3"].hyperlink = "https://voorbeeld.invalid/" + "x" * 2100  # more than Excel allows
    ws["A1"].comment = Comment("Kop met opmerking", "Piet")
    old = tmp_path / "oud.xlsx"
    wb.save(old)
    said, new = _edition(tmp_path, old)
    pilots = load_workbook(new)["Pilots"]
    moved = {pilots.cell(r, 1).value: r for r in range(2, 20)}
    p3, p4 = moved["P-003"], moved["P-004"]
    assert pilots[f"F{p3}"].comment.text == "Controleer dit met de wethouder"
    assert pilots[f"F{p3}"].comment.author == "Anna"
    link = pilots[f"B{p4}"].hyperlink
    assert link.target == "https://www.zoetermeer.nl/pilots" and link.tooltip == "Naar de website"
    assert pilots[f"B{p4}"].value == ws["B5"].value
    assert "opmerking(en) en hyperlink(s)" in said
    assert f"Pilots!B{moved['P-002']}: de hyperlink" in said and "zo lang een adres" in said
    assert "Pilots!A1: de opmerking 'Kop met opmerking' gaat niet mee" in said
    assert _schema_problems(new) == []


def test_new_edition_names_a_formula_without_a_value(tmp_path):
    from hostile_files import rewrite

    def formula(data: bytes) -> bytes:
        import re

        return re.sub(
            rb'<c r="F3"([^>]*?)(?:/>|>.*?</c>)', rb'<c r="F3"><f>1+1</f></c>', data, count=1, flags=re.DOTALL
        )

    old = rewrite(EXAMPLE, tmp_path / "oud.xlsx", {"xl/worksheets/sheet2.xml": formula})
    said, _ = _edition(tmp_path, old)
    assert "Pilots!F3 (P-002, Doel / beoogd resultaat): een formule zonder berekende waarde" in " ".join(
        said.split()
    )


def test_new_edition_names_a_cell_longer_than_excel_holds(tmp_path):
    from hostile import replace_shared_string
    from openpyxl import load_workbook

    old = tmp_path / "oud.xlsx"
    old.write_bytes(
        replace_shared_string(EXAMPLE.read_bytes(), "Flexwonen Ruimtebaan", "Flexwonen " + "y" * 40_300)
    )
    said, new = _edition(tmp_path, old)
    flat = " ".join(said.split())
    assert "Pilots!B2 (P-002" in flat and "40.310 tekens" in flat
    cut = (tmp_path / "nieuw_afgekapt.txt").read_text(encoding="utf-8")
    assert "Flexwonen " + "y" * 40_300 in cut
    assert len(load_workbook(new, read_only=True)["Pilots"]["B2"].value) == 32_767


# The annotated copy of registers that read fine but are spelled oddly.


@pytest.mark.parametrize(
    "title", ["pilots ", "PILOTS", "pilots\u00a0"], ids=["spatie erachter", "hoofdletters", "harde spatie"]
)
@pytest.mark.parametrize("fast", [True, False], ids=["snel", "openpyxl"])
def test_a_sheet_named_in_other_case_still_gets_coloured_cells_and_comments(
    tmp_path, monkeypatch, title, fast
):
    from hostile_files import rewrite
    from openpyxl import load_workbook

    from toolkit.report import excel_fast

    if not fast:

        def refuse(*_args, **_kwargs):
            raise excel_fast.Unsupported("test")

        monkeypatch.setattr(excel_fast, "excel_report_bytes", refuse)
    register = rewrite(
        EXAMPLE,
        tmp_path / "register.xlsx",
        {"xl/workbook.xml": lambda d: d.replace(b'name="Pilots"', f'name="{title}"'.encode())},
    )
    result = CliRunner().invoke(cli, ["validate", str(register), "--report-dir", str(tmp_path / "rapport")])
    assert result.exit_code in (0, 1), result.output
    report = load_workbook(tmp_path / "rapport" / "register_validatie.xlsx")
    sheet = report[title]
    commented = [c.coordinate for row in sheet.iter_rows() for c in row if c.comment]
    assert commented, "no comments on the renamed sheet"
    assert sheet[commented[0]].fill.fgColor.rgb.endswith(("FFEB9C", "FFC7CE"))
    links = [
        c.hyperlink.location
        for row in report["Bevindingen"].iter_rows()
        for c in row
        if c.hyperlink is not None
    ]
    assert f"'{title}'!{commented[0]}" in links


# import: a protected file named as such, an earlier import report never overwritten.

ENCRYPTED_DOCX = (
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 1000
)


@pytest.mark.parametrize(
    "data, said",
    [
        (ENCRYPTED_DOCX, "beveiligd met een wachtwoord"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048, "oud Word-bestand (.doc)"),
    ],
    ids=["wachtwoord", "oud doc"],
)
def test_import_names_a_password_protected_or_old_word_file(tmp_path, data, said):
    annex = tmp_path / "bijlage.docx"
    annex.write_bytes(data)
    result = CliRunner().invoke(cli, ["import", str(annex), "--out", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Fout: ") and said in result.output
    assert "Traceback" not in result.output
    assert annex.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bijlage.docx"]


@pytest.fixture(scope="module")
def built_annex(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gebouwd")
    result = build_documents(read_register(EXAMPLE), out, parallel=False)
    return next(p for p in result.documents if "pilots" in p.name)


def test_import_never_overwrites_an_earlier_import_report(tmp_path, built_annex):
    earlier = tmp_path / "register_importverslag.txt"
    earlier.write_text("het verslag van de vorige keer", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(built_annex), "--out", str(tmp_path / "register.xlsx")])
    assert result.exit_code == 2, result.output
    assert "register_importverslag.txt" in result.output and "overschrijft" in result.output
    assert earlier.read_text(encoding="utf-8") == "het verslag van de vorige keer"
    assert not (tmp_path / "register.xlsx").exists()
    # with the earlier report moved away, the same import goes through
    earlier.rename(tmp_path / "oud_verslag.txt")
    result = CliRunner().invoke(cli, ["import", str(built_annex), "--out", str(tmp_path / "register.xlsx")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "register_importverslag.txt").exists()


def test_new_edition_never_overwrites_an_earlier_list_of_cut_texts(tmp_path):
    earlier = tmp_path / "nieuw_afgekapt.txt"
    earlier.write_text("vorige keer", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["new-edition", str(EXAMPLE), str(tmp_path / "nieuw.xlsx"), "--editie", "E2"]
    )
    assert result.exit_code == 2, result.output
    assert "nieuw_afgekapt.txt" in result.output and "Traceback" not in result.output
    assert earlier.read_text(encoding="utf-8") == "vorige keer"
    assert not (tmp_path / "nieuw.xlsx").exists()


# A deleted sheet is named.


def test_a_deleted_pilots_sheet_is_named_when_the_settings_still_describe_it(tmp_path):
    import re

    from hostile_files import rewrite

    register = rewrite(
        EXAMPLE,
        tmp_path / "register.xlsx",
        {"xl/workbook.xml": lambda d: re.sub(rb'<sheet [^>]*name="Pilots"[^>]*/>', b"", d)},
    )
    result = CliRunner().invoke(cli, ["validate", str(register), "--report-dir", str(tmp_path / "rapport")])
    assert result.exit_code in (0, 1), result.output
    import json

    data = json.loads((tmp_path / "rapport" / "register_validatie.json").read_text("utf-8"))
    found = [f for f in data["bevindingen"] if f["code"] == "tabblad-ontbreekt"]
    assert len(found) == 1, data["bevindingen"]
    assert "Het tabblad Pilots ontbreekt" in found[0]["melding"]
    assert found[0]["tabblad"] == "Instellingen" and found[0]["ernst"] == "waarschuwing"


def test_a_register_made_for_the_actions_only_has_no_such_finding(tmp_path):
    register = tmp_path / "acties.xlsx"
    runner = CliRunner()
    made = runner.invoke(cli, ["init", str(register), "--gemeente", "Delft", "--bijlagetype", "acties"])
    assert made.exit_code == 0, made.output
    result = runner.invoke(cli, ["validate", str(register), "--report-dir", str(tmp_path / "rapport")])
    assert "tabblad-ontbreekt" not in result.output
    assert "tabblad-ontbreekt" not in (tmp_path / "rapport" / "acties_validatie.json").read_text("utf-8")


@pytest.mark.parametrize("fast", [True, False], ids=["snel", "openpyxl"])
def test_a_strict_open_xml_register_keeps_every_sheet_in_its_copy(tmp_path, monkeypatch, fast):
    from hostile_files import as_strict
    from openpyxl import load_workbook

    from toolkit.report import excel_fast

    if not fast:

        def refuse(*_args, **_kwargs):
            raise excel_fast.Unsupported("test")

        monkeypatch.setattr(excel_fast, "excel_report_bytes", refuse)
    register = as_strict(EXAMPLE, tmp_path / "register.xlsx")
    before = register.read_bytes()
    result = CliRunner().invoke(cli, ["validate", str(register), "--report-dir", str(tmp_path / "rapport")])
    assert result.exit_code in (0, 1), result.output
    report = tmp_path / "rapport" / "register_validatie.xlsx"
    book = load_workbook(report)
    assert book.sheetnames == ["Bevindingen", "Instructies", "Pilots", "Acties", "Lijsten", "Instellingen"]
    assert [c for row in book["Pilots"].iter_rows() for c in row if c.comment]
    assert book["Pilots"]["B3"].value == load_workbook(EXAMPLE)["Pilots"]["B3"].value
    assert _schema_problems(report) == []
    assert register.read_bytes() == before


def test_a_copy_that_would_lose_a_sheet_is_not_written(tmp_path, monkeypatch):
    from toolkit.report import excel

    monkeypatch.setattr(excel, "transitional", lambda data: data)  # as before the fix
    from hostile_files import as_strict

    from toolkit.report import excel_fast

    def refuse(*_args, **_kwargs):
        raise excel_fast.Unsupported("test")

    monkeypatch.setattr(excel_fast, "excel_report_bytes", refuse)
    register = as_strict(EXAMPLE, tmp_path / "register.xlsx")
    result = CliRunner().invoke(cli, ["validate", str(register), "--report-dir", str(tmp_path / "rapport")])
    assert result.exit_code == 2, result.output
    assert "Strikt Open XML" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "rapport" / "register_validatie.xlsx").exists()
    assert (tmp_path / "rapport" / "register_validatie.html").exists()
