"""The streamed reader (`wordread.WordPackage`, used by `toolkit import`) gives exactly the
blocks and header texts the import read before through python-docx.

"Before" is `tests/wordread_before.py`, a frozen copy of wordread as it was when the
import still opened documents with python-docx, run on python-docx's tree; so a change
to the shared paragraph and table code is compared too, not only the streaming.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest
import wordread_before
from conftest import DATA, EXAMPLE, ROOT

from toolkit.build.documents import build_documents
from toolkit.core.errors import RegisterUnreadable
from toolkit.layouts import wordread
from toolkit.register.read import read_register

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _plain(blocks) -> list:  # type: ignore[no-untyped-def]
    """Blocks of either reader as tuples (the two readers' dataclasses are distinct types)."""

    def para(p):  # type: ignore[no-untyped-def]
        return (p.text, p.heading, p.listed, p.toc)

    out = []
    for block in blocks:
        if hasattr(block, "rows"):
            out.append(
                (
                    [[[para(p) for p in cell.paragraphs] for cell in row] for row in block.rows],
                    block.nested,
                    block.paragraphs,
                )
            )
        else:
            out.append(para(block))
    return out


def _before(path: Path) -> tuple[list, list[str]]:
    from docx import Document

    document = Document(str(path))
    headers = [p.text for s in document.sections for p in s.header.paragraphs]
    return _plain(wordread_before.blocks(document)), headers


def _now(path: Path) -> tuple[list, list[str]]:
    package = wordread.WordPackage(path)
    return _plain(package.blocks()), package.header_paragraphs()


def _assert_same(path: Path) -> None:
    blocks, headers = _now(path)
    expected_blocks, expected_headers = _before(path)
    assert blocks == expected_blocks, path.name
    # python-docx gives a section without any header a new, empty one: no text either way
    assert [h for h in headers if h] == [h for h in expected_headers if h], path.name


def test_the_example_s_annexes_and_hand_made_ones_read_as_before(tmp_path):
    built = build_documents(read_register(EXAMPLE), tmp_path / "uit")
    paths = [*built.documents, DATA / "handgemaakte_pilotbijlage.docx", DATA / "handgemaakte_acties.docx"]
    assert len(built.documents) == 2
    for path in paths:
        _assert_same(path)
    _, headers = _now(built.documents[0])
    assert headers and headers[0].startswith("Gemeente Zoetermeer")


@pytest.fixture(scope="module")
def annexes_1000(tmp_path_factory) -> list[Path]:
    """The annexes of benchmarks/bench.py's register of 1,000 pilots and 5,000 actions."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from bench import make_register
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    folder = tmp_path_factory.mktemp("duizend")
    make_register(folder / "register.xlsx", 1000)
    return list(build_documents(read_register(folder / "register.xlsx"), folder / "uit").documents)


def test_the_annexes_of_1000_pilots_read_as_before(annexes_1000):
    for path in annexes_1000:
        _assert_same(path)


def _docx(tmp_path: Path, body_xml: str, name: str = "d.docx") -> Path:
    """A document made by python-docx with body_xml put before its final sectPr."""
    from docx import Document
    from docx.oxml.parser import parse_xml

    document = Document()
    document.add_paragraph("Eerste", style="Heading 1")
    body = document.element.body
    wrapper = parse_xml(f"<w:body {W_NS}>{body_xml}</w:body>")
    for child in list(wrapper):
        body.insert(len(body) - 1, child)
    document.add_paragraph("Laatste", style="List Bullet")
    document.sections[0].header.paragraphs[0].text = "Gemeente Test · Editie"
    path = tmp_path / name
    document.save(path)
    return path


def _field(kind: str) -> str:
    return f'<w:r><w:fldChar w:fldCharType="{kind}"/></w:r>'


UNUSUAL_BODY = "".join(
    [
        # a filled contents field over three paragraphs
        f'<w:p>{_field("begin")}<w:r><w:instrText> TOC \\o "1-3" </w:instrText></w:r>'
        f"{_field('separate')}<w:r><w:t>Inleiding</w:t><w:tab/><w:t>3</w:t></w:r></w:p>",
        "<w:p><w:r><w:t>Naam pilot 3</w:t></w:r></w:p>",
        f"<w:p><w:r><w:t>Slot</w:t></w:r>{_field('end')}</w:p>",
        # content controls and custom XML around paragraphs and a table, one inside another
        "<w:sdt><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>In een besturingselement</w:t></w:r>"
        '</w:p><w:customXml w:element="x"><w:p><w:r><w:t>Dieper</w:t></w:r></w:p></w:customXml>'
        "</w:sdtContent></w:sdt>",
        # runs in containers, breaks, a deleted run, an outline level, a numbered paragraph
        '<w:p><w:pPr><w:outlineLvl w:val="1"/><w:numPr><w:ilvl w:val="0"/></w:numPr></w:pPr>'
        '<w:hyperlink><w:r><w:t>link</w:t></w:r></w:hyperlink><w:ins w:id="1" w:author="a">'
        '<w:r><w:t xml:space="preserve"> in</w:t><w:br/><w:t>gevoegd</w:t><w:cr/></w:r></w:ins>'
        '<w:del w:id="2" w:author="a"><w:r><w:delText>weg</w:delText></w:r></w:del>'
        '<w:r><w:br w:type="page"/><w:noBreakHyphen/><w:ptab/></w:r></w:p>',
        # a section break in a paragraph
        "<w:p><w:pPr><w:sectPr/></w:pPr><w:r><w:t>Einde sectie</w:t></w:r></w:p>",
        # a table: grid before, a horizontal and a vertical merge, a nested table, a control
        "<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
        '<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr><w:tc><w:tcPr><w:gridSpan w:val="2"/>'
        "</w:tcPr><w:p><w:r><w:t>Naam pilot</w:t></w:r></w:p></w:tc></w:tr>"
        '<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>boven</w:t>'
        "</w:r></w:p></w:tc><w:tc><w:p/><w:tbl><w:tr><w:tc><w:p><w:r><w:t>genest</w:t></w:r>"
        "</w:p></w:tc></w:tr></w:tbl></w:tc><w:tc><w:sdt><w:sdtContent><w:p><w:r><w:t>cel</w:t>"
        "</w:r></w:p></w:sdtContent></w:sdt></w:tc></w:tr>"
        "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>a</w:t>"
        "</w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
        # a table in a content control, an empty table, paragraphs after them
        "<w:sdt><w:sdtContent><w:tbl><w:tr><w:tc><w:p><w:r><w:t>in een tabel in een "
        "besturingselement</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:sdtContent></w:sdt>"
        "<w:tbl/><w:p><w:r><w:t>Na de tabellen</w:t></w:r></w:p>",
        # a paragraph in a text box: not part of the body's blocks
        "<w:p><w:r><w:t>Met kader</w:t></w:r><w:r><w:pict><w:txbxContent><w:p><w:r>"
        "<w:t>in kader</w:t></w:r></w:p></w:txbxContent></w:pict></w:r></w:p>",
    ]
)


def test_unusual_structures_read_as_before(tmp_path):
    path = _docx(tmp_path, UNUSUAL_BODY)
    _assert_same(path)
    blocks, headers = _now(path)
    assert ("Naam pilot 3", False, False, True) in blocks
    assert ("Dieper", False, False, False) in blocks
    assert headers[0] == "Gemeente Test · Editie"


def test_the_random_documents_of_the_import_tests_read_as_before(tmp_path):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from test_import import _random_document

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.data())
    def check(data):  # type: ignore[no-untyped-def]
        path = tmp_path / "r.docx"
        _random_document(data).save(path)
        assert _now(path)[0] == _before(path)[0]

    check()


def _rewritten(source: Path, target: Path, member: str, change) -> Path:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info, change(data) if info.filename == member else data)
    return target


def test_xml_broken_halfway_is_refused_as_before(tmp_path):
    from toolkit.editions.annex_import import import_annexes

    good = _docx(tmp_path, UNUSUAL_BODY)
    broken = _rewritten(
        good,
        tmp_path / "kapot.docx",
        "word/document.xml",
        lambda data: data.replace(b"</w:tbl>", b"</w:tr>", 1),
    )
    with pytest.raises(RegisterUnreadable, match="kan niet als Word-document"):
        import_annexes([broken])


def test_a_template_is_refused_as_python_docx_refuses_it(tmp_path):
    from toolkit.editions.annex_import import import_annexes

    good = _docx(tmp_path, UNUSUAL_BODY)
    template = _rewritten(
        good,
        tmp_path / "sjabloon.docx",
        "[Content_Types].xml",
        lambda data: data.replace(b"document.main+xml", b"template.main+xml"),
    )
    with pytest.raises(RegisterUnreadable, match="kan niet als Word-document"):
        import_annexes([template])


def test_a_document_without_styles_uses_python_docx_s_default_styles(tmp_path):
    good = _docx(tmp_path, UNUSUAL_BODY)
    bare = _rewritten(
        good,
        tmp_path / "zonder.docx",
        "word/_rels/document.xml.rels",
        lambda data: data.replace(b"relationships/styles", b"relationships/x"),
    )
    blocks, _ = _now(bare)
    assert blocks == _before(bare)[0]
    assert blocks[-1] == ("Laatste", False, False, False)  # no styles: no list style either


def test_reading_ahead_in_a_helper_changes_nothing(tmp_path, monkeypatch):
    from toolkit.core import parallel
    from toolkit.editions.annex_import import import_annexes

    built = build_documents(read_register(EXAMPLE), tmp_path / "uit").documents
    ahead = import_annexes(list(built))
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    here = import_annexes(list(built))
    assert (ahead.records("Pilots"), ahead.records("Acties"), ahead.settings, ahead.report) == (
        here.records("Pilots"),
        here.records("Acties"),
        here.settings,
        here.report,
    )


@pytest.mark.parametrize("broken", [0, 1])
def test_a_broken_file_is_named_whether_read_here_or_ahead(tmp_path, broken):
    from toolkit.editions.annex_import import import_annexes

    paths = list(build_documents(read_register(EXAMPLE), tmp_path / "uit").documents)
    paths[broken] = _rewritten(
        paths[broken], tmp_path / "kapot.docx", "word/document.xml", lambda data: data[: len(data) // 2]
    )
    with pytest.raises(RegisterUnreadable, match="'kapot.docx' kan niet als Word-document"):
        import_annexes(paths)


@pytest.mark.parametrize("straddle", [0, 3, 6])
def test_hidden_text_after_the_first_megabyte_is_left_out(tmp_path, straddle):
    """The reader looks at runs' properties only once 'vanish' has arrived (styles or the
    XML so far): also when it is first seen in the second megabyte, cut by the chunk."""
    hidden = "<w:p><w:r><w:t>VULLING</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>GEHEIM</w:t></w:r></w:p>"
    filler = "".join(f"<w:p><w:r><w:t>Alinea {i} met wat tekst</w:t></w:r></w:p>" for i in range(15000))
    first = _docx(tmp_path, filler + hidden, "eerst.docx")
    with zipfile.ZipFile(first) as archive:
        xml = archive.read("word/document.xml")
    at = xml.index(b"vanish")
    wanted = wordread._CHUNK - 6 + straddle  # 'vanish' starts this many bytes before the cut
    assert at < wanted
    xml = xml.replace(b"<w:t>VULLING</w:t>", b"<w:t>VULLING" + b"x" * (wanted - at) + b"</w:t>")
    assert xml.index(b"vanish") == wanted
    path = _rewritten(first, tmp_path / "d.docx", "word/document.xml", lambda _: xml)
    package = wordread.WordPackage(path)
    texts = [b.text for b in package.blocks() if isinstance(b, wordread.Paragraph)]
    assert any(t.startswith("VULLING") for t in texts)
    assert not any("GEHEIM" in t for t in texts)
    assert [(x.kind, x.text) for x in package.left_out] == [("verborgen", "GEHEIM")]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_hidden_text_is_left_out_whatever_the_encoding_of_the_xml(tmp_path, encoding):
    """The look for 'vanish' in the bytes only works in UTF-8; a UTF-16 document.xml
    (allowed, and python-docx reads it) gets every run looked at."""
    hidden = '<w:p><w:r><w:t xml:space="preserve">Zichtbaar </w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>GEHEIM</w:t></w:r></w:p>'
    first = _docx(tmp_path, hidden, "eerst.docx")
    with zipfile.ZipFile(first) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    data = xml.replace('encoding="UTF-8"', f'encoding="{encoding.upper()}"').encode(encoding)
    path = _rewritten(first, tmp_path / "d.docx", "word/document.xml", lambda _: data)
    package = wordread.WordPackage(path)
    texts = [b.text for b in package.blocks() if isinstance(b, wordread.Paragraph)]
    assert "Zichtbaar " in texts and not any("GEHEIM" in t for t in texts)
    assert [(x.kind, x.text) for x in package.left_out] == [("verborgen", "GEHEIM")]
