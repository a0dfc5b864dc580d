"""Annexes a clerk can publish as they are: A4, page breaks, contents, accessibility, metadata.

Each test opens the produced .docx (or PDF) and asserts on what Word, LibreOffice, a
screen reader or a PDF checker reads there.
"""

from __future__ import annotations

import re
import shutil
import zipfile

import bundled
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, MUNICIPALITY, needs_libreoffice
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

from toolkit.build.documents import build_documents
from toolkit.cli import cli
from toolkit.declarations import schema
from toolkit.layouts import render
from toolkit.layouts.publishing import BAR_OUTLINE, HEADER_FILL
from toolkit.register.read import read_register
from toolkit.register.write import write_register

PILOT_DOC = "Bijlage 5 Monitoring evaluatie pilots - Perspectiefnota 2025.docx"
ACTIONS_DOC = "Bijlagen Sterk voor Noord - Perspectiefnota 2025.docx"
A4 = (11906, 16838)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("publiceren")
    result = build_documents(read_register(EXAMPLE), out)
    assert not result.validation.errors
    return {p.name: p for p in result.documents}


def _text_width(section_pr) -> int:
    size, margins = section_pr.find(qn("w:pgSz")), section_pr.find(qn("w:pgMar"))
    return (
        int(size.get(qn("w:w")))
        - int(margins.get(qn("w:left")))
        - int(margins.get(qn("w:right")))
        - int(margins.get(qn("w:gutter")) or 0)
    )


def _tables(doc):
    return list(doc.element.body.iter(qn("w:tbl")))


def _table_width(tbl) -> int:
    widths = [int(g.get(qn("w:w"))) for g in tbl.find(qn("w:tblGrid")).iter(qn("w:gridCol"))]
    assert int(tbl.find(qn("w:tblPr")).find(qn("w:tblW")).get(qn("w:w"))) == sum(widths)
    return sum(widths)


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def _label_tables(doc):
    return [
        t for t in _tables(doc) if t.find(qn("w:tblPr")).find(qn("w:tblLook")).get(qn("w:firstColumn")) == "1"
    ]


# -- 1. A4, margins, tables that fit ----------------------------------------------------


@pytest.mark.parametrize("name", [PILOT_DOC, ACTIONS_DOC])
def test_a4_with_council_margins_and_tables_as_wide_as_the_text(built, name):
    doc = Document(built[name])
    section = doc.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == A4
    assert section.left_margin.twips == section.right_margin.twips == 1417  # 2,5 cm
    width = _text_width(doc.element.body.find(qn("w:sectPr")))
    assert width == A4[0] - 2 * 1417
    tables = _tables(doc)
    assert tables and all(_table_width(t) == width for t in tables)


def test_tables_follow_the_coordinators_margins_and_orientation(tmp_path, monkeypatch):
    """Landscape with narrow margins in the template: every table takes the new width."""
    for name in ("bijlage.docx", "acties.docx"):
        doc = Document(render.BUNDLED_TEMPLATES[name])
        section = doc.sections[0]
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
        section.left_margin = section.right_margin = Cm(1.5)
        template = tmp_path / name
        doc.save(template)
        monkeypatch.setitem(render.BUNDLED_TEMPLATES, name, template)
    result = build_documents(read_register(EXAMPLE), tmp_path / "uit")
    for path in result.documents:
        doc = Document(path)
        width = _text_width(doc.element.body.find(qn("w:sectPr")))
        assert width == Cm(29.7).twips - 2 * Cm(1.5).twips
        assert all(_table_width(t) == width for t in _tables(doc)), path.name


# -- 2. page breaks -------------------------------------------------------------------


