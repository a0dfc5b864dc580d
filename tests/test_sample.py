"""The sample card or row designed in the Word template: cut out, rendered, read back."""

from __future__ import annotations

import importlib.util
import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from toolkit.core.errors import TemplateError
from toolkit.layouts import wordread
from toolkit.layouts.sample import _OPTIONAL_END, Sample, cut_sample, read_back

_spec = importlib.util.spec_from_file_location(
    "ooxml_validate_sample", Path(__file__).parent / "ooxml" / "validate.py"
)
ooxml = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(ooxml)  # type: ignore[union-attr]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STYLES = {"bullet": "ListBullet", "number": "ListNumber"}
MARKER = "TOOLKITBLOKpilotkaartenTOOLKITBLOK"
REPLACEMENT = f"<w:p><w:r><w:t>{MARKER}</w:t></w:r></w:p>"
VALID = {"naam": "Naam project", "wat": "Wat houdt het in", "status": "Status", "gemeente": "Gemeente"}


def _docx(doc) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _part(docx: bytes, name: str = "word/document.xml") -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return z.read(name)


def _replace_part(docx: bytes, xml: bytes, name: str = "word/document.xml") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, xml if item.filename == name else source.read(item.filename))
    return out.getvalue()


def _split_tag_paragraph(doc, key: str, style: str | None = None):  # type: ignore[no-untyped-def]
    """A paragraph whose tag Word split over three runs, with a spelling mark between:
    the first run (where the tag starts) is bold."""
    p = doc.add_paragraph(style=style)
    first = p.add_run("{{")
    first.bold = True
    second = p.add_run(f" {key} ")
    second.italic = True
    second.font.size = Pt(20)
    p._p.append(etree.SubElement(p._p, W + "proofErr", {W + "type": "spellStart"}))
    p.add_run("}}")
    return p


def card_template() -> bytes:
    doc = Document()
    doc.add_paragraph("Bijlage: pilots", style="Title")
    doc.add_paragraph("Inleiding bij de pilots.")
    doc.add_paragraph("{{ kaarten }}")
    _split_tag_paragraph(doc, "naam", "Heading 1")
    doc.add_paragraph("Gemeente: {{ gemeente }} (bron: register)")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Wat houdt het in"
    table.cell(0, 1).text = "{{ wat }}"
    table.cell(1, 0).text = "Status"
    table.cell(1, 1).text = "{{ status }}"
    doc.add_paragraph("{{ einde }}")
    doc.add_paragraph("Slot van de bijlage.", style="Heading 1")
    return _docx(doc)


def rows_template() -> bytes:
    doc = Document()
    doc.add_paragraph("Acties")
    doc.add_paragraph("{{ rijen }}")
    table = doc.add_table(rows=2, cols=3)
    for index, text in enumerate(("Naam", "Wat", "Status")):
        table.cell(0, index).text = text
    table.cell(1, 0).text = "{{ naam }}"
    table.cell(1, 1).text = "{{ wat }}"
    table.cell(1, 2).text = "Stand: {{status}}"
    doc.add_paragraph("{{ einde }}")
    doc.add_paragraph("Na de tabel.")
    return _docx(doc)


def build(template: bytes, records: list[dict[str, object]], bookmarks: bool = False) -> tuple[bytes, Sample]:
    """What the build will do: cut the sample, render every record where the marker is."""
    xml, sample = cut_sample(_part(template), REPLACEMENT, "test.docx")
    assert sample is not None
    body = "".join(
        sample.render(r, STYLES, (3_000_000 + i, f"_TocPilot{i + 1}") if bookmarks else None)
        for i, r in enumerate(records)
    )
    body = sample.table_start() + body + sample.table_end()
    text = xml.decode("utf-8")
    at = text.index(MARKER)
    start, end = text.rindex("<w:p>", 0, at), text.index("</w:p>", at) + len("</w:p>")
    document = (text[:start] + body + text[end:]).encode("utf-8")
    etree.fromstring(document)  # well-formed
    return _replace_part(template, document), sample


def read(docx: bytes, sample: Sample) -> list[dict[str, str]]:
    return read_back(list(wordread.blocks(Document(io.BytesIO(docx)))), sample)


