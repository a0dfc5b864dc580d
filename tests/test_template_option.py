"""--sjablonen on every command that reads a register, and new-edition into another folder.

The projecten example is an own annex type: its register finds its declaration through
'Map met Word-sjablonen' (relative to the register's folder). A register moved away from
that folder is read with --sjablonen, and a new edition written elsewhere still finds it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from toolkit.cli import cli
from toolkit.declarations import sjablonen
from toolkit.register.read import read_register

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "projecten"
REGISTER = "projecten_sociale_innovatie.xlsx"
COMMANDS = ("validate", "diff", "new-edition", "build", "import", "init")


def _run(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def moved(tmp_path: Path) -> tuple[Path, Path]:
    """(register, templates): the register in another folder than its setting expects."""
    templates = tmp_path / "gedeeld" / "sjablonen"
    shutil.copytree(EXAMPLE / "sjablonen", templates)
    register = tmp_path / "elders" / REGISTER
    register.parent.mkdir()
    shutil.copy(EXAMPLE / REGISTER, register)
    return register, templates


def _setting(path: Path) -> str:
    ws = openpyxl.load_workbook(path)["Instellingen"]
    return next(
        str(row[1] or "") for row in ws.iter_rows(values_only=True) if row[0] == "Map met Word-sjablonen"
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_that_reads_a_register_has_the_option(command: str) -> None:
    result = _run(command, "--help")
    assert result.exit_code == 0 and "--sjablonen MAP" in result.output


def test_a_moved_register_is_read_with_the_option(moved: tuple[Path, Path], tmp_path: Path) -> None:
    register, templates = moved
    # without it the message advises the option, which the command must then accept
    refused = _run("validate", register, "--report-dir", tmp_path / "r0")
    assert refused.exit_code == 2 and "--sjablonen" in refused.output
    checked = _run("validate", register, "--report-dir", tmp_path / "r1", "--sjablonen", templates)
    assert checked.exit_code == 0, checked.output
    assert (tmp_path / "r1" / "projecten_sociale_innovatie_validatie.json").exists()
    compared = _run("diff", register, register, "--report-dir", tmp_path / "d", "--sjablonen", templates)
    assert compared.exit_code == 0, compared.output
    assert "Projecten: 0 nieuw, 0 vervallen, 0 gewijzigd, 7 ongewijzigd." in compared.output
    built = _run("build", register, "--out", tmp_path / "uit", "--sjablonen", templates)
    assert built.exit_code == 0, built.output


def test_new_edition_with_the_option_points_the_new_register_to_the_folder(
    moved: tuple[Path, Path], tmp_path: Path
) -> None:
    register, templates = moved
    new = tmp_path / "volgend jaar" / "2024.xlsx"
    new.parent.mkdir()
    made = _run("new-edition", register, new, "--editie", "Najaar 2023", "--sjablonen", templates)
    assert made.exit_code == 0, made.output
    assert "6 projecten" in made.output
    assert _setting(new) == os.path.join("..", "gedeeld", "sjablonen")
    assert read_register(new).sheets == {"Projecten"}  # found without the option


@pytest.mark.parametrize("command", ("validate", "diff", "new-edition", "build"))
def test_a_folder_that_is_not_there_is_refused(
    moved: tuple[Path, Path], tmp_path: Path, command: str
) -> None:
    register, _ = moved
    args: dict[str, tuple[object, ...]] = {
        "validate": (register, "--report-dir", tmp_path / "r"),
        "diff": (register, register, "--report-dir", tmp_path / "r"),
        "new-edition": (register, tmp_path / "n.xlsx", "--editie", "2024"),
        "build": (register, "--out", tmp_path / "uit"),
    }
    result = _run(command, *args[command], "--sjablonen", tmp_path / "nergens")
    assert result.exit_code == 2, result.output
    assert "'" + str(tmp_path / "nergens") in result.output and "bestaat niet" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "n.xlsx").exists()


def test_new_edition_into_another_folder_keeps_the_templates_reachable(tmp_path: Path) -> None:
    work = tmp_path / "projecten"
    shutil.copytree(EXAMPLE, work)
    new = tmp_path / "archief" / "2024" / "volgende.xlsx"
    new.parent.mkdir(parents=True)
    made = _run("new-edition", work / REGISTER, new, "--editie", "Najaar 2023")
    assert made.exit_code == 0, made.output
    assert _setting(new) == os.path.join("..", "..", "projecten", "sjablonen")
    again = read_register(new)
    assert again.sheets == {"Projecten"} and len(again.tables["Projecten"]) == 6
    checked = _run("validate", new, "--report-dir", tmp_path / "r")
    assert checked.exit_code == 0, checked.output
    # beside the old one: the setting stays as the coordinator wrote it
    beside = work / "volgende.xlsx"
    assert _run("new-edition", work / REGISTER, beside, "--editie", "x").exit_code == 0
    assert _setting(beside) == "sjablonen"


def test_an_absolute_setting_is_kept(tmp_path: Path) -> None:
    work = tmp_path / "projecten"
    shutil.copytree(EXAMPLE, work)
    wb = openpyxl.load_workbook(work / REGISTER)
    ws = wb["Instellingen"]
    (row,) = [r for r in ws.iter_rows() if r[0].value == "Map met Word-sjablonen"]
    row[1].value = str(work / "sjablonen")
    wb.save(work / REGISTER)
    new = tmp_path / "elders" / "volgende.xlsx"
    new.parent.mkdir()
    assert _run("new-edition", work / REGISTER, new, "--editie", "x").exit_code == 0
    assert _setting(new) == str(work / "sjablonen")


def test_without_a_relative_path_the_setting_is_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Windows a folder on another drive has no path relative to the register."""

    def other_drive(path: str, start: str) -> str:
        raise ValueError("path is on mount 'D:', start on mount 'C:'")

    monkeypatch.setattr(os.path, "relpath", other_drive)
    folder = tmp_path / "sjablonen"
    assert sjablonen.folder_setting(folder, tmp_path / "elders" / "r.xlsx") == str(folder.resolve())
