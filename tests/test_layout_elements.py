"""A new element of the arrangement is one place: its Element, and nothing else.

The test declares an element the toolkit has never had ("telling": how many records have
each value of a column, in total and per group) only as an `Element` in the registry,
the way a module in toolkit/declarations/elements/ would. Without another line of the
toolkit changed, a declaration may then use [indeling.telling] and `telling = true` in a
group (its keys checked strictly and documented), a template may place {{ telling }},
the Word annex and the web edition show it (before the records when the template has no
tag for it), and import reads the records of the built annex back around it.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from lxml import html as lxml_html
from web_edition_builds import add_to_body

from toolkit.cli import cli
from toolkit.core.blocks import Table, cell
from toolkit.core.errors import TemplateError
from toolkit.declarations.annextypes import load
from toolkit.declarations.elements import ELEMENTS, Context, Element, Row, check, value_counts
from toolkit.declarations.rulekinds import Param, ParamType

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "examples" / "moties"
REGISTER = "moties_toezeggingen.xlsx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
GROUP = "Portefeuillehouder Burgemeester A. de Wit"


def _telling(values: Mapping[str, object], records: Sequence[Row], context: Context, caption: str) -> Table:
    column = context.sheet.column(str(values["kolom"]))
    counts = value_counts(records, column.key, column.vocabulary, context.lists, empty="(leeg)")
    return Table(
        "telling",
        caption or str(values["kop"]),
        f"Aantal {context.plural} per {column.label.lower()}.",
        (column.label, f"Aantal {context.plural}"),
        tuple((cell(value, bold=True), cell(str(n), numeric=True)) for value, n in counts),
        (3, 1),
        total=(cell("Totaal", bold=True), cell(str(sum(n for _, n in counts)), bold=True, numeric=True)),
        row_headers=True,
    )


TELLING = Element(
    "telling",
    "Het aantal rijen per waarde van een kolom.",
    "De telling van alle rijen ([indeling.telling]); zonder deze tag staat zij vóór de kaarten.",
    (
        Param("kolom", ParamType.COLUMN, "De kolom waarvan de waarden geteld worden.", required=True),
        Param("kop", ParamType.TEXT, "De kop boven de telling.", default="Telling", example="Per wijk"),
    ),
    _telling,
    per_group="true: onder de kop van elke groep een telling van die groep.",
)

DECLARED = '\n[indeling.telling]\nkolom = "wijk"\nkop = "Toezeggingen per wijk"\n'


@pytest.fixture
def telling(monkeypatch: pytest.MonkeyPatch) -> Element:
    monkeypatch.setitem(ELEMENTS, "telling", check(TELLING))
    return TELLING


def _copy(tmp_path: Path, declared: str = DECLARED, per_group: bool = True) -> Path:
    work = tmp_path / "moties"
    shutil.copytree(FOLDER, work)
    declaration = work / "sjablonen" / "toezeggingen.toml"
    text = declaration.read_text(encoding="utf-8")
    if per_group:
        text = text.replace("statusoverzicht = true\n", "statusoverzicht = true\ntelling = true\n", 1)
    declaration.write_text(text + declared, encoding="utf-8")
    return work


def _place_tag(work: Path, name: str = "telling") -> None:
    """{{ name }} in a paragraph of its own after the sample card."""
    tag = f'<w:p><w:r><w:t xml:space="preserve">{{{{ {name} }}}}</w:t></w:r></w:p>'
    add_to_body(work / "sjablonen" / "toezeggingen.docx", after=("{{ einde }}", tag))


def _build(work: Path, *extra: str) -> Path:
    result = CliRunner().invoke(cli, ["build", str(work / REGISTER), "--out", str(work / "uit"), *extra])
    assert result.exit_code == 0, result.output
    (path,) = (work / "uit").glob("*.docx")
    return path


def _tables(path: Path) -> dict[str, list[list[str]]]:
    """caption -> the table's rows as texts."""
    found = {}
    for table in Document(str(path)).tables:
        caption = table._tbl.find(f"{W}tblPr/{W}tblCaption")
        if caption is not None:
            found[caption.get(f"{W}val")] = [[c.text for c in row.cells] for row in table.rows]
    return found


