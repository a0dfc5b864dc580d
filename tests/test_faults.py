"""Fault injection: hostile and damaged files, hostile surroundings, interrupted runs.

Each case runs the real command in its own process (a reader that aborts the process
must fail its case, not the test run) inside an empty working folder, and asserts the
same contract: no traceback, the documented exit code, a Dutch message, every input
byte-identical, no partial or hidden temporary file, and nothing written outside the
output folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT
from hostile import Case, register_cases, word_cases, write_case

ENGLISH = (
    "Traceback",
    "Error:",
    "Exception",
    "Errno",
    "Usage:",
    "Permission denied",
    "No such file",
    "Onverwachte fout",
)
DUTCH = (" de ", " het ", " een ", " is ", " niet ", " geen ", " kan ", " wordt ")


def _tree(folder: Path) -> dict[str, str]:
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            found[str(path.relative_to(folder))] = "link:" + os.readlink(path)
        elif path.is_file():
            found[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def toolkit(args: list[str], cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "toolkit", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def assert_contract(
    run: subprocess.CompletedProcess[str],
    expect: frozenset[int] | set[int],
    before: dict[str, str],
    workdir: Path,
    outputs: tuple[str, ...],
) -> None:
    """The promise every command keeps, whatever it was handed."""
    said = run.stdout + run.stderr
    assert run.returncode in expect, f"exit {run.returncode}, expected {sorted(expect)}:\n{said}"
    for word in ENGLISH:
        assert word not in said, f"{word!r} in the output:\n{said}"
    if run.returncode == 2:
        message = run.stderr.strip()
        # the message itself, or click's usage line and then the message (a bad option)
        assert message.startswith("Fout:") or "\n\nFout: " in message, said
        assert any(word in f" {message} " for word in DUTCH), message
    after = _tree(workdir)
    for name, digest in before.items():
        assert after.get(name) == digest, f"input {name} changed or removed"
    for name in set(after) - set(before):
        assert name.split(os.sep)[0] in outputs, f"written outside the output folder: {name}"
        base = Path(name).name
        assert not base.startswith((".", "~$")) and not base.endswith(".tmp"), (
            f"temporary file left behind: {name}"
        )
    if run.returncode == 2:
        made = [n for n in set(after) - set(before) if n.endswith((".docx", ".pdf"))]
        assert not made, f"documents written although the command failed: {made}"


@pytest.fixture(scope="session")
def built_annexes(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("gebouwd")
    run = toolkit(["build", str(EXAMPLE), "--out", str(out / "uit")], out)
    assert run.returncode == 0, run.stderr
    return sorted((out / "uit").glob("*.docx"))


def _cases_register() -> list[Case]:
    return list(register_cases(EXAMPLE.read_bytes()))


REGISTER_CASES = _cases_register()


@pytest.mark.parametrize("case", REGISTER_CASES, ids=[c.name for c in REGISTER_CASES])
def test_hostile_register_validate(case: Case, tmp_path: Path) -> None:
    register = write_case(case, tmp_path)
    before = _tree(tmp_path)
    run = toolkit(["validate", register.name, "--report-dir", "rapport"], tmp_path)
    assert_contract(run, case.expect, before, tmp_path, ("rapport",))
    if run.returncode in (0, 1):
        # A readable register always gets its three reports, also with odd characters.
        names = {p.suffix for p in (tmp_path / "rapport").iterdir()}
        assert names == {".xlsx", ".html", ".json"}, names


BUILD_CASES = [c for c in REGISTER_CASES if not c.name.startswith("dtd in ")] + [
    c for c in REGISTER_CASES if c.name in ("dtd in xl/workbook.xml", "dtd in docProps/core.xml")
]


@pytest.mark.parametrize("case", BUILD_CASES, ids=[c.name for c in BUILD_CASES])
def test_hostile_register_build(case: Case, tmp_path: Path) -> None:
    register = write_case(case, tmp_path)
    before = _tree(tmp_path)
    run = toolkit(["build", register.name, "--out", "uit"], tmp_path)
    assert_contract(run, case.expect, before, tmp_path, ("uit",))


def test_hostile_word_files_for_import(built_annexes: list[Path], tmp_path: Path) -> None:
    pilot_annex = next(p for p in built_annexes if "pilots" in p.name)
    failures = []
    for case in word_cases(pilot_annex.read_bytes()):
        folder = tmp_path / case.name.replace("/", "_").replace(" ", "_")
        folder.mkdir()
        path = write_case(case, folder)
        before = _tree(folder)
        run = toolkit(["import", path.name, "--out", "register.xlsx"], folder)
        try:
            assert_contract(run, case.expect, before, folder, ())
        except AssertionError as exc:
            failures.append(f"{case.name}: {exc}")
    assert not failures, "\n".join(failures)


# Hostile surroundings.


def test_output_folder_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "uit").write_text("geen map", encoding="utf-8")
    shutil.copy(EXAMPLE, tmp_path / "register.xlsx")
    before = _tree(tmp_path)
    run = toolkit(["build", "register.xlsx", "--out", "uit"], tmp_path)
    assert_contract(run, {2}, before, tmp_path, ())


def test_report_folder_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "rapport").write_text("geen map", encoding="utf-8")
    shutil.copy(EXAMPLE, tmp_path / "register.xlsx")
    before = _tree(tmp_path)
    run = toolkit(["validate", "register.xlsx", "--report-dir", "rapport"], tmp_path)
    assert_contract(run, {2}, before, tmp_path, ())


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in a read-only folder")
def test_read_only_output_folder(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "register.xlsx")
    (tmp_path / "uit").mkdir()
    (tmp_path / "uit").chmod(0o555)
    try:
        before = _tree(tmp_path)
        run = toolkit(["build", "register.xlsx", "--out", "uit"], tmp_path)
        assert_contract(run, {2}, before, tmp_path, ())
    finally:
        (tmp_path / "uit").chmod(0o755)


def test_symlinks_in_output_folder_never_write_elsewhere(built_annexes: list[Path], tmp_path: Path) -> None:
    outside = tmp_path / "elders"
    outside.mkdir()
    out = tmp_path / "uit"
    out.mkdir()
    for annex in [*built_annexes, built_annexes[0].with_name("manifest.json")]:
        target = outside / annex.name
        target.write_text("van iemand anders", encoding="utf-8")
        (out / annex.name).symlink_to(target)
    shutil.copy(EXAMPLE, tmp_path / "register.xlsx")
    before = _tree(outside)
    run = toolkit(["build", "register.xlsx", "--out", "uit"], tmp_path)
    assert run.returncode in (0, 2), run.stderr
    assert "Traceback" not in run.stderr
    assert _tree(outside) == before


@pytest.mark.parametrize("lock", ["word", "word-kort", "libreoffice"])
def test_an_annex_open_in_word_is_not_replaced(built_annexes: list[Path], tmp_path: Path, lock: str) -> None:
    out = tmp_path / "uit"
    out.mkdir()
    for annex in built_annexes:
        shutil.copy(annex, out / annex.name)
    name = built_annexes[0].name
    lock_name = {"word": f"~${name}", "word-kort": f"~${name[2:]}", "libreoffice": f".~lock.{name}#"}[lock]
    (out / lock_name).write_bytes(b"\x0cgemeente\\medewerker")  # as Word writes its owner file
    shutil.copy(EXAMPLE, tmp_path / "register.xlsx")
    before = _tree(tmp_path)
    run = toolkit(["build", "register.xlsx", "--out", "uit"], tmp_path)
    assert_contract(run, {2}, before, tmp_path, ("uit",))
    assert "geopend in Word" in run.stderr and lock_name in run.stderr
    assert _tree(out) == {
        k.split(os.sep, 1)[1]: v for k, v in before.items() if k.startswith("uit" + os.sep)
    } | {
        k.split(os.sep, 1)[1]: v
        for k, v in _tree(tmp_path).items()
        if k.startswith("uit" + os.sep + "validatie")
    }  # only the reports are new


def test_concurrent_builds_leave_one_whole_set(tmp_path: Path) -> None:
    """Two builds into one folder at once: the manifest describes what is in the folder."""
    shutil.copy(EXAMPLE, tmp_path / "a.xlsx")
    shutil.copy(EXAMPLE, tmp_path / "b.xlsx")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "toolkit", "build", name, "--out", "uit"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a.xlsx", "b.xlsx")
    ]
    results = [(p.wait(timeout=180), p.stderr.read()) for p in runs]
    for code, err in results:
        assert code in (0, 2), err
        assert "Traceback" not in err
        if code == 2:
            assert err.strip().startswith("Fout:"), err
    assert any(code == 0 for code, _ in results)
    manifest = json.loads((tmp_path / "uit" / "manifest.json").read_text(encoding="utf-8"))
    text = json.dumps(manifest)
    for doc in (tmp_path / "uit").glob("*.docx"):
        digest = hashlib.sha256(doc.read_bytes()).hexdigest()
        assert digest in text, f"{doc.name} is not the document the manifest names"
    leftovers = [p.name for p in (tmp_path / "uit").iterdir() if p.name.startswith(".")]
    assert not leftovers


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="helpers are forked on Linux")
def test_kill_during_build_leaves_no_helpers_and_no_temporaries(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from bench import make_register
    finally:
        sys.path.pop(0)
    register = tmp_path / "groot.xlsx"
    make_register(register, 600)  # 600 pilots and 3,000 actions: the helpers start
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "toolkit", "build", register.name, "--out", "uit"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    helpers: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        helpers = _children(process.pid)
        if len(helpers) >= 2:
            break
        time.sleep(0.05)
    if process.poll() is not None:
        pytest.skip("the build finished before its helpers could be seen")
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    alive = helpers
    while alive and time.monotonic() < deadline:
        alive = [
            pid
            for pid in helpers
            if Path(f"/proc/{pid}").exists()
            and "Z" not in (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[:1])
        ]
        time.sleep(0.1)
    assert not alive, f"helper processes outlived the build: {alive}"
    # A later run cleans up what the killed one left and leaves a whole set.
    run = toolkit(["build", register.name, "--out", "uit"], tmp_path, timeout=300)
    assert run.returncode == 0, run.stderr
    hidden = [p.name for p in (tmp_path / "uit").rglob(".*")]
    assert not hidden, hidden


def _tmpfs(folder: Path, size: str) -> bool:
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    )
    return done.returncode == 0


def test_full_disk(tmp_path: Path) -> None:
    disk = tmp_path / "vol"
    if not _tmpfs(disk, "1m"):
        pytest.skip("no small tmpfs can be mounted here")
    try:
        # fill it up but for a few blocks: room for the folder, not for an annex
        room = os.statvfs(disk)
        (disk / "vulling").write_bytes(b"\0" * (room.f_bavail * room.f_frsize - 16 * 1024))
        shutil.copy(EXAMPLE, tmp_path / "register.xlsx")
        before = (tmp_path / "register.xlsx").read_bytes()  # the register is not on the full disk
        run = toolkit(["build", str(tmp_path / "register.xlsx"), "--out", str(disk / "uit")], tmp_path)
        said = run.stdout + run.stderr
        assert run.returncode == 2, said
        assert run.stderr.strip().startswith("Fout:"), said
        assert "Traceback" not in said and "Onverwachte fout" not in said
        assert (tmp_path / "register.xlsx").read_bytes() == before
        left = [p.name for p in (disk / "uit").rglob("*") if p.is_file()] if (disk / "uit").exists() else []
        assert not [n for n in left if n.startswith(".") or n.endswith(".docx")], left
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)
