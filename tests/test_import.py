"""`toolkit import`: last edition's Word annexes back into a register."""

from __future__ import annotations

import bundled
import pytest
from click.testing import CliRunner
from conftest import DATA, EXAMPLE, ROOT

from toolkit.build.documents import build_documents
from toolkit.cli import cli
from toolkit.core.richtext import parse_rich
from toolkit.editions.annex_import import import_annexes
from toolkit.register.read import read_register
from toolkit.validation.validate import validate_register

PILOT_FIELDS = [c.key for c in bundled.PILOTS.columns if c.published and c.key != "id"]
ACTION_FIELDS = ["opgave", "doel", "activiteit", "resultaat", "status", "toelichting_status"]


def published(record, keys):
    return {k: parse_rich(record.text(k)).plain for k in keys}


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rond")
    built = build_documents(read_register(EXAMPLE), folder / "uit")
    result = CliRunner().invoke(
        cli, ["import", *map(str, built.documents), "--out", str(folder / "terug.xlsx")]
    )
    assert result.exit_code == 0, result.output
    return read_register(folder / "terug.xlsx"), folder


def test_build_then_import_gives_back_the_published_content(round_trip):
    back, _ = round_trip
    original = read_register(EXAMPLE)
    assert [published(p, PILOT_FIELDS) for p in back.records("Pilots")] == [
        published(p, PILOT_FIELDS) for p in original.records("Pilots") if p["opnemen"] != "Nee"
    ]
    assert [published(a, ACTION_FIELDS) for a in back.records("Acties")] == [
        published(a, ACTION_FIELDS) for a in original.records("Acties")
    ]
    assert back.settings["gemeente"] == "Zoetermeer"
    assert back.settings["editie"] == "Perspectiefnota 2025"
    assert str(back.settings["bijlage_pilots_nummer"]) == "5"
    assert back.settings["peildatum"].date().isoformat() == "2024-04-01"


def test_imported_register_validates_and_report_lists_everything(round_trip):
    back, folder = round_trip
    assert validate_register(back).exit_code == 0
    report = (folder / "terug_importverslag.txt").read_text(encoding="utf-8")
    assert "Pilots gevonden (12)" in report and "Acties gevonden (60)" in report
    assert "Statusoverzicht van 'Jeugd en onderwijs'" in report


def test_hand_made_annexes():
    imported = import_annexes([DATA / "handgemaakte_pilotbijlage.docx", DATA / "handgemaakte_acties.docx"])
    first, second = imported.records("Pilots")
    assert first["naam"] == "Schoolontbijt"
    assert first["portefeuille"] == "Armoedebeleid"  # label spelt "Portefeulle"
    assert first["succesvol"] == "Ja, een succes op beide scholen."  # question over two lines
    assert first["omschrijving"] == "Gratis ontbijt op twee scholen.\n• Regenboog\n• Touwladder"
    assert first["doel"].startswith("Kinderen hebben een ontbijt")
    assert first["opnemen"] == "Ja"
    assert second["naam"] == "Stille studieruimtes"  # merged value cell
    assert second["omschrijving"] == "Studeren in rust bij Gymworld."
    assert second["opnemen"] == "Laatste keer"
    assert imported.settings["gemeente"] == "Zoetermeer"
    assert imported.settings["inleiding"] == "Deze bijlage geeft een overzicht van alle pilots."
    notes = " ".join(imported.report.notes)
    assert "Kop 'Pilot schoolontbijt' en Naam pilot 'Schoolontbijt' verschillen" in notes
    actions = imported.records("Acties")
    assert [a["activiteit"] for a in actions] == [
        "Ouderkamer open.",
        "Brugfunctionaris gestart.",
        "Nieuw contract plaagdierbestrijding.",
        "Rattenoverlast adviesbureau inhuren.",
        "Pilot Wijk GGZ.",
    ]
    assert actions[1]["resultaat"] == (
        "Ouders krijgen een vertrouwensband\nmet school en delen sneller zorgen."
    )
    assert (actions[2]["status"], actions[2]["toelichting_status"]) == (
        "Afgerond",
        "Wordt voorgezet via Stadsbeheer",
    )
    assert actions[3]["status"] == "Afgerond"
    assert actions[4]["doel"] == "Andere initiatieven"
    assert (actions[4]["status"], actions[4]["toelichting_status"]) == ("", "Binnenkort in uitvoering")
    assert "samengevoegd" in notes and "niet herkend" in notes