def test_the_new_element_is_read_checked_and_documented(telling, tmp_path) -> None:
    from toolkit.declarations.keys import keys_markdown
    from toolkit.layouts.render import tags_markdown

    annex = load(_copy(tmp_path) / "sjablonen" / "toezeggingen.toml", bundled=False)
    element = annex.arrangement.element("telling")
    assert element is not None and element.values == {"kolom": "wijk", "kop": "Toezeggingen per wijk"}
    assert annex.arrangement.groups[0].elements == ("statusoverzicht", "telling")
    assert "wijk" in annex.arrangement.columns
    reference = keys_markdown()
    assert (
        "## `[indeling.telling]`" in reference and "Het aantal rijen per waarde van een kolom." in reference
    )
    assert "| `telling` | true/false |" in reference  # its key in [[indeling.groep]]
    assert "`{{ telling }}`" in tags_markdown()


@pytest.mark.parametrize(
    ("declared", "message"),
    [
        ('\n[indeling.telling]\nkolomm = "wijk"\n', "bedoelt u 'kolom'"),
        ('\n[indeling.telling]\nkolom = "wijkk"\n', "bedoelt u 'wijk'"),
        ('\n[indeling.telling]\nkop = "Per wijk"\n', "'kolom' ontbreekt"),
    ],
)
def test_a_wrong_new_element_is_named_in_dutch(telling, tmp_path, declared, message) -> None:
    path = _copy(tmp_path, declared, per_group=False) / "sjablonen" / "toezeggingen.toml"
    with pytest.raises(TemplateError) as caught:
        load(path, bundled=False)
    assert message in str(caught.value).lower() and "[indeling.telling]" in str(caught.value)


def test_a_group_key_without_its_element_is_refused(telling, tmp_path) -> None:
    path = _copy(tmp_path, "") / "sjablonen" / "toezeggingen.toml"
    with pytest.raises(TemplateError, match=r"'telling = true' vraagt om een \[indeling.telling\]"):
        load(path, bundled=False)


def test_without_its_tag_the_new_element_stands_before_the_records_and_per_group(telling, tmp_path) -> None:
    path = _build(_copy(tmp_path), "--html")
    tables = _tables(path)
    total = tables["Toezeggingen per wijk"]
    assert total[0] == ["Wijk", "Aantal toezeggingen"]
    assert total[-1] == ["Totaal", "10"] and sum(int(n) for _, n in total[1:-1]) == 10
    assert tables[f"Toezeggingen per wijk {GROUP}"][-1][0] == "Totaal"
    headings = [
        (p.style.name, p.text) for p in Document(str(path)).paragraphs if p.style.name.startswith("Head")
    ]
    first_group = headings.index(("Heading 1", GROUP))
    assert ("Heading 1", "Toezeggingen per wijk") in headings[:first_group]
    assert headings[first_group + 2] == ("Heading 2", "Toezeggingen per wijk")  # after the overview
    page = lxml_html.parse(str(tmp_path / "moties" / "uit" / "web" / "toezeggingen.html")).getroot()
    web = page.xpath("//table[contains(@class, 'blok-tabel-telling')]")
    assert len(web) == 1 + 3  # in total, and per portefeuillehouder
    first = web[0]
    assert [th.text_content() for th in first.xpath("./thead//th")] == ["Wijk", "Aantal toezeggingen"]
    assert first.xpath("./tfoot//th")[0].text_content() == "Totaal"
    assert all(th.get("scope") == "row" for th in first.xpath("./tbody/tr/th"))


