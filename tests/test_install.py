"""An installed toolkit (a wheel, outside the repository) has its templates and example."""

from __future__ import annotations

import os
import shutil
import subprocess
import sysconfig
import zipfile

import pytest
from conftest import ROOT

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
    built = run("uv", "build", "--wheel", "--offline", "--out-dir", str(tmp_path / "dist"),
                str(ROOT))
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert BUNDLED <= set(archive.namelist())

    venv = tmp_path / "venv"
    assert run("uv", "venv", "--offline", "-q", str(venv)).returncode == 0
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    installed = run("uv", "pip", "install", "--offline", "--no-deps", "--python", str(python),
                    str(wheel))
    assert installed.returncode == 0, installed.stderr
    # the dependencies come from this test's environment; the toolkit only from the wheel
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"]}
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    where = run(str(python), "-c", "import toolkit; print(toolkit.__file__)", cwd=elsewhere,
                env=env)
    assert str(venv) in where.stdout, where.stdout + where.stderr

    result = run(str(python), "-m", "toolkit", "build", "--out", "uit", cwd=elsewhere, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    made = sorted(p.name for p in (elsewhere / "uit").glob("*.docx"))
    assert made == ["Bijlage 5 Monitoring evaluatie pilots - Perspectiefnota 2025.docx",
                    "Bijlagen Sterk voor Noord - Perspectiefnota 2025.docx"]
