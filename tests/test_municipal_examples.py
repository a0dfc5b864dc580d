"""One example register per municipality, each with its own gemeente and house style.

Zoetermeer makes the pilot annex (reference 000), Leidschendam-Voorburg the Sterk voor
Noord action annexes (003): neither register carries the other's sheet, lists or name.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import ROOT
from docx import Document

from toolkit.cli import cli
from toolkit.register.read import read_register

EXAMPLES = {
    "Zoetermeer": (
        ROOT / "examples" / "zoetermeer" / "pilots_zoetermeer.xlsx",
        "Bijlage 5 Monitoring evaluatie pilots",
        "Gemeente Leidschendam",
        "Pilots",
        "bijlage.docx",
        "005A4E",
    ),
    "Leidschendam-Voorburg": (
        ROOT / "examples" / "leidschendam-voorburg" / "acties_sterk_voor_noord.xlsx",
        "Bijlagen Sterk voor Noord",
        "Gemeente Zoetermeer",
        "Acties",
        "acties.docx",
        "8B1A2B",
    ),
}


def _text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


@pytest.mark.parametrize("gemeente", EXAMPLES)
def test_each_municipality_builds_its_own_annex_in_its_house_style(tmp_path, gemeente):
    path, document, other, sheet, template, colour = EXAMPLES[gemeente]
    register = read_register(path)
    assert register.setting_text("gemeente") == gemeente
    assert register.sheets == {sheet}
    result = CliRunner().invoke(cli, ["build", str(path), "--out", str(tmp_path)])
    assert result.exit_code in (0, 1), result.output
    (built,) = tmp_path.glob("*.docx")
    assert built.name.startswith(document)
    doc = Document(str(built))
    text = _text(doc)
    assert f"Gemeente {gemeente}" in text
    assert other not in text  # nothing of the other municipality
    heading = doc.styles["Heading 1"]
    assert str(heading.font.color.rgb) == colour  # the house style, not the bundled look
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    used = json.dumps(manifest["sjablonen"], ensure_ascii=False)
    assert "sjablonen" in used and template in used


def test_the_municipal_registers_hold_only_their_own_lists():
    zoetermeer = read_register(EXAMPLES["Zoetermeer"][0])
    assert zoetermeer.lists["programma"] and not zoetermeer.lists.get("opgave")
    lv = read_register(EXAMPLES["Leidschendam-Voorburg"][0])
    assert lv.lists["opgave"] and not lv.lists.get("programma")
    assert not lv.lists.get("portefeuille")
