"""What a build leaves in its output folder: nothing lost, nothing mixed, nothing stray.

Edited annexes are kept, one build per folder at a time, helpers and temporary files
do not outlive a killed build, and every write failure is a Dutch message.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, ROOT
from docx import Document

from toolkit.cli import cli
from toolkit.core import output
from toolkit.core.output import TEMP_PREFIX, atomic_write, folder_lock, remove_stale_temporaries
from toolkit.core.parallel import can_fork
from toolkit.register.read import read_register

PILOT_DOC = "Bijlage 5 Monitoring evaluatie pilots - Perspectiefnota 2025.docx"
ACTIONS_DOC = "Bijlagen Sterk voor Noord - Perspectiefnota 2025.docx"
TOOLKIT = [sys.executable, "-m", "toolkit"]
needs_fork = pytest.mark.skipif(not can_fork(), reason="hulpprocessen met fork alleen op Linux")


def _build(out: Path, *extra: str, register: Path = EXAMPLE):
    return CliRunner().invoke(cli, ["build", str(register), "--out", str(out), *extra])


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _stray(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(f"{TEMP_PREFIX}*"))


def _wait_for(predicate, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"wachten op {what} duurde te lang")
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


# 1. An annex edited in Word since the last build is kept ---------------------------------


def test_an_annex_edited_after_the_build_is_kept_under_a_new_name(tmp_path):
    out = tmp_path / "uitvoer"
    assert _build(out).exit_code == 0
    edited = Document(out / PILOT_DOC)
    edited.add_paragraph("Aanvulling van de coördinator")
    edited.save(out / PILOT_DOC)

    result = _build(out)

    assert result.exit_code == 0, result.output
    kept = list(out.glob("Bijlage 5 * (bewerkt *).docx"))
    assert len(kept) == 1
    assert "Aanvulling van de coördinator" in [p.text for p in Document(kept[0]).paragraphs]
    assert "Aanvulling van de coördinator" not in [p.text for p in Document(out / PILOT_DOC).paragraphs]
    assert "na de vorige bouw gewijzigd" in result.output
    assert kept[0].name in result.output
    # the untouched action annex is simply replaced, and the manifest names the new files
    assert not list(out.glob("Bijlagen * (bewerkt *).docx"))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["bestanden"][PILOT_DOC] == _sha(out / PILOT_DOC)
    assert kept[0].name not in manifest["bestanden"]


def test_rebuilding_without_edits_keeps_no_copies(tmp_path):
    out = tmp_path / "uitvoer"
    assert _build(out).exit_code == 0
    assert _build(out, "--peildatum", "1-5-2024").exit_code == 0  # different content
    assert not list(out.glob("*bewerkt*"))


def test_an_annex_without_a_manifest_record_is_someones_work_and_kept(tmp_path):
    out = tmp_path / "uitvoer"
    out.mkdir()
    (out / PILOT_DOC).write_bytes(b"met de hand gemaakt")
    result = _build(out)
    assert result.exit_code == 0
    kept = list(out.glob("*(bewerkt *).docx"))
    assert [p.read_bytes() for p in kept] == [b"met de hand gemaakt"]


@pytest.mark.parametrize("noted", [True, False], ids=["genoteerd", "zonder-notitie"])
def test_an_annex_of_a_build_killed_before_its_manifest_is_not_an_edit(tmp_path, noted):
    """Killed after writing an annex but before the manifest: the next build knows, from
    what the killed build noted in the lock file, that the annex is its own work."""
    out, other = tmp_path / "uitvoer", tmp_path / "ander"
    assert _build(out).exit_code == 0  # the manifest records this build's annexes
    assert _build(other, "--peildatum", "1-5-2024").exit_code == 0
    # the killed build had written its action annex, and noted it first
    (out / ACTIONS_DOC).write_bytes((other / ACTIONS_DOC).read_bytes())
    note = f"4242\ndocument {_sha(other / ACTIONS_DOC)} {ACTIONS_DOC}\n" if noted else "4242\n"
    (out / output.LOCK_NAME).write_text(note, encoding="utf-8")

    result = _build(out, "--peildatum", "1-6-2024")

    assert result.exit_code == 0, result.output
    kept = list(out.glob("*(bewerkt *).docx"))
    assert kept == [] if noted else len(kept) == 1  # without the note it must look edited
    assert not (out / output.LOCK_NAME).exists()


def test_two_kept_copies_of_the_same_minute_do_not_overwrite_each_other(tmp_path):
    out = tmp_path / "uitvoer"
    assert _build(out).exit_code == 0
    for text in (b"eerste", b"tweede"):
        (out / PILOT_DOC).write_bytes(text)
        os.utime(out / PILOT_DOC, (1_700_000_000, 1_700_000_000))
        assert _build(out).exit_code == 0
    assert sorted(p.read_bytes() for p in out.glob("*(bewerkt *).docx")) == [b"eerste", b"tweede"]


# 2. One build per output folder -----------------------------------------------------------


def _hold_lock(folder: Path, ready: Path) -> subprocess.Popen:
    script = textwrap.dedent(f"""
        import pathlib, time
        from toolkit.core.output import folder_lock
        with folder_lock(pathlib.Path({str(folder)!r})):
            pathlib.Path({str(ready)!r}).write_text("klaar")
            time.sleep(120)
    """)
    return subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)


def test_a_second_build_into_a_busy_folder_is_refused_in_dutch(tmp_path):
    out, ready = tmp_path / "uitvoer", tmp_path / "klaar"
    holder = _hold_lock(out, ready)
    try:
        _wait_for(ready.exists, "het eerste proces")
        result = subprocess.run(
            [*TOOLKIT, "build", str(EXAMPLE), "--out", str(out)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
        assert result.returncode == 2
        assert "maakt een andere toolkit-bouw" in result.stderr
        assert f"proces {holder.pid}" in result.stderr
        assert "Traceback" not in result.stderr
        assert not list(out.glob("*.docx"))
    finally:
        holder.kill()
        holder.wait()
    # a lock left by a killed process does not block the next build
    result = subprocess.run(
        [*TOOLKIT, "build", str(EXAMPLE), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert not (out / output.LOCK_NAME).exists()


def test_two_builds_at_once_leave_one_registers_complete_set(tmp_path, make_example):
    other = tmp_path / "ander.xlsx"
    register = read_register(EXAMPLE)
    settings = dict(register.settings)
    settings["inleiding"] = "Een ander register."
    from toolkit.register.write import write_register

    write_register(
        other,
        {
            "Pilots": [p.values for p in register.records("Pilots")],
            "Acties": [a.values for a in register.records("Acties")],
        },
        settings,
        register.lists,
    )
    out = tmp_path / "uitvoer"
    runs = [
        subprocess.Popen(
            [*TOOLKIT, "build", str(reg), "--out", str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for reg in (EXAMPLE, other)
    ]
    outcomes = [(run.wait(timeout=180), run.stderr.read()) for run in runs]
    for run in runs:
        run.stdout.close()
        run.stderr.close()
    assert {code for code, _ in outcomes} <= {0, 2}
    assert 0 in {code for code, _ in outcomes}
    for code, err in outcomes:
        assert "Traceback" not in err
        if code == 2:
            assert "maakt een andere toolkit-bouw" in err
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for name, digest in manifest["bestanden"].items():
        assert _sha(out / name) == digest  # every annex from the register the manifest names
    source = EXAMPLE if manifest["register"] == EXAMPLE.name else other
    assert manifest["register_sha256"] == read_register(source).sha256


def test_the_lock_is_reentrant_within_a_process(tmp_path):
    with folder_lock(tmp_path), folder_lock(tmp_path):
        assert (tmp_path / output.LOCK_NAME).exists()
    assert not (tmp_path / output.LOCK_NAME).exists()


# 3. A killed build leaves no helpers and no temporaries behind ----------------------------


def _bench_register(path: Path) -> Path:
    spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    bench.make_register(path, 400)  # 400 pilots and 2,000 actions: the helpers start
    return path


@needs_fork
def test_helpers_die_with_a_build_that_is_killed(tmp_path):
    register = _bench_register(tmp_path / "groot.xlsx")
    pids = tmp_path / "helpers"
    pids.mkdir()
    # the real build; each helper notes its pid and then takes its time over the annex
    script = textwrap.dedent(f"""
        import os, pathlib, time
        from toolkit.build import documents as build
        from toolkit.register.read import read_register
        real = build.render_template
        def slow(*args, **kwargs):
            pathlib.Path({str(pids)!r}, str(os.getpid())).write_text("")
            time.sleep(120)
            return real(*args, **kwargs)
        build.render_template = slow
        build.build_documents(read_register({str(register)!r}),
                              pathlib.Path({str(tmp_path / "uit")!r}))
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    try:
        _wait_for(lambda: len(list(pids.iterdir())) == 2, "twee hulpprocessen")
        helpers = [int(p.name) for p in pids.iterdir()]
        assert parent.pid not in helpers and all(_alive(pid) for pid in helpers)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    _wait_for(lambda: not any(_alive(pid) for pid in helpers), "het einde van de helpers", 20)


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_later_run_removes_temporaries_of_a_killed_run_and_nothing_else(tmp_path):
    out = tmp_path / "uitvoer"
    out.mkdir()
    machine = output._machine()
    stale = out / f"{TEMP_PREFIX}{machine}-{_dead_pid()}-Bijlage-abcd1234.docx"
    old = out / f"{TEMP_PREFIX}elders-12345-manifest-abcd1234.json"  # another machine, a day old
    alive = out / f"{TEMP_PREFIX}{machine}-{os.getppid()}-Bijlage-live.docx"
    foreign = [out / ".Bijlage 5-abc123.docx", out / ".toolkit-tmp-zelfgemaakt.docx", out / "notities.txt"]
    for path in (stale, old, alive, *foreign):
        path.write_bytes(b"x")
    os.utime(old, (time.time() - 2 * 86400,) * 2)
    validatie = out / "validatie"
    validatie.mkdir()
    stale_report = validatie / f"{TEMP_PREFIX}{machine}-{_dead_pid()}-rapport-x.html"
    stale_report.write_bytes(b"x")

    assert _build(out).exit_code == 0

    assert not stale.exists() and not old.exists() and not stale_report.exists()
    assert alive.exists()
    assert all(path.exists() for path in foreign)


