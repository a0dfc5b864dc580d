"""An installed toolkit (a wheel, outside the repository) has its templates and example."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT

BUNDLED = {
    "toolkit/_data/templates/bijlage.docx",
    "toolkit/_data/templates/acties.docx",
    "toolkit/_data/templates/pilot_register.xlsx",
    "toolkit/_data/examples/voorbeeld_register.xlsx",
}


@pytest.mark.skipif(shutil.which("uv") is None, reason="uv ontbreekt")
def test_an_installed_wheel_builds_the_example_outside_the_repository(tmp_path):
    def run(*command: str, **kwargs) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
        return subprocess.run(command, capture_output=True, text=True, timeout=300, **kwargs)

    # offline: everything needed is in uv's cache after `uv sync`
    built = run("uv", "build", "--wheel", "--offline", "--out-dir", str(tmp_path / "dist"), str(ROOT))
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert BUNDLED <= names
    # the validators/ folder installs inside the package, never as a top-level `validators`
    assert {"toolkit/validators/__init__.py", "toolkit/validators/schemas.py"} <= names
    assert not [name for name in names if name.startswith("validators/")]
    assert not [name for name in names if "__pycache__" in name]

    venv = tmp_path / "venv"
    assert run("uv", "venv", "--offline", "-q", str(venv)).returncode == 0
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    installed = run("uv", "pip", "install", "--offline", "--no-deps", "--python", str(python), str(wheel))
    assert installed.returncode == 0, installed.stderr
    # the dependencies come from this test's environment; the toolkit only from the wheel;
    # PyPI's `validators` package (here a stand-in) installed beside it changes nothing
    clash = fake_validators_package(tmp_path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(clash), sysconfig.get_paths()["purelib"]])}
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    where = run(str(python), "-c", "import toolkit; print(toolkit.__file__)", cwd=elsewhere, env=env)
    assert str(venv) in where.stdout, where.stdout + where.stderr

    result = run(str(python), "-m", "toolkit", "build", "--out", "uit", "--html", cwd=elsewhere, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    made = sorted(p.name for p in (elsewhere / "uit").glob("*.docx"))
    assert made == [
        "Bijlage 5 Monitoring evaluatie pilots - Perspectiefnota 2025.docx",
        "Bijlagen Sterk voor Noord - Perspectiefnota 2025.docx",
    ]
    assert "toolkit/build/web_edition/templates/bijlage.html" in names  # the web edition's pages
    assert (elsewhere / "uit" / "web" / "pilots.html").is_file()

    checked = run(
        str(python),
        "-m",
        "toolkit",
        "validate",
        "--report-dir",
        "rapport",
        str(EXAMPLE),
        cwd=elsewhere,
        env=env,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr  # warnings only
    assert "Onverwachte fout" not in checked.stdout + checked.stderr


def fake_validators_package(where: Path) -> Path:
    """A folder holding a stand-in for PyPI's `validators` package (a URL/e-mail checker)."""
    folder = where / "pypi"
    (folder / "validators").mkdir(parents=True)
    (folder / "validators" / "__init__.py").write_text(
        '"""Stand-in for PyPI\'s validators package."""\n\ndef url(value):\n    return True\n',
        encoding="utf-8",
    )
    return folder


def test_validate_works_beside_pypis_validators_package(tmp_path):
    """PyPI's `validators` earlier on the path: the toolkit's own schemas still load.

    The project's validators/ folder is imported as toolkit.validators, so the top-level
    name is free for whatever else is installed (it once failed with an ImportError).
    """
    clash = fake_validators_package(tmp_path)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(clash), os.environ.get("PYTHONPATH")])),
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "toolkit",
            "validate",
            "--report-dir",
            str(tmp_path / "rapport"),
            str(EXAMPLE),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output  # the example register has warnings only
    assert "Onverwachte fout" not in output and "ImportError" not in output
    assert "wijkt in hoofdletters" in output
    assert (tmp_path / "rapport" / "voorbeeld_register_validatie.json").exists()
    # and the stand-in is what `import validators` gives in that environment
    seen = subprocess.run(
        [
            sys.executable,
            "-c",
            "import validators, toolkit.validators as v; print(validators.__doc__); print(v.__file__)",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
    )
    assert "Stand-in" in seen.stdout, seen.stderr
    assert str(ROOT / "validators") in seen.stdout


def test_the_browser_tests_skip_cleanly_without_playwright():
    """`uv run pytest` on a fresh clone has no playwright (the dev group, for CI only):
    the browser tests are skipped, not failed."""
    script = (
        "import sys, pytest\n"
        "sys.modules['playwright'] = None  # as if the dev group were not installed\n"
        "sys.modules['axe_playwright_python'] = None\n"
        "sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', '-rs', "
        "'tests/test_web_browser.py']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    # 5: this file alone then has no test left to run; in the whole suite that is 0
    assert done.returncode in (0, 5), done.stdout + done.stderr
    assert "could not import 'playwright.sync_api'" in done.stdout
    assert "1 skipped" in done.stdout and "failed" not in done.stdout
    assert "error" not in done.stdout.lower()


def test_the_toolkit_needs_no_test_tool_and_ci_installs_every_group():
    """`uv run toolkit build` installs the dependencies and the small default test group;
    the heavy tools are in `dev`, which .ci/run adds (uv run keeps them: inexact sync)."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    groups = project["dependency-groups"]
    assert project["tool"]["uv"]["default-groups"] == ["test"]
    heavy = {"playwright", "axe-playwright-python", "ruff", "mypy"}
    names = {group: {re.split(r"[<>=\[ ;]", item)[0] for item in items} for group, items in groups.items()}
    assert heavy <= names["dev"] and not heavy & names["test"]
    assert {"pytest", "hypothesis", "pypdf"} <= names["test"]
    runtime = {re.split(r"[<>=\[ ;]", item)[0] for item in project["project"]["dependencies"]}
    assert not (heavy | names["test"]) & runtime
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "uv sync --quiet --all-groups" in ci and "uv run pytest" in ci
    assert "compile-bytecode" not in project["tool"]["uv"]  # its English line on every run
