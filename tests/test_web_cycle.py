"""The whole edition cycle in the web application, the organisation's templates, and the
server under load and faults (Starlette's TestClient; a real `toolkit serve` where a
process must be killed)."""

from __future__ import annotations

import asyncio
import errno
import io
import json
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, GAPS, ROOT, needs_libreoffice
from starlette.testclient import TestClient
from test_web import Page, downloads, leftovers, upload

from toolkit.cli import cli
from toolkit.core import scratch
from toolkit.web.app import Settings, create_app, state_of
from toolkit.web.lanes import Busy, Gone, Lane
from toolkit.web.pages import for_browser

PROJECTEN = ROOT / "examples" / "projecten"
ANNEXES = [
    ROOT / "tests" / "data" / "handgemaakte_pilotbijlage.docx",
    ROOT / "tests" / "data" / "handgemaakte_acties.docx",
]
GET_PAGES = ("/", "/bijlagen", "/vergelijken", "/volgende-editie", "/nieuw", "/importeren", "/sjablonen")
#: advice for a terminal, which nobody in a browser has
COMMAND_LINE = re.compile(
    r"toolkit (init|validate|build|import|diff|new-edition|sjablonen|serve)"
    r"|(?<![\w-])--[a-z]{3,}"
)


@pytest.fixture(scope="module")
def organisation(tmp_path_factory) -> Path:
    """An organisation's folder: its house style (the bundled templates, as `toolkit
    sjablonen` puts them there) and its own annex type, Projecten."""
    folder = tmp_path_factory.mktemp("organisatie") / "huisstijl"
    shutil.copytree(PROJECTEN / "sjablonen", folder)
    for name in ("bijlage.docx", "acties.docx"):
        shutil.copy(ROOT / "templates" / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Settings(max_upload=1024 * 1024, warm=False))) as c:
        yield c


@pytest.fixture(scope="module")
def own(organisation):
    """A server started with the organisation's folder (toolkit serve --sjablonen)."""
    with TestClient(create_app(Settings(warm=False, templates=organisation))) as c:
        yield c


def no_command_line(page: Page) -> None:
    found = COMMAND_LINE.search(page.text)
    assert found is None, page.text[max(0, found.start() - 120) : found.end() + 40]


# -- every page -------------------------------------------------------------------------


def test_every_page_says_which_templates_and_annex_types_are_in_use(client, own):
    for url in GET_PAGES:
        plain = Page(client.get(url).text)
        assert "Sjablonen: de meegeleverde." in plain.text, url
        assert (
            "Bijlagetypen: pilotbijlage (tabblad Pilots), statusbijlagen (tabblad Acties)." in plain.text
        ), url
        organisation = Page(own.get(url).text)
        assert "Sjablonen: die van de organisatie (map 'huisstijl')." in organisation.text, url
        assert "projectenrapportage (tabblad Projecten, eigen)" in organisation.text, url
        for page in (plain, organisation):
            no_command_line(page)
            links = {a["href"] for a in page.having("a")}
            assert set(GET_PAGES) <= links, "every step of the cycle is in the menu"


def test_no_page_gives_command_line_advice(client, tmp_path):
    text = tmp_path / "tekst.xlsx"
    text.write_text("ID;Naam\n", encoding="utf-8")
    no_peildatum = tmp_path / "geen_peildatum.xlsx"
    wb = openpyxl.load_workbook(EXAMPLE)
    ws = wb["Instellingen"]
    row = next(r for r in ws.iter_rows() if r[0].value == "Peildatum")
    row[1].value = None
    wb.save(no_peildatum)
    pages = [
        upload(client, text),
        upload(client, GAPS),
        upload(client, no_peildatum),
        upload(client, GAPS, url="/bijlagen"),
        upload(client, EXAMPLE, url="/bijlagen"),
        upload(client, EXAMPLE, url="/importeren", field="bijlagen"),
    ]
    for response in pages:
        no_command_line(Page(response.text))
    # the finding without peildatum keeps its advice, without the option
    assert (
        "Vul op het tabblad Instellingen een peildatum in (bijvoorbeeld 1-4-2024)."
        in Page(pages[2].text).text
    )


def test_messages_lose_only_their_command_line_advice():
    assert (
        for_browser(
            "Kies het register (.xlsx); maak zo nodig een nieuw met 'toolkit init'. Open het in Excel."
        )
        == "Kies het register (.xlsx). Open het in Excel."
    )
    assert (
        for_browser(
            "In 'a' staan geen kaarten. Is het een eigen bijlagetype? Geef dan met "
            "--sjablonen de map op. Er is geen register gemaakt."
        )
        == "In 'a' staan geen kaarten. Er is geen register gemaakt."
    )
    assert for_browser("Gewone tekst zonder opdracht.") == "Gewone tekst zonder opdracht."


