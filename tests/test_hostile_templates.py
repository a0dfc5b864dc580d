"""Word templates a coordinator (or an attacker) could hand the build: every one is
refused with a Dutch message naming what is wrong, or filled as documented."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE
from docx import Document
from hostile_files import rewrite, with_dtd

from toolkit.build.documents import build_documents
from toolkit.cli import cli
from toolkit.core.errors import TemplateError
from toolkit.declarations.annextypes import BUILTIN
from toolkit.layouts import render
from toolkit.layouts.render import BUNDLED_TEMPLATES, render_template, sample_blocks, template_tags
from toolkit.register.read import read_register

PILOT_TEMPLATE = BUNDLED_TEMPLATES["bijlage.docx"]

STAMP = datetime(2024, 4, 1)
PROPS = {"title": "t", "subject": "s", "author": "a"}
EXTERNAL_IMAGE = (
    b'<Relationship Id="rIdExtern" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/image" '
    b'Target="http://voorbeeld.invalid/logo.png" TargetMode="External"/>'
)
EXTERNAL_LINK = (
    b'<Relationship Id="rIdLink" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/hyperlink" '
    b'Target="https://www.zoetermeer.nl/" TargetMode="External"/>'
)


#: a pilot template from before round 3: {{ pilotkaarten }} where the cards go (block tags
#: are checked the same way for every block: this one is the easiest to misplace)
LEGACY_TEMPLATE = Path(__file__).parent / "data" / "legacy_templates" / "bijlage.docx"


def _template(tmp_path, change, name="sjabloon.docx"):
    doc = Document(LEGACY_TEMPLATE)
    change(doc)
    path = tmp_path / name
    doc.save(path)
    return path


def _render(template):
    return render_template(
        template,
        template_tags(BUILTIN.get("pilots")),
        {"gemeente": "Zoetermeer"},
        {},
        PROPS,
        STAMP,
        sample=sample_blocks(BUILTIN.get("pilots"), [], template.name),
        legacy=("pilotkaarten", PILOT_TEMPLATE),
    )


def _build_refuses(tmp_path, monkeypatch, template, match):
    """The command line says it in Dutch, exits 2 and writes no annex."""
    folder = tmp_path / "sjablonen"
    folder.mkdir(exist_ok=True)
    shutil.copy(template, folder / "bijlage.docx")
    shutil.copy(render.BUNDLED_TEMPLATES["acties.docx"], folder / "acties.docx")
    out = tmp_path / "uit"
    result = CliRunner().invoke(cli, ["build", str(EXAMPLE), "--out", str(out), "--sjablonen", str(folder)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "SecurityError" not in result.output
    assert match in result.output
    assert not list(out.glob("*.docx"))


@pytest.mark.parametrize(
    "text, what",
    [
        ("{{ 'a' * 10**9 }}", "berekening"),
        ("{% for a in range(10**6) %}{% for b in range(10**6) %}x{% endfor %}{% endfor %}", "lus"),
        ("{{ gemeente.__class__.__mro__ }}", "onderdeel"),
        ("{{ gemeente|center(1000000000) }}", "filter |center"),
        ("{% set x = gemeente %}{{ x }}", "Jinja-opdracht"),
        ("{{ range(99) }}", "functieaanroep"),
    ],
)
def test_expressions_that_could_exhaust_memory_or_time_are_refused(tmp_path, text, what):
    template = _template(tmp_path, lambda doc: doc.add_paragraph(text))
    with pytest.raises(TemplateError, match=what):
        _render(template)


def test_a_loop_in_the_footer_is_refused_too(tmp_path, monkeypatch):
    def change(doc):
        doc.sections[0].footer.paragraphs[0].add_run("{% for i in range(9) %}x{% endfor %}")

    _build_refuses(tmp_path, monkeypatch, _template(tmp_path, change), "lus")


def test_simple_conditions_and_filters_still_work(tmp_path):
    template = _template(
        tmp_path, lambda doc: doc.add_paragraph("{% if gemeente %}Gemeente {{ gemeente|upper }}{% endif %}")
    )
    data = _render(template)
    path = tmp_path / "uit.docx"
    path.write_bytes(data)
    assert "Gemeente ZOETERMEER" in [p.text for p in Document(path).paragraphs]


def test_a_block_tag_twice_is_refused(tmp_path, monkeypatch):
    template = _template(tmp_path, lambda doc: doc.add_paragraph("{{ pilotkaarten }}"))
    with pytest.raises(TemplateError, match=r"\{\{ pilotkaarten \}\} staat 2 keer"):
        _render(template)
    _build_refuses(tmp_path, monkeypatch, template, "2 keer")


def test_a_block_tag_in_the_header_is_refused(tmp_path):
    template = _template(
        tmp_path, lambda doc: doc.sections[0].header.paragraphs[0].add_run(" {{ pilotkaarten }}")
    )
    with pytest.raises(TemplateError, match="kop- of voettekst"):
        _render(template)


def test_text_beside_a_block_tag_is_refused_naming_the_tag(tmp_path):
    def change(doc):
        for paragraph in doc.paragraphs:
            if paragraph.text == "{{ pilotkaarten }}":
                paragraph.add_run(" Zie ook de website.")

    with pytest.raises(TemplateError, match=r"\{\{ pilotkaarten \}\}.*Zie ook de website"):
        _render(_template(tmp_path, change))


def test_a_register_value_cannot_pose_as_a_block(tmp_path):
    """A setting that spells the old internal marker is printed as typed."""
    register = read_register(EXAMPLE)
    register.settings["gemeente"] = "TOOLKITBLOKpilotkaartenTOOLKITBLOK"
    result = build_documents(register, tmp_path / "uit", parallel=False)
    doc = Document(result.documents[0])
    texts = [p.text for p in doc.paragraphs]
    assert any("TOOLKITBLOKpilotkaartenTOOLKITBLOK" in t for t in texts)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert len(headings) == len(set(headings))


def test_an_external_image_in_the_template_is_refused(tmp_path, monkeypatch):
    rels = "word/_rels/document.xml.rels"
    template = rewrite(
        PILOT_TEMPLATE,
        tmp_path / "extern.docx",
        {rels: lambda d: d.replace(b"</Relationships>", EXTERNAL_IMAGE + b"</Relationships>")},
    )
    with pytest.raises(TemplateError, match="voorbeeld.invalid/logo.png.*relatie image"):
        _render(template)
    _build_refuses(tmp_path, monkeypatch, template, "van het netwerk")


def test_an_external_hyperlink_in_the_template_may_stay(tmp_path):
    rels = "word/_rels/document.xml.rels"
    template = rewrite(
        PILOT_TEMPLATE,
        tmp_path / "link.docx",
        {rels: lambda d: d.replace(b"</Relationships>", EXTERNAL_LINK + b"</Relationships>")},
    )
    assert _render(template)


def test_a_fetching_field_in_the_template_is_refused(tmp_path):
    def change(doc):
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        doc.add_paragraph()._p.append(
            parse_xml(
                f'<w:r {nsdecls("w")}><w:instrText> INCLUDEPICTURE "http://x.invalid/a.png" '
                f"</w:instrText></w:r>"
            )
        )

    with pytest.raises(TemplateError, match="INCLUDEPICTURE"):
        _render(_template(tmp_path, change))


@pytest.mark.parametrize(
    "member", ["word/styles.xml", "[Content_Types].xml", "word/_rels/document.xml.rels", "docProps/core.xml"]
)
def test_a_dtd_in_any_part_of_the_template_is_refused(tmp_path, member):
    template = rewrite(PILOT_TEMPLATE, tmp_path / "dtd.docx", {member: with_dtd()})
    with pytest.raises(TemplateError, match="DTD"):
        _render(template)


def test_a_template_that_unpacks_too_large_is_refused(tmp_path, monkeypatch):
    from toolkit.core import filecheck

    monkeypatch.setattr(filecheck, "WORD_LIMITS", filecheck.Limits(total=10_000))
    with pytest.raises(TemplateError, match="onredelijk groot"):
        _render(PILOT_TEMPLATE)


@pytest.mark.parametrize(
    "text", ["{{ pilotkaarten|upper }}", "{{ pilotkaarten ~ '' }}", "{{ pilotkaarten|default('') }}"]
)
def test_a_block_tag_inside_an_expression_is_refused(tmp_path, text):
    def change(doc):
        for paragraph in doc.paragraphs:
            if paragraph.text == "{{ pilotkaarten }}":
                paragraph.runs[0].text = text

    with pytest.raises(TemplateError, match=r"bloktag \{\{ pilotkaarten \}\}.*uitdrukking"):
        _render(_template(tmp_path, change))


def test_a_block_tag_as_a_condition_is_fine(tmp_path):
    template = _template(
        tmp_path, lambda doc: doc.add_paragraph("{% if wijzigingen %}Zie de wijzigingen.{% endif %}")
    )
    assert _render(template)


# Nothing fetched, nothing run: decided on what a part is, not on how it is spelled.


@pytest.fixture
def listener():
    from hostile_files import Listener

    listening = Listener()
    yield listening
    listening.close()


def test_the_listener_sees_a_request(listener):
    """The proof below can fail: a fetch of the listener's address is counted."""
    import urllib.error
    import urllib.request

    with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
        urllib.request.urlopen(listener.url + "/x", timeout=2)
    assert listener.close() == 1


