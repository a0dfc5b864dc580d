"""An Excel error in the old register never disappears without a line.

A cell whose formula gives #DEEL/0! or #N/B has no value to carry to the next edition;
new-edition leaves it empty, and says which cell it was and what error it gave, so the
officer can fill it in (the same as for a formula without a calculated value).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
from conftest import EXAMPLE

from toolkit.editions.new_edition import next_edition


def _with_error(source: Path, target: Path, sheet_part: str, ref: str, error: str) -> None:
    """The register with one cell turned into a formula whose cached value is an error,
    as Excel saves it."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == sheet_part:
                text = data.decode("utf-8")
                cell = re.search(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', text)
                assert cell is not None
                text = text.replace(cell.group(0), f'<c r="{ref}" t="e"><f>1/0</f><v>{error}</v></c>', 1)
                data = text.encode("utf-8")
            new.writestr(item, data)


def test_an_error_cell_is_named_and_left_empty(tmp_path: Path) -> None:
    old = tmp_path / "oud.xlsx"
    _with_error(EXAMPLE, old, "xl/worksheets/sheet2.xml", "K5", "#DIV/0!")
    result = next_edition(old, tmp_path / "nieuw.xlsx", "Voorjaarsnota 2026", None)
    named = [w for w in result.warnings if w.startswith("Pilots!K5 ")]
    assert len(named) == 1
    assert "#DIV/0!" in named[0] and "leeg" in named[0]
    sheet = openpyxl.load_workbook(tmp_path / "nieuw.xlsx")["Pilots"]
    key = openpyxl.load_workbook(old)["Pilots"]["A5"].value
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == key)
    assert sheet.cell(row, 11).value is None


def test_an_error_in_a_setting_is_named(tmp_path: Path) -> None:
    old = tmp_path / "oud.xlsx"
    _with_error(EXAMPLE, old, "xl/worksheets/sheet5.xml", "B3", "#N/A")
    result = next_edition(old, tmp_path / "nieuw.xlsx", "Voorjaarsnota 2026", None)
    assert any(w.startswith("Instellingen!B3 ") and "#N/A" in w for w in result.warnings)