def _valid(docx: bytes, tmp_path: Path) -> None:
    path = tmp_path / "uit.docx"
    path.write_bytes(docx)
    problems = [p for p in ooxml.validate(str(path)) if p[0] == "word/document.xml"]
    assert problems == []


RECORDS: list[dict[str, object]] = [
    {"naam": "Slimme lantaarnpalen", "gemeente": "Utrecht", "wat": "Lampen die dimmen.", "status": "Loopt"},
    {
        "naam": "Deelfietsen <&> meer",
        "gemeente": "Zwolle & Deventer",
        "wat": "Eerste regel\n• punt een\n• punt twee",
        "status": "",
    },
    {"naam": "Groene daken", "gemeente": "", "wat": "<p>Een <b>vet</b> woord</p>", "status": "Afgerond"},
]


def test_cards_cut_render_and_read_back(tmp_path: Path) -> None:
    docx, sample = build(card_template(), RECORDS, bookmarks=True)
    assert sample.kind == "kaarten"
    assert sample.fields == ("naam", "gemeente", "wat", "status")
    assert sample.heading_field == "naam"
    assert sample.table_start() == sample.table_end() == ""
    _valid(docx, tmp_path)
    doc = Document(io.BytesIO(docx))
    texts = [p.text for p in doc.paragraphs]
    assert "{{ kaarten }}" not in texts and "{{ einde }}" not in texts
    assert texts[:2] == ["Bijlage: pilots", "Inleiding bij de pilots."]
    assert texts[-1] == "Slot van de bijlage."
    assert len(doc.tables) == 3
    headings = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert [p.text for p in headings][:3] == [r["naam"] for r in RECORDS]
    assert "Gemeente: Zwolle & Deventer (bron: register)" in texts
    assert read(docx, sample) == [{k: str(v) for k, v in r.items()} for r in RECORDS[:1]] + [
        {
            "naam": "Deelfietsen <&> meer",
            "gemeente": "Zwolle & Deventer",
            "wat": "Eerste regel\n• punt een\n• punt twee",
            "status": "",
        },
        {"naam": "Groene daken", "gemeente": "", "wat": "Een vet woord", "status": "Afgerond"},
    ]


def test_split_tag_takes_the_format_of_its_first_run() -> None:
    docx, _ = build(card_template(), RECORDS[:1])
    heading = next(p for p in Document(io.BytesIO(docx)).paragraphs if p.style.name == "Heading 1")
    assert heading.text == "Slimme lantaarnpalen"
    assert len(heading.runs) == 1
    assert heading.runs[0].bold is True
    assert heading.runs[0].italic is None  # the middle run's italic is not taken
    assert not list(heading._p.iter(W + "proofErr"))


def test_bookmark_around_the_heading() -> None:
    docx, _ = build(card_template(), RECORDS, bookmarks=True)
    body = Document(io.BytesIO(docx)).element.body
    starts = list(body.iter(W + "bookmarkStart"))
    assert [b.get(W + "name") for b in starts] == ["_TocPilot1", "_TocPilot2", "_TocPilot3"]
    paragraph = starts[1].getparent()
    assert "".join(t.text for t in paragraph.iter(W + "t")) == "Deelfietsen <&> meer"
    assert [e.get(W + "id") for e in paragraph.iter(W + "bookmarkEnd")] == ["3000001"]


def test_rich_value_becomes_list_paragraphs_in_the_cell() -> None:
    docx, _ = build(card_template(), RECORDS)
    cell = Document(io.BytesIO(docx)).tables[1].cell(0, 1)
    assert [(p.text, p.style.name) for p in cell.paragraphs] == [
        ("Eerste regel", "Normal"),
        ("punt een", "List Bullet"),
        ("punt twee", "List Bullet"),
    ]
    rich = Document(io.BytesIO(docx)).tables[2].cell(0, 1).paragraphs[0]
    assert [(r.text, bool(r.bold)) for r in rich.runs] == [("Een ", False), ("vet", True), (" woord", False)]


def test_empty_value_is_one_empty_paragraph_with_the_sample_format() -> None:
    docx, _ = build(card_template(), RECORDS)
    cell = Document(io.BytesIO(docx)).tables[1].cell(1, 1)
    assert [p.text for p in cell.paragraphs] == [""]


