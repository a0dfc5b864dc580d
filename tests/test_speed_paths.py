"""Shortcuts taken for speed (issue 12) give the same result as the long way round."""

from __future__ import annotations

import shutil

from conftest import EXAMPLE, GAPS

from toolkit import diff, edition
from toolkit.register import read_register


def test_new_edition_shortcut_when_no_column_was_added(monkeypatch):
    """A byte search finds no cell outside the declared columns: same as reading them all."""
    for path in (EXAMPLE, GAPS):
        quick = edition._added_columns(path)
        assert all(not added.headers and not added.values for added in quick[0].values())
        monkeypatch.setattr(edition, "_only_declared", lambda ws, used: False)
        slow = edition._added_columns(path)
        monkeypatch.undo()
        assert {k: (v.headers, v.values) for k, v in quick[0].items()} == \
            {k: (v.headers, v.values) for k, v in slow[0].items()}
        assert quick[1] == slow[1]


def test_diff_of_a_register_with_itself_and_with_another(tmp_path):
    """Fields with the same text are skipped unparsed; different ones are still compared."""
    copy = tmp_path / "kopie.xlsx"
    shutil.copy(EXAMPLE, copy)
    same = diff.compare(read_register(EXAMPLE), read_register(copy))
    assert not same.of("gewijzigd", "Pilots") and not same.of("gewijzigd", "Acties")
    changed = diff.compare(read_register(GAPS), read_register(EXAMPLE))
    assert changed.of("gewijzigd", "Pilots") or changed.of("nieuw", "Pilots")