def test_temporaries_carry_the_toolkit_prefix_and_vanish(tmp_path):
    seen = []
    atomic_write(tmp_path / "x.docx", lambda tmp: seen.append(tmp.name) or tmp.write_bytes(b"1"))
    assert seen[0].startswith(f"{TEMP_PREFIX}{output._machine()}-{os.getpid()}-x-")
    assert _stray(tmp_path) == []


def test_a_symlink_among_the_temporaries_is_never_followed(tmp_path):
    target = tmp_path / "elders.txt"
    target.write_text("blijft")
    folder = tmp_path / "uit"
    folder.mkdir()
    link = folder / f"{TEMP_PREFIX}{output._machine()}-{_dead_pid()}-x-y.docx"
    link.symlink_to(target)
    remove_stale_temporaries(folder)
    assert link.is_symlink() and target.read_text() == "blijft"


def test_a_build_killed_during_a_write_leaves_the_old_annex_and_a_temporary_a_later_run_removes(tmp_path):
    out = tmp_path / "uitvoer"
    assert _build(out).exit_code == 0
    before = (out / PILOT_DOC).read_bytes()
    writing = tmp_path / "bezig"
    script = textwrap.dedent(f"""
        import pathlib, time
        from toolkit.core import output
        def half(tmp):
            tmp.write_bytes(b"half")
            pathlib.Path({str(writing)!r}).write_text("")
            time.sleep(120)
        output.atomic_write(pathlib.Path({str(out / PILOT_DOC)!r}), half)
    """)
    killed = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    try:
        _wait_for(writing.exists, "het schrijven")
    finally:
        killed.send_signal(signal.SIGKILL)
        killed.wait()
    assert (out / PILOT_DOC).read_bytes() == before  # never half replaced
    assert len(_stray(out)) == 1  # what kill -9 leaves: the temporary, with the toolkit's name
    assert _build(out).exit_code == 0
    assert _stray(out) == []