def test_escaping() -> None:
    docx, _ = build(
        card_template(),
        [{"naam": "a<y>&c", "wat": "<x> & </y>", "gemeente": "\"q\" 'r' <&>", "status": "]]>"}],
    )
    doc = Document(io.BytesIO(docx))
    texts = [p.text for p in doc.paragraphs]
    assert "a<y>&c" in texts
    assert "Gemeente: \"q\" 'r' <&> (bron: register)" in texts
    assert doc.tables[0].cell(0, 1).text == "<x> & </y>"
    assert doc.tables[0].cell(1, 1).text == "]]>"


def test_inline_value_over_lines_uses_breaks() -> None:
    docx, sample = build(card_template(), [{"naam": "X", "gemeente": "Een\nTwee", "wat": "w", "status": "s"}])
    paragraph = next(p for p in Document(io.BytesIO(docx)).paragraphs if p.text.startswith("Gemeente:"))
    assert paragraph.text == "Gemeente: Een\nTwee (bron: register)"
    assert read(docx, sample)[0]["gemeente"] == "Een\nTwee"


def test_rows(tmp_path: Path) -> None:
    records = [
        {"naam": "Actie 1", "wat": "Doen", "status": "Loopt"},
        {"naam": "Actie <2>", "wat": "• a\n• b", "status": "Klaar"},
    ]
    docx, sample = build(rows_template(), records)
    assert sample.kind == "rijen" and sample.fields == ("naam", "wat", "status")
    assert sample.table_start().startswith("<w:tbl>") and sample.table_end() == "</w:tbl>"
    _valid(docx, tmp_path)
    doc = Document(io.BytesIO(docx))
    assert [p.text for p in doc.paragraphs] == ["Acties", "Na de tabel."]
    (table,) = doc.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Naam", "Wat", "Status"],
        ["Actie 1", "Doen", "Stand: Loopt"],
        ["Actie <2>", "a\nb", "Stand: Klaar"],
    ]
    assert read(docx, sample) == records


def test_render_is_a_row_for_rows() -> None:
    _, sample = cut_sample(_part(rows_template()), REPLACEMENT)
    assert sample is not None
    xml = sample.render({"naam": "n", "wat": "w", "status": "s"}, STYLES)
    assert xml.startswith("<w:tr") and xml.endswith("</w:tr>")


def test_no_region_leaves_the_document_alone() -> None:
    doc = Document()
    doc.add_paragraph("{{ titel }}")
    xml = _part(_docx(doc))
    assert cut_sample(xml, REPLACEMENT) == (xml, None)


def _template_with(*texts: str) -> bytes:
    doc = Document()
    for text in texts:
        doc.add_paragraph(text)
    return _part(_docx(doc))


@pytest.mark.parametrize(
    "texts, expected",
    [
        (("{{ kaarten }}", "{{ naam }}"), "{{ kaarten }} zonder {{ einde }}"),
        (("{{ naam }}", "{{ einde }}"), "{{ einde }} zonder {{ kaarten }}"),
        (
            ("{{ kaarten }}", "{{ naam }}", "{{ einde }}", "{{ kaarten }}", "{{ wat }}", "{{ einde }}"),
            "meer dan één voorbeeld",
        ),
        (("{{ kaarten }}", "Alleen tekst", "{{ einde }}"), "geen velden"),
        (("{{ kaarten }}", "{{ Naam project }}", "{{ einde }}"), "'{{ Naam project }}'"),
        (("{{ kaarten }}", "{% if x %}{{ naam }}{% endif %}", "{{ einde }}"), "{% if x %}"),
        (("{{ rijen }}", "{{ naam }}", "{{ einde }}"), "niet precies één tabel"),
    ],
)
def test_template_errors(texts: tuple[str, ...], expected: str) -> None:
    with pytest.raises(TemplateError) as error:
        cut_sample(_template_with(*texts), REPLACEMENT, "x.docx")
    assert "Het Word-sjabloon 'x.docx'" in str(error.value)
    assert expected in str(error.value)