def test_import_never_overwrites(tmp_path):
    target = tmp_path / "bestaat.xlsx"
    target.write_bytes(b"officers' work")
    result = CliRunner().invoke(cli, ["import", str(DATA / "handgemaakte_acties.docx"), "--out", str(target)])
    assert result.exit_code == 2
    assert "overschrijft nooit" in result.output
    assert target.read_bytes() == b"officers' work"


def test_import_of_a_non_word_file_is_a_dutch_message(tmp_path):
    bad = tmp_path / "bijlage.docx"
    bad.write_text("geen word")
    result = CliRunner().invoke(cli, ["import", str(bad), "--out", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 2
    assert "Word-document" in result.output
    assert not (tmp_path / "r.xlsx").exists()


def test_a_sentence_that_starts_like_a_section_stays_text(tmp_path):
    from docx import Document

    doc = Document()
    doc.add_paragraph("Proef", style="Heading 1")
    doc.add_paragraph("Naam Pilot")
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Naam pilot", "Proef"
    doc.add_paragraph("Korte omschrijving")
    doc.add_paragraph("Uitkomst evaluatie volgt later.")
    path = tmp_path / "b.docx"
    doc.save(path)
    assert import_annexes([path]).records("Pilots")[0]["omschrijving"] == "Uitkomst evaluatie volgt later."


def test_a_zip_bomb_docx_is_refused_before_opening(tmp_path):
    import zipfile

    bomb = tmp_path / "bijlage.docx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\0" * (60 * 1024 * 1024))
    result = CliRunner().invoke(cli, ["import", str(bomb), "--out", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 2
    assert "onredelijk groot" in result.output


# --- the edition cycle keeps text where it belongs (issue 9) ---------------------------


def test_full_cycle_keeps_the_introduction_and_the_last_time_pilots(tmp_path):
    runner = CliRunner()
    built = runner.invoke(cli, ["build", str(EXAMPLE), "--out", str(tmp_path / "uit")])
    assert built.exit_code == 0, built.output
    annexes = sorted((tmp_path / "uit").glob("*.docx"))
    result = runner.invoke(cli, ["import", *map(str, annexes), "--out", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 0, result.output
    original, back = read_register(EXAMPLE), read_register(tmp_path / "r.xlsx")
    assert back.settings["inleiding"] == original.settings["inleiding"]
    last = [p["naam"] for p in original.records("Pilots") if p["opnemen"] == "Laatste keer"]
    assert [p["naam"] for p in back.records("Pilots") if p["opnemen"] == "Laatste keer"] == last
    report = (tmp_path / "r_importverslag.txt").read_text(encoding="utf-8")
    assert f"Opmerkingen ({len(last)}):" in report
    for name in last:
        assert f"{name}: de vermelding 'Deze pilot wordt voor het laatst" in report
    assert "De inhoudsopgave" in report
    # the next edition prints the introduction as it was, nothing more
    again = build_documents(back, tmp_path / "opnieuw")
    from docx import Document

    texts = [
        p.text for p in Document(again.documents[0]).paragraphs if not p.style.name.lower().startswith("toc")
    ]  # the contents list repeats heads
    intro = texts[texts.index("Inleiding") + 1 : texts.index(last[0])]
    assert intro == original.settings["inleiding"].split("\n")


def _doc(tmp_path, build, name="b.docx"):
    from docx import Document

    doc = Document()
    build(doc)
    path = tmp_path / name
    doc.save(path)
    return path


def _card(doc, name, rows, heading_style="Heading 1"):
    doc.add_paragraph(name, style=heading_style)
    doc.add_paragraph("Naam pilot")
    table = doc.add_table(rows=0, cols=2)
    for label, value in [("Naam pilot", name), *rows]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value


def test_labels_in_another_order_and_a_filled_table_of_contents(tmp_path):
    from docx.enum.style import WD_STYLE_TYPE

    def build(doc):
        toc = doc.styles.add_style("toc 2", WD_STYLE_TYPE.PARAGRAPH)
        doc.add_paragraph("Inhoud")
        doc.add_paragraph("Naam pilot\t3", style=toc)  # a contents line Word filled in
        doc.add_paragraph("Korte omschrijving\t3", style=toc)
        doc.add_paragraph("Inleiding")
        doc.add_paragraph("Alleen de echte inleiding.")
        _card(
            doc,
            "Proef",
            [
                ("Einddatum", "2025"),
                ("Portefeuille", "Wonen"),
                ("Startdatum", "2023"),
                ("Programma", "5. Veiligheid"),
            ],
        )

    imported = import_annexes([_doc(tmp_path, build)])
    (pilot,) = imported.records("Pilots")
    assert (pilot["startdatum"], pilot["einddatum"], pilot["portefeuille"]) == ("2023", "2025", "Wonen")
    assert imported.settings["inleiding"] == "Alleen de echte inleiding."


def test_a_heading_is_recognised_by_its_outline_level(tmp_path):
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    def build(doc):
        style = doc.styles.add_style("Pilotkop", WD_STYLE_TYPE.PARAGRAPH)
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), "0")
        style.element.get_or_add_pPr().append(level)
        doc.add_paragraph("Inleiding")
        doc.add_paragraph("Tekst van de inleiding.")
        _card(doc, "Eerste", [], heading_style="Pilotkop")
        doc.add_paragraph("Korte omschrijving")
        doc.add_paragraph("Over de eerste.")
        _card(doc, "Tweede", [], heading_style="Pilotkop")

    imported = import_annexes([_doc(tmp_path, build)])
    assert [p["naam"] for p in imported.records("Pilots")] == ["Eerste", "Tweede"]
    assert imported.records("Pilots")[0]["omschrijving"] == "Over de eerste."  # not "…\nTweede"


def test_extra_columns_in_an_action_table_are_named(tmp_path):
    def build(doc):
        doc.add_paragraph("Bijlage 2 Uitvoeringsplan Jeugd", style="Heading 1")
        table = doc.add_table(rows=0, cols=4)
        for values in (
            ("Activiteit", "Resultaat", "Status", "Budget"),
            ("Ouderkamer", "Open", "Afgerond", "€ 10.000"),
        ):
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = value

    imported = import_annexes([_doc(tmp_path, build)])
    assert [(a["activiteit"], a["status"]) for a in imported.records("Acties")] == [
        ("Ouderkamer", "Afgerond")
    ]
    assert any("'Budget'" in s and "1 gevulde" in s for s in imported.report.skipped)


def test_a_vertically_merged_cell_counts_for_every_row_it_spans(tmp_path):
    def build(doc):
        doc.add_paragraph("Bijlage 2 Uitvoeringsplan Jeugd", style="Heading 1")
        table = doc.add_table(rows=3, cols=3)
        for cell, value in zip(table.rows[0].cells, ("Activiteit", "Resultaat", "Status"), strict=True):
            cell.text = value
        table.rows[1].cells[0].text, table.rows[2].cells[0].text = "Een", "Twee"
        table.rows[1].cells[1].text, table.rows[2].cells[1].text = "R1", "R2"
        table.cell(1, 2).merge(table.cell(2, 2)).text = "Doorlopend"

    imported = import_annexes([_doc(tmp_path, build)])
    assert [(a["activiteit"], a["status"]) for a in imported.records("Acties")] == [
        ("Een", "Doorlopend"),
        ("Twee", "Doorlopend"),
    ]


@pytest.mark.parametrize("kind", ["leeg", "geen bijlage"])
def test_an_empty_document_or_no_annex_is_refused_and_nothing_written(tmp_path, kind):
    def build(doc):
        if kind == "geen bijlage":
            doc.add_paragraph("Notulen van de vergadering")
            table = doc.add_table(rows=1, cols=2)
            table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Aanwezig", "Jan"

    path = _doc(tmp_path, build)
    result = CliRunner().invoke(cli, ["import", str(path), "--out", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 2
    assert ("is leeg" if kind == "leeg" else "geen pilotkaarten") in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.docx"]


def test_too_many_paragraphs_is_refused(tmp_path, monkeypatch):
    from toolkit.editions import annex_import

    monkeypatch.setattr(annex_import, "MAX_PARAGRAPHS", 5)
    path = _doc(tmp_path, lambda doc: [doc.add_paragraph(f"regel {i}") for i in range(10)])
    result = CliRunner().invoke(cli, ["import", str(path), "--out", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 2
    assert "meer dan 5 alinea's" in result.output
    assert not (tmp_path / "r.xlsx").exists()


def test_a_text_longer_than_a_cell_is_cut_with_a_warning_and_kept_in_the_report(tmp_path):
    long_text = " ".join(f"woord{i}" for i in range(6000))  # about 47,000 characters

    def build(doc):
        _card(doc, "Proef", [("Programma", "5. Veiligheid")])
        doc.add_paragraph("Korte omschrijving")
        doc.add_paragraph(long_text)

    path = _doc(tmp_path, build)
    result = CliRunner().invoke(cli, ["import", str(path), "--out", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 0, result.output
    assert "waarschuwing: Pilots!C2 (P-001 Proef, Korte omschrijving)" in result.output
    assert f"de tekst heeft {len(long_text):,} tekens".replace(",", ".") in result.output
    (pilot,) = read_register(tmp_path / "r.xlsx").records("Pilots")
    assert pilot["omschrijving"] == long_text[:32767]
    report = (tmp_path / "r_importverslag.txt").read_text(encoding="utf-8")
    assert "Afgekapt (1):" in report and long_text in report


def _docx_blocks(path):
    """What python-docx sees (the import's former reader): texts of paragraphs and cells."""
    from docx import Document
    from docx.table import Table as DocxTable

    out = []
    for block in Document(str(path)).iter_inner_content():
        if isinstance(block, DocxTable):
            rows = []
            for row in block.rows:
                seen, cells = set(), []
                for cell in row.cells:
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        cells.append([p.text for p in cell.paragraphs])
                rows.append(cells)
            out.append(rows)
        else:
            out.append(block.text)
    return out


def test_the_linear_reader_sees_what_python_docx_sees(round_trip):
    from docx import Document

    from toolkit.layouts import wordread

    _, folder = round_trip
    files = [
        DATA / "handgemaakte_pilotbijlage.docx",
        DATA / "handgemaakte_acties.docx",
        *sorted((folder / "uit").glob("*.docx")),
    ]
    for path in files:
        ours = [
            [[[p.text for p in c.paragraphs] for c in row] for row in b.rows]
            if isinstance(b, wordread.Table)
            else b.text
            for b in wordread.blocks(Document(str(path)))
        ]
        assert ours == _docx_blocks(path), path.name


def test_text_inside_content_controls_and_tracked_insertions_is_read(tmp_path):
    from docx.oxml.parser import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def build(doc):
        _card(doc, "Proef", [("Programma", "5. Veiligheid")])
        doc.add_paragraph("Korte omschrijving")
        body = doc.element.body
        body.insert(
            len(body) - 1,
            parse_xml(
                f"<w:sdt {w}><w:sdtContent><w:p><w:r><w:t>In een besturingselement.</w:t></w:r>"
                f"</w:p></w:sdtContent></w:sdt>"
            ),
        )
        body.insert(
            len(body) - 1,
            parse_xml(
                f'<w:p {w}><w:r><w:t xml:space="preserve">Met </w:t></w:r><w:ins w:id="1" '
                f'w:author="a"><w:r><w:t>ingevoegde</w:t></w:r></w:ins><w:del w:id="2" '
                f'w:author="a"><w:r><w:delText>weg</w:delText></w:r></w:del>'
                f'<w:r><w:t xml:space="preserve"> tekst.</w:t></w:r></w:p>'
            ),
        )

    (pilot,) = import_annexes([_doc(tmp_path, build)]).records("Pilots")
    assert pilot["omschrijving"] == "In een besturingselement.\nMet ingevoegde tekst."


def test_a_filled_contents_field_is_skipped_whatever_its_style(tmp_path):
    from docx.oxml.parser import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def field_char(kind):
        return f'<w:r><w:fldChar w:fldCharType="{kind}"/></w:r>'

    def build(doc):
        body = doc.element.body
        entries = [
            field_char("begin") + '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h '
            "</w:instrText></w:r>" + field_char("separate") + "<w:r><w:t>Inleiding</w:t></w:r>",
            field_char("begin")
            + "<w:r><w:instrText> PAGEREF _Toc1 </w:instrText></w:r>"
            + field_char("separate")
            + "<w:r><w:t>Naam pilot 3</w:t></w:r>"
            + field_char("end"),
            "<w:r><w:t>Korte omschrijving 3</w:t></w:r>" + field_char("end"),
        ]
        for runs in entries:
            body.insert(len(body) - 1, parse_xml(f"<w:p {w}>{runs}</w:p>"))
        doc.add_paragraph("Inleiding")
        doc.add_paragraph("De echte inleiding.")
        _card(doc, "Proef", [("Programma", "5. Veiligheid")])

    imported = import_annexes([_doc(tmp_path, build)])
    assert [p["naam"] for p in imported.records("Pilots")] == ["Proef"]
    assert imported.settings["inleiding"] == "De echte inleiding."
    assert "De inhoudsopgave: de toolkit maakt haar bij elke build opnieuw." in imported.report.skipped


_WORDS = ["Naam pilot", "Status", "Activiteit", "• punt", "", "tekst", "Doel: x", "a\tb"]


def _random_document(data):
    """A document of paragraphs and tables with random merged rectangles, built as
    people do in Word (python-docx's own merge)."""
    from docx import Document

    doc = Document()
    st_ = __import__("hypothesis").strategies
    for _ in range(data.draw(st_.integers(1, 4))):
        if data.draw(st_.booleans()):
            style = data.draw(st_.sampled_from(["Normal", "Heading 1", "List Bullet", "Title"]))
            doc.add_paragraph(data.draw(st_.sampled_from(_WORDS)), style=style)
            continue
        rows, cols = data.draw(st_.integers(1, 4)), data.draw(st_.integers(1, 4))
        table = doc.add_table(rows=rows, cols=cols)
        for r in range(rows):
            for c in range(cols):
                table.cell(r, c).text = f"{r}.{c} {data.draw(st_.sampled_from(_WORDS))}"
        for _ in range(data.draw(st_.integers(0, 2))):
            r0, c0 = data.draw(st_.integers(0, rows - 1)), data.draw(st_.integers(0, cols - 1))
            r1, c1 = data.draw(st_.integers(r0, rows - 1)), data.draw(st_.integers(c0, cols - 1))
            try:
                table.cell(r0, c0).merge(table.cell(r1, c1))
            except Exception:  # noqa: BLE001 - an overlapping merge Word would refuse too
                pass
    return doc


def test_the_linear_reader_equals_python_docx_on_random_merged_tables(tmp_path):
    from hypothesis import HealthCheck, given, reject, settings
    from hypothesis import strategies as st

    from toolkit.layouts import wordread

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.data())
    def check(data):
        doc = _random_document(data)
        path = tmp_path / "r.docx"
        doc.save(path)
        from docx import Document

        try:
            expected = _docx_blocks(path)
        except ValueError:  # "no tc at grid_offset": a merge python-docx itself cannot read
            reject()
        ours = [
            [[[p.text for p in c.paragraphs] for c in row] for row in b.rows]
            if isinstance(b, wordread.Table)
            else b.text
            for b in wordread.blocks(Document(str(path)))
        ]
        assert ours == expected
        flags = [
            (b.text, b.heading, b.listed)
            for b in wordread.blocks(Document(str(path)))
            if isinstance(b, wordread.Paragraph)
        ]
        assert flags == [
            (p.text, p.style.name.startswith(("Heading", "Title")), p.style.name.startswith("List Bullet"))
            for p in Document(str(path)).paragraphs
        ]

    check()


def test_import_lists_only_the_municipality_s_own_values(tmp_path):
    """Another municipality's annex: its register gets its own programmes and portfolios,
    never the example municipality's (Zoetermeer's) lists."""
    from toolkit.register.write import write_register

    pilot = {
        "id": "P-1",
        "naam": "Deelfietsen",
        "omschrijving": "Fietsen delen.",
        "programma": "Mobiliteit en wonen",
        "portefeuille": "Wethouder Verkeer",
        "doel": "Minder auto's.",
        "startdatum": "januari 2023",
        "einddatum": "2025",
        "evaluatiemoment": "jaarlijks",
        "succesvol": "Ja",
        "beleid": "Nee",
        "financieel": "Nee",
        "gerapporteerd": "Memo",
        "opnemen": "Ja",
    }
    source = write_register(
        tmp_path / "delft.xlsx",
        {"Pilots": [pilot]},
        settings={
            "gemeente": "Delft",
            "editie": "Voorjaarsnota 2026",
            "peildatum": "1-3-2026",
            "inleiding": "Over deze bijlage.",
        },
        lists={"programma": ["Mobiliteit en wonen"], "portefeuille": ["Wethouder Verkeer"], "opgave": []},
    )
    built = build_documents(read_register(source), tmp_path / "uit")
    assert not built.validation.errors
    out = tmp_path / "terug.xlsx"
    result = CliRunner().invoke(cli, ["import", str(built.documents[0]), "--out", str(out)])
    assert result.exit_code == 0, result.output
    back = read_register(out)
    assert back.settings["gemeente"] == "Delft"
    assert back.lists["programma"] == ["Mobiliteit en wonen"]
    assert back.lists["portefeuille"] == ["Wethouder Verkeer"]
    assert not back.lists.get("opgave")
    assert validate_register(back).exit_code == 0


def _without_page_header(source, target):
    from docx import Document

    document = Document(str(source))
    for section in document.sections:
        for paragraph in section.header.paragraphs:
            for run in paragraph.runs:
                run.text = ""
    document.save(str(target))
    return target


@pytest.mark.parametrize("header", [True, False], ids=["met-koptekst", "zonder-koptekst"])
def test_an_actions_only_annex_makes_only_an_acties_sheet_with_its_names(tmp_path, header):
    """Leidschendam-Voorburg's annex has no pilots: the new register has no Pilots sheet
    (the next build would write 'Bijlage 5 ... (0 pilots)'), and it takes the gemeente,
    editie and programme name from the annex: its page header, or the line under its
    title when the header is gone."""
    import openpyxl

    source = ROOT / "examples" / "leidschendam-voorburg" / "acties_sterk_voor_noord.xlsx"
    built = build_documents(read_register(source), tmp_path / "uit")
    (annex,) = built.documents
    if not header:
        annex = _without_page_header(annex, tmp_path / "zonder_koptekst.docx")
    out = tmp_path / "terug.xlsx"
    result = CliRunner().invoke(cli, ["import", str(annex), "--out", str(out)])
    assert result.exit_code == 0, result.output

    workbook = openpyxl.load_workbook(out)
    assert "Pilots" not in workbook.sheetnames and "Acties" in workbook.sheetnames
    settings = {row[0]: row[1] for row in workbook["Instellingen"].iter_rows(values_only=True)}
    assert settings["Gemeente"] == "Leidschendam-Voorburg"
    assert settings["Editie"] == "Evaluatie uitvoeringsplannen najaar 2024"
    assert settings["Naam actieprogramma"] == "Sterk voor Noord"
    assert "Nummer bijlage pilots" not in settings

    rebuilt = CliRunner().invoke(cli, ["build", str(out), "--out", str(tmp_path / "opnieuw")])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert [p.name for p in (tmp_path / "opnieuw").glob("*.docx")] == [
        "Bijlagen Sterk voor Noord - Evaluatie uitvoeringsplannen najaar 2024.docx"
    ]


def test_the_programme_name_comes_from_the_annex_not_the_placeholder(tmp_path):
    """An annex of another programme: its name, not the setting's default."""
    import openpyxl

    source = tmp_path / "ander.xlsx"
    workbook = openpyxl.load_workbook(EXAMPLE)
    for row in workbook["Instellingen"].iter_rows():
        if row[0].value == "Naam actieprogramma":
            row[1].value = "Samen voor Zuid"
    del workbook["Pilots"]
    workbook.save(source)
    built = build_documents(read_register(source), tmp_path / "uit")
    out = tmp_path / "terug.xlsx"
    result = CliRunner().invoke(cli, ["import", *map(str, built.documents), "--out", str(out)])
    assert result.exit_code == 0, result.output
    back = read_register(out)
    assert back.settings["actieprogramma"] == "Samen voor Zuid"
    assert back.settings["gemeente"] == "Zoetermeer"


@pytest.mark.parametrize(
    ("names", "merged"),
    [
        (("hand:pilots", "hand:acties"), 1),
        (("hand:acties", "hand:pilots"), 1),
        (("built:0", "built:1"), 1),
        (("built:1", "built:0", "hand:acties"), 1),  # the actions twice: the third converted here
        (("hand:pilots", "built:0"), 0),  # the pilots twice: numbering goes on
    ],
)
def test_a_file_read_on_its_own_merges_as_if_read_after_the_others(round_trip, monkeypatch, names, merged):
    """The second file and later are read and converted in a helper while the one before
    is handled here; merging what it made must give exactly the sequential result."""
    from toolkit.editions import annex_import

    _, folder = round_trip
    built = sorted((folder / "uit").glob("*.docx"))
    hand = {"pilots": DATA / "handgemaakte_pilotbijlage.docx", "acties": DATA / "handgemaakte_acties.docx"}
    paths = [built[int(n[6:])] if n.startswith("built:") else hand[n[5:]] for n in names]
    merges = []
    real_merge = annex_import._merge
    monkeypatch.setattr(annex_import, "_merge", lambda part, into: merges.append(1) or real_merge(part, into))
    helped = annex_import.import_annexes(paths)
    assert len(merges) == merged
    monkeypatch.setattr(annex_import, "_merges_exactly", lambda part, into: False)
    sequential = annex_import.import_annexes(paths)
    assert helped.tables == sequential.tables
    assert list(helped.settings.items()) == list(sequential.settings.items())
    assert helped.report.text() == sequential.report.text()


def test_a_file_that_looked_at_a_setting_set_before_it_is_converted_again():
    from toolkit.editions.annex_import import Imported, _merges_exactly

    into, part = Imported(), Imported()
    into.settings["editie"] = "Voorjaarsnota 2025"
    part.tables["Acties"] = [{"id": "A-1"}]
    assert _merges_exactly(part, into)
    part.consulted.add("editie")  # its title would not have been read after the first file
    assert not _merges_exactly(part, into)
    part.consulted.clear()
    part.assigned.add("editie")  # it set editie outright: the first file's would be gone
    assert not _merges_exactly(part, into)
    part.assigned.clear()
    into.tables["Acties"] = [{"id": "A-1"}]  # the same sheet: numbering goes on
    assert not _merges_exactly(part, into)


def test_with_several_files_each_skipped_line_names_its_file(round_trip):
    _, folder = round_trip
    report = (folder / "terug_importverslag.txt").read_text(encoding="utf-8")
    contents = [line for line in report.splitlines() if "De inhoudsopgave: de toolkit maakt" in line]
    names = sorted(p.name for p in (folder / "uit").glob("*.docx"))
    assert sorted(line.split(".docx: ")[0].removeprefix("  - ") + ".docx" for line in contents) == names
