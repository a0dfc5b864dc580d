"""A cross-tab too wide for a portrait page gets a landscape section of its own (issue
20: "fitting the page width or turning to landscape"), on a type the toolkit has never
seen (web_edition_builds.two_level_type: eleven columns of meeting dates)."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, convert, needs_libreoffice
from lxml import etree
from web_edition_builds import two_level_type

from toolkit.cli import cli

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
HEADING = "Moties en toezeggingen per thema en vergadering"


def _build(register: Path, out: Path) -> Path:
    result = CliRunner().invoke(cli, ["build", str(register), "--out", str(out)])
    assert result.exit_code == 0, result.output
    (document,) = out.glob("*.docx")
    return document


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("liggend")
    return {
        "in de kaarten": _build(two_level_type(base / "a", placed=False), base / "uit-a"),
        "eigen plek": _build(two_level_type(base / "b", placed=True), base / "uit-b"),
        "smal": _build(ROOT / "examples" / "moties" / "moties_toezeggingen.xlsx", base / "uit-c"),
    }


def _sections(document: Path) -> list[tuple[etree._Element, list[str], list[etree._Element]]]:
    """Per section: its w:sectPr, the texts of its paragraphs and its tables."""
    with zipfile.ZipFile(document) as package:
        body = etree.fromstring(package.read("word/document.xml")).find(W + "body")
    out = []
    texts: list[str] = []
    tables: list[etree._Element] = []
    for child in body:
        if child.tag == W + "tbl":
            tables.append(child)
        elif child.tag == W + "p":
            texts.append("".join(t.text or "" for t in child.iter(W + "t")))
            section = child.find(f"{W}pPr/{W}sectPr")
            if section is not None:
                out.append((section, texts, tables))
                texts, tables = [], []
        elif child.tag == W + "sectPr":
            out.append((child, texts, tables))
    return out


def _landscape(section: etree._Element) -> bool:
    size = section.find(W + "pgSz")
    return size.get(W + "orient") == "landscape" and int(size.get(W + "w")) > int(size.get(W + "h"))


def _headers(section: etree._Element) -> list[tuple[str, str]]:
    return [
        (ref.get(W + "type"), ref.get(R + "id"))
        for ref in section
        if ref.tag in (W + "headerReference", W + "footerReference")
    ]


def _caption(table: etree._Element) -> str:
    caption = table.find(f"{W}tblPr/{W}tblCaption")
    return caption.get(W + "val") if caption is not None else ""


def test_a_wide_cross_tab_and_its_heading_get_a_landscape_section(built):
    sections = _sections(built["in de kaarten"])
    assert [_landscape(s) for s, _, _ in sections] == [False, True, False]
    landscape, texts, tables = sections[1]
    assert [t for t in texts if t] == [HEADING]
    assert [_caption(t) for t in tables] == [HEADING]
    # the table fills the landscape text width: page width minus the margins
    margins = landscape.find(W + "pgMar")
    text_width = int(landscape.find(W + "pgSz").get(W + "w")) - int(margins.get(W + "left"))
    text_width -= int(margins.get(W + "right"))
    assert int(tables[0].find(f"{W}tblPr/{W}tblW").get(W + "w")) == text_width
    columns = tables[0].findall(f"{W}tblGrid/{W}gridCol")
    assert len(columns) == 11 and min(int(c.get(W + "w")) for c in columns) >= 850  # 1.5 cm
    # the template's header and footer on every page, the landscape one starts a page
    assert _headers(sections[0][0]) == _headers(landscape) == _headers(sections[2][0]) != []
    assert landscape.find(W + "type").get(W + "val") == "nextPage"


def test_placed_at_the_end_the_last_section_turns_and_takes_its_heading(built):
    sections = _sections(built["eigen plek"])
    assert [_landscape(s) for s, _, _ in sections] == [False, True]  # no empty page after
    _, texts, tables = sections[1]
    assert [t for t in texts if t] == ["Per thema en vergadering"]  # the template's heading
    assert [_caption(t) for t in tables] == [HEADING]


def test_a_cross_tab_that_fits_stays_in_portrait(built):
    sections = _sections(built["smal"])
    assert len(sections) == 1 and not _landscape(sections[0][0])


@needs_libreoffice
def test_the_pdf_has_the_cross_tab_on_a_landscape_page(built, tmp_path):
    pdf = convert(built["in de kaarten"], "pdf", tmp_path)
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True).stdout
    sizes = [
        line.split(":", 1)[1].split("pts")[0].split(" x ")
        for line in info.splitlines()
        if line.startswith("Page") and " size:" in line
    ]
    turned = [n for n, (w, h) in enumerate(sizes, start=1) if float(w) > float(h)]
    assert len(turned) == 1 and len(sizes) > 3
    text = subprocess.run(
        ["pdftotext", "-f", str(turned[0]), "-l", str(turned[0]), str(pdf), "-"],
        capture_output=True,
        text=True,
    ).stdout
    assert HEADING in " ".join(text.split()) and "13 februari" in text
    assert "Bijlage 7. Moties en toezeggingen · pagina 2" in " ".join(text.split())  # the footer