def test_rows_need_exactly_one_row_with_fields() -> None:
    doc = Document()
    doc.add_paragraph("{{ rijen }}")
    table = doc.add_table(rows=2, cols=1)
    table.cell(0, 0).text = "{{ naam }}"
    table.cell(1, 0).text = "{{ wat }}"
    doc.add_paragraph("{{ einde }}")
    with pytest.raises(TemplateError, match="2 rijen met velden"):
        cut_sample(_part(_docx(doc)), REPLACEMENT, "x.docx")


def test_unknown_field_names_it_and_the_valid_ones() -> None:
    _, sample = cut_sample(
        _template_with("{{ kaarten }}", "{{ naam }}", "Tekst {{ wta }}", "{{ einde }}"), REPLACEMENT
    )
    assert sample is not None
    sample.check(VALID | {"wta": "x"}, "x.docx")  # no error
    with pytest.raises(TemplateError) as error:
        sample.check(VALID, "x.docx")
    assert str(error.value) == (
        "Het Word-sjabloon 'x.docx' gebruikt in de voorbeeldkaart het veld {{ wta }}, maar dat "
        "bestaat niet. Geldige velden: {{ naam }} (Naam project), {{ wat }} (Wat houdt het in), "
        "{{ status }} (Status), {{ gemeente }} (Gemeente)."
    )


def test_sample_bookmarks_are_dropped() -> None:
    doc = Document()
    doc.add_paragraph("{{ kaarten }}")
    p = doc.add_paragraph("{{ naam }}")
    p._p.insert(0, etree.Element(W + "bookmarkStart", {W + "id": "7", W + "name": "eigen"}))
    p._p.append(etree.Element(W + "bookmarkEnd", {W + "id": "7"}))
    doc.add_paragraph("{{ einde }}")
    xml, sample = cut_sample(_part(_docx(doc)), REPLACEMENT)
    assert sample is not None and "bookmark" not in sample.render({"naam": "a"}, STYLES)
    assert b"eigen" not in xml


def test_render_is_plain_string_joining() -> None:
    """Compiled once: render has no XML parser to call (the build renders 10,000 times)."""
    _, sample = cut_sample(_part(card_template()), REPLACEMENT)
    assert sample is not None
    assert all(
        isinstance(part, str) or part.__class__.__name__ in ("_Slot", "_Optional") or part is _OPTIONAL_END
        for part in sample.parts
    )
    one = sample.render(RECORDS[0], STYLES)
    assert sample.render(RECORDS[0], STYLES) == one
    etree.fromstring(f'<w:body xmlns:w="{W[1:-1]}">{one}</w:body>')


_TEXT = (
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=30
    )
    .map(str.strip)
    .filter(
        lambda t: (
            t
            and "{" not in t
            and "<" not in t
            and t[0] not in "•·▪◦●○■-–*"
            and not "\ue000" <= t[0] <= "\uf8ff"
            and "*" not in t  # bullets from Word, Markdown
            and not t[:3].rstrip(").").isdigit()
            and "_x" not in t
            and "\ufffe" not in t
            and "\uffff" not in t
            and " " * 2 not in t
        )
    )
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.fixed_dictionaries({"naam": _TEXT, "gemeente": _TEXT, "wat": _TEXT, "status": _TEXT}),
        min_size=1,
        max_size=4,
    )
)
def test_read_back_round_trip(records: list[dict[str, str]]) -> None:
    docx, sample = build(TEMPLATE, records)
    assert read(docx, sample) == records


def test_title_heading_right_before_the_cards_is_not_a_name() -> None:
    doc = Document()
    doc.add_paragraph("Overzicht van de pilots", style="Heading 1")
    doc.add_paragraph("{{ kaarten }}")
    doc.add_paragraph("{{ naam }}", style="Heading 1")
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Status"
    table.cell(0, 1).text = "{{ status }}"
    doc.add_paragraph("{{ einde }}")
    records = [{"naam": "A", "status": "Loopt"}, {"naam": "B", "status": ""}]
    docx, sample = build(_docx(doc), records)
    assert read(docx, sample) == records


