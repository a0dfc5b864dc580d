"""Shortcuts taken for speed (issue 12) give the same result as the long way round."""

from __future__ import annotations

import shutil

from conftest import EXAMPLE, GAPS
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.editions import new_edition as edition
from toolkit.register import diff
from toolkit.register.read import read_register


def test_new_edition_shortcut_when_no_column_was_added(monkeypatch):
    """A byte search finds no cell outside the declared columns: same as reading them all."""
    for path in (EXAMPLE, GAPS):
        quick = edition._added_columns(path)
        assert all(not added.headers and not added.values for added in quick[0].values())
        assert edition._nothing_added(path, edition.BUILTIN) is not None  # openpyxl not used
        # the register as read (the careful reader too) gives the same answer
        assert edition._nothing_added(path, edition.BUILTIN, read_register(path)) == edition._nothing_added(
            path, edition.BUILTIN, read_register(path, careful=True)
        )
        monkeypatch.setattr(edition, "_nothing_added", lambda path, types, register=None: None)
        monkeypatch.setattr(edition, "_only_declared", lambda ws, used: False)
        slow = edition._added_columns(path)
        monkeypatch.undo()
        assert (
            {k: (v.headers, v.values) for k, v in quick[0].items() if v.headers}
            == {k: (v.headers, v.values) for k, v in slow[0].items() if v.headers}
            == {}
        )
        assert quick[1] == slow[1]


def test_new_edition_quick_look_names_the_same_unknown_entries_and_defers_on_added_columns(tmp_path):
    import openpyxl

    path = tmp_path / "eigen.xlsx"
    wb = openpyxl.load_workbook(EXAMPLE)
    wb["Instellingen"].append(["Eigen regel", "x"])
    wb["Lijsten"].cell(1, wb["Lijsten"].max_column + 1).value = "Eigen lijst"
    wb.create_sheet("Notities")
    wb.save(path)
    quick = edition._nothing_added(path, edition.BUILTIN)
    slow = edition._added_columns_openpyxl(path, edition.BUILTIN)[1]
    assert quick == slow and "Notities" in quick and any("Eigen regel" in q for q in quick)
    ws = wb["Pilots"]
    ws.cell(1, ws.max_column + 1).value = "Eigen kolom"
    ws.cell(2, ws.max_column).value = "waarde"
    wb.save(path)
    assert edition._nothing_added(path, edition.BUILTIN) is None  # openpyxl reads it
    added, _ = edition._added_columns(path)
    assert added["Pilots"].headers == ["Eigen kolom"]


def test_diff_of_a_register_with_itself_and_with_another(tmp_path):
    """Fields with the same text are skipped unparsed; different ones are still compared."""
    copy = tmp_path / "kopie.xlsx"
    shutil.copy(EXAMPLE, copy)
    same = diff.compare(read_register(EXAMPLE), read_register(copy))
    assert not same.of("gewijzigd", "Pilots") and not same.of("gewijzigd", "Acties")
    changed = diff.compare(read_register(GAPS), read_register(EXAMPLE))
    assert changed.of("gewijzigd", "Pilots") or changed.of("nieuw", "Pilots")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_attribute_escaping_shortcut_gives_what_the_full_escape_gives(text):
    from xml.sax.saxutils import escape

    from toolkit.core.richtext import without_controls
    from toolkit.layouts.wordxml import attr_xml

    assert attr_xml(text) == escape(without_controls(text), {'"': "&quot;", "\n": " "})


def test_the_file_checks_cell_columns_agree_with_a_search_of_the_sheet(tmp_path):
    """new-edition asks the file check which columns hold cells instead of searching each
    sheet again; on registers with and without an added column both say the same."""
    import re
    import zipfile

    import openpyxl

    from toolkit.register.sheetxml import _sheet_members

    added = tmp_path / "erbij.xlsx"
    wb = openpyxl.load_workbook(EXAMPLE)
    wb["Acties"].cell(3, 30).value = "los"
    wb.save(added)
    for path in (EXAMPLE, GAPS, added):
        register = read_register(path)
        with zipfile.ZipFile(path) as archive:
            members = _sheet_members(archive)
            for title, letters in register.cell_columns.items():
                found = {
                    m.decode() for m in re.findall(rb'<c r="([A-Z]+)[0-9]', archive.read(members[title]))
                }
                assert letters == found, (path.name, title)
    assert "AD" in read_register(added).cell_columns["Acties"]
    assert edition._nothing_added(added, edition.BUILTIN, read_register(added)) is None


def test_new_edition_of_1000_pilots_is_the_same_by_the_quick_look_and_the_long_way(tmp_path, monkeypatch):
    """The register new-edition writes from a 1,000-pilot register (5,000 actions) is the
    same, cell for cell, whether the quick look or openpyxl decided nothing was added."""
    import sys

    import openpyxl
    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from bench import make_register
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    source = tmp_path / "register.xlsx"
    make_register(source, 1000)
    quick = edition.next_edition(source, tmp_path / "snel.xlsx", "Begroting 2026", None)
    monkeypatch.setattr(edition, "_nothing_added", lambda path, types, register=None: None)
    slow = edition.next_edition(source, tmp_path / "lang.xlsx", "Begroting 2026", None)
    assert quick.kept == slow.kept and quick.removed == slow.removed
    assert quick.warnings == slow.warnings and quick.copied == slow.copied

    def cells(path):
        wb = openpyxl.load_workbook(path)
        return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb}

    assert cells(tmp_path / "snel.xlsx") == cells(tmp_path / "lang.xlsx")