# -- the cycle ---------------------------------------------------------------------------


def test_start_a_register_for_a_municipality(client, own):
    response = client.post("/nieuw", data={"gemeente": "Delft", "bijlagetype": ["acties"]})
    assert response.status_code == 200, response.text[-600:]
    page = Page(response.text)
    assert "Nieuw register register_delft.xlsx" in page.text
    assert "Tabblad Lijsten" in page.text and "Instellingen" in page.text
    no_command_line(page)
    wb = openpyxl.load_workbook(io.BytesIO(downloads(page)["register_delft.xlsx"]))
    assert "Acties" in wb.sheetnames and "Pilots" not in wb.sheetnames
    settings = {r[0].value: r[1].value for r in wb["Instellingen"].iter_rows()}
    assert settings["Gemeente"] == "Delft"
    # an own annex type of the organisation: the register names the organisation's folder
    page = Page(own.post("/nieuw", data={"gemeente": "Delft", "bijlagetype": ["pilots", "projecten"]}).text)
    wb = openpyxl.load_workbook(io.BytesIO(downloads(page)["register_delft.xlsx"]))
    assert {"Pilots", "Projecten"} <= set(wb.sheetnames) and "Acties" not in wb.sheetnames
    settings = {r[0].value: r[1].value for r in wb["Instellingen"].iter_rows()}
    assert settings["Map met Word-sjablonen"] == "huisstijl"
    # without a municipality or an annex type: a message on the form
    for data, message in (
        ({"bijlagetype": ["pilots"]}, "Vul de naam van uw gemeente in"),
        ({"gemeente": "Delft"}, "Kies minstens één bijlagetype"),
        ({"gemeente": "Delft", "bijlagetype": ["bestaat-niet"]}, "Kies minstens één bijlagetype"),
    ):
        refused = client.post("/nieuw", data=data)
        assert refused.status_code == 400 and message in Page(refused.text).text


def test_the_new_register_checks_on_the_same_server(own, tmp_path):
    page = Page(own.post("/nieuw", data={"gemeente": "Delft", "bijlagetype": ["projecten"]}).text)
    path = tmp_path / "register_delft.xlsx"
    path.write_bytes(downloads(page)["register_delft.xlsx"])
    checked = Page(upload(own, path).text)
    assert "Uitkomst voor register_delft.xlsx" in checked.text
    assert not checked.having("p", class_="note"), "its setting is the organisation's folder"


def test_next_edition_in_the_browser(client, tmp_path):
    response = upload(
        client,
        EXAMPLE,
        url="/volgende-editie",
        data={"editie": "Programmabegroting 2026", "peildatum": "1-4-2026"},
    )
    assert response.status_code == 200, response.text[-600:]
    page = Page(response.text)
    assert "Register voor Programmabegroting 2026" in page.text
    assert "Uit voorbeeld_register.xlsx meegenomen:" in page.text
    assert page.having("ul", id="verwijderd"), "what left the register is named"
    no_command_line(page)
    made = downloads(page)["register_programmabegroting_2026.xlsx"]
    wb = openpyxl.load_workbook(io.BytesIO(made))
    settings = {r[0].value: r[1].value for r in wb["Instellingen"].iter_rows()}
    assert settings["Editie"] == "Programmabegroting 2026"
    missing = upload(client, EXAMPLE, url="/volgende-editie")
    assert missing.status_code == 400 and "Vul de nieuwe editie in" in Page(missing.text).text


def test_import_last_editions_annexes(client, own):
    files = [("bijlagen", (p.name, p.read_bytes())) for p in ANNEXES]
    response = client.post("/importeren", files=files, data={"naam": "register_2026"})
    assert response.status_code == 200, response.text[-600:]
    page = Page(response.text)
    assert (
        "2 pilots en 5 acties ingelezen uit handgemaakte_pilotbijlage.docx, "
        "handgemaakte_acties.docx" in page.text
    )
    files_back = downloads(page)
    wb = openpyxl.load_workbook(io.BytesIO(files_back["register_2026.xlsx"]))
    assert wb["Pilots"].max_row >= 3
    assert "Importverslag" in files_back["register_2026_importverslag.txt"].decode("utf-8")
    # a register is not a Word annex: a Dutch message on the form
    refused = upload(client, EXAMPLE, url="/importeren", field="bijlagen")
    assert refused.status_code == 400 and Page(refused.text).having("div", role="alert")


