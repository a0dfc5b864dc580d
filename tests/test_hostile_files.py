"""Hostile and huge files: refused with one Dutch message and exit code 2, never a crash.

Every case starts from a good file and changes one member (tests/hostile_files.py), so
each test shows that exactly that change is caught: DTDs in any part and encoding,
sheets beyond the limits however their cells are spelled, merged ranges down to the
last row, zip bombs. Templates and Word files for import have their own cases in
test_build.py and test_import.py as well.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE
from hostile_files import (
    add_to_sheet,
    after_sheet_data,
    many_rows,
    members,
    rewrite,
    wide_row,
    with_dtd,
)

from toolkit.cli import cli
from toolkit.core import filecheck, sheetscan
from toolkit.core.errors import RegisterUnreadable
from toolkit.register.read import _fast_reader_is_safe, read_register

PILOTS = "xl/worksheets/sheet2.xml"
FAR_ROW = b'<row r="14"><c r="A14" t="inlineStr"><is><t>x</t></is></c></row>'


def _refused(path, match):
    """The command line refuses with exit 2 and a Dutch message; the file is untouched."""
    before = path.read_bytes()
    with pytest.raises(RegisterUnreadable, match=match):
        read_register(path)
    result = CliRunner().invoke(cli, ["validate", str(path), "--report-dir", str(path.parent / "rapport")])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Fout: ") and "Traceback" not in result.output
    assert path.read_bytes() == before
    assert not (path.parent / "rapport").exists() or not any((path.parent / "rapport").iterdir())
    return result.output


@pytest.mark.parametrize("member", members(EXAMPLE))
def test_a_dtd_is_refused_in_every_part(tmp_path, member):
    path = rewrite(EXAMPLE, tmp_path / "dtd.xlsx", {member: with_dtd()})
    output = _refused(path, "DTD of entiteitsdeclaratie")
    assert member in output


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("member", ["xl/styles.xml", "[Content_Types].xml", PILOTS])
def test_a_dtd_is_refused_in_any_encoding(tmp_path, member, encoding):
    path = rewrite(EXAMPLE, tmp_path / "dtd16.xlsx", {member: with_dtd(encoding)})
    _refused(path, "DTD")


def test_a_dtd_after_a_long_comment_is_still_found(tmp_path):
    import random

    comment = b"<!--" + random.Random(9).randbytes(3 << 19).hex().encode() + b"-->"
    path = rewrite(
        EXAMPLE,
        tmp_path / "lang.xlsx",
        {
            "xl/workbook.xml": lambda d: d.replace(
                b"?>", b"?>" + comment + b'<!DOCTYPE x [<!ENTITY a "b">]>', 1
            )
        },
    )
    _refused(path, "DTD")


def test_too_many_rows_are_refused_naming_the_limit(tmp_path):
    path = rewrite(EXAMPLE, tmp_path / "rijen.xlsx", {PILOTS: many_rows(sheetscan.MAX_ROWS - 12)})
    output = _refused(path, "meer dan 250.000 rijen")
    assert "Pilots" in output


def test_rows_just_under_the_limit_are_read(tmp_path):
    rows = b"".join(b'<row r="%d"/>' % n for n in range(14, sheetscan.MAX_ROWS + 1))
    path = rewrite(EXAMPLE, tmp_path / "net.xlsx", {PILOTS: add_to_sheet(rows)})
    assert len(read_register(path).records("Pilots")) == 12


def test_too_many_columns_are_refused_naming_the_limit(tmp_path):
    path = rewrite(EXAMPLE, tmp_path / "kolommen.xlsx", {PILOTS: wide_row(5000)})
    output = _refused(path, "200 kolommen")
    assert "GS14" in output


def test_a_large_register_is_refused_from_its_directory(tmp_path, monkeypatch):
    monkeypatch.setattr(filecheck, "REGISTER_LIMITS", filecheck.Limits(total=100_000))
    path = rewrite(EXAMPLE, tmp_path / "groot.xlsx", {})
    _refused(path, "onredelijk groot")


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_a_repeated_member_name_is_refused(tmp_path):
    path = rewrite(
        EXAMPLE, tmp_path / "dubbel.xlsx", {}, extra={PILOTS: b"<worksheet><sheetData/></worksheet>"}
    )
    _refused(path, "dezelfde naam")


# A far-away cell, spelled every way the format allows. calamine would abort the process
# on most of these; the scan finds them all, with the message each deserves.
FAR = "buiten wat de toolkit leest"
BAD_REF = "ongeldige celverwijzing"
BROKEN = "geen geldige XML"
FAR_SPELLINGS = {
    "upper": (b'<row r="14"><c r="XFD1048576"><v>1</v></c></row>', FAR),
    "lower": (b'<row r="14"><c r="xfd1048576"><v>1</v></c></row>', FAR),
    "order": (b'<row r="14"><c t="n" r="XFD1048576"><v>1</v></c></row>', FAR),
    "quotes": (b"<row r='14'><c r='XFD1048576'><v>1</v></c></row>", FAR),
    "spaces": (b'<row r="14"><c  r = "XFD1048576" ><v>1</v></c></row>', FAR),
    "newline": (b'<row r="14"><c\nr="XFD1048576"><v>1</v></c></row>', FAR),
    "reference": (b'<row r="14"><c r="&#88;FD1048576"><v>1</v></c></row>', FAR),
    "implicit row": (b'<row r="1048576"><c><v>1</v></c></row>', FAR),
    "implicit column": (b'<row r="14">' + b"<c><v>1</v></c>" * 300 + b"</row>", FAR),
    "self-closing": (b'<row r="14"><c r="XFD1048576"/></row>', FAR),
    "prefixed": (
        b'<x:row xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'r="14"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row>',
        FAR,
    ),
    "second row": (
        b'<row r="14"><c r="A14"><v>1</v></c></row><row r="15"><c r="XFD1048576"><v>1</v></c></row>',
        FAR,
    ),
    "wide and long": (
        b'<row r="30000"><c r="A30000" t="inlineStr"><is><t>P-99</t></is></c>'
        b'<c r="GR30000"><v>1</v></c></row>',
        None,
    ),
    "zero row": (b'<row r="14"><c r="A0"><v>1</v></c></row>', BAD_REF),
    "no row digits": (b'<row r="14"><c r="B"><v>1</v></c></row>', BAD_REF),
    "repeated r": (b'<row r="14"><c r="A14" s="0" r="XFD1048576"><v>1</v></c></row>', BROKEN),
    "no space": (b'<row r="14"><c r="A14"r="XFD1048576"><v>1</v></c></row>', BROKEN),
}


@pytest.mark.parametrize("spelling", sorted(FAR_SPELLINGS))
def test_a_far_cell_is_found_however_it_is_spelled(tmp_path, spelling):
    xml, expected = FAR_SPELLINGS[spelling]
    path = rewrite(EXAMPLE, tmp_path / "ver.xlsx", {PILOTS: add_to_sheet(xml)})
    assert not _fast_reader_is_safe(path)
    if expected is None:  # within the limits, too large for the fast reader: careful one
        assert len(read_register(path).records("Pilots")) == 13
    else:
        _refused(path, expected)


def test_a_lying_dimension_goes_to_the_careful_reader(tmp_path):
    path = rewrite(
        EXAMPLE,
        tmp_path / "maat.xlsx",
        {PILOTS: lambda d: d.replace(b'<dimension ref="A1:R13"/>', b'<dimension ref="A1:XFD1048576"/>')},
    )
    assert not _fast_reader_is_safe(path)
    assert len(read_register(path).records("Pilots")) == 12


@pytest.mark.parametrize(
    "xml",
    [
        b'<row r="14"><c t="inlineStr"><is><t>zonder r</t></is></c></row>',
        b"<row r='14'><c r='A14' t='inlineStr'><is><t>andere quotes</t></is></c></row>",
    ],
    ids=["without r", "single quotes"],
)
def test_odd_but_near_cells_go_to_the_careful_reader(tmp_path, xml):
    path = rewrite(EXAMPLE, tmp_path / "vreemd.xlsx", {PILOTS: add_to_sheet(xml)})
    assert not _fast_reader_is_safe(path)
    register = read_register(path)
    assert register.records("Pilots")[-1].row == 14
    assert register.records("Pilots")[-1]["id"] in ("zonder r", "andere quotes")


def test_the_example_and_a_plain_register_take_the_fast_reader():
    assert _fast_reader_is_safe(EXAMPLE)


def test_a_merged_range_down_to_the_last_row_is_refused(tmp_path):
    path = rewrite(
        EXAMPLE,
        tmp_path / "samen.xlsx",
        {PILOTS: after_sheet_data(b'<mergeCells count="1"><mergeCell ref="A20:Q1048576"/></mergeCells>')},
    )
    output = _refused(path, "samengevoegde cellen A20:Q1048576")
    assert "Samenvoegen en centreren" in output


def test_a_merged_range_too_large_in_area_is_refused(tmp_path):
    path = rewrite(
        EXAMPLE,
        tmp_path / "vlak.xlsx",
        {PILOTS: after_sheet_data(b"<mergeCells count='1'><mergeCell ref='A20:GR2000'/></mergeCells>")},
    )
    _refused(path, "100.000 cellen")


def test_a_small_merged_range_is_still_a_finding(tmp_path):
    path = rewrite(
        EXAMPLE,
        tmp_path / "klein.xlsx",
        {PILOTS: after_sheet_data(b'<mergeCells count="1"><mergeCell ref="C5:C6"/></mergeCells>')},
    )
    assert read_register(path).merged["Pilots"] == ["C5:C6"]


def test_sheets_outside_xl_worksheets_are_scanned_too(tmp_path):
    """A sheet can live anywhere the relationships say; every XML part is scanned."""
    rels = "xl/_rels/workbook.xml.rels"
    path = rewrite(
        EXAMPLE,
        tmp_path / "elders.xlsx",
        {
            rels: lambda d: d.replace(b"worksheets/sheet2.xml", b"media/blad.png"),
            PILOTS: b"",
        },
        extra={
            "xl/media/blad.png": b'<worksheet><sheetData><row r="1">'
            b'<c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
        },
    )
    _refused(path, "buiten wat de toolkit leest")


# Word files given to `toolkit import`: the same care as registers.


@pytest.fixture(scope="module")
def annex(tmp_path_factory):
    from toolkit.build.documents import build_documents

    out = tmp_path_factory.mktemp("bijlage")
    result = build_documents(read_register(EXAMPLE), out, parallel=False)
    return result.documents[0]


def _import_refused(tmp_path, path, match):
    before = path.read_bytes()
    target = tmp_path / "register.xlsx"
    result = CliRunner().invoke(cli, ["import", str(path), "--out", str(target)])
    assert result.exit_code == 2, result.output
    assert match in result.output
    assert "Traceback" not in result.output
    assert not target.exists()
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "member",
    [
        "word/document.xml",
        "word/styles.xml",
        "[Content_Types].xml",
        "word/_rels/document.xml.rels",
        "docProps/core.xml",
        "word/settings.xml",
    ],
)
def test_a_dtd_in_any_part_of_a_word_file_is_refused_by_import(tmp_path, annex, member):
    path = rewrite(annex, tmp_path / "dtd.docx", {member: with_dtd()})
    _import_refused(tmp_path, path, "DTD of entiteitsdeclaratie")


def test_a_dtd_in_utf16_is_refused_by_import(tmp_path, annex):
    path = rewrite(annex, tmp_path / "dtd16.docx", {"word/styles.xml": with_dtd("utf-16")})
    _import_refused(tmp_path, path, "DTD")


def test_a_word_file_that_unpacks_too_large_is_refused_by_import(tmp_path, annex, monkeypatch):
    """The limit counts what really comes out, member by member (128 MiB in all)."""
    monkeypatch.setattr(filecheck, "WORD_LIMITS", filecheck.Limits(total=200_000))
    _import_refused(tmp_path, annex, "onredelijk groot")


def test_word_files_have_a_lower_limit_than_the_old_one():
    assert filecheck.WORD_LIMITS.total <= 128 * 1024 * 1024
    assert filecheck.REGISTER_LIMITS.total <= 256 * 1024 * 1024


def test_a_zip_directory_that_understates_a_size_is_caught_while_unpacking(tmp_path):
    from hostile_files import understate_size

    path = understate_size(rewrite(EXAMPLE, tmp_path / "liegt.xlsx", {}), PILOTS)
    _refused(path, "beschadigd|onredelijk groot")


# A property: whatever the spelling, the fast reader is only allowed when every cell, as
# an XML parser sees it, has an r attribute inside the fast reader's area.

_SPREADSHEET = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _cell_tag(st):
    """A <c> start tag in one of the many spellings XML allows."""
    from hypothesis import strategies as hs

    column = hs.sampled_from(["A", "B", "Q", "Z", "AA", "GR", "GS", "XFD", "a", "xfd", ""])
    row = hs.sampled_from(["1", "14", "25000", "25001", "250000", "250001", "1048576", "0", "007", ""])
    quote = hs.sampled_from(['"', "'"])
    space = hs.sampled_from([" ", "  ", "\n", "\t"])
    extra = hs.sampled_from(["", ' s="1"', ' t="n"', ' s="1" t="n"', ' t="n" s="1"', ' cm="1"', ' foo="r"'])

    @hs.composite
    def tag(draw):
        prefix = draw(hs.sampled_from(["", "x:"]))
        q = draw(quote)
        ref = draw(column) + draw(row)
        r_attr = f"{draw(space)}r{draw(hs.sampled_from(['=', ' = ']))}{q}{ref}{q}"
        parts = [r_attr, draw(extra)] if draw(hs.booleans()) else [draw(extra), r_attr]
        if draw(hs.integers(0, 5)) == 0:
            parts = [draw(extra)]  # no r at all: the position follows the previous cell
        return f"<{prefix}c{''.join(parts)}><{prefix}v>1</{prefix}v></{prefix}c>"

    return tag()


def _oracle(xml: bytes) -> bool:
    """Safe for the fast reader: every cell has an r, canonical and inside its area."""
    import re

    from lxml import etree

    try:
        root = etree.fromstring(xml)
    except etree.XMLSyntaxError:
        return False
    for cell in root.iter(f"{{{_SPREADSHEET}}}c"):
        ref = cell.get("r")
        match = re.fullmatch(r"([A-Z]{1,3})([1-9][0-9]*)", ref or "")
        if not match:
            return False
        column = sheetscan._column(match.group(1))
        if not sheetscan._fits_fast(column, int(match.group(2))):
            return False
    return True


def test_the_scan_never_lets_an_unsafe_sheet_through(tmp_path):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as hs

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(hs.lists(_cell_tag(hs), min_size=1, max_size=4))
    def check(tags):
        row = ('<row r="14" xmlns:x="' + _SPREADSHEET + '">' + "".join(tags) + "</row>").encode()
        path = rewrite(EXAMPLE, tmp_path / "eigenschap.xlsx", {PILOTS: add_to_sheet(row)})
        sheet = add_to_sheet(row)(__import__("zipfile").ZipFile(EXAMPLE).read(PILOTS))
        try:
            safe = filecheck.check_register_file(path).fast_reader_safe
        except RegisterUnreadable:
            return  # refused: nothing reaches a reader
        if safe:
            assert _oracle(sheet), tags

    check()


@pytest.mark.parametrize("shift", [-12, -7, -3, -1, 0, 1, 5])
def test_a_far_cell_across_a_chunk_boundary_is_found(tmp_path, shift):
    """The scan streams in chunks of a MiB; a tag cut in two is still seen whole."""
    import random
    import zipfile

    sheet = zipfile.ZipFile(EXAMPLE).read(PILOTS)
    at = sheet.index(b"</sheetData>")
    filler = random.Random(shift).randbytes(1 << 20).hex().encode()
    prefix = b'<row r="14"><c r="A14" t="inlineStr"><is><t>'
    far = b'</t></is></c></row><row r="15"><c r="XFD1048576"><v>1</v></c></row>'
    # the far cell's tag starts `shift` bytes before the end of the first MiB
    room = (1 << 20) - at - len(prefix) - len(b'</t></is></c></row><row r="15">') + shift
    xml = sheet[:at] + prefix + filler[:room] + far + sheet[at:]
    path = rewrite(EXAMPLE, tmp_path / "grens.xlsx", {PILOTS: xml})
    _refused(path, "XFD1048576")


def test_a_tag_longer_than_a_chunk_goes_to_the_exact_pass(tmp_path):
    import random

    value = random.Random(3).randbytes(3 << 19).hex()
    row = f'<row r="14"><c r="A14" t="inlineStr" x="{value}"><is><t>lang</t></is></c></row>'
    path = rewrite(EXAMPLE, tmp_path / "lang.xlsx", {PILOTS: add_to_sheet(row.encode())})
    assert not _fast_reader_is_safe(path)
    assert read_register(path).records("Pilots")[-1]["id"] == "lang"


def test_a_merged_range_spelled_oddly_is_still_a_finding(tmp_path):
    path = rewrite(
        EXAMPLE,
        tmp_path / "samen2.xlsx",
        {PILOTS: after_sheet_data(b"<mergeCells count='1'><mergeCell  ref = 'c5:c6'/></mergeCells>")},
    )
    assert not _fast_reader_is_safe(path)
    assert read_register(path).merged["Pilots"] == ["C5:C6"]


def test_a_reversed_dimension_goes_to_the_careful_reader(tmp_path):
    path = rewrite(
        EXAMPLE,
        tmp_path / "omgekeerd.xlsx",
        {PILOTS: lambda d: d.replace(b'<dimension ref="A1:R13"/>', b'<dimension ref="R13:A1"/>')},
    )
    assert not _fast_reader_is_safe(path)
    assert len(read_register(path).records("Pilots")) == 12


def test_binary_parts_such_as_printer_settings_do_not_matter(tmp_path):
    path = rewrite(
        EXAMPLE,
        tmp_path / "printer.xlsx",
        {},
        extra={
            "xl/printerSettings/printerSettings1.bin": b"\x00\x00\x00\x00" + bytes(range(256)) * 8,
            "xl/media/image1.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40,
        },
    )
    assert _fast_reader_is_safe(path)
    assert len(read_register(path).records("Pilots")) == 12


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_a_far_cell_in_a_utf16_sheet_is_found(tmp_path, encoding):
    def change(data):
        xml = add_to_sheet(FAR_SPELLINGS["upper"][0])(data).decode("utf-8")
        return xml.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode(encoding)

    path = rewrite(EXAMPLE, tmp_path / "utf16.xlsx", {PILOTS: change})
    _refused(path, "XFD1048576")


@pytest.mark.parametrize(
    "xml",
    [
        b'<hyperlinks><hyperlink ref="A1:XFD1048576" location="Pilots!A1"/></hyperlinks>',
        b"<hyperlinks><hyperlink location='Pilots!A1' ref='A1:GR1000'/></hyperlinks>",
    ],
    ids=["far", "large area"],
)
def test_a_hyperlink_over_a_huge_range_is_refused(tmp_path, xml):
    """openpyxl's full load (the Excel report) copies it into every cell of the range."""
    path = rewrite(EXAMPLE, tmp_path / "link.xlsx", {PILOTS: after_sheet_data(xml)})
    _refused(path, "hyperlink")


def test_an_ordinary_hyperlink_is_fine(tmp_path):
    path = rewrite(
        EXAMPLE,
        tmp_path / "link.xlsx",
        {
            PILOTS: after_sheet_data(
                b'<hyperlinks><hyperlink ref="B2" location="Pilots!A1" display="x"/></hyperlinks>'
            )
        },
    )
    assert _fast_reader_is_safe(path)
    assert len(read_register(path).records("Pilots")) == 12


def test_damaged_compressed_data_is_a_dutch_message(tmp_path):
    import zipfile

    path = rewrite(EXAMPLE, tmp_path / "kapot.xlsx", {})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(PILOTS)
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 10, start + 60):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    _refused(path, "beschadigd")


def test_a_huge_oddly_spelled_sheet_is_refused_by_its_row_count(tmp_path):
    rows = b"".join(
        b"<row><c><v>%d</v></c></row>" % (n * 7919 % 100003) for n in range(sheetscan.MAX_ROWS + 10)
    )
    path = rewrite(EXAMPLE, tmp_path / "rijen2.xlsx", {PILOTS: add_to_sheet(rows)})
    _refused(path, "250.000 rijen")