def _fetching_case(tmp_path, listener, case):
    from hostile_files import fetching_templates, rewrite

    changes, extra = fetching_templates(listener.url)[case]
    return rewrite(PILOT_TEMPLATE, tmp_path / "bijlage.docx", changes, extra)


FETCHING_CASES = [
    ("afbeelding met relatie van het soort hyperlink", "van buiten het bestand"),
    ("afbeelding met een soort dat op /hyperlink eindigt", "van buiten het bestand"),
    ("hyperlink vanuit de stijlen", "van buiten het bestand"),
    ("INCLUDEPICTURE over twee runs", "veld INCLUDEPICTURE"),
    ("INCLUDEPICTURE met enkele quotes", "veld INCLUDEPICTURE"),
    ("INCLUDEPICTURE met een tekenverwijzing", "veld INCLUDEPICTURE"),
    ("INCLUDETEXT met een andere prefix", "veld INCLUDETEXT"),
    ("LINK in een eenvoudig veld", "veld LINK"),
    ("DDEAUTO", "veld DDEAUTO"),
    ("veldnaam uit een genest veld", "naam uit een ander veld"),
    ("kopregel die niet .xml heet", "veld INCLUDEPICTURE (in 'word/kop.bin')"),
    ("macro (vbaProject.bin)", "macro"),
    ("los vbaProject.bin zonder relatie", "macro"),
    ("document met macro's (docm)", "macro"),
    ("altChunk", "altChunk"),
]


