"""A sub-item stays a sub-item through build and import.

An officer writes a second list level ("◦" under "•"); the annex shows it in List Bullet
2; `toolkit import` of that annex must give the second level back, not flatten it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from bundled import PILOTS
from click.testing import CliRunner
from conftest import EXAMPLE
from docx import Document

from toolkit.build.documents import build_documents
from toolkit.cli import cli
from toolkit.core.richtext import parse_rich
from toolkit.declarations.model import Kind
from toolkit.layouts.wordread import WordPackage
from toolkit.register.read import read_register

TEXT = "Eerst:\n• een punt\n◦ een subpunt\n◦ nog een subpunt\n• weer een punt"


def _rich_column() -> tuple[str, int]:
    sheet = PILOTS
    column = next(c for c in sheet.columns if c.published and c.kind == Kind.RICH)
    return column.key, [c.key for c in sheet.columns].index(column.key) + 1


@pytest.mark.parametrize("pilots_first", [True, False], ids=["eerst", "als-tweede"])
def test_a_second_level_survives_build_and_import(tmp_path: Path, pilots_first: bool) -> None:
    """Also when the pilot annex is the second file (read in a helper process)."""
    key, index = _rich_column()
    register = tmp_path / "register.xlsx"
    shutil.copyfile(EXAMPLE, register)
    book = openpyxl.load_workbook(register)
    sheet = book[PILOTS.name]
    header = next(r for r in range(1, 10) if sheet.cell(r, 1).value)
    row = header + 1
    while sheet.cell(row, 1).value and str(sheet.cell(row, index).value or "") == "":
        row += 1
    sheet.cell(row, index).value = TEXT
    pilot = sheet.cell(row, 1).value
    book.save(register)

    built = build_documents(read_register(register), tmp_path / "uit")
    pilots_doc = next(p for p in built.documents if "pilots" in p.name.casefold())
    styles = {p.style.name for p in Document(pilots_doc).paragraphs}
    styles |= {
        p.style.name
        for t in Document(pilots_doc).tables
        for r in t.rows
        for c in r.cells
        for p in c.paragraphs
    }
    assert "List Bullet 2" in styles

    order = sorted(built.documents, key=lambda p: (p != pilots_doc) == pilots_first)
    assert (order[0] == pilots_doc) == pilots_first
    result = CliRunner().invoke(cli, ["import", *map(str, order), "--out", str(tmp_path / "terug.xlsx")])
    assert result.exit_code == 0, result.output
    back = read_register(tmp_path / "terug.xlsx")
    record = next(p for p in back.records(PILOTS.name) if p.text("id") == pilot)
    levels = [(p.text, p.list_kind, p.level) for p in parse_rich(record.text(key)).paragraphs]
    assert levels == [(p.text, p.list_kind, p.level) for p in parse_rich(TEXT).paragraphs]
    assert [lvl for _, _, lvl in levels] == [0, 0, 1, 1, 0]


def test_the_reader_gives_the_level_of_a_list_style(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("punt", style="List Bullet")
    document.add_paragraph("subpunt", style="List Bullet 2")
    path = tmp_path / "lijst.docx"
    document.save(path)
    paragraphs = [b for b in WordPackage(path).blocks() if hasattr(b, "level")]
    assert [(p.text, p.listed, p.level) for p in paragraphs] == [
        ("punt", True, 0),
        ("subpunt", True, 1),
    ]
