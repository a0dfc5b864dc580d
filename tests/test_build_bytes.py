"""The same input gives the same annexes, byte for byte, as before the build was made
faster (issue 20): every part of every .docx against tests/data/build_hashes.json
(recorded with tests/build_hashes.py before the optimisations). Covers the pilot cards
(with the table titles that hold a field, the notes, leeg_weglaten, a card per page),
the action tables (groups, continuation rows, kept-together rows), an own type with
groups, overviews and a cross-tab, build --previous, and the parallel build."""

from __future__ import annotations

import json

import pytest
from build_hashes import FIXTURE, cases

RECORDED = json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def work(tmp_path_factory):  # type: ignore[no-untyped-def]
    return tmp_path_factory.mktemp("bytes")


@pytest.mark.parametrize("case", sorted(RECORDED))
def test_the_built_annexes_are_byte_identical(work, case) -> None:  # type: ignore[no-untyped-def]
    built = cases(work)[case]()
    assert sorted(built) == sorted(RECORDED[case])
    for name, parts in built.items():
        changed = sorted(
            p
            for p in parts.keys() | RECORDED[case][name].keys()
            if parts.get(p) != RECORDED[case][name].get(p)
        )
        assert not changed, (case, name, changed)


def test_a_large_register_builds_the_same_with_one_helper(work, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """From LEAN_FROM_ROWS rows only the largest annex is made in a helper (memory); the
    others are made after validation, byte for byte as in a helper each."""
    from build_hashes import _generated

    from toolkit.build import documents

    monkeypatch.setattr(documents, "LEAN_FROM_ROWS", 0)
    assert _generated(work, parallel=True) == RECORDED["gegenereerd"]