@pytest.mark.parametrize("case, said", FETCHING_CASES, ids=[c for c, _ in FETCHING_CASES])
def test_a_template_that_would_fetch_or_run_is_refused(tmp_path, listener, case, said):
    template = _fetching_case(tmp_path, listener, case)
    with pytest.raises(TemplateError) as caught:
        _render(template)
    assert said in str(caught.value)
    assert listener.close() == 0


def test_build_pdf_with_a_fetching_template_makes_no_request(tmp_path, listener):
    """The whole command, as a coordinator runs it with --pdf: refused before anything is
    written or handed to LibreOffice, and the listener sees nothing."""
    import shutil

    folder = tmp_path / "huisstijl"
    folder.mkdir()
    _fetching_case(folder, listener, "afbeelding met relatie van het soort hyperlink")
    shutil.copy(render.BUNDLED_TEMPLATES["acties.docx"], folder / "acties.docx")
    register = tmp_path / "register.xlsx"
    shutil.copy(EXAMPLE, register)
    before = register.read_bytes()
    out = tmp_path / "uit"
    result = CliRunner().invoke(
        cli, ["build", str(register), "--out", str(out), "--pdf", "--sjablonen", str(folder)]
    )
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "van het netwerk" in result.output
    assert not list(out.glob("*.docx")) and not list(out.glob("*.pdf"))
    assert register.read_bytes() == before
    assert listener.close() == 0