# --- files of an earlier build that this build did not write ----------------------------


@pytest.fixture
def fake_pdf(monkeypatch):
    """PDFs without LibreOffice: a small file per annex, as convert_to_pdf names them."""
    from toolkit.build import pdf

    def convert(documents, out_dir):  # type: ignore[no-untyped-def]
        made = []
        for document in documents:
            target = out_dir / f"{document.stem}.pdf"
            target.write_bytes(b"%PDF-1.7 " + document.read_bytes()[:64])
            made.append(target)
        return made

    monkeypatch.setattr(pdf, "convert_to_pdf", convert)


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_rebuilding_without_pdf_removes_last_builds_unchanged_pdfs(tmp_path, fake_pdf):
    out = tmp_path / "uitvoer"
    first = _build(out, "--pdf")
    assert first.exit_code == 0, first.output
    pdfs = sorted(p.name for p in out.glob("*.pdf"))
    assert len(pdfs) == 2 and set(pdfs) <= set(_manifest(out)["bestanden"])

    second = _build(out)
    assert second.exit_code == 0, second.output
    assert not list(out.glob("*.pdf"))
    for name in pdfs:
        assert f"Verwijderd: '{name}' (de PDF van de vorige bouw" in second.output
    assert sorted(_manifest(out)["bestanden"]) == sorted([ACTIONS_DOC, PILOT_DOC])
    assert (out / PILOT_DOC).exists() and (out / ACTIONS_DOC).exists()


