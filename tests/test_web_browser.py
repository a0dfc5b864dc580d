"""The web application in a real browser: Debian's headless Chromium, driven by Playwright.

One server (uvicorn in a thread, on a free localhost port) and one browser serve the
whole module. The browser runs with JavaScript switched off: everything an officer or
coordinator does must work with plain HTML forms and CSS.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import socket
import threading
import time
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from conftest import EXAMPLE, GAPS, ROOT
from owners import OWNERS, register_with_owners, zip_bomb

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium ontbreekt"),
]
MAX_UPLOAD = 2 * 1024 * 1024  # the server under test takes 2 MB, so "too large" stays quick
PROJECTEN = ROOT / "examples" / "projecten"
ANNEXES = [
    ROOT / "tests" / "data" / "handgemaakte_pilotbijlage.docx",
    ROOT / "tests" / "data" / "handgemaakte_acties.docx",
]


@pytest.fixture(scope="module")
def organisation(tmp_path_factory) -> Path:
    """The organisation's folder the server is started with: its templates and its own
    annex type, Projecten (toolkit serve --sjablonen huisstijl)."""
    folder = tmp_path_factory.mktemp("organisatie") / "huisstijl"
    shutil.copytree(PROJECTEN / "sjablonen", folder)
    for name in ("bijlage.docx", "acties.docx"):
        shutil.copy(ROOT / "templates" / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def server(organisation):
    import uvicorn

    from toolkit.web.app import Settings, create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(Settings(max_upload=MAX_UPLOAD, templates=organisation))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not instance.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(
        java_script_enabled=False, accept_downloads=True, viewport={"width": 1280, "height": 900}
    )
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def owners_register(tmp_path_factory):
    return register_with_owners(tmp_path_factory.mktemp("eigenaren") / "register_eigenaren.xlsx")


def submit(page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def visible_findings(page) -> list[str]:
    items = page.locator(".bevinding")
    return [items.nth(i).inner_text() for i in range(items.count()) if items.nth(i).is_visible()]


def test_officer_checks_the_register_and_filters_to_own_rows(server, page, owners_register, tmp_path):
    page.goto(server + "/")
    page.get_by_label("Register", exact=True).set_input_files(owners_register)
    submit(page, "Controleren")
    assert page.get_by_role("heading", level=1).inner_text() == "Uitkomst voor register_eigenaren.xlsx"
    assert page.locator("#aantal-fouten").inner_text() == "8 fouten"
    everything = visible_findings(page)
    assert len(everything) == 16
    assert any("Pilots!C11" in text for text in everything)

    # Bram picks his own name: only his findings stay on the page (CSS, no JavaScript)
    page.get_by_label("Eigenaar of trekker", exact=True).select_option(label=OWNERS[1])
    own = visible_findings(page)
    sections = page.locator(".eigenaar")
    shown = [
        sections.nth(i).get_attribute("id") for i in range(sections.count()) if sections.nth(i).is_visible()
    ]
    assert len(shown) == 1
    assert page.locator(f"#{shown[0]} h2").inner_text().startswith(OWNERS[1])
    assert 0 < len(own) < len(everything)
    assert len(own) == page.locator(f"#{shown[0]} .bevinding").count()
    # ... and only his errors
    page.get_by_label("Ernst", exact=True).select_option("fout")
    errors = visible_findings(page)
    assert errors and all(text.startswith("fout") for text in errors)
    assert len(errors) < len(own)
    # everyone's warnings on Acties
    page.get_by_label("Eigenaar of trekker", exact=True).select_option("")
    page.get_by_label("Ernst", exact=True).select_option("waarschuwing")
    page.get_by_label("Tabblad", exact=True).select_option("Acties")
    actions = visible_findings(page)
    assert actions and all("Acties!" in t and t.startswith("waarschuwing") for t in actions)

    # the table of contents works without any filter: a link to the owner's section
    page.get_by_role("link", name=OWNERS[2]).click()
    assert page.url.endswith("#eigenaar-3")

    # the annotated Excel copy and the JSON download from the page itself
    with page.expect_download() as info:
        page.get_by_role("link", name="register_eigenaren_validatie.xlsx").click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    wb = openpyxl.load_workbook(saved)
    assert wb.sheetnames[0] == "Bevindingen"
    with page.expect_download() as info:
        page.get_by_role("link", name="register_eigenaren_validatie.json").click()
    info.value.save_as(tmp_path / "r.json")
    assert len(json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["bevindingen"]) == 16


def save(page, link: str, folder: Path) -> Path:
    """Click a download link on the page and keep the file."""
    with page.expect_download() as info:
        page.get_by_role("link", name=link, exact=True).click()
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_coordinator_builds_the_annexes_and_opens_them(server, page, tmp_path):
    page.goto(server + "/bijlagen")
    page.get_by_label("Register", exact=True).set_input_files(EXAMPLE)
    submit(page, "Bijlagen maken")
    assert page.get_by_role("heading", level=1).inner_text() == "Bijlagen van voorbeeld_register.xlsx"
    # the warnings are on the page, not hidden in the zip
    assert len(visible_findings(page)) == 2
    assert "2 waarschuwingen" in page.locator("#waarschuwingen-samenvatting").inner_text()
    target = save(page, "bijlagen_voorbeeld_register.zip", tmp_path)
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        pilots = next(n for n in names if n.endswith(".docx") and "Monitoring" in n)
        document = docx.Document(io.BytesIO(archive.read(pilots)))
    assert "manifest.json" in names
    assert any("Dealbreakers" in p.text for p in document.paragraphs)
    report = save(page, "voorbeeld_register_validatie.html", tmp_path)
    assert "voorbeeld_register.xlsx" in report.read_text(encoding="utf-8")


def test_build_with_errors_shows_why(server, page, tmp_path):
    page.goto(server + "/bijlagen")
    page.get_by_label("Register", exact=True).set_input_files(GAPS)
    submit(page, "Bijlagen maken")
    assert "De bijlagen zijn niet gemaakt" in page.get_by_role("alert").inner_text()
    assert len(visible_findings(page)) == 16
    copy = openpyxl.load_workbook(save(page, "register_met_gaten_validatie.xlsx", tmp_path))
    assert copy.sheetnames[0] == "Bevindingen"


def test_start_a_register_then_check_it(server, page, tmp_path):
    page.goto(server + "/nieuw")
    page.get_by_label("Gemeente", exact=True).fill("Delft")
    page.get_by_label("Statusbijlagen (tabblad Acties)").uncheck()
    page.get_by_label("Projectenrapportage (tabblad Projecten, eigen bijlagetype)").uncheck()
    submit(page, "Register maken")
    assert page.get_by_role("heading", level=1).inner_text() == "Nieuw register register_delft.xlsx"
    made = save(page, "register_delft.xlsx", tmp_path)
    assert openpyxl.load_workbook(made).sheetnames.count("Pilots") == 1
    assert "Acties" not in openpyxl.load_workbook(made).sheetnames
    page.get_by_role("link", name="Register controleren").first.click()
    page.get_by_label("Register", exact=True).set_input_files(made)
    submit(page, "Controleren")
    assert page.get_by_role("heading", level=1).inner_text() == "Uitkomst voor register_delft.xlsx"


def test_next_edition(server, page, tmp_path):
    page.goto(server + "/volgende-editie")
    page.get_by_label("Register van de vorige editie").set_input_files(EXAMPLE)
    page.get_by_label("Nieuwe editie").fill("Programmabegroting 2026")
    submit(page, "Register maken")
    assert page.get_by_role("heading", level=1).inner_text() == "Register voor Programmabegroting 2026"
    made = save(page, "register_programmabegroting_2026.xlsx", tmp_path)
    settings = {r[0].value: r[1].value for r in openpyxl.load_workbook(made)["Instellingen"].iter_rows()}
    assert settings["Editie"] == "Programmabegroting 2026"


def test_import_last_editions_annexes(server, page, tmp_path):
    page.goto(server + "/importeren")
    page.get_by_label("Word-bijlagen van de vorige editie").set_input_files(ANNEXES)
    submit(page, "Inlezen")
    assert "2 pilots en 5 acties ingelezen" in page.locator("#ingelezen").inner_text()
    made = save(page, "register.xlsx", tmp_path)
    assert openpyxl.load_workbook(made)["Pilots"].max_row >= 3
    assert "Importverslag" in save(page, "register_importverslag.txt", tmp_path).read_text(encoding="utf-8")


def test_templates_and_a_starting_template(server, page, tmp_path):
    page.goto(server + "/sjablonen")
    assert "huisstijl" in page.locator("#in-gebruik").inner_text()
    with page.expect_download() as info:
        page.get_by_role("button", name="Sjablonen downloaden (zip)").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert sorted(zipfile.ZipFile(target).namelist()) == [
        "huisstijl/acties.docx",
        "huisstijl/bijlage.docx",
        "huisstijl/projecten.docx",
        "huisstijl/projecten.toml",
    ]
    page.get_by_label("Eigen bijlagetype van de organisatie").select_option("projecten")
    with page.expect_download() as info:
        page.get_by_role("button", name="Beginsjabloon downloaden").click()
    assert info.value.suggested_filename == "projecten.docx"


def test_the_organisations_own_annex_type_is_built(server, page, tmp_path):
    page.goto(server + "/bijlagen")
    page.get_by_label("Register", exact=True).set_input_files(PROJECTEN / "projecten_sociale_innovatie.xlsx")
    submit(page, "Bijlagen maken")
    # the register's own setting names another folder: the page says what was used
    note = page.locator(".note").first.inner_text()
    assert "de Word-sjablonen van de organisatie (map 'huisstijl')" in note
    assert page.get_by_role("link", name=re.compile(r"^Projectenrapportage .*\.docx$")).count() == 1


def test_compare_two_editions(server, page):
    page.goto(server + "/vergelijken")
    page.get_by_label("Register van de vorige editie").set_input_files(GAPS)
    page.get_by_label("Register van de nieuwe editie").set_input_files(EXAMPLE)
    submit(page, "Vergelijken")
    assert "Verschillen tussen" in page.get_by_role("heading", level=1).inner_text()
    assert page.locator(".wijziging").count() > 0


@pytest.mark.parametrize(
    "kind, message",
    [
        ("tekst", "geen Excel-werkmap maar tekst"),
        ("te groot", "is te groot: de webapplicatie neemt bestanden tot 2 MB aan"),
        ("zip-bom", "onredelijk groot"),
    ],
)
def test_bad_uploads_give_a_dutch_message_and_a_clean_page(server, page, tmp_path, kind, message):
    path = tmp_path / "register.xlsx"
    if kind == "tekst":
        path.write_text("ID;Naam\nP-1;Iets\n", encoding="utf-8")
    elif kind == "te groot":  # past the limit for the whole request, not only the file
        path.write_bytes(b"PK" + b"\x01" * (3 * MAX_UPLOAD))
    else:
        zip_bomb(path)
    page.goto(server + "/")
    page.get_by_label("Register", exact=True).set_input_files(path)
    submit(page, "Controleren")
    alert = page.get_by_role("alert")
    assert message in alert.inner_text()
    assert "Traceback" not in page.content()
    # a clean page: the form is there to try again, and it works
    page.get_by_label("Register", exact=True).set_input_files(EXAMPLE)
    submit(page, "Controleren")
    assert page.locator("#aantal-fouten").inner_text() == "0 fouten"


def test_keyboard_skip_link_and_visible_focus(server, page):
    page.goto(server + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate_handle("document.activeElement")
    assert focused.get_property("textContent").json_value() == "Direct naar de inhoud"
    assert page.get_by_role("link", name="Direct naar de inhoud").is_visible()
    page.keyboard.press("Enter")
    assert page.url.endswith("#inhoud")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")


def test_readable_on_a_phone(server, browser, owners_register):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    phone = context.new_page()
    try:
        for url in ("/", "/bijlagen", "/vergelijken"):
            phone.goto(server + url)
            assert phone.evaluate("document.documentElement.scrollWidth") <= 360, url
        phone.goto(server + "/")
        phone.get_by_label("Register", exact=True).set_input_files(owners_register)
        submit(phone, "Controleren")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 360])
def test_pages_pass_axe_wcag_21_aa(server, browser, owners_register, width):
    """axe-core (shipped in the axe-playwright-python wheel) finds no WCAG 2.1 A/AA
    violation on any page, the result page and an error page included, on a desktop and a
    phone. axe needs JavaScript; the pages themselves use none."""
    axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe()
    options = {"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()

    def violations() -> list[str]:
        found = axe.run(tab, options=options).response["violations"]
        return [f"{v['id']}: {v['nodes'][0]['target']}" for v in found]

    def check(button: str) -> None:
        submit(tab, button)
        assert violations() == [], f"{button}: {tab.url}"

    try:
        for url in (
            "/",
            "/bijlagen",
            "/vergelijken",
            "/volgende-editie",
            "/nieuw",
            "/importeren",
            "/sjablonen",
            "/sjablonen/tags",
            "/bestaat-niet",
        ):
            tab.goto(server + url)
            assert violations() == [], url
        for register, what in ((owners_register, "bevindingen"), (Path(__file__), "fout")):
            tab.goto(server + "/")
            tab.get_by_label("Register", exact=True).set_input_files(register)
            submit(tab, "Controleren")
            assert violations() == [], what
        if width < 1280:
            return  # the result pages below share their parts with those above
        for register in (EXAMPLE, GAPS):  # built, and refused with findings
            tab.goto(server + "/bijlagen")
            tab.get_by_label("Register", exact=True).set_input_files(register)
            check("Bijlagen maken")
        tab.goto(server + "/vergelijken")
        tab.get_by_label("Register van de vorige editie").set_input_files(GAPS)
        tab.get_by_label("Register van de nieuwe editie").set_input_files(EXAMPLE)
        check("Vergelijken")
        tab.goto(server + "/volgende-editie")
        tab.get_by_label("Register van de vorige editie").set_input_files(EXAMPLE)
        tab.get_by_label("Nieuwe editie").fill("Begroting 2027")
        check("Register maken")
        tab.goto(server + "/nieuw")
        tab.get_by_label("Gemeente", exact=True).fill("Delft")
        check("Register maken")
        tab.goto(server + "/importeren")
        tab.get_by_label("Word-bijlagen van de vorige editie").set_input_files(ANNEXES)
        check("Inlezen")
    finally:
        context.close()
