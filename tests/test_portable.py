"""The Windows and macOS paths, forced on Linux: locks, helper processes, pid checks,
file systems without hard links, LibreOffice's place, and file names Windows refuses."""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import time
import types
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from toolkit.build import pdf
from toolkit.cli import cli
from toolkit.core import output, parallel, portable
from toolkit.core.errors import OutputError
from toolkit.core.output import atomic_write, folder_lock, remove_stale_temporaries
from toolkit.web.jobs import safe_upload_name

PILOT_DOC = "Bijlage 5 Monitoring evaluatie pilots - Perspectiefnota 2025.docx"


@pytest.fixture
def windows(monkeypatch):
    """portable.WINDOWS on, with a stand-in for msvcrt (Windows' byte-range lock, here an
    flock per open file, which conflicts between two descriptors as Windows' locks do)."""

    def locking(fd: int, mode: int, nbytes: int) -> None:
        assert mode == fake.LK_NBLCK and nbytes == 1
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise PermissionError(errno.EACCES, "Permission denied") from exc

    fake = types.ModuleType("msvcrt")
    fake.LK_NBLCK = 2  # type: ignore[attr-defined]
    fake.locking = locking  # type: ignore[attr-defined]
    monkeypatch.setitem(__import__("sys").modules, "msvcrt", fake)
    monkeypatch.setattr(portable, "WINDOWS", True)

    def no_kill(pid: int, sig: int) -> None:  # on Windows os.kill(pid, 0) ends the process
        raise AssertionError("os.kill on Windows")

    monkeypatch.setattr(os, "kill", no_kill)
    monkeypatch.delattr(os, "pread")
    return fake


# --- file names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("CON", "_CON"),
        ("con.docx", "_con.docx"),
        ("Aux ", "_Aux"),
        ("LPT1", "_LPT1"),
        ("COM¹", "_COM¹"),
        ("Bijlage: 1/2 <concept>?", "Bijlage 12 concept"),
        ("Perspectiefnota 2025. ", "Perspectiefnota 2025"),
        ("...", "bijlage"),
        ("a\tb\nc", "a b c"),
        ("Console", "Console"),
        ("conclusie.docx", "conclusie.docx"),
    ],
)
def test_file_names_are_ones_windows_accepts(text, expected):
    assert portable.file_name(text, "bijlage") == expected


@given(st.text(max_size=300))
def test_every_file_name_made_is_accepted_by_windows(text):
    name = portable.file_name(text, "bijlage", 180)
    assert name and len(name.encode("utf-8")) <= 181
    assert portable.refused_reason(name) is None
    assert portable.refused_reason(name + ".docx") is None
    assert portable.refused_reason(name + ".pdf") is None


def test_an_annex_named_after_a_device_or_with_refused_characters_builds(tmp_path, make_example):
    """The edition names the annex file: 'CON' or 'Voorjaar: 1/2?' must still give a file
    a Windows share accepts."""
    import openpyxl

    path = tmp_path / "register.xlsx"
    path.write_bytes(EXAMPLE.read_bytes())
    wb = openpyxl.load_workbook(path)
    sheet = wb["Instellingen"]
    for row in sheet.iter_rows():
        if row[0].value and "editie" in str(row[0].value).lower():
            row[1].value = 'Voorjaar: 1/2 "concept"?. '
    wb.save(path)
    out = tmp_path / "uit"
    result = CliRunner().invoke(cli, ["build", str(path), "--out", str(out)])
    assert result.exit_code in (0, 1), result.output
    names = [p.name for p in out.glob("*.docx")]
    assert names, result.output
    for name in names:
        assert portable.refused_reason(name) is None, name
    assert any(name.endswith(" - Voorjaar 12 concept.docx") for name in names), names


@pytest.mark.parametrize("name", ["CON.xlsx", "register:2025.xlsx", "aux.xlsx", "nul .xlsx"])
def test_a_new_register_with_a_name_windows_refuses_is_refused_in_dutch(tmp_path, name):
    result = CliRunner().invoke(cli, ["init", str(tmp_path / name)])
    assert result.exit_code == 2
    assert "kan geen registernaam zijn" in result.output and "Windows" in result.output
    assert not list(tmp_path.iterdir())


def test_an_uploaded_file_name_windows_refuses_is_made_safe():
    assert safe_upload_name("CON.xlsx") == "_CON.xlsx"
    assert safe_upload_name("C:\\Users\\anna\\lpt1.xlsx") == "_lpt1.xlsx"
    assert safe_upload_name("conclusie.xlsx") == "conclusie.xlsx"
    assert safe_upload_name("register.xlsx") == "register.xlsx"


# --- the build lock on Windows ----------------------------------------------------------


def test_the_windows_lock_refuses_a_second_build_and_stays_behind_empty(tmp_path, windows):
    out = tmp_path / "uit"
    with folder_lock(out):
        lock = out / output.LOCK_NAME
        assert lock.read_text() == f"{os.getpid()}\n"
        with pytest.raises(OutputError, match="maakt een andere toolkit-bouw"):
            output._acquire(lock, out, "een ander proces")
        output.note_pending(out, {PILOT_DOC: "a" * 64})
    # an open file cannot be removed on Windows: it stays, emptied of this build's notes
    assert lock.exists() and lock.read_bytes() == b""
    with folder_lock(out):
        assert output.pending_from_killed_build(out) == {}


def test_the_windows_lock_reads_what_a_killed_build_noted(tmp_path, windows):
    out = tmp_path / "uit"
    out.mkdir()
    (out / output.LOCK_NAME).write_text(f"4242\ndocument {'b' * 64} {PILOT_DOC}\n")
    with folder_lock(out):
        assert output.pending_from_killed_build(out) == {PILOT_DOC: {"b" * 64}}
        assert (out / output.LOCK_NAME).read_text() == f"{os.getpid()}\n"


