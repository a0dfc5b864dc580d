"""Faults around the files: each gives a short Dutch message and its documented exit code.

Unwritable and full folders, unreadable registers, file names that are not UTF-8, paths
that are too long, a closed pipe, Ctrl+C, and symbolic links in the output folder.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, ROOT

from toolkit.cli import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED, cli
from toolkit.core import output  # noqa: F401 - imported before read_register is patched
from toolkit.core.errors import OutputError
from toolkit.core.output import TEMP_PREFIX, atomic_write
from toolkit.validation import validate  # noqa: F401 - imported before read_register is patched

PILOT_DOC = "Bijlage 5 Monitoring evaluatie pilots - Perspectiefnota 2025.docx"
TOOLKIT = [sys.executable, "-m", "toolkit"]
ENGLISH = (
    "Traceback",
    "Onverwachte fout",
    "Error:",
    "denied",
    "No such",
    "too long",
    "No space",
    "Read-only",
    "not readable",
)


def _dutch_failure(result, code: int = 2) -> str:
    text = result.output
    assert result.exit_code == code, text
    assert not any(word in text for word in ENGLISH), text
    return text


def _stray(folder: Path) -> list[Path]:
    return list(folder.rglob(f"{TEMP_PREFIX}*"))


# Ctrl+C and a closed pipe ------------------------------------------------------------------


@pytest.mark.parametrize("command", ["validate", "build", "diff"])
def test_ctrl_c_exits_130_with_a_short_dutch_line(tmp_path, monkeypatch, command):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("toolkit.register.read.read_register", interrupted)
    monkeypatch.setattr("toolkit.validation.validate.read_register", interrupted)
    args = {
        "validate": [str(EXAMPLE)],
        "build": [str(EXAMPLE), "--out", str(tmp_path)],
        "diff": [str(EXAMPLE), str(EXAMPLE)],
    }[command]
    result = CliRunner().invoke(cli, [command, *args])
    assert result.exit_code == EXIT_INTERRUPTED == 130
    assert "Afgebroken (Ctrl+C)" in result.output
    assert "Traceback" not in result.output


def test_a_closed_pipe_ends_quietly(tmp_path):
    run = subprocess.Popen(
        [*TOOLKIT, "validate", str(EXAMPLE), "--report-dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    first = run.stdout.readline()  # what `| head -1` reads, then it goes away
    run.stdout.close()
    err = run.stderr.read().decode("utf-8", "replace")
    run.stderr.close()
    assert run.wait(timeout=120) == EXIT_BROKEN_PIPE == 141
    assert b"voorbeeld_register" in first
    assert err == ""


# Folders that cannot be written ------------------------------------------------------------


def _raise(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.EACCES, "geen toegang"),
        (errno.EROFS, "alleen-lezen"),
        (errno.ENOSPC, "schijf is vol"),
        (errno.ENAMETOOLONG, "te lang"),
    ],
)
def test_a_report_folder_that_refuses_files_gets_a_dutch_message(tmp_path, monkeypatch, code, words):
    monkeypatch.setattr(output.tempfile, "mkstemp", _raise(code))
    result = CliRunner().invoke(cli, ["validate", str(EXAMPLE), "--report-dir", str(tmp_path)])
    assert words in _dutch_failure(result)


def test_a_full_disk_leaves_no_partial_file_and_the_old_version(tmp_path):
    target = tmp_path / "bijlage.docx"
    target.write_bytes(b"vorige versie")

    def half_then_full(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(OutputError, match="de schijf is vol"):
        atomic_write(target, half_then_full)
    assert target.read_bytes() == b"vorige versie"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bijlage.docx"]


@contextmanager
def _small_disk(path: Path, options: str):
    """A real tmpfs where the machine allows mounting (root in CI); else the test skips."""
    path.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("een eigen tmpfs kan hier niet worden gekoppeld")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("een eigen tmpfs kan hier niet worden gekoppeld")
    try:
        yield path
    finally:
        subprocess.run(["umount", str(path)], capture_output=True)


def test_a_real_full_disk(tmp_path):
    with _small_disk(tmp_path / "vol", "size=96k") as out:
        result = CliRunner().invoke(cli, ["build", str(EXAMPLE), "--out", str(out)])
        assert "de schijf is vol" in _dutch_failure(result)
        assert _stray(out) == []
        assert not [p for p in out.rglob("*.docx") if p.stat().st_size == 0]


def test_a_real_read_only_folder(tmp_path):
    with _small_disk(tmp_path / "alleen-lezen", "ro,size=64k") as out:
        result = CliRunner().invoke(cli, ["validate", str(EXAMPLE), "--report-dir", str(out)])
        assert "alleen-lezen" in _dutch_failure(result)


def test_a_file_where_the_output_folder_should_be(tmp_path):
    (tmp_path / "uit").write_text("geen map")
    result = CliRunner().invoke(cli, ["build", str(EXAMPLE), "--out", str(tmp_path / "uit/sub")])
    assert "bestand waar een map moet staan" in _dutch_failure(result)
    (tmp_path / "uit2").mkdir()
    (tmp_path / "uit2" / "validatie").write_text("geen map")
    result = CliRunner().invoke(cli, ["build", str(EXAMPLE), "--out", str(tmp_path / "uit2")])
    assert "bestand waar een map moet staan" in _dutch_failure(result)


def test_a_path_that_is_too_long(tmp_path):
    long = tmp_path / ("a" * 300)
    for args in (
        ["validate", f"{long}.xlsx"],
        ["build", f"{long}.xlsx"],
        ["validate", str(EXAMPLE), "--report-dir", str(long)],
        ["build", str(EXAMPLE), "--out", str(long / "b")],
    ):
        assert "te lang" in _dutch_failure(CliRunner().invoke(cli, args)), args


def test_an_unreadable_register_in_click_words_is_dutch(tmp_path, monkeypatch):
    @click.command()
    @click.argument("register", type=click.Path(exists=True, readable=True))
    def probe(register):  # the check click.Path makes for a file argument
        pass

    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)
    result = CliRunner().invoke(probe, [str(EXAMPLE)])
    assert result.exit_code == 2
    assert "kan niet worden gelezen (geen leesrechten)" in result.output
    assert "not readable" not in result.output


def test_an_unreadable_register_is_dutch(tmp_path, monkeypatch):
    def denied(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))

    monkeypatch.setattr(Path, "open", denied)
    result = CliRunner().invoke(cli, ["validate", str(EXAMPLE), "--report-dir", str(tmp_path)])
    assert "geen toegang" in _dutch_failure(result)


# File names and links ----------------------------------------------------------------------


@pytest.mark.skipif(sys.platform != "linux", reason="bytenamen in het bestandssysteem: Linux")
def test_a_file_name_that_is_not_utf8_prints_and_is_reported(tmp_path):
    folder = os.fsencode(tmp_path)
    register = folder + b"/register \xe9t\xe9.xlsx"  # Latin-1 from an old SMB share
    Path(os.fsdecode(register)).write_bytes(EXAMPLE.read_bytes())
    for command in (
        ["validate", register, b"--report-dir", folder + b"/rapport \xff"],
        ["build", register, b"--out", folder + b"/uit \xff"],
    ):
        env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
        done = subprocess.run(
            [*(os.fsencode(a) for a in TOOLKIT), *command],
            capture_output=True,
            cwd=ROOT,
            env=env,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
        assert b"Traceback" not in done.stderr
    report = tmp_path / os.fsdecode(b"rapport \xff") / os.fsdecode(b"register \xe9t\xe9_validatie.json")
    assert "register \ufffdt\ufffd.xlsx" in report.read_text(encoding="utf-8")
    manifest = tmp_path / os.fsdecode(b"uit \xff") / "manifest.json"
    assert "register \ufffdt\ufffd.xlsx" in manifest.read_text(encoding="utf-8")


def test_a_link_in_the_output_folder_is_replaced_not_written_through(tmp_path):
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    outside = elsewhere / "belangrijk.docx"
    outside.write_bytes(b"niet van de toolkit")
    out = tmp_path / "uit"
    out.mkdir()
    (out / PILOT_DOC).symlink_to(outside)
    (out / "manifest.json").symlink_to(elsewhere / "manifest.json")  # a dangling link
    result = CliRunner().invoke(cli, ["build", str(EXAMPLE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert outside.read_bytes() == b"niet van de toolkit"
    assert sorted(p.name for p in elsewhere.iterdir()) == ["belangrijk.docx"]
    assert not (out / PILOT_DOC).is_symlink() and (out / PILOT_DOC).stat().st_size > 1000
    assert not (out / "manifest.json").is_symlink()


def test_a_linked_report_folder_is_refused(tmp_path):
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    out = tmp_path / "uit"
    out.mkdir()
    (out / "validatie").symlink_to(elsewhere, target_is_directory=True)
    result = CliRunner().invoke(cli, ["build", str(EXAMPLE), "--out", str(out)])
    assert "snelkoppeling" in _dutch_failure(result)
    assert list(elsewhere.iterdir()) == []
    assert not list(out.glob("*.docx"))


def test_a_link_planted_as_the_lock_file_is_not_followed(tmp_path):
    outside = tmp_path / "elders.txt"
    outside.write_text("blijft")
    out = tmp_path / "uit"
    out.mkdir()
    (out / output.LOCK_NAME).symlink_to(outside)
    result = CliRunner().invoke(cli, ["build", str(EXAMPLE), "--out", str(out)])
    assert "snelkoppeling" in _dutch_failure(result)
    assert outside.read_text() == "blijft"