def test_import_an_own_annex_type_on_the_organisations_server(own, organisation, tmp_path):
    register = PROJECTEN / "projecten_sociale_innovatie.xlsx"
    built = Page(upload(own, register, url="/bijlagen").text)
    annex = next(n for n in downloads(built) if n.startswith("Projectenrapportage"))
    response = own.post("/importeren", files={"bijlagen": (annex, downloads(built)[annex])})
    assert response.status_code == 200, response.text[-600:]
    page = Page(response.text)
    assert "projecten ingelezen" in page.text
    wb = openpyxl.load_workbook(io.BytesIO(downloads(page)["register.xlsx"]))
    settings = {r[0].value: r[1].value for r in wb["Instellingen"].iter_rows()}
    assert settings["Map met Word-sjablonen"] == "huisstijl", "not a path on the server"


def test_compare_shows_its_warnings(client):
    with open(GAPS, "rb") as old, open(EXAMPLE, "rb") as new:
        page = Page(
            client.post(
                "/vergelijken", files={"oud": ("a.xlsx", old.read()), "nieuw": ("b.xlsx", new.read())}
            ).text
        )
    assert set(downloads(page)) == {f"verschillen_a_b.{e}" for e in ("xlsx", "html", "json")}


def test_the_organisations_templates_as_a_zip(client, own):
    response = own.post("/sjablonen")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert sorted(names) == [
        "huisstijl/acties.docx",
        "huisstijl/bijlage.docx",
        "huisstijl/projecten.docx",
        "huisstijl/projecten.toml",
    ]
    plain = zipfile.ZipFile(io.BytesIO(client.post("/sjablonen").content)).namelist()
    assert sorted(plain) == ["sjablonen/acties.docx", "sjablonen/bijlage.docx"]