def test_a_build_on_windows_paths_runs_twice_in_the_same_folder(tmp_path, windows, monkeypatch):
    monkeypatch.setattr(portable, "HAS_FORK", False)
    out = tmp_path / "uit"
    for _ in range(2):
        result = CliRunner().invoke(cli, ["build", str(EXAMPLE), "--out", str(out)])
        assert result.exit_code == 0, result.output
    assert not list(out.glob("*(bewerkt *)*"))  # the second build knew the first's annexes
    Document(str(out / PILOT_DOC))


def test_temporaries_on_windows_are_judged_by_age_never_by_probing_a_pid(tmp_path, windows):
    machine = output._machine()
    fresh = tmp_path / f"{output.TEMP_PREFIX}{machine}-999999-a-x.docx"
    old = tmp_path / f"{output.TEMP_PREFIX}{machine}-999998-b-x.docx"
    fresh.write_bytes(b"")
    old.write_bytes(b"")
    long_ago = time.time() - output.STALE_AFTER_SECONDS - 60
    os.utime(old, (long_ago, long_ago))
    assert remove_stale_temporaries(tmp_path) == [old]
    assert fresh.exists()
    assert portable.pid_alive(999999) is None


# --- file systems without hard links --------------------------------------------------


@pytest.mark.parametrize("force_windows", [False, True])
def test_writing_a_new_file_without_hard_links_never_overwrites(tmp_path, monkeypatch, force_windows):
    def no_link(src, dst):  # type: ignore[no-untyped-def]
        raise OSError(errno.EPERM if not force_windows else errno.EINVAL, "no links")

    monkeypatch.setattr(os, "link", no_link)
    monkeypatch.setattr(portable, "WINDOWS", force_windows)
    target = tmp_path / "nieuw.xlsx"
    atomic_write(target, lambda tmp: tmp.write_bytes(b"eerste"), replace=False)
    assert target.read_bytes() == b"eerste"
    with pytest.raises(FileExistsError):
        atomic_write(target, lambda tmp: tmp.write_bytes(b"tweede"), replace=False)
    assert target.read_bytes() == b"eerste"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nieuw.xlsx"]


def test_init_on_a_share_without_hard_links(tmp_path, monkeypatch):
    monkeypatch.setattr(
        os, "link", lambda src, dst: (_ for _ in ()).throw(OSError(errno.ENOTSUP, "Operation not supported"))
    )
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "register.xlsx")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "register.xlsx").stat().st_size > 0


# --- helper processes -----------------------------------------------------------------


def test_without_fork_the_build_runs_in_order_and_makes_the_same_documents(tmp_path, monkeypatch):
    forked = CliRunner().invoke(cli, ["build", str(EXAMPLE), "--out", str(tmp_path / "a")])
    assert forked.exit_code == 0, forked.output
    monkeypatch.setattr(portable, "HAS_FORK", False)
    assert not parallel.can_fork()

    def no_processes(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a helper process without fork")

    monkeypatch.setattr(parallel.multiprocessing, "get_context", no_processes)
    ordered = CliRunner().invoke(cli, ["build", str(EXAMPLE), "--out", str(tmp_path / "b")])
    assert ordered.exit_code == 0, ordered.output
    for made in (tmp_path / "a").glob("*.docx"):
        assert (
            hashlib.sha256(made.read_bytes()).digest()
            == hashlib.sha256((tmp_path / "b" / made.name).read_bytes()).digest()
        ), made.name


# --- LibreOffice where its installer puts it --------------------------------------------


def test_libreoffice_is_found_in_program_files_on_windows(tmp_path, monkeypatch):
    soffice = tmp_path / "Programma's" / "LibreOffice" / "program" / "soffice.exe"
    soffice.parent.mkdir(parents=True)
    soffice.write_bytes(b"")
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    monkeypatch.setattr(portable, "WINDOWS", True)
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "Programma's"))
    assert pdf.soffice_path() == str(soffice)
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "elders"))
    assert pdf.soffice_path() is None
    from docx import Document

    annex = tmp_path / "x.docx"
    Document().save(str(annex))  # a real annex: it passes the check before LibreOffice
    with pytest.raises(OutputError, match="libreoffice.org"):
        pdf.convert_to_pdf([annex], tmp_path)


# --- scratch folders of the web server and the PDF conversion ----------------------------


def test_scratch_folders_on_windows_go_by_age_and_are_removed_on_release(tmp_path, windows, monkeypatch):
    from toolkit.core import scratch

    mine = scratch.claim("toolkit-proef-", tmp_path)
    assert (mine / scratch.LOCK).exists()
    left = Path(__import__("tempfile").mkdtemp(prefix="toolkit-proef-", dir=tmp_path))
    old = Path(__import__("tempfile").mkdtemp(prefix="toolkit-proef-", dir=tmp_path))
    long_ago = time.time() - scratch.STALE_AFTER - 60
    os.utime(old, (long_ago, long_ago))
    # without locks, a fresh folder of another process is never taken for abandoned
    assert scratch.clean_stale("toolkit-proef-", tmp_path) == [old]
    assert left.exists() and mine.exists()
    fd = scratch._held[mine]
    removing = scratch.shutil.rmtree

    def rmtree(path, **kwargs):  # type: ignore[no-untyped-def]
        with pytest.raises(OSError):  # Windows cannot remove an open file: closed first
            os.fstat(fd)
        removing(path, **kwargs)

    monkeypatch.setattr(scratch.shutil, "rmtree", rmtree)
    scratch.release(mine)
    assert not mine.exists()
