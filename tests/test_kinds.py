"""A column kind is one place: its member of Kind and its traits in KIND_TRAITS.

Reading, checking, writing and printing ask a kind what it does (rich text, a date, a
list value …), never which kind it is; these tests hold the code to that.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from conftest import MUNICIPALITY, ROOT, with_example_lists
from test_validate import GOOD, GOOD_ACTION

from toolkit.declarations import model
from toolkit.declarations.annextypes import KINDS
from toolkit.declarations.model import KIND_TRAITS, Kind
from toolkit.register.write import write_register
from toolkit.validation.validate import validate_file

_MEMBER = re.compile(r"\bKind\.(" + "|".join(k.name for k in Kind) + r")\b")


def test_code_asks_a_kind_for_its_traits_never_which_kind_it_is():
    named = []
    for folder in ("toolkit", "validators"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == ROOT / "toolkit" / "declarations" / "model.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if _MEMBER.search(line):
                    named.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert named == []


def test_every_kind_has_its_traits_and_its_words_in_a_declaration():
    assert set(KIND_TRAITS) == set(Kind)
    words = [w for k in Kind for w in k.traits.words]
    assert len(words) == len(set(words)), "a word names one kind"
    for kind in Kind:
        assert KINDS[kind.value] is kind
        assert all(KINDS[w] is kind for w in kind.traits.words)


def test_a_kind_does_what_its_traits_say(tmp_path, monkeypatch):
    """Give plain text the traits of a date: the same register now gets the date checks
    on its text columns; nothing else had to change."""
    path = tmp_path / "r.xlsx"
    write_register(
        path,
        {"Pilots": [{**GOOD, "eigenaar": "ergens volgend jaar misschien"}], "Acties": [GOOD_ACTION]},
        {**MUNICIPALITY, "peildatum": date(2024, 4, 1), "inleiding": "Over deze bijlage."},
        with_example_lists(None),
    )
    assert "datum-onleesbaar" not in {f.code for f in validate_file(path).findings}

    dated = replace(KIND_TRAITS[Kind.TEXT], dated=True, free_text=False, plain=False)
    monkeypatch.setitem(model.KIND_TRAITS, Kind.TEXT, dated)
    found = [(f.code, f.label) for f in validate_file(path).findings if f.code == "datum-onleesbaar"]
    assert ("datum-onleesbaar", "Eigenaar (intern)") in found