def test_rows_and_headings_stay_together(built):
    pilots = Document(built[PILOT_DOC])
    for tbl in _label_tables(pilots):
        for tr in tbl.iter(qn("w:tr")):
            # every card row of the example is shorter than a page: it never splits
            assert tr.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None
    for paragraph in pilots.paragraphs:
        if paragraph.style.name.startswith("Heading") and paragraph.text.strip():
            assert (
                paragraph.paragraph_format.keep_with_next or paragraph.style.paragraph_format.keep_with_next
            ), paragraph.text
    # a card's start (name, Naam pilot and its table) stays with the next section
    naam_tables = [t for t in _label_tables(pilots) if _text(t).startswith("Naam pilot")]
    assert len(naam_tables) == 12
    for tbl in naam_tables:
        assert all(p.find(qn("w:pPr")).find(qn("w:keepNext")) is not None for p in tbl.iter(qn("w:p")))
    actions = Document(built[ACTIONS_DOC])
    for tbl in _tables(actions):
        header, *rows = tbl.iter(qn("w:tr"))
        assert header.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
        # the header row is kept with the first row under it
        assert all(p.find(qn("w:pPr")).find(qn("w:keepNext")) is not None for p in header.iter(qn("w:p")))
        for tr in rows:
            # a row far shorter than a third of a page stays whole; a longer one may split
            # (kept whole, it would leave the page before it half empty)
            if len(_text(tr)) < 300:
                assert tr.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None, _text(tr)


def test_each_status_annex_starts_on_a_new_page(built):
    doc = Document(built[ACTIONS_DOC])
    annexes = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert len(annexes) == 3
    assert all(p.paragraph_format.page_break_before for p in annexes)


