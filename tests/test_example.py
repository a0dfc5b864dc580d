"""The bundled example register holds the reference documents, text for text."""

from __future__ import annotations

import re

from conftest import EXAMPLE, GAPS, convert, needs_libreoffice

from toolkit.declarations import schema
from toolkit.register.read import read_register


def _norm(text):
    return " ".join(str(text or "").split()).rstrip(".")


def test_every_reference_pilot_is_in_the_example(reference_cards):
    reg = read_register(EXAMPLE)
    assert len(reference_cards) == 12
    by_name = {p["naam"]: p for p in reg.records("Pilots")}
    for card in reference_cards:
        pilot = by_name[card.values["naam"]]
        for key, value in card.values.items():
            if value:
                assert _norm(pilot[key]) == _norm(value), (card.heading, key)
            else:
                assert pilot[key] == schema.UNKNOWN_ANSWER


def test_every_reference_action_and_status_is_in_the_example(reference_actions, make_example):
    reg = read_register(EXAMPLE)
    activities = [_norm(a["activiteit"]) for a in reg.records("Acties")]
    everything = " ".join(
        _norm(a[k]) for a in reg.records("Acties") for k in ("resultaat", "status", "toelichting_status")
    )
    squashed = re.sub(r"\s+", "", everything)
    for row in reference_actions:
        if row.activiteit:
            assert _norm(row.activiteit) in activities
        assert re.sub(r"\s+", "", _norm(row.resultaat)) in squashed
        if row.status:
            parts = [p for p in re.split(r"\s{2,}|</?p>", row.status) if p.strip()]
            for part in parts:
                assert re.sub(r"\s+", "", _norm(part)) in squashed, row.status
    assert (
        {a["opgave"] for a in reg.records("Acties")}
        == set(reg.lists["opgave"])
        == set(make_example.EXAMPLE_LISTS["opgave"])
    )
    statuses = set(schema.vocabulary("status").values)
    assert all(a["status"] in statuses for a in reg.records("Acties"))


def test_the_split_rows_are_merged_in_the_example_but_kept_in_the_fixture(reference_actions):
    continued = [r for r in reference_actions if r.continued]
    assert len(continued) == 6
    assert all(a["activiteit"] for a in read_register(EXAMPLE).records("Acties"))
    assert sum(1 for a in read_register(GAPS).records("Acties") if not a["activiteit"]) == 6


def _records(reg):
    def plain(v):
        return v.isoformat() if hasattr(v, "isoformat") else v

    return (
        [{k: plain(v) for k, v in p.values.items()} for p in reg.records("Pilots")],
        [{k: plain(v) for k, v in a.values.items()} for a in reg.records("Acties")],
        reg.lists,
        {k: plain(v) for k, v in reg.settings.items()},
    )


@needs_libreoffice
def test_register_saved_by_libreoffice_reads_back_the_same(tmp_path):
    source = tmp_path / "bron" / "voorbeeld_register.xlsx"
    source.parent.mkdir()
    source.write_bytes(EXAMPLE.read_bytes())
    out = tmp_path / "uit"
    out.mkdir()
    saved = convert(source, "xlsx:Calc MS Excel 2007 XML", out)
    assert _records(read_register(saved)) == _records(read_register(EXAMPLE))
