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

from toolkit.cli import cli

_spec = importlib.util.spec_from_file_location("ooxml_validate",
                                               Path(__file__).parent / "ooxml" / "validate.py")
ooxml = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ooxml)


def _schema_problems(path: Path) -> list[str]:
    return [f"{name}:{line}: {message}" for name, line, message in ooxml.validate(str(path))
            if not message.startswith("SKIPPED")]


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
    result = CliRunner().invoke(cli, ["validate", str(register), "--report-dir",
                                      str(tmp_path / "rapport")])
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

    macro = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><xm:macrosheet xmlns:xm='
             b'"http://schemas.microsoft.com/office/excel/2006/main" xmlns="http://schemas.'
             b'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1">'
             b"<f>EXEC(\"calc\")</f></c></row></sheetData></xm:macrosheet>")

    def workbook(data: bytes) -> bytes:
        data = data.replace(b"</sheets>", b'<sheet name="Macro1" sheetId="99" r:id="rIdM"/>'
                                          b"</sheets>")
        name = b'<definedName name="Auto_Open">Macro1!$A$1</definedName>'
        if b"<definedNames>" in data:
            return data.replace(b"<definedNames>", b"<definedNames>" + name)
        return data.replace(b"</sheets>", b"</sheets><definedNames>" + name + b"</definedNames>")

    register = rewrite(EXAMPLE, tmp_path / "register.xlsx", {
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": add_relationships(relationship(
            "rIdM", "http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet",
            "macrosheets/sheet1.xml", external=False)),
        "[Content_Types].xml": lambda d: d.replace(b"</Types>", b'<Override PartName="/xl/'
            b'macrosheets/sheet1.xml" ContentType="application/vnd.ms-excel.macrosheet+xml"/>'
            b"</Types>")}, {"xl/macrosheets/sheet1.xml": macro})
    result = CliRunner().invoke(cli, ["validate", str(register), "--report-dir",
                                      str(tmp_path / "rapport")])
    assert result.exit_code in (0, 1), result.output
    report = tmp_path / "rapport" / "register_validatie.xlsx"
    with zipfile.ZipFile(report) as archive:
        assert not [n for n in archive.namelist() if "macrosheet" in n]
        book = archive.read("xl/workbook.xml")
        assert b"Macro1" not in book and b"Auto_Open" not in book
        assert b"macrosheet" not in archive.read("[Content_Types].xml")
    assert _schema_problems(report) == []
