"""`toolkit build`: the annexes as a coordinator, a council member and Word see them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import bundled
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, GAPS, MUNICIPALITY, needs_libreoffice
from docx import Document
from docx.oxml.ns import qn

from toolkit.build.documents import build_documents
from toolkit.cli import cli
from toolkit.core.errors import TemplateError
from toolkit.core.richtext import parse_rich, visible_chars
from toolkit.declarations import schema
from toolkit.declarations.annextypes import BUILTIN
from toolkit.layouts.render import BUNDLED_TEMPLATES, render_template, sample_blocks, template_tags
from toolkit.register.read import read_register
from toolkit.register.write import write_register

PILOT_TEMPLATE = BUNDLED_TEMPLATES["bijlage.docx"]

PILOT_DOC = "Bijlage 5 Monitoring evaluatie pilots - Perspectiefnota 2025.docx"
ACTIONS_DOC = "Bijlagen Sterk voor Noord - Perspectiefnota 2025.docx"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("uitvoer")
    result = build_documents(read_register(EXAMPLE), out)
    assert not result.validation.errors
    return out, result


def _paragraphs(doc):
    """Every paragraph in body order, tables included."""
    body = doc.element.body
    yield from body.iter(qn("w:p"))


def _doc_chars(path):
    doc = Document(path)
    text = "".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in _paragraphs(doc))
    return re.sub(r"[\s•]+", "", text)


def test_example_builds_both_documents_and_a_manifest(built):
    out, result = built
    assert sorted(p.name for p in result.documents) == sorted([PILOT_DOC, ACTIONS_DOC])
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    assert read_register(EXAMPLE).sha256 in manifest
    assert '"peildatum": "2024-04-01"' in manifest
    assert (out / "validatie" / "voorbeeld_register_validatie.html").exists()


def test_pilot_annex_has_every_published_card_in_register_order(built):
    out, _ = built
    doc = Document(out / PILOT_DOC)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    names = [p["naam"] for p in read_register(EXAMPLE).records("Pilots") if p["opnemen"] != "Nee"]
    assert headings == ["Inleiding", *names]
    assert doc.paragraphs[0].text == "Bijlage 5. Monitoring evaluatie pilots"
    notes = [p for p in doc.paragraphs if p.style.name == "Kaartnotitie"]
    assert len(notes) == 2  # the two pilots marked "Laatste keer"
    subheads = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert subheads[:6] == [s for s, _ in bundled.CARD_SECTIONS]


def test_no_published_text_is_lost_and_nothing_internal_leaks(built):
    out, _ = built
    reg = read_register(EXAMPLE)
    pilot_chars = _doc_chars(out / PILOT_DOC)
    for pilot in reg.records("Pilots"):
        for col in bundled.PILOTS.columns:
            value = pilot.text(col.key)
            if not col.published or col.key in ("id", "opnemen") or not value:
                continue
            expected = (
                visible_chars(parse_rich(value).plain)
                if col.kind is schema.Kind.RICH
                else re.sub(r"\s+", "", value)
            )
            assert expected in pilot_chars, (pilot["naam"], col.key)
    assert "Coördinatorpilots" not in pilot_chars
    action_chars = _doc_chars(out / ACTIONS_DOC)
    for action in reg.records("Acties"):
        for key in ("activiteit", "resultaat", "status", "toelichting_status", "doel"):
            value = action.text(key)
            if value:
                assert visible_chars(parse_rich(value).plain) in action_chars, (action["id"], key)


def test_rich_text_uses_real_list_styles(built):
    out, _ = built
    doc = Document(out / PILOT_DOC)
    styles = [p.style.name for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    assert styles.count("List Bullet") >= 2  # Vindplaats verborgen schulden
    assert styles.count("List Continue") >= 3  # Dealbreakers 1) 2) 3)


def test_action_annex_sections_tables_and_overview(built):
    out, _ = built
    doc = Document(out / ACTIONS_DOC)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "Bijlage 2 Uitvoeringsplan Jeugd en onderwijs",
        "Bijlage 3 Uitvoeringsplan Financiële zelfredzaamheid",
        "Bijlage 4 Uitvoeringsplan Fijn en veilig wonen",
    ]
    overview = doc.tables[0]
    assert [c.text for c in overview.rows[0].cells] == ["Status", "Aantal acties", "Aandeel"]
    assert overview.rows[-1].cells[0].text == "Totaal"
    assert overview.rows[-1].cells[1].text == "12"
    for table in doc.tables:
        first = table.rows[0]._tr
        assert first.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
    action_tables = [t for t in doc.tables if t.rows[0].cells[0].text == "Activiteit"]
    assert len(action_tables) == 4 + 3 + 8
    status_cell = action_tables[0].rows[1].cells[2]
    assert status_cell.paragraphs[0].text == "Afgerond"
    # the colour sits on the status paragraph: a split row never shows an empty coloured cell
    assert status_cell._tc.tcPr.find(qn("w:shd")) is None
    fill = status_cell.paragraphs[0]._p.pPr.find(qn("w:shd")).get(qn("w:fill"))
    assert fill == bundled.STATUS_COLOURS["Afgerond"]


def test_publishing_properties(built):
    out, _ = built
    for name in (PILOT_DOC, ACTIONS_DOC):
        doc = Document(out / name)
        assert doc.core_properties.language == "nl-NL"
        assert doc.core_properties.title and doc.core_properties.subject
        lang = doc.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
        assert lang.get(qn("w:val")) == "nl-NL"
        assert doc.settings.element.find(qn("w:updateFields")) is None  # no prompt in Word
        xml = doc.element.xml
        assert "TOC \\o" in xml
        footer = doc.sections[0].footer._element.xml
        assert "PAGE" in footer
        header = doc.sections[0].header.paragraphs[0].text
        assert "Zoetermeer" in header and "Perspectiefnota 2025" in header


def test_same_input_gives_byte_identical_files(built, tmp_path):
    out, first = built
    second = build_documents(read_register(EXAMPLE), tmp_path)
    for a, b in zip(first.documents, second.documents, strict=True):
        assert a.read_bytes() == b.read_bytes()
    assert (out / "manifest.json").read_text() == (tmp_path / "manifest.json").read_text()


def test_cli_build_without_arguments_uses_the_example(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = EXAMPLE.read_bytes()
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "uitvoer" / PILOT_DOC).exists()
    assert "Klaar" in result.output
    assert EXAMPLE.read_bytes() == before


def test_errors_stop_the_build_but_reports_are_written(tmp_path):
    result = CliRunner().invoke(cli, ["build", str(GAPS), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "niet gemaakt" in result.output
    assert not list(tmp_path.glob("*.docx"))
    assert (tmp_path / "validatie" / "register_met_gaten_validatie.xlsx").exists()


def test_text_comes_out_verbatim(tmp_path):
    nasty = 'A & B <c> {{ x }} {% if 1 %} _x000D_ "quotes"'
    reg = tmp_path / "r.xlsx"
    write_register(
        reg,
        {
            "Pilots": [
                {
                    "id": "P-1",
                    "naam": nasty,
                    "omschrijving": "Tekst",
                    "programma": "5. Veiligheid",
                    "portefeuille": "Wonen",
                    "doel": "Doel",
                    "startdatum": "2023",
                    "einddatum": "2025",
                    "evaluatiemoment": "2024",
                    "succesvol": "Ja",
                    "beleid": "Nee",
                    "financieel": "Nee",
                    "gerapporteerd": "Memo",
                    "opnemen": "Ja",
                }
            ]
        },
        settings={**MUNICIPALITY, "peildatum": "1-4-2024"},
    )
    result = build_documents(read_register(reg), tmp_path / "uit")
    doc = Document(result.documents[0])
    assert nasty in [p.text for p in doc.paragraphs]


def test_unknown_template_tag_is_refused(tmp_path):
    doc = Document(PILOT_TEMPLATE)
    doc.add_paragraph("{{ wethouder }}")
    template = tmp_path / "sjabloon.docx"
    doc.save(template)
    with pytest.raises(TemplateError, match="wethouder"):
        render_template(
            template,
            template_tags(BUILTIN.get("pilots")),
            {},
            {},
            {},
            None,
            sample=sample_blocks(BUILTIN.get("pilots"), [], template.name),
        )


def test_missing_style_is_named(tmp_path):
    doc = Document(PILOT_TEMPLATE)
    style = doc.styles["Kaartlabel"]
    style.element.getparent().remove(style.element)
    template = tmp_path / "sjabloon.docx"
    doc.save(template)
    with pytest.raises(TemplateError, match="Kaartlabel"):
        render_template(
            template,
            template_tags(BUILTIN.get("pilots")),
            {},
            {},
            {},
            None,
            sample=sample_blocks(BUILTIN.get("pilots"), [], template.name),
        )


def test_pdf_without_libreoffice_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr("toolkit.build.pdf.shutil.which", lambda name: None)
    result = CliRunner().invoke(cli, ["build", "--out", str(tmp_path), "--pdf"])
    assert result.exit_code == 2
    assert "LibreOffice" in result.output
    assert (tmp_path / PILOT_DOC).exists()


@needs_libreoffice
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext ontbreekt")
def test_pdf_through_libreoffice_holds_every_pilot_and_action(tmp_path):
    result = CliRunner().invoke(cli, ["build", "--out", str(tmp_path), "--pdf"])
    assert result.exit_code == 0, result.output
    reg = read_register(EXAMPLE)
    pages = {}
    texts = {}
    for pdf in tmp_path.glob("*.pdf"):
        texts[pdf.stem] = re.sub(
            r"\s+",
            "",
            subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout,
        )
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        pages[pdf.stem] = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    pilots = texts[PILOT_DOC.removesuffix(".docx")]
    actions = texts[ACTIONS_DOC.removesuffix(".docx")]
    for pilot in reg.records("Pilots"):
        assert re.sub(r"\s+", "", pilot["naam"]) in pilots
    for action in reg.records("Acties"):
        # the first words only: a row may break across pages, and then the page footer
        # and the repeated header row stand between its lines in the PDF text
        words = "".join(parse_rich(action["activiteit"]).plain.replace("•", "").split()[:3])
        assert words in actions.replace("•", "") or words.replace("-", "") in actions
    assert 8 <= pages[PILOT_DOC.removesuffix(".docx")] <= 40
    assert 8 <= pages[ACTIONS_DOC.removesuffix(".docx")] <= 60
    # the table of contents is filled in, with page numbers, not left as a placeholder
    for stem, text in texts.items():
        assert "bijgewerktbijhetopenen" not in text, stem
    first_page = subprocess.run(
        ["pdftotext", "-l", "2", "-layout", str(tmp_path / (PILOT_DOC.removesuffix(".docx") + ".pdf")), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    published = [p["naam"] for p in reg.records("Pilots") if p["opnemen"] != "Nee"]
    listed = re.findall(r"^\s*(.+?)\s*\.{3,}\s*(\d+)\s*$", first_page, re.MULTILINE)
    assert [name for name, _ in listed][1:] == [" ".join(n.split()) for n in published]
    numbers = [int(page) for _, page in listed]
    assert numbers == sorted(numbers) and numbers[-1] > 1


@needs_libreoffice
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext ontbreekt")
def test_pdf_without_the_macro_falls_back_to_plain_conversion(built, tmp_path, monkeypatch):
    """A LibreOffice that cannot run the macro still gives a tagged PDF, with the contents
    the build wrote (without page numbers)."""
    from toolkit.build import pdf

    monkeypatch.setattr(pdf, "_MACRO", pdf._MACRO.replace("doc.storeToURL", "REM"))
    _, result = built
    (made,) = pdf.convert_to_pdf(result.documents[:1], tmp_path)
    assert made.name == PILOT_DOC.removesuffix(".docx") + ".pdf"
    text = subprocess.run(["pdftotext", str(made), "-"], capture_output=True, text=True, check=True).stdout
    assert "Dealbreakers" in text and "Inhoud" in text and "bijgewerkt" not in text
    info = subprocess.run(["pdfinfo", str(made)], capture_output=True, text=True).stdout
    assert re.search(r"Tagged:\s+yes", info)


def test_control_characters_and_lone_surrogates_never_break_a_document(tmp_path):
    from toolkit.core.richtext import parse_rich
    from toolkit.layouts import wordxml

    xml = wordxml.rich_paragraphs(
        parse_rich("a\x07b\ud800c <p>d\x0be</p>"), {"bullet": "ListBullet", "number": "ListContinue"}
    ) + wordxml.text_paragraph("x\ud800y")
    xml.encode("utf-8")
    assert "\x07" not in xml and "\ud800" not in xml


def test_document_xml_is_compressed_at_the_chosen_level(built):
    """The body is streamed into the zip; the level must still be the build's own."""
    import zipfile
    import zlib

    from toolkit.core.output import COMPRESS_LEVEL

    _, result = built
    with zipfile.ZipFile(result.documents[0]) as docx:
        info = docx.getinfo("word/document.xml")
        xml = docx.read(info)
    deflate = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    assert info.compress_size == len(deflate.compress(xml) + deflate.flush())