def test_rebuilding_with_pdf_replaces_them_without_a_word_about_removing(tmp_path, fake_pdf):
    out = tmp_path / "uitvoer"
    assert _build(out, "--pdf").exit_code == 0
    again = _build(out, "--pdf")
    assert again.exit_code == 0, again.output
    assert "Verwijderd" not in again.output and "Let op" not in again.output
    assert len(list(out.glob("*.pdf"))) == 2


def test_an_earlier_pdf_changed_since_stays_and_is_named(tmp_path, fake_pdf):
    out = tmp_path / "uitvoer"
    assert _build(out, "--pdf").exit_code == 0
    edited = out / PILOT_DOC.replace(".docx", ".pdf")
    edited.write_bytes(b"%PDF-1.7 met de hand aangepast")
    result = _build(out)
    assert result.exit_code == 0, result.output
    assert edited.read_bytes() == b"%PDF-1.7 met de hand aangepast"
    assert f"Let op: '{edited.name}' is van een eerdere bouw" in result.output
    assert "is na de vorige bouw gewijzigd" in result.output
    assert not (out / ACTIONS_DOC.replace(".docx", ".pdf")).exists()  # unchanged: gone


def test_rebuilding_without_html_removes_last_builds_web_edition(tmp_path):
    """The web pages of the previous build do not stay beside new annexes without a
    word: unchanged ones go (with the folder), a page edited since stays and is named."""
    out = tmp_path / "uitvoer"
    assert _build(out, "--html").exit_code == 0
    pages = sorted(p.name for p in (out / "web").iterdir())
    assert "index.html" in pages and set(pages) == set(_manifest(out)["webeditie"])

    again = _build(out)
    assert again.exit_code == 0, again.output
    assert not (out / "web").exists()
    assert f"Verwijderd: de webeditie van de vorige bouw ({len(pages)} bestanden" in again.output
    assert "webeditie" not in _manifest(out)

    assert _build(out, "--html").exit_code == 0
    (out / "web" / "index.html").write_text("met de hand aangepast", encoding="utf-8")
    third = _build(out)
    assert third.exit_code == 0, third.output
    assert [p.name for p in (out / "web").iterdir()] == ["index.html"]
    assert "staat nog 1 bestand van de webeditie" in third.output and "'index.html'" in third.output


def test_a_pdf_no_manifest_recorded_beside_a_new_annex_is_named_not_removed(tmp_path):
    """A PDF from a build of an older toolkit (its manifest named only the .docx)."""
    out = tmp_path / "uitvoer"
    assert _build(out).exit_code == 0
    old = out / PILOT_DOC.replace(".docx", ".pdf")
    old.write_bytes(b"%PDF-1.7 oud")
    mine = out / "mijn aantekeningen.docx"
    mine.write_bytes(b"niet van de toolkit")
    result = _build(out, "--peildatum", "1-5-2024")
    assert result.exit_code == 0, result.output
    assert old.exists() and mine.exists()
    assert f"Let op: '{old.name}' is van een eerdere bouw en hoort niet bij de nieuwe" in result.output
    assert "mijn aantekeningen" not in result.output


def test_an_annex_the_register_no_longer_makes_is_named_in_the_manifest(tmp_path, make_example):
    """The Pilots sheet removed from the register: last build's pilot annex stays (it may
    be another register's), is named in Dutch and listed under 'eerdere_bestanden'; a name
    in the manifest outside the folder is never touched, whatever its hash."""
    import openpyxl

    out = tmp_path / "uitvoer"
    assert _build(out).exit_code == 0
    outside = tmp_path / "buiten.docx"
    outside.write_bytes(b"elders")
    data = _manifest(out)
    data["bestanden"]["../buiten.docx"] = _sha(outside)
    (out / "manifest.json").write_text(json.dumps(data), encoding="utf-8")

    register = tmp_path / "alleen_acties.xlsx"
    workbook = openpyxl.load_workbook(EXAMPLE)
    del workbook["Pilots"]
    workbook.save(register)
    result = _build(out, register=register)
    assert result.exit_code == 0, result.output
    assert (out / PILOT_DOC).exists() and (out / ACTIONS_DOC).exists()
    assert "staan ook bijlagen van een eerdere bouw" in result.output and PILOT_DOC in result.output
    assert PILOT_DOC in _manifest(out)["eerdere_bestanden"]
    assert outside.read_bytes() == b"elders"
