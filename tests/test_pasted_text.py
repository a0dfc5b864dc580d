"""What officers paste: lists from Word (Symbol/Wingdings bullets, "o" and "§" with a tab),
emoji, tables and nested lists from the CMS, Markdown; a line typed as "-tekst" that Excel
took for a formula; and owner cells that name more than one person."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import bundled
import openpyxl
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, MUNICIPALITY, TEMPLATE
from docx import Document
from hypothesis import given
from hypothesis import strategies as st
from test_cell_content import BOTH_READERS, docx_text, make
from test_validate import GOOD, GOOD_ACTION, flat

from toolkit.cli import cli
from toolkit.core.richtext import parse_rich, text_issues, visible_chars
from toolkit.declarations import schema
from toolkit.register.read import read_register
from toolkit.register.write import create_register, write_register
from toolkit.validation.validate import validate_file, validate_register


def _items(text: str) -> list[tuple[str | None, int, str]]:
    return [(p.list_kind, p.level, p.text) for p in parse_rich(text).paragraphs]


# --- lists pasted from Word ------------------------------------------------------------------

WORD_BULLETS = ["\uf0b7", "\uf0a7", "\uf0fc", "\uf076", "\uf0d8", "\uf06e", "·", "•"]


@pytest.mark.parametrize("marker", WORD_BULLETS)
def test_a_word_bullet_becomes_a_list_item(marker):
    assert _items(f"Aanpak:\n{marker}\tEerste stap\n{marker}\tTweede stap") == [
        (None, 0, "Aanpak:"),
        ("bullet", 0, "Eerste stap"),
        ("bullet", 0, "Tweede stap"),
    ]
    assert not [i for i in text_issues(f"{marker}\tEerste stap") if i.code == "teken-emoji"]


@pytest.mark.parametrize(
    ("first", "second"), [("\uf0b7", "o"), ("·", "o"), ("\uf0b7", "§"), ("-", "◦"), ("•", "▪")]
)
def test_word_second_level_markers_give_the_second_level(first, second):
    text = f"{first}\tWonen\n{second}\tHuurders\n{second}\tEigenaren\n{first}\tZorg"
    assert _items(text) == [
        ("bullet", 0, "Wonen"),
        ("bullet", 1, "Huurders"),
        ("bullet", 1, "Eigenaren"),
        ("bullet", 0, "Zorg"),
    ]
    assert text_issues(text) == []


def test_three_word_levels_show_two_and_say_so():
    text = "\uf0b7\tA\no\tB\n\uf0a7\tC"
    assert [level for _, level, _ in _items(text)] == [0, 1, 2]
    assert [i.code for i in text_issues(text)] == ["opsomming-niveau"]


def test_o_or_section_sign_without_a_tab_is_text():
    """'o' and '§' are markers only as Word writes them: with a tab."""
    assert _items("o jee\n§ 3 van de wet") == [(None, 0, "o jee"), (None, 0, "§ 3 van de wet")]


def test_word_numbered_lines_keep_their_numbers_and_levels():
    assert _items("1.\tEen\na.\tSub\n2.\tTwee") == [
        ("number", 0, "1. Een"),
        ("number", 1, "a. Sub"),
        ("number", 0, "2. Twee"),
    ]


_ITEM_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Co", "Zl", "Zp")), min_size=1, max_size=20
).filter(
    # '<' could open an HTML tag ('<P>'): that text is read as HTML, tested elsewhere
    lambda s: s.strip() and not re.match(r"\s*[•·▪◦●○■\-–*o§#]", s) and "*" not in s and "<" not in s
)


@given(st.lists(st.tuples(st.sampled_from(["\uf0b7", "·", "o"]), _ITEM_TEXT), min_size=1, max_size=8))
def test_a_pasted_two_level_list_round_trips(items):
    """Whatever the items say, each is one list item, at the level of its marker."""
    text = "\n".join(f"{marker}\t{body}" for marker, body in items)
    levels = sorted({marker == "o" for marker, _ in items})
    expected = [("bullet", levels.index(marker == "o"), body.strip()) for marker, body in items]
    assert _items(text) == expected
    assert visible_chars(parse_rich(text).plain) == visible_chars("\n".join(body for _, body in items))


def _schema_problems(path: Path) -> list[str]:
    from test_ooxml import _problems

    return _problems(path)


def _pilot_annex(out: Path) -> Path:
    return next(p for p in out.glob("*.docx") if p.name.startswith("Bijlage 5"))


def _body_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def test_a_word_list_is_printed_as_a_two_level_list(tmp_path):
    path = make(tmp_path, [{"omschrijving": "Doel:\n\uf0b7\tWonen\no\tHuurders\n\uf0b7\tZorg"}])
    out = tmp_path / "uit"
    result = CliRunner().invoke(cli, ["build", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    doc = Document(str(_pilot_annex(out)))
    listed = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("List")]
    assert ("List Bullet", "Wonen") in listed and ("List Bullet 2", "Huurders") in listed
    assert "\uf0b7" not in _body_xml(_pilot_annex(out))
    assert _schema_problems(_pilot_annex(out)) == []


def test_a_sample_card_without_list_bullet_2_indents_the_second_level(tmp_path):
    from test_sample_build import _with_sample

    folder = _with_sample(tmp_path, [("{{ naam }}", "Heading 1"), ("{{ omschrijving }}", None)])
    template = Document(str(folder / "bijlage.docx"))
    for name in ("List Bullet 2", "List Continue 2"):  # a template made in Word before
        element = template.styles[name].element
        element.getparent().remove(element)
    template.save(str(folder / "bijlage.docx"))
    path = make(tmp_path, [{"omschrijving": "\uf0b7\tWonen\no\tHuurders"}])
    out = tmp_path / "uit"
    result = CliRunner().invoke(cli, ["build", str(path), "--out", str(out), "--sjablonen", str(folder)])
    assert result.exit_code == 0, result.output
    xml = _body_xml(_pilot_annex(out))
    second = re.search(
        r'<w:p><w:pPr><w:pStyle w:val="ListBullet"/>([^<]*<(?!/w:pPr)[^>]*>)*?'
        r'<w:ind w:left="720" w:hanging="360"/>.*?</w:pPr>.*?Huurders',
        xml,
    )
    assert second, xml[-3000:]
    assert "ListBullet2" not in xml
    assert _schema_problems(_pilot_annex(out)) == []


# --- emoji and symbols the fonts lack --------------------------------------------------------


def test_emoji_are_named_and_published_unchanged(tmp_path):
    path = make(
        tmp_path, [{"omschrijving": "Klaar \U0001f44d en \u2713", "opmerking": "intern \U0001f600"}]
    )  # internal: never printed
    result = validate_file(path)
    assert flat(result) == [("teken-emoji", "Pilots", "C2")]
    assert "\U0001f44d (U+1F44D)" in result.findings[0].message
    assert "\u2713 (U+2713)" in result.findings[0].message
    out = tmp_path / "uit"
    assert CliRunner().invoke(cli, ["build", str(path), "--out", str(out)]).exit_code == 0
    assert "Klaar \U0001f44d en \u2713" in docx_text(_pilot_annex(out))  # never changed


def test_a_word_bullet_in_the_middle_of_a_line_is_named():
    issues = text_issues("Afgerond \uf0fc en verder")
    assert [(i.code, i.detail) for i in issues] == [("teken-emoji", "U+F0FC")]


@given(
    st.text(alphabet=st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF), min_size=1, max_size=3),
    st.text(max_size=20),
)
def test_any_pictograph_is_named(emoji, text):
    found = [i for i in text_issues(emoji + text) if i.code == "teken-emoji"]
    # the first ten are named (then "…"); the pictographs come first here
    assert found and all(f"U+{ord(c):04X}" in found[0].detail for c in set(emoji))


# --- HTML from the CMS: tables, nested lists, numbered lists ---------------------------------


def test_a_two_column_table_becomes_label_value_lines(tmp_path):
    cell = (
        "<p>Kosten:</p><table><tbody><tr><td>Budget</td><td>€ 25.000</td></tr>"
        "<tr><td>Looptijd:</td><td>2 jaar</td></tr></tbody></table>"
    )
    assert [p.text for p in parse_rich(cell).paragraphs] == [
        "Kosten:",
        "Budget: € 25.000",
        "Looptijd: 2 jaar",
    ]
    path = make(tmp_path, [{"omschrijving": cell}])
    assert flat(validate_file(path)) == []
    out = tmp_path / "uit"
    assert CliRunner().invoke(cli, ["build", str(path), "--out", str(out)]).exit_code == 0
    text = docx_text(_pilot_annex(out))
    assert "Budget: € 25.000" in text and "Budget€" not in text


@pytest.mark.parametrize(
    ("cell", "detail"),
    [
        ("<table><tr><td>a</td><td>b</td><td>c</td></tr></table>", "3 kolommen"),
        ("<table><tr><th>Post</th><th>Bedrag</th></tr><tr><td>x</td><td>1</td></tr></table>", "een kopregel"),
        (
            "<table><tr><td colspan='2'>a</td></tr><tr><td>b</td><td>c</td></tr></table>",
            "samengevoegde cellen",
        ),
        (
            "<table><tr><td><ul><li>a</li><li>b</li></ul></td><td>c</td></tr></table>",
            "alinea's of opsommingen in een cel",
        ),
    ],
)
def test_a_complex_table_is_one_line_per_row_and_a_warning(cell, detail):
    doc = parse_rich(cell)
    assert all(" | " in p.text for p in doc.paragraphs if len(p.text) > 1)
    assert [(i.code, i.detail) for i in text_issues(cell)] == [("html-tabel", detail)]
    assert visible_chars(doc.plain.replace("|", "")) == visible_chars(cell)


@given(
    st.lists(
        st.tuples(
            _ITEM_TEXT.filter(lambda s: "<" not in s and "&" not in s and not s.rstrip().endswith(":")),
            _ITEM_TEXT.filter(lambda s: "<" not in s and "&" not in s),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_any_two_column_table_reads_as_label_value(rows):
    cell = "<table>" + "".join(f"<tr><td>{a}</td><td>{b}</td></tr>" for a, b in rows) + "</table>"
    assert [p.text for p in parse_rich(cell).paragraphs] == [
        f"{' '.join(a.split())}: {' '.join(b.split())}" for a, b in rows
    ]
    assert [i for i in text_issues(cell) if i.code != "teken-emoji"] == []


def test_nested_html_lists_keep_their_nesting():
    cell = "<ul><li>Wonen<ul><li>Huurders</li><li>Eigenaren</li></ul></li><li>Zorg</li></ul>"
    assert _items(cell) == [
        ("bullet", 0, "Wonen"),
        ("bullet", 1, "Huurders"),
        ("bullet", 1, "Eigenaren"),
        ("bullet", 0, "Zorg"),
    ]
    assert text_issues(cell) == []


@pytest.mark.parametrize(
    ("attributes", "numbers"),
    [
        ('type="a"', ["a.", "b.", "c."]),
        ("type='A'", ["A.", "B.", "C."]),
        ('start="3"', ["3.", "4.", "5."]),
        ('type="i" start="4"', ["iv.", "v.", "vi."]),
        ("type=I", ["I.", "II.", "III."]),
        ('start="x"', ["1.", "2.", "3."]),
    ],
)
def test_ordered_lists_keep_their_letters_and_start(attributes, numbers):
    cell = f"<ol {attributes}><li>een</li><li>twee</li><li>drie</li></ol>"
    assert [p.text.split(" ")[0] for p in parse_rich(cell).paragraphs] == numbers


@given(
    st.integers(min_value=1, max_value=200),
    st.sampled_from(["1", "a", "A"]),
    st.integers(min_value=1, max_value=30),
)
def test_any_ordered_list_counts_on_from_its_start(start, kind, count):
    cell = f'<ol type="{kind}" start="{start}">' + "<li>x</li>" * count + "</ol>"
    labels = [p.text[:-3] for p in parse_rich(cell).paragraphs]
    assert len(labels) == count and len(set(labels)) == count
    if kind == "1":
        assert labels == [str(n) for n in range(start, start + count)]


# --- Markdown --------------------------------------------------------------------------------


def test_markdown_bold_italic_and_lists_are_interpreted():
    doc = parse_rich("**Let op:** dit is *nieuw*\n- punt een\n1. stap een")
    first = doc.paragraphs[0]
    assert first.text == "Let op: dit is nieuw"
    assert [(r.text, r.bold, r.italic) for r in first.runs] == [
        ("Let op:", True, False),
        (" dit is ", False, False),
        ("nieuw", False, True),
    ]
    assert [(p.list_kind, p.text) for p in doc.paragraphs[1:]] == [
        ("bullet", "punt een"),
        ("number", "1. stap een"),
    ]
    assert text_issues("**Let op:** dit is *nieuw*") == []


@pytest.mark.parametrize("text", ["5 * 3 = 15", "a*b*c", "noot*", "**", "2 ** 3"])
def test_asterisks_that_are_not_markdown_stay(text):
    assert parse_rich(text).plain == text


def test_a_markdown_heading_is_printed_as_typed_with_a_warning(tmp_path):
    path = make(tmp_path, [{"omschrijving": "## Aanpak\nEerst praten."}])
    result = validate_file(path)
    assert flat(result) == [("markdown-kop", "Pilots", "C2")]
    assert "'## Aanpak'" in result.findings[0].message
    out = tmp_path / "uit"
    assert CliRunner().invoke(cli, ["build", str(path), "--out", str(out)]).exit_code == 0
    assert "## Aanpak" in docx_text(_pilot_annex(out))


# --- a cell Excel took for a formula ---------------------------------------------------------


def _error_cell(path: Path, sheet: str, cell: str, error: str = "#NAME?") -> None:
    """The cell as Excel saves '-item' typed in a General cell: formula and error value."""
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell] = error
    wb.save(path)


@BOTH_READERS
@pytest.mark.parametrize("error", ["#NAME?", "#REF!", "#VALUE!", "#N/A"])
def test_an_excel_error_is_named_not_called_empty(tmp_path, careful, error):
    path = make(tmp_path, [{}], [GOOD_ACTION, {**GOOD_ACTION, "id": "A-2"}])
    _error_cell(path, "Pilots", "C2", error)  # Korte omschrijving: required
    _error_cell(path, "Acties", "E3", error)  # Resultaat: optional
    register = read_register(path, careful=careful)
    assert register.records("Pilots")[0]["omschrijving"] is None  # not the error's text
    result = validate_register(register)
    assert flat(result) == [("formule-fout", "Pilots", "C2"), ("formule-fout", "Acties", "E3")]
    finding = result.findings[0]
    assert error in finding.message and "formule" in finding.message
    assert "apostrof" in finding.hint and "•" in finding.hint
    assert result.exit_code == 1


def test_a_row_with_only_an_excel_error_is_still_named(tmp_path):
    path = make(tmp_path, [{}])
    _error_cell(path, "Acties", "E3")  # a continuation line typed as "-nog een punt"
    assert flat(validate_file(path)) == [("formule-fout", "Acties", "E3")]
    assert validate_file(path).findings[0].record == "rij 3"


def test_an_excel_error_in_a_setting_is_named(tmp_path):
    path = make(tmp_path, [{}])
    _error_cell(path, schema.SETTINGS_SHEET, "B2")  # Gemeente
    codes = flat(validate_file(path))
    assert ("formule-fout", "Instellingen", "B2") in codes
    assert ("instelling-leeg", "Instellingen", "B2") not in codes


def test_build_stops_on_an_excel_error_with_the_message(tmp_path):
    path = make(tmp_path, [{}])
    _error_cell(path, "Pilots", "F2")
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["build", str(path), "--out", str(tmp_path / "uit")])
    assert result.exit_code == 1
    assert "formule-fout" in result.output and "Traceback" not in result.output
    assert path.read_bytes() == before


def test_the_register_formats_text_columns_as_text(tmp_path):
    """Excel keeps '-item' typed into a text-formatted cell as text: every text and rich text
    column of the template, of a new register and of the settings is formatted '@'."""
    fresh = create_register(tmp_path / "nieuw.xlsx")
    for path in (TEMPLATE, fresh, EXAMPLE):
        wb = openpyxl.load_workbook(path)
        for sheet in schema.TABLE_SHEETS:
            ws = wb[sheet.name]
            formats = {
                n: d.number_format for d in ws.column_dimensions.values() for n in range(d.min, d.max + 1)
            }
            for index, col in enumerate(sheet.columns, start=1):
                text = col.kind in (schema.Kind.TEXT, schema.Kind.RICH)
                assert (formats.get(index) == "@") == text, (path.name, col.key)
        settings = wb[schema.SETTINGS_SHEET]
        inleiding = next(r for r in range(2, 20) if settings.cell(r, 1).value == "Inleiding")
        assert settings.cell(inleiding, 2).number_format == "@"
    filled = wb["Pilots"]["C2"]  # a written cell is text-formatted too
    assert filled.value and filled.number_format == "@"


def test_the_instructions_say_how_to_start_a_line_with_a_dash():
    wb = openpyxl.load_workbook(TEMPLATE)
    text = "\n".join(str(c.value) for c in wb[schema.INSTRUCTIONS_SHEET]["A"] if c.value)
    assert "'- punt" in text and "als tekst opgemaakt" in text
    assert "**vet**" in text and "leeg vakje" in text


# --- owner columns that name more than one -------------------------------------------------


def _owners_register(tmp_path: Path, trekkers: list[str]) -> Path:
    actions = [
        {**GOOD_ACTION, "id": f"A-{i}", "status": "Onbekend", "trekker": t}
        for i, t in enumerate(trekkers, start=1)
    ]  # each action one finding
    path = tmp_path / "eigenaren.xlsx"
    write_register(
        path,
        {"Pilots": [GOOD], "Acties": actions},
        {**MUNICIPALITY, "peildatum": date(2024, 4, 1), "inleiding": "x"},
    )
    return path


def test_the_first_name_before_a_separator_is_the_trekker(tmp_path):
    from toolkit.report.owners import owner_groups

    path = _owners_register(
        tmp_path,
        ["Pieter Jansen", "Pieter Jansen; Woonbron, Vidomes", "pieter  jansen, gemeente", "Woonbron"],
    )
    groups = {g.name: len(g.findings) for g in owner_groups(validate_file(path))}
    assert groups == {"Pieter Jansen": 3, "Woonbron": 1}
    out = tmp_path / "rapport"
    run = CliRunner().invoke(cli, ["validate", str(path), "--report-dir", str(out), "--per-eigenaar"], obj={})
    assert run.exit_code == 1, run.output
    assert sorted(p.name for p in (out / "per-eigenaar").iterdir()) == ["pieter-jansen.html", "woonbron.html"]
    page = (out / "per-eigenaar" / "pieter-jansen.html").read_text(encoding="utf-8")
    assert all(f"A-{i}" in page for i in (1, 2, 3)) and "A-4" not in page


def test_the_owner_column_says_how_it_is_read_in_excel():
    wb = openpyxl.load_workbook(TEMPLATE)
    ws = wb[bundled.ACTIONS.name]
    column = openpyxl.utils.get_column_letter([c.key for c in bundled.ACTIONS.columns].index("trekker") + 1)
    prompt = next(
        dv.prompt for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(f"{column}2")
    )
    assert "vóór de eerste ';' of ','" in prompt and len(prompt) <= 255
    # the pilots' Eigenaar is read whole: no separator declared, nothing said
    assert "vóór de eerste" not in bundled.PILOTS.column("eigenaar").help


def test_an_own_type_declares_its_separator(tmp_path):
    from toolkit.core.errors import TemplateError
    from toolkit.declarations.annextypes import load

    source = (
        Path(__file__).parent.parent / "examples" / "projecten" / "sjablonen" / "projecten.toml"
    ).read_text(encoding="utf-8")
    declared = tmp_path / "projecten.toml"
    declared.write_text(
        source.replace(
            'eigenaarkolom = "projectleider"', 'eigenaarkolom = "projectleider"\neigenaar_scheiding = "/&"'
        ),
        encoding="utf-8",
    )
    sheet = load(declared, bundled=False).sheet
    assert sheet.owner("Anna / Bram & Co") == "Anna"
    assert "vóór de eerste '/' of '&'" in sheet.column("projectleider").help
    for wrong in ('"en"', '" "', "3", '";;;;;;"'):
        declared.write_text(
            source.replace(
                'eigenaarkolom = "projectleider"',
                f'eigenaarkolom = "projectleider"\neigenaar_scheiding = {wrong}',
            ),
            encoding="utf-8",
        )
        with pytest.raises(TemplateError, match="eigenaar_scheiding"):
            load(declared, bundled=False)


def test_the_example_still_reads_and_validates_as_before():
    result = validate_file(EXAMPLE)
    assert {f.code for f in result.findings} == {"uitkomst-verlopen", "schrijfwijze-lijst"}