def test_a_real_hyperlink_and_an_embedded_picture_stay(tmp_path):
    """What a template may have: a hyperlink the reader clicks, a picture in the file."""
    from hostile_files import R, add_relationships, add_to_body, picture, relationship, rewrite

    link = b'<w:p><w:hyperlink r:id="rIdL"><w:r><w:t>website</w:t></w:r></w:hyperlink></w:p>'
    template = rewrite(
        PILOT_TEMPLATE,
        tmp_path / "goed.docx",
        {
            "word/_rels/document.xml.rels": add_relationships(
                relationship("rIdL", f"{R}/hyperlink", "https://www.zoetermeer.nl/"),
                relationship("rIdP", f"{R}/image", "media/logo.png", external=False),
            ),
            "word/document.xml": add_to_body(link + picture("rIdP", "r:embed")),
            "[Content_Types].xml": lambda d: d.replace(
                b"</Types>", b'<Default Extension="png" ContentType="image/png"/></Types>'
            ),
        },
        {"word/media/logo.png": _png()},
    )
    assert _render(template)


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\0\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


def test_pdf_conversion_refuses_a_document_that_would_fetch(tmp_path, listener, monkeypatch):
    """Defence in depth: whatever reaches --pdf is checked again before LibreOffice sees it."""
    from toolkit.build import pdf
    from toolkit.core.errors import OutputError

    document = _fetching_case(tmp_path, listener, "INCLUDEPICTURE over twee runs")
    monkeypatch.setattr(pdf, "soffice_path", lambda: pytest.fail("LibreOffice was started"))
    with pytest.raises(OutputError, match="INCLUDEPICTURE"):
        pdf.convert_to_pdf([document], tmp_path / "uit")
    assert listener.close() == 0


def test_built_annexes_carry_nothing_that_fetches(tmp_path):
    from toolkit.core.filecheck import check_nothing_fetched

    result = build_documents(read_register(EXAMPLE), tmp_path / "uit", parallel=False)
    for document in result.documents:
        check_nothing_fetched(document)


@pytest.mark.parametrize(
    "spelling",
    [
        {b'w:val="heading 1"': b'w:val="Heading 1"', b'w:val="List Bullet"': b'w:val="list bullet"'},
        {b'<w:name w:val="heading 1"/>': b'<w:name w:val="Kop 1"/>'},
    ],
    ids=["namen als LibreOffice", "alleen de stijl-id"],
)
def test_a_template_saved_by_libreoffice_finds_its_styles(tmp_path, spelling):
    """Styles are found as Word finds them: by name in any case, else by style id."""
    import shutil
    import zipfile

    from hostile_files import rewrite

    def styles(data: bytes) -> bytes:
        for old, new in spelling.items():
            assert old in data, old
            data = data.replace(old, new)
        return data

    folder = tmp_path / "huisstijl"
    folder.mkdir()
    rewrite(PILOT_TEMPLATE, folder / "bijlage.docx", {"word/styles.xml": styles})
    shutil.copy(render.BUNDLED_TEMPLATES["acties.docx"], folder / "acties.docx")
    out = tmp_path / "uit"
    result = CliRunner().invoke(cli, ["build", str(EXAMPLE), "--out", str(out), "--sjablonen", str(folder)])
    assert result.exit_code == 0, result.output
    (annex,) = [p for p in out.glob("*.docx") if "pilots" in p.name]
    with zipfile.ZipFile(annex) as archive:
        assert b'w:pStyle w:val="Heading1"' in archive.read("word/document.xml")