def _actions_register(tmp_path, resultaat: str, settings: dict | None = None):
    path = tmp_path / "register.xlsx"
    pilot = {
        "id": "P-1",
        "naam": "Proef",
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
    actions = [
        {
            "id": "A-1",
            "opgave": "Fijn en veilig wonen",
            "doel": "Doel 1",
            "activiteit": "Kort",
            "resultaat": "Klaar.",
            "status": "Afgerond",
        },
        {
            "id": "A-2",
            "opgave": "Fijn en veilig wonen",
            "doel": "Doel 1",
            "activiteit": "Lang",
            "resultaat": resultaat,
            "status": "In uitvoering",
        },
    ]
    write_register(
        path,
        {"Pilots": [pilot, {**pilot, "id": "P-2", "naam": "Tweede"}], "Acties": actions},
        settings={**MUNICIPALITY, "peildatum": "1-4-2024", **(settings or {})},
    )
    return read_register(path)


def test_only_a_row_longer_than_a_page_may_continue_on_the_next(tmp_path):
    long_text = "\n".join(f"Alinea {n}: " + "woord " * 60 for n in range(40))
    result = build_documents(_actions_register(tmp_path, long_text), tmp_path / "uit")
    doc = Document(result.documents[1])
    table = [t for t in doc.tables if t.rows[0].cells[0].text == "Activiteit"][0]
    short, long = table.rows[1]._tr, table.rows[2]._tr
    assert short.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None
    assert long.find(qn("w:trPr")) is None or long.find(qn("w:trPr")).find(qn("w:cantSplit")) is None
    # the status colour sits on the status text, never on an empty cell continuing a page
    status = table.rows[2].cells[2]
    assert status._tc.tcPr.find(qn("w:shd")) is None
    assert status.paragraphs[0].text == "In uitvoering"


@pytest.mark.parametrize("value, expected", [("Ja", True), ("Nee", False), ("", False)])
def test_setting_every_pilot_card_on_a_new_page(tmp_path, value, expected):
    register = _actions_register(tmp_path, "Kort.", {"pilot_nieuwe_pagina": value})
    result = build_documents(register, tmp_path / "uit")
    doc = Document(result.documents[0])
    cards = [p for p in doc.paragraphs if p.style.name == "Heading 1" and p.text != "Inleiding"]
    assert [p.text for p in cards] == ["Proef", "Tweede"]
    assert all(bool(p.paragraph_format.page_break_before) is expected for p in cards)


# -- 3. the table of contents ---------------------------------------------------------


@pytest.mark.parametrize("name", [PILOT_DOC, ACTIONS_DOC])
def test_contents_are_filled_with_links_and_need_no_update(built, name):
    doc = Document(built[name])
    assert doc.settings.element.find(qn("w:updateFields")) is None
    body = doc.element.body
    assert all(f.get(qn("w:dirty")) is None for f in body.iter(qn("w:fldChar")))
    paragraphs = list(body.iter(qn("w:p")))
    start = next(
        i for i, p in enumerate(paragraphs) if any("TOC" in (t.text or "") for t in p.iter(qn("w:instrText")))
    )
    end = next(
        i
        for i in range(start, len(paragraphs))
        if any(f.get(qn("w:fldCharType")) == "end" for f in paragraphs[i].iter(qn("w:fldChar")))
    )
    assert _text(paragraphs[start - 1]) == "Inhoud"
    entries = paragraphs[start : end + 1]
    texts = [_text(p) for p in entries]
    bookmarks = {b.get(qn("w:name")): b for b in body.iter(qn("w:bookmarkStart"))}
    wanted_levels = ("Heading 1",) if name == PILOT_DOC else ("Heading 1", "Heading 2")
    headings = [p.text for p in doc.paragraphs if p.style.name in wanted_levels]
    assert texts == headings
    for entry in entries:
        (link,) = entry.iter(qn("w:hyperlink"))
        target = bookmarks[link.get(qn("w:anchor"))]
        assert _text(target.getparent()) == _text(entry)


# -- 5. accessibility in the .docx ----------------------------------------------------


def _luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_helper_matches_known_ratios():
    assert round(contrast("000000", "FFFFFF"), 1) == 21.0
    assert round(contrast("4F81BD", "FFFFFF"), 1) == 4.0  # the default Subtitle: too light


def _style_colour(doc, style_id: str) -> str | None:
    styles = {s.style_id: s for s in doc.styles}
    style = styles.get(style_id)
    while style is not None:
        colour = style.element.find(f"{qn('w:rPr')}/{qn('w:color')}")
        if colour is not None and colour.get(qn("w:val")) != "auto":
            return colour.get(qn("w:val"))
        style = style.base_style
    return None


@pytest.mark.parametrize("name", [PILOT_DOC, ACTIONS_DOC])
def test_all_coloured_text_and_fills_have_a_contrast_of_at_least_4_5(built, name):
    doc = Document(built[name])
    parts = [
        doc.element,
        *(s.header._element for s in doc.sections),
        *(s.footer._element for s in doc.sections),
    ]
    used = {p.get(qn("w:val")) for part in parts for p in part.iter(qn("w:pStyle"))}
    used |= {r.get(qn("w:val")) for part in parts for r in part.iter(qn("w:rStyle"))}
    used.add(doc.styles["Normal"].style_id)
    for style_id in used:
        colour = _style_colour(doc, style_id)
        if colour:
            assert contrast(colour, "FFFFFF") >= 4.5, (style_id, colour)
    for colour in doc.element.iter(qn("w:color")):
        if colour.get(qn("w:val")) != "auto":
            assert contrast(colour.get(qn("w:val")), "FFFFFF") >= 4.5
    fills = {s.get(qn("w:fill")) for s in doc.element.iter(qn("w:shd"))} - {None, "auto"}
    for fill in fills:  # the text on every fill is automatic (black)
        assert contrast(fill, "000000") >= 4.5, fill


def test_status_colours_and_header_fill_have_contrast_with_black_text():
    for colour in [*bundled.STATUS_COLOURS.values(), schema.UNLISTED_STATUS_COLOUR, HEADER_FILL]:
        assert contrast(colour, "000000") >= 4.5, colour


@pytest.mark.parametrize("name", [PILOT_DOC, ACTIONS_DOC])
def test_every_table_has_header_information_a_caption_and_a_description(built, name):
    doc = Document(built[name])
    for tbl in _tables(doc):
        tbl_pr = tbl.find(qn("w:tblPr"))
        assert tbl_pr.find(qn("w:tblCaption")).get(qn("w:val")).strip()
        assert tbl_pr.find(qn("w:tblDescription")).get(qn("w:val")).strip()
        look = tbl_pr.find(qn("w:tblLook"))
        first_row = tbl.find(qn("w:tr")).find(qn("w:trPr"))
        header_row = first_row is not None and first_row.find(qn("w:tblHeader")) is not None
        if look.get(qn("w:firstColumn")) == "1" and look.get(qn("w:firstRow")) == "0":
            # a card: the label column holds the headers, in the label style
            labels = [tr.find(qn("w:tc")) for tr in tbl.iter(qn("w:tr"))]
            assert all(tc.find(f".//{qn('w:pStyle')}").get(qn("w:val")) == "Kaartlabel" for tc in labels)
        else:
            assert header_row and look.get(qn("w:firstRow")) == "1"


def test_status_overview_is_numbers_and_a_picture_with_a_text_alternative(built):
    doc = Document(built[ACTIONS_DOC])
    assert "█" not in doc.element.xml
    overview = doc.tables[0]
    descriptions = [
        d.get("descr")
        for d in overview._tbl.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
        )
    ]
    statuses = [row.cells[0].text for row in overview.rows[1:-1]]
    assert len(descriptions) == len(statuses) == 5
    for description, row in zip(descriptions, overview.rows[1:-1], strict=True):
        status, number, share = (c.text for c in row.cells)
        # what a screen reader says: the status, the number and the share
        assert description.startswith(f"{status}: {number} van 12 acties")
        assert share.strip().removesuffix("%") in description
    with zipfile.ZipFile(built[ACTIONS_DOC]) as docx:
        pictures = [n for n in docx.namelist() if n.startswith("word/media/")]
        assert pictures and all(docx.read(n).startswith(b"\x89PNG") for n in pictures)
    ids = [
        d.get("id")
        for d in doc.element.body.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
        )
    ]
    assert len(ids) == len(set(ids))


