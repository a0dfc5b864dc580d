"""The PDFs of every example as an accessibility checker and a clerk see them.

Built once for the module (the bundled example, Zoetermeer, Leidschendam-Voorburg and
the projecten annex of an own type), then read: the structure tree (pikepdf), two PDF/UA
checkers, the page layout (pdftotext -bbox) and the .docx contents' page numbers.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, ROOT, needs_libreoffice
from lxml import etree

from toolkit.cli import cli
from toolkit.core.richtext import parse_rich
from toolkit.register.read import read_register

pikepdf = pytest.importorskip("pikepdf")

pytestmark = [
    pytest.mark.libreoffice,
    needs_libreoffice,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext ontbreekt"),
]

EXAMPLES = {
    "voorbeeld": EXAMPLE,
    "zoetermeer": ROOT / "examples" / "zoetermeer" / "pilots_zoetermeer.xlsx",
    "leidschendam": ROOT / "examples" / "leidschendam-voorburg" / "acties_sterk_voor_noord.xlsx",
    "projecten": ROOT / "examples" / "projecten" / "projecten_sociale_innovatie.xlsx",
}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """(docx, pdf) per annex, named '<example>/<annex stem>'."""
    out = {}
    for name, register in EXAMPLES.items():
        folder = tmp_path_factory.mktemp(name)
        result = CliRunner().invoke(cli, ["build", str(register), "--pdf", "--out", str(folder)])
        assert result.exit_code == 0, result.output
        for pdf in sorted(folder.glob("*.pdf")):
            out[f"{name}/{pdf.stem}"] = (pdf.with_suffix(".docx"), pdf)
    assert len(out) == 5
    return out


def _kids(element: object) -> list:
    if isinstance(element, pikepdf.Array):
        return [k for k in element if isinstance(k, pikepdf.Dictionary) and "/S" in k]
    if isinstance(element, pikepdf.Dictionary) and "/S" in element:
        return [element]
    return []


def _tree(pdf: Path) -> tuple[dict[str, str], list[tuple[str, object, list[str]]]]:
    """The role map and every structure element as (type, element, types of ancestors)."""
    with pikepdf.open(pdf) as doc:
        root = doc.Root.StructTreeRoot
        roles = {str(k): str(v) for k, v in (root.get("/RoleMap") or {}).items()}
        found = []
        stack = [(k, []) for k in _kids(root.get("/K"))]
        while stack:
            node, path = stack.pop()
            kind = str(node.S)
            found.append((kind, _attributes(node), path))
            stack.extend((k, [*path, kind]) for k in _kids(node.get("/K")))
    return roles, found


def _attributes(node) -> dict[str, str]:  # type: ignore[no-untyped-def]
    out = {}
    attributes = node.get("/A")
    for owner in attributes if isinstance(attributes, pikepdf.Array) else [attributes]:
        if isinstance(owner, pikepdf.Dictionary):
            out.update({str(k): str(v) for k, v in owner.items()})
    if node.S in ("/TR", "/Table"):  # the cells, for the table checks
        out["cells"] = [[str(c.S), _first(c)] for c in _kids(node.get("/K"))]  # type: ignore[assignment]
    return out


def _tables(pdf: Path) -> list[list[list[str]]]:
    """Per table its rows, as the types of their cells."""
    with pikepdf.open(pdf) as doc:
        tables = []
        stack = _kids(doc.Root.StructTreeRoot.get("/K"))
        while stack:
            node = stack.pop()
            if node.S == "/Table":
                rows = [
                    r
                    for part in _kids(node.get("/K"))
                    for r in ([part] if part.S == "/TR" else _kids(part.get("/K")))
                ]
                tables.append([[str(c.S) for c in _kids(r.get("/K"))] for r in rows])
            stack.extend(_kids(node.get("/K")))
    return tables


def _first(cell) -> str | None:  # type: ignore[no-untyped-def]
    kids = _kids(cell.get("/K"))
    return str(kids[0].S) if kids else None


def test_every_table_has_header_cells_row_headers_in_cards(made):
    for name, (_, pdf) in made.items():
        _, elements = _tree(pdf)
        rows = [attrs for kind, attrs, _ in elements if kind == "/TR"]
        cells = [(kind, attrs) for kind, attrs, _ in elements if kind in ("/TH", "/TD")]
        tables = [e for e in elements if e[0] == "/Table"]
        assert tables, name
        assert any(kind == "/TH" for kind, _ in cells), name
        for table in _tables(pdf):  # a header row (action tables) or a label column (cards)
            assert any("/TH" in row for row in table), (name, table)
        for row in rows:
            for kind, first in row["cells"]:
                if first == "/Kaartlabel":  # a card's label cell: a row header
                    assert kind == "/TH", name
        for kind, attrs in cells:
            if kind == "/TH":
                assert attrs.get("/Scope") in ("/Row", "/Column"), name
        # a label | text card row: the label is the row's header
        card_rows = [r for r in rows if [k for k, _ in r["cells"]] == ["/TH", "/TD"]]
        if "Bijlagen Sterk" not in name:
            assert card_rows, name


def test_title_and_contents_heading_are_headings_and_bullets_are_list_items(made):
    for name, (_, pdf) in made.items():
        roles, elements = _tree(pdf)
        assert roles.get("/Title") == "/H1" and roles.get("/Contents Heading") == "/H1", name
        kinds = [kind for kind, _, _ in elements]
        assert "/Title" in kinds and "/Contents Heading" in kinds, name
        bullets = [path for kind, _, path in elements if kind == "/List Bullet"]
        for path in bullets:
            assert path[-3:] == ["/L", "/LI", "/LBody"], (name, path)
    _, elements = _tree(
        made["projecten/" + next(k.split("/")[1] for k in made if k.startswith("projecten"))][1]
    )
    assert sum(kind == "/LI" for kind, _, _ in elements) >= 10


def test_pdf_ua_checkers_find_no_errors(made):
    page = pytest.importorskip("page")
    pdfua = pytest.importorskip("pdfua")
    for name, (_, pdf) in made.items():
        report = page.validate_pdf(str(pdf), profile="ua1")
        assert report.is_compliant, (name, [(f.rule_id, f.message) for f in report.failures])
        errors = [f for f in pdfua.validate(str(pdf)).findings if f.severity == pdfua.Severity.ERROR]
        assert not errors, (name, errors)


def test_every_table_in_the_documents_has_a_title_and_a_description(made):
    for name, (docx, _) in made.items():
        with zipfile.ZipFile(docx) as package:
            root = etree.fromstring(package.read("word/document.xml"))
        tables = list(root.iter(W + "tbl"))
        assert tables, name
        for table in tables:
            properties = table.find(W + "tblPr")
            assert properties.find(W + "tblCaption").get(W + "val").strip(), name
            assert properties.find(W + "tblDescription").get(W + "val").strip(), name


def _pages(pdf: Path) -> list[list[tuple[float, float, float, str]]]:
    """Per page its body lines (y top, y bottom, x left, text), without header and footer."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(out, etree.HTMLParser(encoding="utf-8"))
    pages = []
    for page in root.iter("page"):
        top, bottom = 70.9, float(page.get("height")) - 70.9  # the 2.5 cm margins
        lines = []
        for line in page.iter("line"):
            y0, y1 = float(line.get("ymin")), float(line.get("ymax"))
            if y0 < bottom - 1 and y1 > top + 1:
                lines.append(
                    (y0, y1, float(line.get("xmin")), " ".join(w.text or "" for w in line.iter("word")))
                )
        pages.append(sorted(lines))
    return pages


