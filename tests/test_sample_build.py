"""A coordinator re-arranges the pilot card in Word: a sample card in bijlage.docx
replaces the built-in card in the next build (toolkit.layouts.sample through build)."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from conftest import EXAMPLE
from docx import Document

from toolkit.cli import cli
from toolkit.layouts import render
from toolkit.register.read import read_register


def _with_sample(tmp_path, fill) -> object:
    """A pilot template from before round 3 with its {{ pilotkaarten }} replaced by a
    sample card of the coordinator's own."""
    folder = tmp_path / "sjablonen"
    folder.mkdir()
    shutil.copy(render.BUNDLED_TEMPLATES["acties.docx"], folder / "acties.docx")
    doc = Document(str(Path(__file__).parent / "data" / "legacy_templates" / "bijlage.docx"))
    marker = next(p for p in doc.paragraphs if p.text.strip() == "{{ pilotkaarten }}")
    marker.text = "{{ kaarten }}"
    anchor = marker
    for text, style in fill:
        paragraph = doc.add_paragraph(text, style=style)
        anchor._p.addnext(paragraph._p)
        anchor = paragraph
    end = doc.add_paragraph("{{ einde }}")
    anchor._p.addnext(end._p)
    doc.save(str(folder / "bijlage.docx"))
    return folder


def test_a_sample_card_in_the_pilot_template_replaces_the_built_in_card(tmp_path):
    folder = _with_sample(
        tmp_path,
        [("{{ naam }}", "Heading 1"), ("Portefeuille: {{ portefeuille }}", None), ("{{ doel }}", None)],
    )
    out = tmp_path / "uit"
    result = CliRunner().invoke(cli, ["build", str(EXAMPLE), "--out", str(out), "--sjablonen", str(folder)])
    assert result.exit_code in (0, 1), result.output
    pilot_doc = next(p for p in out.glob("*.docx") if p.name.startswith("Bijlage 5"))
    doc = Document(str(pilot_doc))
    register = read_register(EXAMPLE)
    published = [
        p for p in register.records("Pilots") if register.roles.published(p.text("opnemen"), "opnemen")
    ]
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[-len(published) :] == [p.text("naam") for p in published]
    lines = [p.text for p in doc.paragraphs]
    assert f"Portefeuille: {published[0].text('portefeuille')}" in lines
    assert not doc.tables  # the built-in card's label tables are gone: the sample rules
    assert not any("{{" in line for line in lines)


def test_a_sample_with_a_field_the_sheet_lacks_is_refused_with_the_valid_fields(tmp_path):
    folder = _with_sample(tmp_path, [("{{ naam }}", "Heading 1"), ("{{ budget }}", None)])
    result = CliRunner().invoke(
        cli, ["build", str(EXAMPLE), "--out", str(tmp_path / "uit"), "--sjablonen", str(folder)]
    )
    assert result.exit_code == 2
    assert "budget" in result.output and "{{ omschrijving }}" in result.output
    assert "Traceback" not in result.output


def test_a_split_tag_in_the_sample_is_still_found(tmp_path):
    folder = _with_sample(tmp_path, [("{{ naam }}", "Heading 1")])
    template = folder / "bijlage.docx"
    doc = Document(str(template))
    heading = next(p for p in doc.paragraphs if p.text == "{{ naam }}")
    heading.runs[0].text = "{{ na"
    run = heading.add_run("am }}")
    run.bold = True
    doc.save(str(template))
    out = tmp_path / "uit"
    result = CliRunner().invoke(cli, ["build", str(EXAMPLE), "--out", str(out), "--sjablonen", str(folder)])
    assert result.exit_code in (0, 1), result.output
    pilot_doc = next(p for p in out.glob("*.docx") if p.name.startswith("Bijlage 5"))
    headings = [p.text for p in Document(str(pilot_doc)).paragraphs if p.style.name == "Heading 1"]
    assert "Woonoverlast" in " ".join(headings)