# -- 7. document properties -----------------------------------------------------------


@pytest.mark.parametrize("name", [PILOT_DOC, ACTIONS_DOC])
def test_clean_dutch_document_properties(built, name):
    doc = Document(built[name])
    title = next(p.text for p in doc.paragraphs if p.style.name == "Title")
    assert doc.core_properties.title == title
    assert doc.core_properties.language == "nl-NL"
    assert doc.settings.element.find(qn("w:themeFontLang")).get(qn("w:val")) == "nl-NL"
    assert doc.settings.element.find(qn("w:decimalSymbol")).get(qn("w:val")) == ","
    with zipfile.ZipFile(built[name]) as docx:
        names = docx.namelist()
        app = docx.read("docProps/app.xml").decode("utf-8")
        meta = app + docx.read("docProps/core.xml").decode("utf-8")
    assert "<Application>Gemeente-toolkit" in app
    assert not re.search(r"python-docx|Macintosh|en-US", meta)
    assert not [n for n in names if "stylesWithEffects" in n or "thumbnail" in n or n.startswith("customXml")]


# -- 4. the tagged PDF ----------------------------------------------------------------


def _structure_types(node, found: set[str], depth: int = 0, alts: list | None = None) -> None:
    node = node.get_object() if hasattr(node, "get_object") else node
    if depth > 200:
        return
    if isinstance(node, dict):
        if "/S" in node:
            found.add(str(node["/S"]))
            if str(node["/S"]) == "/Figure" and alts is not None:
                alts.append(str(node.get("/Alt", "")))
        if "/K" in node:
            _structure_types(node["/K"], found, depth + 1, alts)
    elif isinstance(node, list):
        for child in node:
            _structure_types(child, found, depth + 1, alts)


@pytest.fixture(scope="module")
def with_pdf(tmp_path_factory):
    """The example built with --pdf (once for the PDF tests)."""
    out = tmp_path_factory.mktemp("pdf")
    result = CliRunner().invoke(cli, ["build", "--out", str(out), "--pdf"])
    assert result.exit_code == 0, result.output
    return out