def test_no_page_is_more_than_half_empty_unless_a_new_part_starts(made):
    for name, (_, pdf) in made.items():
        pages = _pages(pdf)
        for number, (page, after) in enumerate(zip(pages, pages[1:], strict=False), start=1):
            used = (max(line[1] for line in page) - 70.9) / (841.9 - 2 * 70.9)
            starts_annex = after and after[0][3].startswith("Bijlage ")
            assert used > 0.5 or starts_annex, (name, number, round(used, 2), after[0][3])


def test_a_page_never_starts_with_an_empty_label_cell(made):
    """A card row that goes on after a page break has its label ('... (vervolg)')."""
    for name, (_, pdf) in made.items():
        for number, page in enumerate(_pages(pdf)[1:], start=2):
            first = page[0]
            same_line = [line for line in page if abs(line[0] - first[0]) < 3]
            assert min(line[2] for line in same_line) < 70.9 + 60, (name, number, first[3])


def test_no_word_breaks_in_the_middle_in_the_status_column(made):
    for name, (_, pdf) in made.items():
        if "Bijlagen Sterk" not in name:
            continue
        register = read_register(EXAMPLES[name.split("/")[0]])
        text = re.sub(
            r"\s+", " ", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        )
        words = {
            w
            for action in register.records("Acties")
            for key in ("status", "toelichting_status")
            for w in re.findall(r"\w{9,}", parse_rich(action.values.get(key) or "").plain)
        }
        assert words and not [w for w in words if w not in text], name


def test_the_word_contents_have_the_page_numbers_of_the_pdf(made):
    for name, (docx, pdf) in made.items():
        with zipfile.ZipFile(docx) as package:
            xml = package.read("word/document.xml").decode("utf-8")
        in_word = [
            int(n)
            for n in re.findall(
                r'PAGEREF [^<]*</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/>'
                r"</w:r><w:r><w:t>(\d+)</w:t>",
                xml,
            )
        ]
        first_pages = subprocess.run(
            ["pdftotext", "-l", "2", "-layout", str(pdf), "-"], capture_output=True, text=True
        ).stdout
        in_pdf = [int(n) for n in re.findall(r"\.{3,}\s*(\d+)\s*$", first_pages, re.MULTILINE)]
        assert in_word and in_word == in_pdf[: len(in_word)], name
        assert in_word == sorted(in_word), name


def test_the_projecten_introduction_has_a_heading_of_its_own(made):
    docx = next(d for k, (d, _) in made.items() if k.startswith("projecten"))
    with zipfile.ZipFile(docx) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    texts = [
        (
            "".join(t.text or "" for t in p.iter(W + "t")),
            (p.find(f"{W}pPr/{W}pStyle") is not None and p.find(f"{W}pPr/{W}pStyle").get(W + "val")),
        )
        for p in root.find(W + "body").iterchildren(W + "p")
    ]
    intro = next(i for i, (text, _) in enumerate(texts) if text.startswith("Het programma"))
    heading = next(t for t in reversed(texts[:intro]) if t[0].strip())
    assert heading == ("Inleiding", "Heading1")