def test_the_template_places_the_new_element_and_import_passes_over_it(telling, tmp_path) -> None:
    work = _copy(tmp_path, per_group=False)
    _place_tag(work)
    path = _build(work)
    doc = Document(str(path))
    last = doc.tables[-1]  # after every card (each a table)
    assert last._tbl.find(f"{W}tblPr/{W}tblCaption").get(f"{W}val") == "Toezeggingen per wijk"
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Toezeggingen per wijk" not in headings  # placed by the tag: no heading of its own
    back = tmp_path / "terug.xlsx"
    runner = CliRunner()
    result = runner.invoke(
        cli, ["import", str(path), "--out", str(back), "--sjablonen", str(work / "sjablonen")]
    )
    assert result.exit_code == 0, result.output
    assert "10 toezeggingen ingelezen" in result.output
    result = runner.invoke(
        cli, ["diff", str(work / REGISTER), str(back), "--report-dir", str(tmp_path / "r")]
    )
    assert result.exit_code == 0, result.output
    assert "0 nieuw, 0 vervallen, 0 gewijzigd, 10 ongewijzigd" in result.output


def test_no_module_outside_the_elements_names_one() -> None:
    """What an element is and does stays in its module: no other code compares with or
    looks up an element by its name (a string literal "statusoverzicht", say)."""
    import ast

    names = set(ELEMENTS)
    folder = ROOT / "toolkit"
    found = []
    for path in folder.rglob("*.py"):
        if "elements" in path.relative_to(folder).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in names:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}")
    assert not found, found


def test_a_placed_overview_has_its_bars_also_when_not_declared_in_total(tmp_path) -> None:
    """totaal = false leaves the overview of all records out before the cards; a template
    that still places {{ statusoverzicht }} gets it there, with its bars (pictures)."""
    work = tmp_path / "moties"
    shutil.copytree(FOLDER, work)
    declaration = work / "sjablonen" / "toezeggingen.toml"
    text = declaration.read_text(encoding="utf-8")
    declaration.write_text(
        text.replace('kop = "Overzicht statussen"\n', 'kop = "Overzicht statussen"\ntotaal = false\n'),
        encoding="utf-8",
    )
    _place_tag(work, "statusoverzicht")
    doc = Document(str(_build(work)))
    last = doc.tables[-1]
    assert last._tbl.find(f"{W}tblPr/{W}tblCaption").get(f"{W}val") == "Overzicht statussen"
    assert last.rows[-1].cells[1].text == "10"
    assert len(last._tbl.findall(f".//{W}drawing")) == len(last.rows) - 2  # a bar per status


def test_an_annex_type_with_elements_crosses_a_pipe(telling, tmp_path) -> None:
    """import converts the second file in a forked helper and sends the result back
    pickled, annex types included: an element that cannot be pickled would make every
    import convert that file twice (the helper's work thrown away)."""
    import pickle

    annex = load(_copy(tmp_path) / "sjablonen" / "toezeggingen.toml", bundled=False)
    back = pickle.loads(pickle.dumps(annex))
    assert back.arrangement == annex.arrangement and hash(back.arrangement) == hash(annex.arrangement)
    assert back.arrangement.element("telling").element is TELLING
    assert back.arrangement.element("statusoverzicht").element is ELEMENTS["statusoverzicht"]


def test_the_overview_heads_its_column_with_the_columns_label(tmp_path) -> None:
    """The overview counts any list column: its first column is headed by that column's
    label ('Soort'), in Word as on the web (it said 'Status' in Word whatever it counted)."""
    work = tmp_path / "moties"
    shutil.copytree(FOLDER, work)
    declaration = work / "sjablonen" / "toezeggingen.toml"
    text = declaration.read_text(encoding="utf-8")
    at = text.index("[indeling.statusoverzicht]")
    declaration.write_text(
        text[:at] + text[at:].replace('kolom = "status"', 'kolom = "soort"', 1), encoding="utf-8"
    )
    tables = _tables(_build(work, "--html"))
    assert tables["Overzicht statussen"][0] == ["Soort", "Aantal toezeggingen", "Aandeel"]
    assert [row[0] for row in tables["Overzicht statussen"][1:-1]] == ["Motie", "Toezegging"]
    page = lxml_html.parse(str(work / "uit" / "web" / "toezeggingen.html")).getroot()
    table = page.xpath("//table[contains(@class, 'blok-tabel-statusoverzicht')]")[0]
    assert table.xpath("./thead//th")[0].text_content() == "Soort"
