"""The compiled sample renders every record as the straightforward code did (issue 20).

Sample.render runs a program compiled once per sample: captions with fields as parts of
their own, optional parts as jumps, rows kept on one page decided from the lengths of
their parts. tests/sample_before.py is the code it replaced (render, then keep the rows
together on the joined XML); here both render the same values, from plain to hostile,
at every page height, on the bundled and example templates and on samples with nested
tables, captions with fields and rows without properties. And the table of contents
streamed as text is what lxml wrote when every entry was parsed into the document.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
import sample_before
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from toolkit.core.bundled import bundled
from toolkit.layouts.publishing import _NS_W, Heading, _toc_entry, _toc_entry_as_written
from toolkit.layouts.render import cut_sample_from
from toolkit.layouts.sample import Sample, cut_sample

ROOT = Path(__file__).resolve().parent.parent
PILOT_TEMPLATE = bundled("templates", "bijlage.docx")
ACTIONS_TEMPLATE = bundled("templates", "acties.docx")
STYLES = {"bullet": "ListBullet", "number": "ListNumber", "note": "Notitie"}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_sample(doc) -> Sample:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    doc.save(out)
    with zipfile.ZipFile(out) as archive:
        xml = archive.read("word/document.xml")
    _, sample = cut_sample(xml, "<w:p/>")
    assert sample is not None
    return sample


def _caption(table, text: str) -> None:  # type: ignore[no-untyped-def]
    caption = etree.SubElement(table._tbl.tblPr, W + "tblCaption")
    caption.set(W + "val", text)


def nested_card() -> Sample:
    """A card with a table in a cell, a caption with fields and rows without trPr."""
    doc = Document()
    doc.add_paragraph("{{ kaarten }}")
    doc.add_paragraph("{{ naam }}", style="Heading 1")
    doc.add_paragraph("Kop zonder veld", style="Heading 2")
    table = doc.add_table(rows=3, cols=2)
    _caption(table, "Gegevens van {{ naam }} & {{ status }}")
    table.cell(0, 0).text = "Wat"
    table.cell(0, 1).text = "{{ wat }}"
    inner = table.cell(1, 1).add_table(rows=2, cols=1)
    inner.cell(0, 0).text = "{{ status }}"
    inner.cell(1, 0).text = "Stand: {{ stand }}"
    table.cell(2, 0).text = "Vast"
    table.cell(2, 1).text = "Geen veld"
    doc.add_paragraph("Na de tabel: {{ stand }}")
    doc.add_paragraph("{{ einde }}")
    return _docx_sample(doc)


def plain_card() -> Sample:
    """A card without a heading field: the note goes after its first field."""
    doc = Document()
    doc.add_paragraph("{{ kaarten }}")
    doc.add_paragraph("{{ wat }}")
    table = doc.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "{{ naam }}"
    table.cell(0, 1).text = "{{ status }}"
    table.cell(0, 2).text = "{{ stand }}"
    table.cell(1, 0).text = "Stand: {{ stand }} en {{ wat }}"
    doc.add_paragraph("{{ einde }}")
    return _docx_sample(doc)


def nested_rows() -> Sample:
    doc = Document()
    doc.add_paragraph("{{ rijen }}")
    table = doc.add_table(rows=2, cols=3)
    for index, text in enumerate(("Naam", "Wat", "Status")):
        table.cell(0, index).text = text
    table.cell(1, 0).text = "{{ naam }}"
    inner = table.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "{{ wat }}"
    inner.cell(0, 1).text = "{{ stand }}"
    table.cell(1, 2).text = "{{ status }}"
    doc.add_paragraph("{{ einde }}")
    return _docx_sample(doc)


def _template(path: Path) -> Sample:
    sample = cut_sample_from(path)[1]
    assert sample is not None
    return sample


SAMPLES = {
    "pilots": lambda: _template(PILOT_TEMPLATE),
    "pilots-smal": lambda: _template(PILOT_TEMPLATE).for_width(5000),
    "acties": lambda: _template(ACTIONS_TEMPLATE),
    "acties-breed": lambda: _template(ACTIONS_TEMPLATE).for_width(13000),
    "moties": lambda: _template(ROOT / "examples" / "moties" / "sjablonen" / "toezeggingen.docx"),
    "projecten": lambda: _template(ROOT / "examples" / "projecten" / "sjablonen" / "projecten.docx"),
    "geneste-kaart": nested_card,
    "kaart-zonder-kop": plain_card,
    "geneste-rij": nested_rows,
}
_BUILT: dict[str, Sample] = {}


def sample_named(name: str) -> Sample:
    if name not in _BUILT:
        _BUILT[name] = SAMPLES[name]()
    return _BUILT[name]


_PIECES = [
    "",
    " ",
    "Tekst",
    'a & b < c > d "e"',
    "\n",
    "\r\n",
    "• punt",
    "- streep",
    "1) eerste",
    "<p>alinea</p> <p>twee</p>",
    "<ul><li>een</li><li>twee</li></ul>",
    "<b>vet</b> en <i>schuin</i>",
    "_x000D_",
    "\t",
    "\x01",
    "é€😀",
    "{{ naam }}",
]
_TEXTS = st.builds(
    lambda pieces, repeat: "".join(pieces) * repeat,
    st.lists(st.sampled_from(_PIECES), max_size=6),
    st.integers(1, 60),
)
_VALUES = st.one_of(
    st.none(),
    _TEXTS,
    st.sampled_from(["Lopend", "Afgerond", "Ja", "Nee"]),
    st.integers(-5, 5),
    st.floats(allow_nan=False, allow_infinity=False),
    st.just(datetime(2024, 4, 1)),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(SAMPLES)),
    data=st.data(),
    height=st.sampled_from([0, 300, 2000, 5000, 14004, 100_000]),
    note=st.sampled_from(["", "<w:p><w:r><w:t>Nieuw in deze editie.</w:t></w:r></w:p>"]),
    omit_empty=st.booleans(),
    page_break=st.booleans(),
    bookmark=st.sampled_from([None, (4_000_000, "_TocKaart1")]),
)
def test_the_program_renders_as_before(name, data, height, note, omit_empty, page_break, bookmark) -> None:  # type: ignore[no-untyped-def]
    sample = sample_named(name)
    fields = sorted(sample.fields)
    values = {key: data.draw(_VALUES, label=key) for key in fields}
    fills = data.draw(
        st.one_of(
            st.none(), st.dictionaries(st.sampled_from(fields), st.sampled_from(["C6EFCE", "FFC7CE", ""]))
        ),
        label="fills",
    )
    plain = data.draw(st.sets(st.sampled_from(fields)), label="plain_text")
    arguments = (values, STYLES, bookmark, note, omit_empty, fills, page_break, plain, height)
    assert sample.render(*arguments) == sample_before.render(sample, *arguments)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_rows_are_kept_from_their_parts_where_the_sample_allows(name) -> None:  # type: ignore[no-untyped-def]
    """The samples of the bundled and example templates keep their rows together in the
    program (not on the joined XML); a long value lets a row split, as before."""
    sample = sample_named(name)
    assert sample._program.rows_inline
    long = {key: "Een lange tekst. " * 400 for key in sample.fields}
    for values in ({key: "kort" for key in sample.fields}, long):
        assert sample.render(values, STYLES, height=14004) == sample_before.render(
            sample, values, STYLES, height=14004
        )


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=40) | _TEXTS,
    name=st.sampled_from(["_TocKaart12", "_TocGroep3", "naam met spatie", 'a"b&c<d>', "tab\there"]),
    style=st.sampled_from([None, "TOC1", "Inhoudsopgave 1"]),
    level=st.integers(1, 3),
)
def test_streamed_contents_are_what_lxml_wrote(text, name, style, level) -> None:  # type: ignore[no-untyped-def]
    """An entry of the table of contents written as text is the entry that was parsed into
    the document and written by lxml before (carriage returns, empty texts, odd names)."""
    heading = Heading(level, text, (1, name))
    document = etree.fromstring(f"<w:document {_NS_W}><w:body/></w:document>")
    entry = _toc_entry(heading, style).replace("<w:p>", f"<w:p {_NS_W}>", 1)
    document[0].append(etree.fromstring(entry))
    written = etree.tostring(document, encoding=str)
    inside = written[written.index("<w:body>") + len("<w:body>") : written.index("</w:body>")]
    assert _toc_entry_as_written(heading, style) == inside


_CARDS = sorted(name for name in SAMPLES if sample_named(name).kind == "kaarten")
_LONG = st.builds(
    lambda piece, repeat: piece * repeat,
    st.sampled_from(
        ["Een lange zin die doorloopt. ", "<p>Alinea.</p> ", "regel\n", "<ul><li>punt</li></ul>"]
    ),
    st.integers(1, 400),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(_CARDS),
    data=st.data(),
    area=st.sampled_from([(9000, 2000), (9000, 5000), (9638, 14004), (5000, 14004), (13000, 9000)]),
    omit_empty=st.booleans(),
    page_break=st.booleans(),
)
def test_long_card_rows_are_cut_as_before(name, data, area, omit_empty, page_break) -> None:  # type: ignore[no-untyped-def]
    """A card's long label | text rows cut in pieces ('(vervolg)') and its other rows kept
    together while the card is rendered are what continued_rows and keep_rows_together
    made of the whole card before (the cut marks' ids counted from the same start)."""
    from toolkit.layouts import continued
    from toolkit.layouts.publishing import BlockContext
    from toolkit.layouts.wordxml import keep_rows_together

    sample = sample_named(name)
    styles = BlockContext(STYLES, *area)
    values = {key: data.draw(st.one_of(_VALUES, _LONG), label=key) for key in sorted(sample.fields)}
    arguments = (values, styles, None, "", omit_empty, None, page_break, frozenset())
    continued._CUT_IDS = itertools.count(5_000_000)
    before = keep_rows_together(continued.continued_rows(sample.render(*arguments), styles), area[1])
    continued._CUT_IDS = itertools.count(5_000_000)
    assert sample.render(*arguments, area[1], True) == before


def test_the_bundled_card_cuts_its_rows_while_rendering() -> None:
    """The pilot card's rows are all read from its parts: no card is joined and scanned
    again for long rows."""
    assert sample_named("pilots")._program.cards_inline
    assert not sample_named("geneste-kaart")._program.cards_inline
