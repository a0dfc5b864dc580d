"""The web application's routes (Starlette's TestClient) and the owner view of the reports."""

from __future__ import annotations

import base64
import html
import io
import json
import logging
import re
import socket
import zipfile
from html.parser import HTMLParser

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, GAPS, ROOT, needs_libreoffice
from hypothesis import given
from hypothesis import strategies as st
from owners import OWNERS, TREKKER, register_with_owners, zip_bomb
from starlette.testclient import TestClient

from toolkit.cli import cli
from toolkit.core.scratch import LOCK
from toolkit.report.html import render_html
from toolkit.report.owners import NO_OWNER, owner_file_name, owner_groups
from toolkit.validation.validate import validate_file
from toolkit.web.app import Settings, create_app, safe_upload_name, state_of


@pytest.fixture(scope="module")
def owners_register(tmp_path_factory):
    return register_with_owners(tmp_path_factory.mktemp("eigenaren") / "register_eigenaren.xlsx")


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Settings(max_upload=1024 * 1024, warm=False))) as c:
        yield c


@pytest.fixture
def temp_root(client):
    """The server's own temporary folder, where every request works; after a request it
    holds only its lock file again."""
    folder = state_of(client.app).settings.scratch
    assert folder is not None and folder.is_dir()
    return folder


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != LOCK)


def downloads(page: Page) -> dict[str, bytes]:
    """The files a page offers (data: links), by name."""
    return {
        a["download"]: base64.b64decode(a["href"].split(",", 1)[1])
        for a in page.having("a")
        if "download" in a
    }


def upload(client, path, url="/controleren", field="register", name=None, data=None):
    with open(path, "rb") as handle:
        return client.post(url, files={field: (name or path.name, handle.read())}, data=data or {})


