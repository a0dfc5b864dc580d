"""The command line as a coordinator meets it: Dutch help, versions, exit codes."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner
from conftest import ROOT

from toolkit import __version__
from toolkit.cli import cli


def test_help_is_dutch_with_an_example():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "Register van pilots en acties" in result.output
    assert "Voorbeeld:" in result.output
    assert "Toon deze hulp en stop." in result.output


def test_every_command_has_dutch_help_with_an_example():
    for name in cli.commands:
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Voorbeeld:" in result.output, name
        assert f"toolkit {name}" in result.output, name


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"toolkit {__version__}"


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys; from toolkit.cli import cli; "
        "heavy = [m for m in ('pandas', 'pandera', 'openpyxl', 'docx', 'docxtpl') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_command_is_in_the_readme():
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"toolkit {name}" in readme, name
    assert "uv run toolkit build" in readme
    assert "uv run pytest" in readme


def test_template_docs_are_current():
    from conftest import ROOT

    from toolkit.layouts.render import tags_markdown

    assert (ROOT / "docs" / "sjablonen.md").read_text(encoding="utf-8") == tags_markdown()


def test_click_speaks_dutch_too():
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 2
    assert "validate [OPTIES] REGISTER" in result.output and "Gebruik:" in result.output
    assert "Fout: Argument ontbreekt 'REGISTER'." in result.output
    result = CliRunner().invoke(cli, ["--help"])
    assert "Commando's:" in result.output and "Opties:" in result.output
    for word in ("Usage", "Options", "Commands", "Show this message", "[default"):
        assert word not in result.output


def test_import_names_the_first_notes_and_counts_the_rest(tmp_path, monkeypatch):
    """An annex of 10,000 pilots gave 1,600 'let op' lines; the report has them all."""
    from toolkit.editions import annex_import

    imported = annex_import.Imported()
    imported.tables["Pilots"] = [{"id": "P-1"}]
    imported.report.notes = [f"Pilot {i}: de vermelding 'laatste keer' is herkend." for i in range(40)]
    report = tmp_path / "r_importverslag.txt"
    monkeypatch.setattr(annex_import, "import_annexes", lambda paths, templates=None: imported)
    monkeypatch.setattr(annex_import, "write_imported", lambda imp, out: (out, report))
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "b.docx"), "--out", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert sum(line.startswith("  let op: ") for line in lines) == 25
    assert "  … en nog 15 meer; zie het importverslag." in lines
    assert lines[-1] == f"Importverslag: {report}"


def test_import_shows_a_cut_text_before_the_notes(tmp_path, monkeypatch):
    """A text cut to fit an Excel cell is lost from the register: its warning is never
    among the lines left out."""
    from toolkit.editions import annex_import
    from toolkit.register.write import CutValue

    imported = annex_import.Imported()
    imported.tables["Pilots"] = [{"id": "P-1"}]
    imported.report.notes = [f"Pilot {i}: iets om te weten." for i in range(40)]
    imported.report.cuts = [CutValue("Pilots", "C2", "Korte omschrijving", "Pilot 1", "x" * 40_000)]
    monkeypatch.setattr(annex_import, "import_annexes", lambda paths, templates=None: imported)
    monkeypatch.setattr(annex_import, "write_imported", lambda imp, out: (out, tmp_path / "v.txt"))
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "b.docx"), "--out", str(tmp_path / "r.xlsx")])
    lines = result.output.splitlines()
    assert lines[1].startswith("  waarschuwing: ") and "C2" in lines[1]
    assert sum(line.startswith("  let op: ") for line in lines) == 24


def test_tags_prints_the_template_reference_also_where_docs_is_not_installed():
    """The messages about a template point to 'toolkit tags': after `uv tool install`
    there is no docs/ folder to read."""
    from toolkit.layouts.render import tags_markdown

    result = CliRunner().invoke(cli, ["tags"])
    assert result.exit_code == 0
    assert result.output == tags_markdown()
    assert (ROOT / "docs" / "sjablonen.md").read_text(encoding="utf-8") == result.output