@needs_libreoffice
def test_pdf_is_tagged_with_title_language_headings_and_table_headers(with_pdf):
    pypdf = pytest.importorskip("pypdf")
    tmp_path = with_pdf
    pdfs = sorted(tmp_path.glob("*.pdf"))
    assert len(pdfs) == 2
    for pdf in pdfs:
        reader = pypdf.PdfReader(pdf)
        root = reader.trailer["/Root"]
        assert bool(root["/MarkInfo"]["/Marked"])
        assert str(root["/Lang"]) == "nl-NL"
        assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
        docx_title = Document(tmp_path / (pdf.stem + ".docx")).core_properties.title
        assert reader.metadata.title == docx_title
        page = reader.pages[0].mediabox
        assert (round(float(page.width)), round(float(page.height))) == (595, 842)  # A4
        tree = root["/StructTreeRoot"].get_object()
        found: set[str] = set()
        alts: list[str] = []
        _structure_types(tree, found, alts=alts)
        roles = {str(k): str(v) for k, v in tree.get("/RoleMap", {}).items()}
        standard = {roles.get(t, t) for t in found}
        assert {"/H1", "/H2", "/Table", "/TR", "/TD", "/L", "/LI"} <= standard, found
        if pdf.stem.startswith("Bijlagen"):
            assert {"/TH", "/Figure"} <= standard  # header row; the status bars
            # a screen reader hears the numbers of each bar
            assert "Afgerond: 2 van 12 acties, 17 procent" in alts


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext ontbreekt")
@needs_libreoffice
def test_pdf_contents_has_heading_and_page_numbers(with_pdf):
    import subprocess

    pdf = with_pdf / ACTIONS_DOC.replace(".docx", ".pdf")
    first = subprocess.run(
        ["pdftotext", "-l", "1", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"^\s*Inhoud\s*$", first, re.MULTILINE)
    assert re.search(r"Bijlage 2 Uitvoeringsplan Jeugd en onderwijs\s*\.+\s*2", first)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext ontbreekt")
@needs_libreoffice
def test_no_page_ends_with_a_heading_or_a_lone_card_start(with_pdf):
    """What a clerk checks first: no page ends with a heading, a section label, a card's
    name row or a bare header row."""
    import subprocess

    pypdf = pytest.importorskip("pypdf")
    register = read_register(EXAMPLE)
    names = {" ".join(p["naam"].split()) for p in register.records("Pilots")}
    doelen = {" ".join(a["doel"].split()) for a in register.records("Acties")}
    headings = (
        names
        | doelen
        | {f"Doel: {d}" for d in doelen}
        | {s for s, _ in bundled.CARD_SECTIONS}
        | {"Overzicht statussen", "Inhoud"}
    )
    for pdf in with_pdf.glob("*.pdf"):
        for number in range(1, len(pypdf.PdfReader(pdf).pages) + 1):
            text = subprocess.run(
                ["pdftotext", "-f", str(number), "-l", str(number), "-layout", str(pdf), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
            body = [line for line in lines if not line.endswith(f"pagina {number}")]
            last = body[-1]
            assert last not in headings, (pdf.name, number, last)
            assert not last.startswith("Naam pilot"), (pdf.name, number, last)
            assert last != "Activiteit Resultaat Status", (pdf.name, number)


def test_contents_replace_what_a_template_saved_by_word_still_holds(tmp_path, monkeypatch):
    """A template saved by Word keeps last time's entries (over several paragraphs, with
    page-number fields inside): the build replaces them all."""
    from copy import deepcopy

    doc = Document(render.BUNDLED_TEMPLATES["bijlage.docx"])
    body = doc.element.body
    toc = next(
        p for p in body.iter(qn("w:p")) if any("TOC" in (t.text or "") for t in p.iter(qn("w:instrText")))
    )
    end = next(
        r
        for r in toc.iter(qn("w:r"))
        if r.find(qn("w:fldChar")) is not None and r.find(qn("w:fldChar")).get(qn("w:fldCharType")) == "end"
    )
    toc.remove(end)
    last = toc
    for old in ("Oude pilot A", "Oude pilot B"):
        entry = deepcopy(toc)
        for child in list(entry):
            if child.tag != qn("w:pPr"):
                entry.remove(child)
        run = deepcopy(end)  # a nested PAGEREF field: begin … end inside the entry
        run.find(qn("w:fldChar")).set(qn("w:fldCharType"), "begin")
        entry.append(run)
        entry.append(deepcopy(end))
        text = deepcopy(end)
        text.remove(text.find(qn("w:fldChar")))
        text.append(deepcopy(toc.find(f".//{qn('w:t')}")))
        text.find(qn("w:t")).text = old
        entry.append(text)
        last.addnext(entry)
        last = entry
    last.append(end)
    template = tmp_path / "bijlage.docx"
    doc.save(template)
    monkeypatch.setitem(render.BUNDLED_TEMPLATES, "bijlage.docx", template)
    result = build_documents(read_register(EXAMPLE), tmp_path / "uit")
    built_doc = Document(result.documents[0])
    text = "\n".join(p.text for p in built_doc.paragraphs)
    assert "Oude pilot" not in text and "Inhoud wordt gemaakt" not in text
    assert "Dealbreakers" in text.split("Inleiding")[1]  # the new entries are there
    fields = [f.get(qn("w:fldCharType")) for f in built_doc.element.body.iter(qn("w:fldChar"))]
    assert fields == ["begin", "separate", "end"]


def test_a_restyled_template_changes_every_generated_part(tmp_path):
    """The look comes from the template's styles: with another font and colours, no
    bundled colour or font is left in the document's body, styles or bars."""
    import io

    from docx.shared import RGBColor

    Image = pytest.importorskip("PIL.Image")
    from toolkit.build.fonts import fonts_used
    from toolkit.declarations.annextypes import BUILTIN
    from toolkit.layouts.docx_templates import HouseStyle, make_bundled_template

    house = HouseStyle(font="Georgia", accent=RGBColor(0x5B, 0x21, 0x6E), header_fill="E8DDF0")
    folder = tmp_path / "sjablonen"
    folder.mkdir()
    make_bundled_template(folder / "bijlage.docx", BUILTIN.get("pilots"), house)
    make_bundled_template(folder / "acties.docx", BUILTIN.get("acties"), house)
    result = build_documents(read_register(EXAMPLE), tmp_path / "uit", templates=folder)
    bundled = [HEADER_FILL, BAR_OUTLINE, "4F81BD", "D9E2F3"]
    for document in result.documents:
        with zipfile.ZipFile(document) as docx:
            body = docx.read("word/document.xml").decode("utf-8")
            styles = docx.read("word/styles.xml").decode("utf-8")
            bars = [docx.read(n) for n in docx.namelist() if n.startswith("word/media/")]
        for colour in bundled:
            assert colour not in body and colour.lower() not in body, (document.name, colour)
        assert "Calibri" not in body and "Cambria" not in body
        assert fonts_used(document) == {"Georgia"}, document.name
        assert (
            "E8DDF0" in styles
            and '<w:bottom w:val="single" w:sz="8" w:space="4" w:color="5B216E"/>' in styles
        )
        for data in bars:  # the bars' outline is the accent; nothing white beside them
            image = Image.open(io.BytesIO(data)).convert("RGB")
            assert image.getpixel((0, 0)) == (0x5B, 0x21, 0x6E)
            assert (255, 255, 255) not in {c for _, c in image.getcolors(1 << 16)}
    assert any(n.startswith("Bijlagen") for n in (d.name for d in result.documents))


def test_the_bundled_header_fill_and_bar_outline_come_from_the_bundled_template(built):
    """An unchanged bundled template gives the bundled look (from its styles)."""
    with zipfile.ZipFile(built[ACTIONS_DOC]) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
        styles = docx.read("word/styles.xml").decode("utf-8")
    assert HEADER_FILL not in body and HEADER_FILL in styles
    assert '<w:tblStylePr w:type="firstRow">' in styles