@pytest.mark.parametrize("dropped, kept", [("Acties", "Bijlage 5"), ("Pilots", "Bijlagen Sterk")])
def test_a_register_with_one_annex_sheet_builds_only_that_annex(tmp_path, dropped, kept):
    """A municipality with only pilots (or only actions) keeps only that sheet."""
    import openpyxl

    wb = openpyxl.load_workbook(EXAMPLE)
    del wb[dropped]
    if dropped == "Pilots":  # the introduction belongs to the pilot annex only
        settings = wb["Instellingen"]
        for row in settings.iter_rows(min_row=2):
            if row[0].value == schema.setting("inleiding").label:
                row[1].value = None
    path = tmp_path / "een.xlsx"
    wb.save(path)
    result = CliRunner().invoke(cli, ["build", str(path), "--out", str(tmp_path / "uit")])
    assert result.exit_code in (0, 1), result.output  # warnings of the example may remain
    built = sorted(p.name for p in (tmp_path / "uit").glob("*.docx"))
    assert len(built) == 1 and built[0].startswith(kept), built
    codes = {
        f["code"]
        for f in json.loads((tmp_path / "uit" / "validatie" / "een_validatie.json").read_text())[
            "bevindingen"
        ]
    }
    assert "inleiding-leeg" not in codes
