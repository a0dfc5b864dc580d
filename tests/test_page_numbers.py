"""Every build (not only --pdf) writes the page numbers into the .docx contents list
where LibreOffice is installed, and says once what Word does where it is not."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, needs_libreoffice

from toolkit.build import pagenumbers
from toolkit.cli import cli

MOTIES = ROOT / "examples" / "moties" / "moties_toezeggingen.xlsx"
PAGEREF = re.compile(
    r'PAGEREF (\S+) [^<]*</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/>'
    r"</w:r><w:r><w:t>(\d+)</w:t>"
)


@pytest.fixture
def with_page_numbers(monkeypatch):
    monkeypatch.delenv(pagenumbers.SWITCH, raising=False)


def _build(*args: str) -> str:
    result = CliRunner().invoke(cli, ["build", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _numbers(docx: Path) -> list[int]:
    with zipfile.ZipFile(docx) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    return [int(page) for _, page in PAGEREF.findall(xml)]


@needs_libreoffice
def test_a_build_without_pdf_numbers_the_contents_of_every_annex(tmp_path, with_page_numbers):
    out = tmp_path / "uit"
    _build("--out", str(out))
    documents = sorted(out.glob("*.docx"))
    assert len(documents) == 2
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for docx in documents:
        pages = _numbers(docx)
        assert pages and pages == sorted(pages) and pages[-1] > 1, docx.name
        assert manifest["bestanden"][docx.name] == hashlib.sha256(docx.read_bytes()).hexdigest()
    first = {d.name: d.read_bytes() for d in documents}
    output = _build("--out", str(out))  # again into the same folder: the same bytes, nothing kept
    assert "bewerkt" not in output
    assert {d.name: d.read_bytes() for d in sorted(out.glob("*.docx"))} == first


@needs_libreoffice
def test_an_own_type_gets_page_numbers_too(tmp_path, with_page_numbers):
    _build(str(MOTIES), "--out", str(tmp_path))
    (docx,) = tmp_path.glob("*.docx")
    pages = _numbers(docx)
    assert len(pages) > 10 and pages == sorted(pages) and pages[-1] > 2


def test_without_libreoffice_the_build_succeeds_and_says_once_what_word_does(
    tmp_path, with_page_numbers, monkeypatch
):
    monkeypatch.setattr("toolkit.build.pdf.soffice_path", lambda: None)
    output = _build("--out", str(tmp_path))
    flat = " ".join(output.split())
    assert flat.count("LibreOffice") == 1 and "druk op F9" in flat
    assert all(not _numbers(d) for d in tmp_path.glob("*.docx"))


def test_a_large_annex_is_left_to_word_and_named(tmp_path, with_page_numbers, monkeypatch):
    monkeypatch.setattr(pagenumbers, "LIMIT", 1000)
    given: list[list[str]] = []
    give = pagenumbers.PagePass.give
    monkeypatch.setattr(
        pagenumbers.PagePass,
        "give",
        lambda self, names, contents: (given.append(names), give(self, names, contents)),
    )
    output = " ".join(_build("--out", str(tmp_path)).split())
    assert "te groot" in output and "Bijlage 5 Monitoring evaluatie pilots" in output
    assert "met --pdf" in output
    assert all(not _numbers(d) for d in tmp_path.glob("*.docx"))
    assert given in ([], [[]])  # LibreOffice (if it started) was given nothing to lay out


def test_the_step_can_be_switched_off(tmp_path, monkeypatch):
    monkeypatch.setenv(pagenumbers.SWITCH, "0")
    monkeypatch.setattr(pagenumbers.PagePass, "__init__", lambda *_: pytest.fail("LibreOffice started"))
    output = _build("--out", str(tmp_path))
    assert "F9" not in output


@needs_libreoffice
def test_when_libreoffice_fails_the_build_succeeds_and_says_so(tmp_path, with_page_numbers, monkeypatch):
    monkeypatch.setattr(pagenumbers, "_read_pages", lambda _: None)  # the macro wrote nothing
    output = " ".join(_build("--out", str(tmp_path)).split())
    assert "kon de paginanummers" in output and "druk op F9" in output
    assert all(not _numbers(d) for d in tmp_path.glob("*.docx"))


def _ours() -> tuple[set[Path], list[str]]:
    """The step's folders, and the processes that run in one of them."""
    import tempfile

    folders = set(Path(tempfile.gettempdir()).glob(f"{pagenumbers.PREFIX}*"))
    running = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
        if pagenumbers.PREFIX in text:
            running.append(text)
    return folders, running


@needs_libreoffice
def test_a_build_that_stops_at_errors_leaves_no_libreoffice_behind(tmp_path, with_page_numbers):
    from conftest import GAPS

    before, _ = _ours()
    result = CliRunner().invoke(cli, ["build", str(GAPS), "--out", str(tmp_path)])
    assert result.exit_code == 1, result.output
    after, running = _ours()
    assert after <= before and running == []
    _build("--out", str(tmp_path / "goed"))  # and after a build that succeeds
    after, running = _ours()
    assert after <= before and running == []


@pytest.mark.parametrize("at", [20, (1 << 20) - 20, (1 << 20) + 4, 3 << 20])  # where the field begins
def test_the_size_of_an_annex_with_a_contents_list_is_found_without_reading_it_whole(at):
    from io import BytesIO

    from toolkit.build.pagenumbers import contents_size

    field = b'<w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" </w:instrText></w:r>'
    xml = (
        b"<w:document><w:body>"
        + b"<w:p/>" * ((at - 20) // 6)
        + field
        + b"<w:p/>" * 1000
        + b"</w:body></w:document>"
    )

    def docx(document: bytes) -> bytes:
        buffer = BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("word/document.xml", document)
        return buffer.getvalue()

    assert xml.index(field) == at - (at - 20) % 6
    assert contents_size(docx(xml)) == len(xml)
    assert contents_size(docx(xml.replace(b"TOC", b"REF"))) is None