def test_field_at_the_end_of_a_card_over_several_paragraphs() -> None:
    doc = Document()
    doc.add_paragraph("Inleiding")
    doc.add_paragraph("{{ kaarten }}")
    doc.add_paragraph("{{ naam }}", style="Heading 2")
    doc.add_paragraph("Toelichting")
    doc.add_paragraph("{{ wat }}")
    doc.add_paragraph("{{ einde }}")
    doc.add_paragraph("Bijlage B", style="Heading 1")
    doc.add_paragraph("Andere tekst")
    records = [
        {"naam": "A", "wat": "Regel een\nRegel twee\n• punt"},
        {"naam": "B", "wat": ""},
        {"naam": "C", "wat": "Toelichting"},
    ]
    docx, sample = build(_docx(doc), records)
    assert sample.heading_field == "naam"
    assert read(docx, sample) == records


def test_value_format_is_added_to_the_tag_format(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("{{ kaarten }}")
    p = doc.add_paragraph()
    run = p.add_run("{{ wat }}")
    run.font.size = Pt(14)
    run.font.underline = True
    run.font.name = "Arial"
    doc.add_paragraph("{{ einde }}")
    docx, _ = build(_docx(doc), [{"wat": "<p><i>schuin</i> <b>vet</b> m<sup>2</sup></p>"}])
    _valid(docx, tmp_path)
    (paragraph,) = [p for p in Document(io.BytesIO(docx)).paragraphs if p.text]
    assert paragraph.text == "schuin vet m2"
    runs = {r.text: r for r in paragraph.runs}
    assert runs["schuin"].italic and not runs["schuin"].bold
    assert runs["vet"].bold and runs["vet"].font.size == Pt(14) and runs["vet"].underline
    assert runs["2"].font.superscript and runs["2"].font.name == "Arial"


def test_tag_alone_after_a_page_break_mark_stays_alone() -> None:
    """Word notes where it last broke the page in a run; the tag is still alone."""
    doc = Document()
    doc.add_paragraph("{{ kaarten }}")
    doc.add_paragraph("Toelichting")
    p = doc.add_paragraph()
    run = p.add_run("{{ wat }}")
    run._r.insert(0, etree.Element(W + "lastRenderedPageBreak"))
    doc.add_paragraph("{{ einde }}")
    docx, sample = build(_docx(doc), [{"wat": "een\n• twee"}])
    texts = [(p.text, p.style.name) for p in Document(io.BytesIO(docx)).paragraphs]
    assert texts == [("Toelichting", "Normal"), ("een", "Normal"), ("twee", "List Bullet")]
    assert read(docx, sample) == [{"wat": "een\n• twee"}]


def test_rows_with_a_footer_row() -> None:
    doc = Document()
    doc.add_paragraph("{{ rijen }}")
    table = doc.add_table(rows=3, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Naam", "Status"
    table.cell(1, 0).text, table.cell(1, 1).text = "{{ naam }}", "{{ status }}"
    table.cell(2, 0).text, table.cell(2, 1).text = "Bron", "register"
    doc.add_paragraph("{{ einde }}")
    records = [{"naam": "A", "status": "Loopt"}, {"naam": "B", "status": "Klaar"}]
    docx, sample = build(_docx(doc), records)
    rows = Document(io.BytesIO(docx)).tables[0].rows
    assert [[c.text for c in row.cells] for row in rows] == [
        ["Naam", "Status"],
        ["A", "Loopt"],
        ["B", "Klaar"],
        ["Bron", "register"],
    ]
    assert read(docx, sample) == records


def test_no_records() -> None:
    docx, sample = build(rows_template(), [])
    assert len(Document(io.BytesIO(docx)).tables[0].rows) == 1
    assert read(docx, sample) == []
    docx, sample = build(card_template(), [])
    assert read(docx, sample) == []


TEMPLATE = card_template()


_LABELS = st.sampled_from(
    ["", "Status", "Wat houdt het in", "Gemeente:", "{{ einde }}", "Slot van de bijlage."]
)
_LINES = st.lists(st.one_of(_TEXT, _TEXT.map(lambda t: "• " + t)), min_size=1, max_size=3).map("\n".join)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "naam": _TEXT,
                "gemeente": st.one_of(_TEXT, _LABELS),
                "wat": st.one_of(_LINES, _LABELS),
                "status": st.one_of(_TEXT, _LABELS),
            }
        ),
        min_size=1,
        max_size=4,
    )
)
def test_read_back_round_trip_of_lines_labels_and_empty_values(records: list[dict[str, str]]) -> None:
    docx, sample = build(TEMPLATE, records)
    assert read(docx, sample) == records


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.fixed_dictionaries({"naam": st.one_of(_TEXT, _LABELS), "wat": _LINES, "status": _TEXT}), max_size=4
    )
)
def test_read_back_round_trip_of_rows(records: list[dict[str, str]]) -> None:
    docx, sample = build(ROWS_TEMPLATE, records)
    assert read(docx, sample) == records


