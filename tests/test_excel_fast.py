"""The fast annotated Excel copy is cell-identical to the openpyxl one (issue 12).

`toolkit validate` now patches the register's zip part by part instead of loading and
saving it with openpyxl; a reviewer must not see any difference. Compared here on the
example, on the register with gaps (empty cells and missing rows get a colour and a
comment) and on a generated register of 1,000 pilots, by everything the report is about:
values, fills, comments, fonts, validations, conditional formats, tables, links, names.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import re
import sys
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from conftest import EXAMPLE, GAPS, ROOT, convert, needs_libreoffice
from excel_compare import snapshot

from toolkit.declarations.findings import Severity
from toolkit.register.read import read_register
from toolkit.report.excel import openpyxl_report_bytes, write_excel_report
from toolkit.report.excel_fast import Unsupported, excel_report_bytes
from toolkit.validation.validate import validate_register

_spec = importlib.util.spec_from_file_location(
    "ooxml_validate_fast", Path(__file__).parent / "ooxml" / "validate.py"
)
ooxml = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ooxml)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """benchmarks/bench.py's register of 1,000 pilots and 5,000 actions."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench import make_register

    path = tmp_path_factory.mktemp("groot") / "register_1000.xlsx"
    make_register(path, 1000)
    return path


def _schema_problems(content: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "rapport.xlsx"
    path.write_bytes(content)
    return [
        f"{name}:{line}: {message}"
        for name, line, message in ooxml.validate(str(path))
        if not message.startswith("SKIPPED")
    ]


@pytest.mark.parametrize("which", ["voorbeeld", "gaten", "1000 pilots"])
def test_fast_copy_is_cell_identical_to_openpyxl(which, generated, tmp_path):
    path = {"voorbeeld": EXAMPLE, "gaten": GAPS, "1000 pilots": generated}[which]
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = validate_register(read_register(path))
    assert any(f.cell for f in result.findings)
    fast = excel_report_bytes(result)
    assert snapshot(fast) == snapshot(openpyxl_report_bytes(result))
    assert _schema_problems(fast, tmp_path) == []
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # never written


def test_fast_copy_colours_cells_that_were_not_there(tmp_path):
    """An empty required cell has no <c> (or no row) in the register's XML: it is added."""
    result = validate_register(read_register(GAPS))
    shot = snapshot(excel_report_bytes(result))
    coloured = {(f.sheet, f.cell) for f in result.findings if f.cell}
    for sheet, cell in coloured:
        assert shot[sheet]["cells"][cell][1] in ("FFC7CE", "FFEB9C"), (sheet, cell)
        assert shot[sheet]["cells"][cell][2], (sheet, cell)  # with its comment


def test_many_comments_get_their_own_vml_id_blocks(tmp_path):
    """More than 1,024 comments on a sheet, and comments on two sheets: shape ids unique."""
    result = validate_register(read_register(EXAMPLE))
    template = next(f for f in result.findings if f.cell)
    many = [
        dataclasses.replace(template, sheet=sheet, row=row, column=column, severity=Severity.WARNING)
        for sheet, rows in (("Pilots", range(2, 702)), ("Acties", range(2, 702)))
        for row in rows
        for column in "BC"
    ]
    content = excel_report_bytes(dataclasses.replace(result, findings=many))
    archive = zipfile.ZipFile(BytesIO(content))
    ids: list[bytes] = []
    blocks: list[bytes] = []
    for name in archive.namelist():
        if name.endswith(".vml"):
            vml = archive.read(name)
            ids += re.findall(rb"_x0000_s(\d+)", vml)
            blocks += re.search(rb'data="([^"]*)"', vml).group(1).split(b",")
            for number in re.findall(rb"_x0000_s(\d+)", vml):  # each id in a listed block
                assert str(int(number) // 1024).encode() in blocks
    assert len(ids) == len(set(ids)) == 2 * 700 * 2
    assert len(blocks) == len(set(blocks))
    shot = snapshot(content)
    assert sum(1 for c in shot["Acties"]["cells"].values() if c[2]) == 1400
    assert _schema_problems(content, tmp_path) == []


def test_register_with_bevindingen_falls_back_to_openpyxl(tmp_path):
    """Validating the validation report itself: its Bevindingen sheet is replaced."""
    report = tmp_path / "rapport.xlsx"
    write_excel_report(validate_register(read_register(GAPS)), report)
    again = validate_register(read_register(report))
    with pytest.raises(Unsupported):
        excel_report_bytes(again)
    second = tmp_path / "tweede.xlsx"
    write_excel_report(again, second)
    shot = snapshot(second.read_bytes())
    assert shot["sheets"].count("Bevindingen") == 1
    assert shot["sheets"][0] == "Bevindingen"


@needs_libreoffice
def test_fast_copy_opens_in_libreoffice(tmp_path):
    result = validate_register(read_register(GAPS))
    path = tmp_path / "rapport.xlsx"
    write_excel_report(result, path)
    (tmp_path / "lo").mkdir()
    converted = convert(path, "xlsx", tmp_path / "lo")
    shot = snapshot(converted.read_bytes())
    assert shot["sheets"][0] == "Bevindingen"
    original = snapshot(path.read_bytes())
    for sheet in ("Pilots", "Acties"):
        for cell, (_value, fill, comment, *_rest) in original[sheet]["cells"].items():
            if comment:
                seen = shot[sheet]["cells"][cell]
                assert seen[1] == fill and seen[2], (sheet, cell)
    assert shot["Bevindingen"]["cells"]["A1"][0] == original["Bevindingen"]["cells"]["A1"][0]
