"""The web edition (toolkit build --html), read back as HTML: what a council member's
browser gets from OUT/web of the bundled example, the moties and the projecten example.

The pages in a real browser (axe-core, phone width) are in test_web_edition_browser.py.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from web_edition_builds import EXAMPLES, REGISTERS, build_web, editions, page, pages

from toolkit.cli import cli
from toolkit.core.richtext import plain_line
from toolkit.layouts.arrange import merge_continuations
from toolkit.layouts.html import record_anchor
from toolkit.register.read import read_register

ROOT = Path(__file__).resolve().parent.parent
RECORDS = "//article[contains(@class, 'kaart')] | //tr[@id]"


@pytest.fixture(scope="session")
def web_editions(tmp_path_factory):
    return editions(tmp_path_factory)


def _annex_pages(folder: Path) -> list[Path]:
    index = page(folder / "index.html")
    return [folder / href for href in index.xpath("//h2/a/@href")]


def test_index_links_every_annex_and_each_page_is_dutch_with_one_title(web_editions):
    expected = {
        "voorbeeld": ["pilots.html", "acties.html"],
        "moties": ["toezeggingen.html"],
        "projecten": ["projecten.html"],
        "twee-niveaus": ["toezeggingen.html"],
    }
    for name, folder in web_editions.items():
        assert [p.name for p in _annex_pages(folder)] == expected[name]
        for path in pages(folder):
            doc = page(path)
            assert doc.get("lang") == "nl", path.name
            assert len(doc.xpath("//h1")) == 1, path.name
            assert doc.xpath("//title")[0].text_content().strip(), path.name
            assert doc.xpath("//main[@id='hoofdinhoud']"), path.name
            assert doc.xpath("//a[@href='#hoofdinhoud']"), path.name  # skip link
            links = doc.xpath("//link[@rel='stylesheet']/@href")
            assert links == ["stijl.css"], path.name


def test_every_record_has_a_stable_anchor_from_its_key(web_editions):
    """A council member links to one pilot: pilots.html#P-001; the contents list leads to
    every card and group on the page."""
    for name, folder in web_editions.items():
        register = read_register(REGISTERS[name])
        for annex in register.types.types:
            if annex.sheet.name not in register.sheets:
                continue
            records, _ = merge_continuations(register.published(annex), annex.arrangement.continuation)
            doc = page(folder / f"{annex.key}.html")
            ids = set(doc.xpath("//@id"))
            keys = [record_anchor(plain_line(r.text(annex.sheet.key_column))) for r in records]
            assert keys and all(key in ids for key in keys), (name, annex.key)
            shown = doc.xpath(RECORDS)
            assert [e.get("id") for e in shown] == [e.get("id") for e in shown if e.get("id")]
            assert len(shown) == len(records)
            for href in doc.xpath("//nav[@id='inhoudsopgave']//a/@href"):
                assert href.startswith("#") and href[1:] in ids, (name, href)
    pilots = page(web_editions["voorbeeld"] / "pilots.html")
    assert pilots.xpath("//article[@id='P-001']//h2")[0].text_content() == "Stedenbouwkundige buurtvisie"


def test_headings_follow_the_document_and_never_skip_a_level(web_editions):
    for folder in web_editions.values():
        for path in pages(folder):
            levels = [int(h.tag[1]) for h in page(path).iter("h1", "h2", "h3", "h4", "h5", "h6")]
            assert levels[0] == 1, path.name
            for before, after in zip(levels, levels[1:], strict=False):
                assert after <= before + 1, (path.name, levels)
    moties = page(web_editions["moties"] / "toezeggingen.html")
    texts = [(h.tag, h.text_content()) for h in moties.xpath("//main//h2 | //main//h3")]
    at = texts.index(("h2", "Portefeuillehouder Burgemeester A. de Wit"))
    assert texts[at + 1] == ("h3", "Overzicht statussen")
    assert texts[at + 2] == ("h3", "Evaluatie cameratoezicht Centrum")  # the card, Heading 2
    pilot = page(web_editions["voorbeeld"] / "pilots.html").xpath("//article")[0]
    assert [(h.tag, h.text_content()) for h in pilot.iter("h2", "h3")][:3] == [
        ("h2", "Stedenbouwkundige buurtvisie"),
        ("h3", "Naam pilot"),
        ("h3", "Korte omschrijving"),
    ]


def test_cards_are_label_value_tables_and_rows_are_real_tables(web_editions):
    pilot = page(web_editions["voorbeeld"] / "pilots.html").xpath("//article[@id='P-001']")[0]
    headers = pilot.xpath(".//th[@scope='row']")
    assert [th.text_content() for th in headers][:3] == ["Naam pilot", "Programma", "Portefeuille"]
    assert not pilot.xpath(".//td[not(following-sibling::*) and not(preceding-sibling::th)]")
    acties = page(web_editions["voorbeeld"] / "acties.html")
    table = acties.xpath("//table[contains(@class, 'rijentabel')]")[0]
    assert [th.text_content() for th in table.xpath("./thead//th[@scope='col']")] == [
        "Activiteit",
        "Resultaat",
        "Status",
    ]
    assert table.xpath("./caption")[0].text_content().startswith("Doel:")
    status = table.xpath("./tbody/tr[1]/td[3]//span[contains(@class, 'status')]")[0]
    assert status.text_content() == "Afgerond" and "kleur-c6efce" in status.get("class")


def test_filters_work_without_javascript_by_following_links(web_editions):
    """Every filter is a link to a page of its own: each shows exactly the records of
    that status or group, with as many as the link said, and says how to see all."""
    checked = 0
    for folder in web_editions.values():
        for annex_page in _annex_pages(folder):
            doc = page(annex_page)
            total = len(doc.xpath(RECORDS))
            for group in doc.xpath("//nav[@id='filters']/div"):
                label = group.xpath("./h3")[0].text_content()
                for link in group.xpath(".//a"):
                    count = int(re.search(r"\((\d+)\)$", link.text_content()).group(1))
                    value = link.text_content().rsplit(" (", 1)[0]
                    target = folder / link.get("href")
                    assert target.is_file(), link.get("href")
                    filtered = page(target)
                    shown = filtered.xpath(RECORDS)
                    assert len(shown) == count, (target.name, label)
                    if link.get("href") == annex_page.name:
                        assert count == total
                        continue
                    checked += 1
                    current = filtered.xpath("//a[@aria-current='page']")
                    assert [a.text_content() for a in current] == [link.text_content()]
                    assert filtered.xpath(f"//div[@class='filtermelding']//a[@href='{annex_page.name}']")
                    if label == "Status":
                        for record in shown:
                            statuses = [
                                s.text_content() for s in record.xpath(".//*[contains(@class, 'status')]")
                            ]
                            assert value in statuses, (target.name, statuses)
                    else:
                        # a group of any level: its heading is on the page (h2 for the
                        # first level, h3 for the second …)
                        group_headings = filtered.xpath(
                            "//div[@class='indeling__inhoud']/*[self::h2 or self::h3 or self::h4]"
                        )
                        assert any(value in h.text_content() for h in group_headings), target.name
                    assert not filtered.xpath("//svg"), "overviews count every record"
    assert checked >= 20
    acties = page(web_editions["voorbeeld"] / "acties.html")
    levels = [h.text_content() for h in acties.xpath("//nav[@id='filters']/div/h3")]
    assert levels == ["Status", "Opgave (uitvoeringsplan)", "Doel"]  # every level of the grouping
    index = page(web_editions["moties"] / "index.html")
    assert "toezeggingen-status-vertraagd.html" in index.xpath("//ul//a/@href")


def test_nothing_is_loaded_from_elsewhere(web_editions):
    for folder in web_editions.values():
        for path in sorted(folder.iterdir()):
            if path.suffix in (".html", ".css"):
                text = path.read_text(encoding="utf-8")
                for needle in ("http://", "https://", "//", "@import", "url("):
                    assert needle not in text, (path.name, needle)
            if path.suffix == ".html":
                doc = page(path)
                for attribute in doc.xpath("//@href | //@src | //@srcset | //@action"):
                    assert not re.match(r"^[a-z][a-z0-9+.-]*:", attribute), (path.name, attribute)
                assert not doc.xpath("//script | //iframe | //object | //embed | //style | //@style")


def test_status_overview_is_an_svg_chart_with_a_text_alternative_and_a_table(web_editions):
    doc = page(web_editions["moties"] / "toezeggingen.html")
    charts = doc.xpath("//svg")
    assert len(charts) == 4  # the total and one per portefeuillehouder
    for svg in charts:
        assert svg.get("role") == "img"
        label = svg.get("aria-label")
        assert label and svg.xpath("./title")[0].text_content() == label
        table = svg.getparent().xpath("./table")[0]
        rows = table.xpath("./tbody/tr")
        counts = [int(r.xpath("./td")[0].text_content()) for r in rows]
        total = int(table.xpath("./tfoot/tr/td")[0].text_content())
        assert sum(counts) == total
        for row in rows:  # the status is text, its colour only beside it
            status = row.xpath("./th")[0].text_content()
            count = row.xpath("./td")[0].text_content()
            assert f"{status}: {count} van {total} toezeggingen" in label
    total = charts[0].get("aria-label")
    assert "Nieuw: 3 van 10 toezeggingen, 30 procent" in total


def test_rich_text_is_rendered_from_the_cell_never_as_its_html(tmp_path):
    work = tmp_path / "projecten"
    shutil.copytree(ROOT / "examples" / "projecten", work)
    path = work / "projecten_sociale_innovatie.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Projecten"]
    column = [c.value for c in sheet[1]].index("Wat gaan we doen?") + 1
    sheet.cell(2, column).value = (
        "<p>Eerst <b>vet</b> en <i>schuin</i>.</p>"
        "<ul><li>een</li><li>twee &amp; drie</li></ul>"
        "<script>alert('x')</script><img src=x onerror=alert(1)>"
    )
    book.save(path)
    folder = build_web(path, tmp_path / "uit")
    text = (folder / "projecten.html").read_text(encoding="utf-8")
    assert "<script" not in text and "<img" not in text and "onerror" not in text
    doc = page(folder / "projecten.html")
    cell = doc.xpath("//article[1]//tr[th='Wat gaan we doen?']/td")[0]
    assert cell.xpath(".//strong")[0].text_content() == "vet"
    assert cell.xpath(".//em")[0].text_content() == "schuin"
    assert [li.text_content() for li in cell.xpath(".//ul/li")] == ["een", "twee & drie"]
    assert "alert('x')" in cell.text_content()  # the text is kept, escaped, never run


def test_same_input_same_bytes_and_the_house_style_of_the_template(tmp_path, web_editions):
    again = build_web(EXAMPLES["projecten"], tmp_path / "nog een keer")
    first = web_editions["projecten"]
    assert sorted(p.name for p in first.iterdir()) == sorted(p.name for p in again.iterdir())
    for path in first.iterdir():
        assert path.read_bytes() == (again / path.name).read_bytes(), path.name
    css = (first / "stijl.css").read_text(encoding="utf-8")
    assert "--toolkit-primary-color: #005a4e;" in css  # Heading 1 of projecten.docx
    assert '"Arial", "Liberation Sans"' in css  # Normal of projecten.docx
    assert "@media print" in css
    bundled = (web_editions["voorbeeld"] / "stijl.css").read_text(encoding="utf-8")
    assert "#1f4e79" in bundled and '"Calibri", "Carlito"' in bundled


def test_a_logo_beside_the_templates_is_the_pages_logo(tmp_path):
    templates = tmp_path / "huisstijl"
    shutil.copytree(ROOT / "examples" / "projecten" / "sjablonen", templates)
    logo = b"\x89PNG\r\n\x1a\n" + bytes(64)
    (templates / "logo.png").write_bytes(logo)
    folder = build_web(EXAMPLES["projecten"], tmp_path / "uit", "--sjablonen", str(templates))
    assert (folder / "logo.png").read_bytes() == logo
    for path in pages(folder):
        assert page(path).xpath("//header//img/@src") == ["logo.png"]


def test_a_rebuild_removes_its_own_old_pages_and_nothing_else(tmp_path):
    out = tmp_path / "uit"
    folder = build_web(EXAMPLES["moties"], out)
    old = folder / "toezeggingen-status-vervallen.html"
    old.write_text("oud", encoding="utf-8")
    mine = folder / "eigen-pagina.html"
    mine.write_text("van de webredactie", encoding="utf-8")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "index.html" in manifest["webeditie"]
    manifest["webeditie"][old.name] = hashlib.sha256(b"oud").hexdigest()
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    build_web(EXAMPLES["moties"], out)
    assert not old.exists() and mine.read_text(encoding="utf-8") == "van de webredactie"


def test_build_help_names_the_web_edition():
    result = CliRunner().invoke(cli, ["build", "--help"])
    assert "--html" in result.output and "webeditie" in result.output


def test_serve_makes_the_web_edition_when_asked():
    """toolkit serve, page Bijlagen: the checkbox gives a zip with the pages to unpack."""
    import base64
    import io
    import zipfile

    from starlette.testclient import TestClient

    from toolkit.web.app import Settings, create_app

    with TestClient(create_app(Settings(warm=False))) as client:
        form = client.get("/bijlagen").text
        assert 'name="html"' in form and "Ook de webeditie maken" in form
        with open(EXAMPLES["voorbeeld"], "rb") as handle:
            answer = client.post(
                "/bijlagen", files={"register": ("register.xlsx", handle.read())}, data={"html": "ja"}
            )
    assert answer.status_code == 200
    links = {a.get("download"): a.get("href") for a in page_from_text(answer.text).xpath("//a[@download]")}
    data = base64.b64decode(links["webeditie_register.zip"].split(",", 1)[1])
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert {
        "webeditie/index.html",
        "webeditie/pilots.html",
        "webeditie/acties.html",
        "webeditie/stijl.css",
    } <= set(names)


def page_from_text(text: str):  # type: ignore[no-untyped-def]
    from lxml import html as lxml_html

    return lxml_html.fromstring(text)


def test_cards_read_as_in_the_word_annex(web_editions):
    """Same declaration, same sample: the labels and values of a card come in the order
    of the Word annex, and a field left out as empty there (leeg_weglaten) is left out
    on the page too."""
    import docx

    for name in ("projecten", "moties"):
        out = web_editions[name].parent
        (document,) = out.glob("*.docx")
        word_tables = [
            [tuple(c.text.strip() for c in row.cells) for row in table.rows]
            for table in docx.Document(document).tables
        ]
        cards = page(web_editions[name] / _annex_pages(web_editions[name])[0].name).xpath("//article")
        web_tables = [
            [
                (tr.xpath("./th")[0].text_content().strip(), tr.xpath("./td")[0].text_content().strip())
                for tr in card.xpath(".//table//tr")
            ]
            for card in cards
        ]
        card_tables = [t for t in word_tables if len(t[0]) == 2 and t[0][0] == web_tables[0][0][0]]
        assert len(card_tables) == len(web_tables)
        for pieces, web in zip(card_tables, web_tables, strict=True):
            word: list[tuple[str, str]] = []  # Word splits a long row: '… (vervolg)'
            for label, value in pieces:
                if word and label == f"{word[-1][0]} (vervolg)":
                    word[-1] = (word[-1][0], f"{word[-1][1]} {value}")
                else:
                    word.append((label, value))
            assert [label for label, _ in word] == [label for label, _ in web]
            assert [" ".join(v.split()) for _, v in word] == [" ".join(v.split()) for _, v in web]
    moties = page(web_editions["moties"] / "toezeggingen.html")
    with_afgedaan = moties.xpath("//article[.//th='Afgedaan met']")
    assert 0 < len(with_afgedaan) < len(moties.xpath("//article"))


def test_overview_and_cross_tab_stand_where_the_template_puts_them(web_editions):
    """The own type's template places {{ statusoverzicht }} after its introduction and
    {{ kruistabel }} after the cards, each under a heading of its own: the Word annex
    and the web page have them in that order, and a filtered page has neither."""
    import docx

    folder = web_editions["twee-niveaus"]
    doc = page(folder / "toezeggingen.html")
    content = doc.xpath("//div[@class='indeling__inhoud']")[0]
    order = [
        (e.tag, e.get("class") or "", e.text_content().strip()[:40])
        for e in content.iter("h2", "h3", "table", "article")
    ]
    kinds = [
        "inleiding"
        if t == "Inleiding"
        else "stand"
        if t == "Stand van zaken"
        else "kruis-kop"
        if t == "Per thema en vergadering"
        else "totaal"
        if "blok-tabel-statusoverzicht" in c and t.startswith("Overzicht statussen.")
        else "kruistabel"
        if "blok-tabel-kruistabel" in c
        else "kaart"
        if tag == "article"
        else ""
        for tag, c, t in order
    ]
    kinds = [k for k in kinds if k]
    first_card, last_card = kinds.index("kaart"), len(kinds) - 1 - kinds[::-1].index("kaart")
    assert kinds[:3] == ["inleiding", "stand", "totaal"] and first_card > 2
    assert kinds[last_card + 1 :] == ["kruis-kop", "kruistabel"]
    contents = [a.text_content() for a in doc.xpath("//nav[@id='inhoudsopgave']//a")]
    assert contents[:2] == ["Inleiding", "Stand van zaken"] and contents[-1] == "Per thema en vergadering"
    # the Word annex has the same order
    (document,) = folder.parent.glob("*.docx")
    headings = [p.text for p in docx.Document(document).paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == ["Inleiding", "Stand van zaken", "Portefeuillehouder Burgemeester A. de Wit"]
    assert headings[-1] == "Per thema en vergadering"
    filtered = page(folder / "toezeggingen-thema-groen.html")
    assert not filtered.xpath("//table[contains(@class, 'blok-tabel')] | //svg")
    assert "Stand van zaken" not in [h.text_content() for h in filtered.xpath("//h2")]


def test_filters_cover_every_level_of_the_grouping(web_editions):
    doc = page(web_editions["twee-niveaus"] / "toezeggingen.html")
    groups = {
        g.xpath("./h3")[0].text_content(): [a.text_content() for a in g.xpath(".//a")]
        for g in doc.xpath("//nav[@id='filters']/div")
    }
    assert list(groups) == ["Status", "Portefeuillehouder", "Thema"]
    # Groen stands under two portefeuillehouders: one filter with all its records
    groen = next(link for link in groups["Thema"] if link.startswith("Groen"))
    filtered = page(web_editions["twee-niveaus"] / "toezeggingen-thema-groen.html")
    shown = filtered.xpath("//article")
    assert groen == f"Groen ({len(shown)})" and len(shown) >= 2
    assert {h.text_content() for h in filtered.xpath("//div[@class='indeling__inhoud']/h3")} == {
        "Thema Groen"
    }
    assert len(filtered.xpath("//div[@class='indeling__inhoud']/h2")) == 2  # its portefeuillehouders


def test_each_annex_page_has_the_title_of_its_word_annex(web_editions):
    """The web edition's title is the Title paragraph of the template, as Word shows it
    (the action annex's web title was its declaration's "… : statusbijlagen")."""
    from docx import Document

    for name, folder in web_editions.items():
        shown = {page(p).xpath("//h1")[0].text_content().strip() for p in _annex_pages(folder)}
        word = {Document(str(d)).core_properties.title for d in folder.parent.glob("*.docx")}
        assert shown == word, name