class Page(HTMLParser):
    """Text, elements and attributes of a page, as a reader and a screen reader get them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.chunks: list[str] = []
        self._skip = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script")

    def handle_data(self, data):
        if not self._skip:
            self.chunks.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.chunks).split())

    def having(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [
            a
            for t, a in self.tags
            if t == tag
            and all(
                v in a.get(k.rstrip("_"), "").split() if k == "class_" else a.get(k) == v
                for k, v in attrs.items()
            )
        ]


def assert_clean_form_page(response, message: str, status: int) -> Page:
    assert response.status_code == status
    page = Page(response.text)
    assert message in page.text
    assert page.having("div", role="alert")
    assert page.having("form"), "the form is there again, to try once more"
    assert "Traceback" not in response.text and "Error" not in page.text
    return page


def test_every_page_is_dutch_and_labels_every_field(client):
    for url, heading in (
        ("/", "Register controleren"),
        ("/bijlagen", "Bijlagen maken"),
        ("/vergelijken", "Edities vergelijken"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        page = Page(response.text)
        assert page.having("html", lang="nl")
        assert f"{heading}" in page.text
        assert page.having("a", href=url, **{"aria-current": "page"})
        assert page.having("a", href="#inhoud"), "skip link"
        labels = {a["for"] for a in page.having("label")}
        fields = [a for t, a in page.tags if t in ("input", "select", "textarea")]
        assert fields and all(f["id"] in labels for f in fields)
        assert page.having("form", method="post", enctype="multipart/form-data")
    assert client.get("/static/toolkit.css").status_code == 200
    assert client.get("/stijl/rapport.css").headers["content-type"].startswith("text/css")


def test_answers_carry_privacy_and_security_headers(client):
    headers = client.get("/").headers
    assert "default-src 'none'" in headers["content-security-policy"]
    assert "script-src" not in headers["content-security-policy"], "no scripts at all"
    assert headers["cache-control"] == "no-store"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    missing = client.get("/bestaat-niet")
    assert missing.status_code == 404 and "Pagina niet gevonden" in missing.text
    status = client.get("/status").json()
    assert status["status"] == "ok" and isinstance(status["libreoffice"], bool)
    assert set(status["werkers"]) == {"controleren", "bouwen"}


def test_check_shows_findings_per_owner_with_downloads(client, owners_register, temp_root):
    response = upload(client, owners_register)
    assert response.status_code == 200
    page = Page(response.text)
    result = validate_file(owners_register)
    findings = page.having("div", class_="bevinding")
    assert len(findings) == len(result.findings) == 16
    assert "8 fouten" in page.text and "8 waarschuwingen" in page.text
    assert "Pilots!C11" in page.text, "each finding names its cell"
    # table of contents per owner, with anchors to each owner's section
    sections = {a["id"] for a in page.having("section", class_="eigenaar")}
    links = [a["href"] for a in page.having("a") if a.get("href", "").startswith("#eigenaar-")]
    assert sorted(h[1:] for h in links) == sorted(sections) and len(sections) == 5
    for name in (*OWNERS, TREKKER, NO_OWNER):
        assert name in page.text
    # filters for owner, severity and sheet, labelled
    assert [a["id"] for a in page.having("select")] == ["filter-eigenaar", "filter-ernst", "filter-tabblad"]
    assert {a["value"] for a in page.having("option")} >= {"fout", "waarschuwing", "Pilots", "Acties"}
    # downloads travel inside the page: nothing stays on the server
    links = {a["download"]: a["href"] for a in page.having("a") if "download" in a}
    excel = links["register_eigenaren_validatie.xlsx"]
    wb = openpyxl.load_workbook(io.BytesIO(base64.b64decode(excel.split(",", 1)[1])))
    assert wb.sheetnames[0] == "Bevindingen"
    data = json.loads(base64.b64decode(links["register_eigenaren_validatie.json"].split(",", 1)[1]))
    assert len(data["bevindingen"]) == 16
    assert leftovers(temp_root) == [], "the request's folder is removed"


def test_checking_the_example_register(client):
    page = Page(upload(client, EXAMPLE).text)
    assert "0 fouten" in page.text and "2 waarschuwingen" in page.text
    assert "Flexwonen Ruimtebaan" in page.text


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("register.xlsx", b"ID;Naam\nP-1;Iets\n", "geen Excel-werkmap maar tekst"),
        ("register.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "oud Excel-bestand (.xls)"),
        ("leeg.xlsx", b"", "'leeg.xlsx' is leeg (0 bytes)"),
        ("", b"", "Kies eerst een register"),
        ("~$register.xlsx", b"PK\x03\x04", "tijdelijk vergrendelingsbestand"),
        ("../../etc/passwd.xlsx", b"PK\x03\x04rest", "'passwd.xlsx' is beschadigd"),
    ],
)
def test_bad_uploads_get_one_dutch_message(client, temp_root, name, content, message):
    response = client.post("/controleren", files={"register": (name, content)})
    assert_clean_form_page(response, message, 400)
    assert leftovers(temp_root) == []


def test_zip_bomb_is_refused_unopened(client, tmp_path, temp_root):
    response = upload(client, zip_bomb(tmp_path / "bom.xlsx"))
    assert_clean_form_page(response, "onredelijk groot", 400)
    assert leftovers(temp_root) == []


def test_too_large_upload_is_refused_in_dutch(client, tmp_path, temp_root):
    big = tmp_path / "groot.xlsx"
    big.write_bytes(b"PK" + b"x" * (3 * 1024 * 1024))
    assert_clean_form_page(upload(client, big), "te groot", 413)
    # a declared length far beyond the limit is refused before anything is read
    response = client.post(
        "/controleren",
        content=b"x" * 10,
        headers={"content-length": str(10**9), "content-type": "multipart/form-data; boundary=x"},
    )
    assert response.status_code == 413
    assert leftovers(temp_root) == []


def test_bad_peildatum_is_a_message(client):
    response = upload(client, EXAMPLE, data={"peildatum": "morgen"})
    assert_clean_form_page(response, "'morgen' is geen dag", 400)
    ok = Page(upload(client, EXAMPLE, data={"peildatum": "1-10-2030"}).text)
    assert "Peildatum 01-10-2030" in ok.text


def test_unexpected_error_logs_no_content_and_leaves_nothing(
    client, owners_register, temp_root, monkeypatch, caplog
):
    def broken(register, peildatum=None):
        raise ValueError("geheime celinhoud van Anna")

    monkeypatch.setattr("toolkit.validation.validate.validate_register", broken)
    with caplog.at_level(logging.INFO, logger="toolkit.web"):
        response = upload(client, owners_register)
        client.get("/?zoek=geheime+zoekterm")
    assert_clean_form_page(response, "Er is niets van uw bestand bewaard", 500)
    logged = caplog.text
    assert "ValueError" in logged and "POST /controleren 500" in logged
    assert "geheim" not in logged and "Anna" not in logged and "register_eigenaren" not in logged
    assert leftovers(temp_root) == []


def test_work_is_bounded_to_the_worker_pool(monkeypatch):
    import threading
    import time

    from toolkit.validation import validate

    running, most = 0, 0
    lock = threading.Lock()
    real = validate.validate_register

    def counted(path, peildatum=None):
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.2)
        with lock:
            running -= 1
        return real(path, peildatum)

    monkeypatch.setattr(validate, "validate_register", counted)
    with TestClient(create_app(Settings(workers=2, warm=False))) as pooled:
        answers = []
        threads = [threading.Thread(target=lambda: answers.append(upload(pooled, EXAMPLE))) for _ in range(5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert [a.status_code for a in answers] == [200] * 5
    assert most == 2


def test_build_shows_its_warnings_and_offers_every_file(client, temp_root):
    response = upload(client, EXAMPLE, url="/bijlagen")
    assert response.status_code == 200
    page = Page(response.text)
    assert "Bijlagen van voorbeeld_register.xlsx" in page.text
    assert "2 waarschuwingen" in page.text, "the warnings are on the page, not only in the zip"
    assert len(page.having("div", class_="bevinding")) == 2
    files = downloads(page)
    assert {"voorbeeld_register_validatie.html", "voorbeeld_register_validatie.json", "manifest.json"} <= set(
        files
    )
    assert len([n for n in files if n.endswith(".docx")]) == 2
    archive = zipfile.ZipFile(io.BytesIO(files["bijlagen_voorbeeld_register.zip"]))
    names = archive.namelist()
    documents = [n for n in names if n.endswith(".docx")]
    assert len(documents) == 2 and "manifest.json" in names
    assert "validatie/voorbeeld_register_validatie.html" in names
    pilots = next(n for n in documents if "Monitoring" in n)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(archive.read(pilots))).paragraphs)
    assert "Dealbreakers" in text
    manifest = json.loads(archive.read("manifest.json"))
    assert set(manifest["bestanden"]) == {n for n in documents}
    assert leftovers(temp_root) == []


@needs_libreoffice
def test_build_with_pdf_when_libreoffice_is_there(client, temp_root):
    page = Page(client.get("/bijlagen").text)
    assert not page.having("input", id="pdf")[0].get("disabled")
    response = upload(client, EXAMPLE, url="/bijlagen", data={"pdf": "ja"})
    files = downloads(Page(response.text))
    assert len([n for n in files if n.endswith(".pdf")]) == 2
    names = zipfile.ZipFile(io.BytesIO(files["bijlagen_voorbeeld_register.zip"])).namelist()
    assert len([n for n in names if n.endswith(".pdf")]) == 2
    assert leftovers(temp_root) == [], "no copy of an annex, no LibreOffice profile"


@needs_libreoffice
def test_the_annexes_from_the_web_app_have_page_numbers_in_their_contents(client, temp_root, monkeypatch):
    """As from the command line: LibreOffice puts the page numbers in the contents."""
    import re

    monkeypatch.delenv("TOOLKIT_PAGINANUMMERS", raising=False)
    response = upload(client, EXAMPLE, url="/bijlagen")
    files = downloads(Page(response.text))
    documents = [data for name, data in files.items() if name.endswith(".docx")]
    assert len(documents) == 2
    for data in documents:
        xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
        assert re.search(r"PAGEREF _Toc\S+ [^<]*</w:instrText>.*?<w:t>\d+</w:t>", xml)
    assert leftovers(temp_root) == []


def test_pdf_option_is_explained_without_libreoffice(monkeypatch):
    from toolkit.web import pages

    monkeypatch.setattr(pages, "pdf_available", lambda: False)
    with TestClient(create_app(Settings(warm=False))) as plain:
        page = Page(plain.get("/bijlagen").text)
    assert "disabled" in page.having("input", id="pdf")[0]
    assert "LibreOffice is niet geïnstalleerd" in page.text


def test_build_with_errors_stops_and_shows_the_findings(client, temp_root):
    response = upload(client, GAPS, url="/bijlagen")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    page = Page(response.text)
    assert "De bijlagen zijn niet gemaakt" in page.text and "8 fouten" in page.text
    assert len(page.having("div", class_="bevinding")) == 16
    files = downloads(page)  # every report, the annotated Excel copy too
    assert set(files) == {f"register_met_gaten_validatie.{ext}" for ext in ("xlsx", "html", "json")}
    copy = openpyxl.load_workbook(io.BytesIO(files["register_met_gaten_validatie.xlsx"]))
    assert copy.sheetnames[0] == "Bevindingen"
    assert leftovers(temp_root) == []


def test_build_with_the_previous_edition_marks_changes(client, owners_register):
    with open(EXAMPLE, "rb") as new, open(EXAMPLE, "rb") as old:
        response = client.post(
            "/bijlagen", files={"register": ("nieuw.xlsx", new.read()), "vorige": ("oud.xlsx", old.read())}
        )
    assert response.status_code == 200 and "bijlagen_nieuw.zip" in downloads(Page(response.text))


def test_compare_two_editions(client, temp_root):
    with open(GAPS, "rb") as old, open(EXAMPLE, "rb") as new:
        response = client.post(
            "/vergelijken", files={"oud": ("voorjaar.xlsx", old.read()), "nieuw": ("najaar.xlsx", new.read())}
        )
    assert response.status_code == 200
    page = Page(response.text)
    assert "Verschillen tussen voorjaar.xlsx en najaar.xlsx" in page.text
    assert page.having("div", class_="wijziging")
    downloads = [a["download"] for a in page.having("a") if "download" in a]
    assert downloads == [f"verschillen_voorjaar_najaar.{ext}" for ext in ("xlsx", "html", "json")]
    missing = client.post("/vergelijken", files={"oud": ("voorjaar.xlsx", EXAMPLE.read_bytes())})
    assert_clean_form_page(missing, "Kies eerst het register van de nieuwe editie", 400)
    assert leftovers(temp_root) == []


def test_upload_names_lose_their_folders():
    assert safe_upload_name("C:\\Users\\anna\\register.xlsx") == "register.xlsx"
    assert safe_upload_name("../../x/../reg<>.xlsx") == "reg.xlsx"
    assert safe_upload_name("") == "register.xlsx"
    assert safe_upload_name("...") == "register.xlsx"


# -- the owner view in the report and on the command line -------------------------------------


def test_html_report_groups_per_owner_without_javascript(owners_register):
    result = validate_file(owners_register)
    html = render_html(result)
    page = Page(html)
    assert not page.having("script")
    groups = owner_groups(result)
    assert [g.name for g in groups] == [*OWNERS, TREKKER, NO_OWNER]
    assert sum(len(g.findings) for g in groups) == len(result.findings)
    for group in groups:
        assert page.having("a", href=f"#{group.anchor}")
        assert page.having("section", id=group.anchor)
    # the CSS filter hides every other owner's section when one is chosen
    assert f'option[value="{groups[1].anchor}"]:checked) .eigenaar:not(#{groups[1].anchor})' in html


def test_validate_per_owner_writes_one_report_each(tmp_path, owners_register):
    out = tmp_path / "rapport"
    stale = out / "per-eigenaar" / "oud-rapport.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("oud")
    run = CliRunner().invoke(
        cli, ["validate", str(owners_register), "--report-dir", str(out), "--per-eigenaar"], obj={}
    )
    assert run.exit_code == 1, run.output
    assert "Per eigenaar of trekker: 5 rapporten" in run.output
    files = sorted(p.name for p in (out / "per-eigenaar").iterdir())
    assert files == [
        "anna-de-vries.html",
        "bram-jansen.html",
        "chantal-ozturk.html",
        "geen-eigenaar-of-trekker-ingevuld.html",
        "team-jeugd.html",
    ]
    bram = Page((out / "per-eigenaar" / "bram-jansen.html").read_text(encoding="utf-8"))
    assert "Bevindingen voor Bram Jansen" in bram.text
    assert "Anna de Vries" not in bram.text and "Team Jeugd" not in bram.text
    expected = next(g for g in owner_groups(validate_file(owners_register)) if g.name == "Bram Jansen")
    assert len(bram.having("div", class_="bevinding")) == len(expected.findings)


@given(st.lists(st.text(min_size=0, max_size=80), min_size=1, max_size=8))
def test_owner_file_names_are_safe_and_unique(names):
    taken: set[str] = set()
    made = [owner_file_name(n, taken) for n in names]
    assert len(set(made)) == len(made)
    for name in made:
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]{0,70}\.html", name), name
        assert name.split(".")[0] not in ("con", "prn", "aux", "nul")


def test_serve_help_and_a_taken_port(tmp_path):
    runner = CliRunner()
    assert "--port" in runner.invoke(cli, ["serve", "--help"], obj={}).output
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = runner.invoke(cli, ["serve", "--port", str(port)], obj={})
    assert run.exit_code == 2
    assert f"Poort {port} op 127.0.0.1 is niet beschikbaar" in run.output


def test_container_runs_the_readmes_own_commands():
    # the server and container commands are documented on the web app's page, linked from the README
    readme = (ROOT / "docs" / "webapplicatie.md").read_text(encoding="utf-8")
    assert "docs/webapplicatie.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "pip install uv" in readme and "RUN pip install --no-cache-dir uv" in dockerfile
    assert "uv run toolkit serve --host 0.0.0.0 --port 8000" in readme
    assert 'CMD ["toolkit", "serve", "--host", "0.0.0.0", "--port", "8000"]' in dockerfile
    assert "/status" in dockerfile and "/status" in readme
    # a non-root user, and a read-only file system except the temporary folder
    assert "USER toolkit" in dockerfile and "useradd" in dockerfile
    assert "--read-only --tmpfs /tmp" in dockerfile and "--read-only --tmpfs /tmp" in readme
    assert "TMPDIR=/tmp" in dockerfile


def test_build_uses_the_bundled_templates_whatever_the_setting_says(client, temp_root, tmp_path):
    """The upload is the register alone; a template folder beside it on the officer's
    machine is not on the server, so the setting cannot apply (README, Word-sjablonen)."""
    from conftest import MUNICIPALITY
    from test_validate import GOOD, GOOD_ACTION

    from toolkit.register.write import write_register

    path = write_register(
        tmp_path / "eigen.xlsx",
        {"Pilots": [GOOD], "Acties": [GOOD_ACTION]},
        {**MUNICIPALITY, "peildatum": "1-4-2024", "inleiding": "Tekst.", "sjablonen": "huisstijl"},
    )
    response = upload(client, path, url="/bijlagen")
    assert response.status_code == 200, response.text
    page = Page(response.text)
    manifest = json.loads(downloads(page)["manifest.json"])
    assert manifest["sjablonen"]["bijlage.docx"]["bron"] == "meegeleverd"
    # never a silent switch: the page says which templates were used instead
    assert (
        "Dit register noemt bij 'Map met Word-sjablonen' de map 'huisstijl'. Die map staat "
        "niet op deze server; de webapplicatie gebruikt de meegeleverde Word-sjablonen."
    ) in page.text


def test_an_uploaded_register_never_makes_the_server_read_the_folder_it_names(client, tmp_path):
    """A register's 'Map met Word-sjablonen' is a path on the officer's computer; on the
    server it could name any folder. Its declarations must not be read."""
    import shutil

    folder = tmp_path / "elders"
    shutil.copytree(ROOT / "examples" / "projecten" / "sjablonen", folder)
    register = tmp_path / "projecten.xlsx"
    shutil.copy(ROOT / "examples" / "projecten" / "projecten_sociale_innovatie.xlsx", register)
    import openpyxl

    wb = openpyxl.load_workbook(register)
    ws = wb["Instellingen"]
    row = next(r for r in ws.iter_rows() if r[0].value == "Map met Word-sjablonen")
    row[1].value = str(folder.resolve())  # an absolute path on "the server"
    wb.save(register)
    response = upload(client, register, url="/controleren")
    text = html.unescape(response.text)
    assert response.status_code == 400, text[:300]
    page = Page(response.text)
    # the Projecten type was not loaded; the message says what the administrator must add
    assert "heeft geen tabblad dat deze webapplicatie kent (wel: 'Projecten'" in page.text
    assert "moet de beheerder van de webapplicatie de verklaring van dat bijlagetype" in page.text
    assert "toolkit init" not in text


def test_serve_with_a_template_folder_builds_the_organisations_own_annex_type(tmp_path):
    """toolkit serve --sjablonen MAP: the server's own folder (with projecten.toml) serves
    every upload, so the web application builds the Projectenrapportage too."""
    sjablonen = ROOT / "examples" / "projecten" / "sjablonen"
    register = ROOT / "examples" / "projecten" / "projecten_sociale_innovatie.xlsx"
    with TestClient(create_app(Settings(warm=False, templates=sjablonen))) as own:
        response = upload(own, register, url="/bijlagen")
    assert response.status_code == 200, response.text[:500]
    page = Page(response.text)
    assert any(n.startswith("Projectenrapportage Sociale innovatie") for n in downloads(page))
    assert "Sjablonen: die van de organisatie (map 'sjablonen')" in page.text
    assert "projectenrapportage (tabblad Projecten, eigen)" in page.text


def test_the_log_is_plain_text_in_a_terminal_and_json_elsewhere():
    from toolkit.web.logs import default_format

    class Terminal:
        def isatty(self) -> bool:
            return True

    class Pipe:
        def isatty(self) -> bool:
            return False

    assert default_format(Terminal()) == "tekst"
    assert default_format(Pipe()) == "json"
    assert default_format(object()) == "json"


def test_the_template_reference_is_a_page_of_its_own(client):
    """A coordinator at the web application has no docs/ folder: Sjablonen links to the
    template reference (the text `toolkit tags` shows, from the code) as a page, without
    the command-line part and without links to documentation files that are not there."""
    from lxml import html as lxml_html

    templates = lxml_html.fromstring(client.get("/sjablonen").text)
    assert templates.xpath("//a[@href='/sjablonen/tags']")
    assert "docs/" not in templates.text_content()
    answer = client.get("/sjablonen/tags")
    assert answer.status_code == 200
    page = lxml_html.fromstring(answer.text)
    assert page.xpath("//h1")[0].text_content() == "Tags en stijlen van een sjabloon"
    tags = [c.text_content() for c in page.xpath("//div[@class='naslag']//table[1]//td[1]")]
    assert "{{ gemeente }}" in tags and "{{ statusoverzicht }}" in tags and "{{ kruistabel }}" in tags
    headings = [h.text_content() for h in page.xpath("//div[@class='naslag']/h2")]
    assert headings[0] == "Tags" and "Stijlen" in headings and "Eigen sjablonen" not in headings
    assert ".md" not in page.text_content() and "<code>" not in page.text_content()
    assert page.xpath("//nav//a[@aria-current='page']")[0].get("href") == "/sjablonen"