def test_a_starting_template_for_an_own_annex_type(own, client, tmp_path):
    response = own.post("/sjablonen/begin", data={"bijlagetype": "projecten"})
    assert response.status_code == 200
    assert "projecten.docx" in response.headers["content-disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "{{ kaarten }}" in text
    # a coordinator's own new declaration, to try before the administrator adds it
    declaration = (PROJECTEN / "sjablonen" / "projecten.toml").read_text(encoding="utf-8")
    declaration = (
        declaration.replace('sleutel = "projecten"', 'sleutel = "subsidies"')
        .replace('sjabloon = "projecten.docx"', 'sjabloon = "subsidies.docx"')
        .replace('naam = "Projecten"', 'naam = "Subsidies"')
        .replace('tabel = "Projecten"', 'tabel = "Subsidies"')
    )
    response = client.post("/sjablonen/begin", files={"verklaring": ("subsidies.toml", declaration.encode())})
    assert response.status_code == 200, response.text[-600:]
    assert "subsidies.docx" in response.headers["content-disposition"]
    broken = client.post("/sjablonen/begin", files={"verklaring": ("x.toml", b"[bijlagetype\n")})
    assert broken.status_code == 400 and Page(broken.text).having("div", role="alert")
    nothing = client.post("/sjablonen/begin", data={"bijlagetype": ""})
    assert nothing.status_code == 400 and "Kies een eigen bijlagetype" in Page(nothing.text).text


def test_a_missing_organisation_template_is_for_the_administrator(tmp_path):
    folder = tmp_path / "huisstijl"
    shutil.copytree(PROJECTEN / "sjablonen", folder)  # no bijlage.docx, no acties.docx
    with TestClient(create_app(Settings(warm=False, templates=folder))) as partial:
        response = upload(partial, EXAMPLE, url="/bijlagen")
    page = Page(response.text)
    assert response.status_code == 503
    assert (
        "In de map met sjablonen van de organisatie ('huisstijl') ontbreekt 'bijlage.docx'" in page.text
        and "Vraag de beheerder" in page.text
    )
    no_command_line(page)


# -- limits, load and faults -------------------------------------------------------------


def test_too_many_rows_are_refused_with_the_limit_named(tmp_path):
    with TestClient(create_app(Settings(warm=False, max_rows=100))) as small:
        response = upload(small, EXAMPLE)
    assert response.status_code == 413
    assert (
        "'voorbeeld_register.xlsx' heeft 164 rijen (alle tabbladen samen); de "
        "webapplicatie neemt registers tot 100 rijen aan" in Page(response.text).text
    )


def test_a_file_name_of_495_bytes_is_checked(client, temp_root):
    name = "€" * 163 + ".xlsx"  # 494 bytes
    assert len(name.encode()) >= 494
    response = client.post("/controleren", files={"register": (name, EXAMPLE.read_bytes())})
    assert response.status_code == 200, response.text[-500:]
    assert "Uitkomst voor €" in Page(response.text).text
    assert leftovers(temp_root) == []


@pytest.fixture
def temp_root(client):
    return state_of(client.app).settings.scratch


def test_a_full_temporary_disk_is_named_as_such(client, temp_root, monkeypatch):
    import starlette.formparsers

    class Full(io.BytesIO):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__()

        def write(self, data):  # type: ignore[no-untyped-def]
            raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(starlette.formparsers, "SpooledTemporaryFile", Full)
        response = upload(client, EXAMPLE)
    page = Page(response.text)
    assert response.status_code == 503 and response.headers["retry-after"] == "120"
    assert "De server heeft geen ruimte meer in zijn tijdelijke map (de schijf is vol)" in page.text
    assert "kon niet worden gelezen" not in page.text
    # the disk fills while the work is done
    real = Path.write_bytes

    def full(self, data):  # type: ignore[no-untyped-def]
        if self.suffix == ".xlsx":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    response = upload(client, EXAMPLE)
    assert response.status_code == 503
    assert "de schijf is vol" in Page(response.text).text
    assert leftovers(temp_root) == []


def slow_check(monkeypatch, seconds: float) -> threading.Event:
    """Every check takes this long; the event is set once one has started."""
    from toolkit.validation import validate

    real = validate.validate_register
    started = threading.Event()

    def slow(register, peildatum=None):  # type: ignore[no-untyped-def]
        started.set()
        time.sleep(seconds)
        return real(register, peildatum)

    monkeypatch.setattr(validate, "validate_register", slow)
    return started


def test_a_full_queue_gets_the_dutch_busy_page_and_status_answers(monkeypatch):
    started = slow_check(monkeypatch, 1.5)
    with TestClient(create_app(Settings(warm=False, workers=1, queue=1))) as busy:
        answers: list = []
        first = threading.Thread(target=lambda: answers.append(upload(busy, EXAMPLE)))
        first.start()
        assert started.wait(10)
        second = threading.Thread(target=lambda: answers.append(upload(busy, EXAMPLE)))
        second.start()
        time.sleep(0.3)  # the second waits in the queue (depth 1)
        began = time.perf_counter()
        status = busy.get("/status")
        assert status.status_code == 200 and time.perf_counter() - began < 1
        assert status.json()["werkers"]["controleren"]["waiting"] == 1
        third = upload(busy, EXAMPLE)
        first.join()
        second.join()
    assert third.status_code == 503 and third.headers["retry-after"] == "60"
    page = Page(third.text)
    assert "Het is nu te druk op de server" in page.text and "over een minuut" in page.text
    assert page.having("form"), "the form is there to try again"
    assert sorted(a.status_code for a in answers) == [200, 200]


def test_a_request_waits_no_longer_than_the_proxy_allows(monkeypatch):
    started = slow_check(monkeypatch, 1.5)
    with TestClient(create_app(Settings(warm=False, workers=1, queue=5, max_wait=0.3))) as slow:
        first = threading.Thread(target=lambda: upload(slow, EXAMPLE))
        first.start()
        assert started.wait(10)
        began = time.perf_counter()
        waited = upload(slow, EXAMPLE)
        took = time.perf_counter() - began
        first.join()
    assert waited.status_code == 503 and took < 1.2
    assert "te druk" in waited.text


def test_builds_have_their_own_workers(monkeypatch):
    """A build that takes long does not hold up an officer's check."""
    from toolkit.build import documents as build

    real = build.build_documents
    started = threading.Event()

    def slow(*args, **kwargs):  # type: ignore[no-untyped-def]
        started.set()
        time.sleep(2)
        return real(*args, **kwargs)

    monkeypatch.setattr(build, "build_documents", slow)
    with TestClient(create_app(Settings(warm=False, workers=1, build_workers=1))) as server:
        coordinator = threading.Thread(target=lambda: upload(server, EXAMPLE, url="/bijlagen"))
        coordinator.start()
        assert started.wait(10)
        began = time.perf_counter()
        assert upload(server, EXAMPLE).status_code == 200
        took = time.perf_counter() - began
        coordinator.join()
    assert took < 1.5


def test_work_for_a_browser_that_went_away_is_dropped():
    async def scenario() -> tuple[list[str], dict[str, int]]:
        lane = Lane("test", 1, Settings(queue=5, max_wait=10))
        await lane.start()
        done: list[str] = []

        def work(name: str) -> str:
            time.sleep(0.3)
            done.append(name)
            return name

        gone = asyncio.Event()
        first = asyncio.ensure_future(lane.run(work, "eerste"))
        await asyncio.sleep(0.05)
        second = asyncio.ensure_future(lane.run(work, "weg", gone=gone))
        await asyncio.sleep(0.05)
        gone.set()  # the officer closed the tab while waiting
        with pytest.raises(Gone):
            await second
        assert await first == "eerste"
        gone_running = asyncio.Event()
        third = asyncio.ensure_future(lane.run(work, "bezig", gone=gone_running))
        await asyncio.sleep(0.05)
        gone_running.set()  # went away while it ran: finished, the answer dropped
        with pytest.raises(Gone):
            await third
        await asyncio.sleep(0.4)
        lane.stop()
        return done, lane.status()

    done, status = asyncio.run(scenario())
    assert done == ["eerste", "bezig"], "the waiting one never ran"
    assert status["dropped"] == 2 and status["running"] == 0


def test_a_full_lane_refuses_at_once():
    async def scenario() -> None:
        lane = Lane("test", 1, Settings(queue=0))
        await lane.start()
        running = asyncio.ensure_future(lane.run(time.sleep, 0.3))
        await asyncio.sleep(0.05)
        with pytest.raises(Busy):
            await lane.run(time.sleep, 0)
        await running
        lane.stop()

    asyncio.run(scenario())


def test_past_the_connection_limit_the_page_is_dutch(monkeypatch):
    started = slow_check(monkeypatch, 1.0)
    with TestClient(create_app(Settings(warm=False, max_connections=1))) as small:
        first = threading.Thread(target=lambda: upload(small, EXAMPLE))
        first.start()
        assert started.wait(10)
        refused = small.get("/")
        status = small.get("/status")
        first.join()
    assert refused.status_code == 503 and refused.headers["retry-after"] == "60"
    assert "Het is nu te druk op de server" in Page(refused.text).text
    assert status.status_code == 200


def test_memory_returns_to_its_baseline_after_builds(client):
    """The server builds again and again in one process: gc.freeze() (meant for a build
    that forks helpers and ends) would keep every build's garbage (4.6 MiB a build)."""

    def rss() -> float:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    if not Path("/proc/self/status").exists():
        pytest.skip("no /proc")
    content = EXAMPLE.read_bytes()
    for _ in range(3):
        client.post("/bijlagen", files={"register": ("r.xlsx", content)})
    before = rss()
    for _ in range(12):
        assert client.post("/bijlagen", files={"register": ("r.xlsx", content)}).status_code == 200
    assert rss() - before < 25, "12 builds must not grow the server by 4.6 MiB each"


def test_log_lines_are_json_without_content(client, caplog):
    from toolkit.web.logs import JsonLines

    with caplog.at_level(logging.INFO, logger="toolkit.web"):
        upload(client, EXAMPLE, name="geheim_register_Anna.xlsx", data={"peildatum": "1-4-2024"})
    lines = [JsonLines().format(r) for r in caplog.records if r.name == "toolkit.web"]
    data = [json.loads(line) for line in lines]
    request = next(d for d in data if d.get("path") == "/controleren")
    assert request["method"] == "POST" and request["status"] == 200
    assert isinstance(request["duration_ms"], int) and request["level"] == "info"
    assert "geheim" not in "\n".join(lines) and "Anna" not in "\n".join(lines)


def test_serve_takes_its_options_from_the_environment(monkeypatch, tmp_path):
    seen = {}

    def run(host, port, echo, templates, settings):  # type: ignore[no-untyped-def]
        seen.update(host=host, port=port, templates=templates, settings=settings)

    monkeypatch.setattr("toolkit.web.server.run", run)
    env = {
        "TOOLKIT_WORKERS": "3",
        "TOOLKIT_QUEUE": "4",
        "TOOLKIT_MAX_UPLOAD": "5",
        "TOOLKIT_MAX_ROWS": "9000",
        "TOOLKIT_PORT": "8123",
        "TOOLKIT_LOG_FORMAT": "tekst",
        "TOOLKIT_SJABLONEN": str(tmp_path),
    }
    result = CliRunner().invoke(cli, ["serve", "--build-workers", "2"], obj={}, env=env)
    assert result.exit_code == 0, result.output
    settings = seen["settings"]
    assert (settings.workers, settings.build_workers, settings.queue) == (3, 2, 4)
    assert settings.max_upload == 5 * 1024 * 1024 and settings.max_rows == 9000
    assert settings.log_format == "tekst" and settings.processes
    assert seen["port"] == 8123 and seen["templates"] == tmp_path
    help_text = CliRunner().invoke(cli, ["serve", "--help"], obj={}).output
    for option in ("--workers", "TOOLKIT_WORKERS", "--queue", "--max-rows", "--log-format"):
        assert option in help_text


# -- nothing left behind after kill -9 ---------------------------------------------------


def test_a_killed_processs_temporary_folder_goes_at_the_next_start(tmp_path):
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sys, time; from pathlib import Path; from toolkit.core import scratch; "
                f"f = scratch.claim('toolkit-web-', Path({str(tmp_path)!r})); "
                "(f / 'verzoek-1').mkdir(); (f / 'verzoek-1' / 'register.xlsx').write_bytes(b'x'); "
                "print(f, flush=True); time.sleep(60)"
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    folder = Path(child.stdout.readline().strip())
    assert (folder / "verzoek-1" / "register.xlsx").exists()
    assert scratch.clean_stale("toolkit-web-", tmp_path) == [], "a live owner keeps its folder"
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert folder.exists(), "kill -9 runs no clean-up"
    assert scratch.clean_stale("toolkit-web-", tmp_path) == [folder]
    assert not folder.exists()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(tmp: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "toolkit", "serve", "--port", str(port), "--workers", "1"],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(tmp), "TOOLKIT_LOG_FORMAT": "json"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def wait_for_status(port: int, server: subprocess.Popen) -> dict:
    import urllib.request

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/status", timeout=2) as answer:
                return json.loads(answer.read())
        except OSError:
            time.sleep(0.2)
    raise AssertionError("server did not start")


def test_serve_after_kill_9_leaves_no_upload_behind(tmp_path, monkeypatch):
    """A real `toolkit serve` with worker processes, killed with SIGKILL while an upload
    lies in its temporary folder: the next server removes it at start."""
    import tempfile

    tmp = tmp_path / "tmp"
    tmp.mkdir()
    port = free_port()
    server = start_server(tmp, port)
    try:
        status = wait_for_status(port, server)
        assert status["werkers"]["controleren"]["workers"] == 1
        (own,) = [p for p in tmp.iterdir() if p.name.startswith("toolkit-web-")]
        left = own / "verzoek-abc" / "register-1" / "register.xlsx"
        left.parent.mkdir(parents=True)
        left.write_bytes(EXAMPLE.read_bytes())  # as it lies there while a check runs
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    assert left.exists()
    log = server.stderr.read().decode() if server.stderr else ""
    lines = [json.loads(line) for line in log.splitlines()]
    assert lines and all({"time", "level", "message"} <= set(line) for line in lines), log
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    with TestClient(create_app(Settings(warm=False))) as again:
        assert again.get("/status").status_code == 200
        assert not own.exists(), "the killed server's folder, with the upload, is gone"
        assert len([p for p in tmp.iterdir() if p.name.startswith("toolkit-web-")]) == 1
    assert not [p for p in tmp.iterdir() if p.name.startswith("toolkit-web-")], (
        "a server that stops removes its folder"
    )


@needs_libreoffice
def test_pdf_after_kill_9_leaves_no_annex_copy_or_profile(tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    out = tmp_path / "uitvoer"
    build = subprocess.Popen(
        [sys.executable, "-m", "toolkit", "build", str(EXAMPLE), "--out", str(out), "--pdf"],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(tmp)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    try:
        while not any(
            (p / "werk").is_dir() and any((p / "werk").iterdir()) for p in tmp.glob("toolkit-pdf-*")
        ):
            assert build.poll() is None and time.monotonic() < deadline, "no conversion seen"
            time.sleep(0.05)
    finally:
        os.killpg(build.pid, signal.SIGKILL)
        build.wait()
    assert list(tmp.glob("toolkit-pdf-*")), "kill -9 left the copy of the annex and the profile"
    import tempfile

    from toolkit.build.pdf import convert_to_pdf

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tempfile, "tempdir", str(tmp))
        assert convert_to_pdf([], tmp_path) == []  # the next conversion clears up first
    assert not list(tmp.glob("toolkit-pdf-*"))