ROWS_TEMPLATE = rows_template()


def test_finding_the_cards_is_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long run of paragraphs without cards: a field could take any number of them,
    and trying that from every paragraph would be quadratic."""
    import toolkit.layouts.sample as module

    calls = 0
    extends = module._extends

    def counted(first: object, unit: object) -> bool:
        nonlocal calls
        calls += 1
        return extends(first, unit)

    monkeypatch.setattr(module, "_extends", counted)
    _, sample = cut_sample(_part(card_template()), REPLACEMENT)
    assert sample is not None
    n = 20_000
    for heading in (False, True):
        calls = 0
        blocks = [wordread.Paragraph(f"tekst {i}", heading=heading) for i in range(n)]
        assert read_back(blocks, sample) == []
        assert calls < 5 * n


def test_markers_split_over_runs_are_found() -> None:
    doc = Document()
    p = doc.add_paragraph()
    p.add_run("{{ kaar")
    p.add_run("ten }}").bold = True
    doc.add_paragraph("Status: {{ status }}")
    p = doc.add_paragraph()
    p.add_run("{{")
    p.add_run(" einde }}").italic = True
    xml, sample = cut_sample(_part(_docx(doc)), REPLACEMENT)
    assert sample is not None and sample.fields == ("status",)
    assert MARKER.encode() in xml and b"einde" not in xml and b"{{ kaar" not in xml


def test_markers_on_different_levels() -> None:
    doc = Document()
    doc.add_paragraph("{{ kaarten }}")
    doc.add_table(rows=1, cols=1).cell(0, 0).text = "{{ einde }}"
    with pytest.raises(TemplateError, match="niet op hetzelfde niveau"):
        cut_sample(_part(_docx(doc)), REPLACEMENT, "x.docx")


def test_marker_with_a_section_break() -> None:
    doc = Document()
    doc.add_paragraph("{{ kaarten }}")
    doc.add_paragraph("{{ naam }}")
    end = doc.add_paragraph("{{ einde }}")
    end._p.get_or_add_pPr().append(etree.Element(W + "sectPr"))
    with pytest.raises(TemplateError, match="sectie-einde"):
        cut_sample(_part(_docx(doc)), REPLACEMENT, "x.docx")


def test_empty_fields_are_left_out_with_their_label_and_read_back(tmp_path: Path) -> None:
    """[indeling] leeg_weglaten: a row or paragraph whose fields are all empty goes, with
    its label; a table that loses every row goes too; the rest reads back."""
    xml, sample = cut_sample(_part(card_template()), REPLACEMENT, "test.docx")
    assert sample is not None
    record = {"naam": "Deelfietsen", "gemeente": "", "wat": "Fietsen.", "status": ""}
    full = sample.render(record, STYLES)
    short = sample.render(record, STYLES, omit_empty=True)
    assert "Status" in full and "Status" not in short
    assert "Gemeente:" in full and "Gemeente:" not in short
    assert "Wat houdt het in" in short and "Fietsen." in short
    empty = sample.render({"naam": "Leeg"}, STYLES, omit_empty=True)
    assert "<w:tbl>" not in empty and "Leeg" in empty
    docx, _ = build(card_template(), RECORDS)
    etree.fromstring(f'<w:body xmlns:w="{W[1:-1]}">{short}{empty}</w:body>')


def test_note_goes_under_the_heading_field() -> None:
    _, sample = cut_sample(_part(card_template()), REPLACEMENT)
    assert sample is not None and sample.heading_level == 1
    note = "<w:p><w:r><w:t>Nieuw in deze editie.</w:t></w:r></w:p>"
    xml = sample.render(RECORDS[0], STYLES, note=note)
    assert xml.index("Slimme lantaarnpalen") < xml.index("Nieuw in deze editie.") < xml.index("Gemeente:")
