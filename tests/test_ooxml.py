"""Every file the toolkit writes passes the ISO/IEC 29500 schema check (what Office needs).

Word and Excel are stricter than LibreOffice: a part that breaks the schemas makes Office
offer to "repair" the file. The checker is a copy of the project's shared one
(tests/ooxml/, see its README).
"""

from __future__ import annotations

import importlib.util
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, GAPS, ROOT

from toolkit.cli import cli

_spec = importlib.util.spec_from_file_location(
    "ooxml_validate", Path(__file__).parent / "ooxml" / "validate.py"
)
ooxml = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ooxml)


def _problems(path: Path) -> list[str]:
    return [
        f"{name}:{line}: {message}"
        for name, line, message in ooxml.validate(str(path))
        if not message.startswith("SKIPPED")
    ]


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, Path]:
    """One of each file the toolkit writes, made through the commands a user runs."""
    out = tmp_path_factory.mktemp("alles")
    runner = CliRunner()
    files: dict[str, Path] = {}

    def run(*args: str) -> None:
        result = runner.invoke(cli, list(args))
        assert result.exit_code in (0, 1), result.output

    run("build", str(EXAMPLE), "--out", str(out / "bijlagen"), "--previous", str(GAPS))
    for docx in sorted((out / "bijlagen").glob("*.docx")):
        files[docx.name] = docx
    run("init", str(out / "nieuw.xlsx"))
    files["toolkit init"] = out / "nieuw.xlsx"
    run("validate", str(GAPS), "--report-dir", str(out / "rapport"))
    files["validatierapport"] = out / "rapport" / "register_met_gaten_validatie.xlsx"
    run("diff", str(GAPS), str(EXAMPLE), "--report-dir", str(out / "verschillen"))
    (diff,) = (out / "verschillen").glob("*.xlsx")
    files["diff-rapport"] = diff
    run("import", *map(str, sorted((out / "bijlagen").glob("*.docx"))), "--out", str(out / "ingelezen.xlsx"))
    files["ingelezen register"] = out / "ingelezen.xlsx"
    run("new-edition", str(EXAMPLE), str(out / "volgende.xlsx"), "--editie", "Begroting 2026")
    files["new-edition"] = out / "volgende.xlsx"
    for template in ("bijlage.docx", "acties.docx", "pilot_register.xlsx"):
        files[f"sjabloon {template}"] = ROOT / "templates" / template
    files["voorbeeldregister"] = EXAMPLE
    projects = ROOT / "examples" / "projecten" / "projecten_sociale_innovatie.xlsx"
    run("build", str(projects), "--out", str(out / "projecten"))
    (built,) = (out / "projecten").glob("*.docx")
    files["projectenrapportage"] = built  # an own annex type, from its sample card
    run(
        "import",
        str(built),
        "--sjablonen",
        str(projects.parent / "sjablonen"),
        "--out",
        str(out / "projecten_terug.xlsx"),
    )
    files["ingelezen projecten"] = out / "projecten_terug.xlsx"
    run("new-edition", str(projects), str(out / "projecten_volgende.xlsx"), "--editie", "Najaar")
    files["new-edition projecten"] = out / "projecten_volgende.xlsx"
    for example in ("zoetermeer", "leidschendam-voorburg", "projecten"):  # house styles
        for path in sorted((ROOT / "examples" / example).rglob("*.*[xm]")):
            files[f"{example} {path.name}"] = path
    for path in files.values():
        assert path.exists(), path
    return files


NAMES = [
    "Bijlage 5 Monitoring evaluatie pilots - Perspectiefnota 2025.docx",
    "Bijlagen Sterk voor Noord - Perspectiefnota 2025.docx",
    "toolkit init",
    "validatierapport",
    "diff-rapport",
    "ingelezen register",
    "new-edition",
    "sjabloon bijlage.docx",
    "sjabloon acties.docx",
    "sjabloon pilot_register.xlsx",
    "voorbeeldregister",
    "zoetermeer pilots_zoetermeer.xlsx",
    "zoetermeer bijlage.docx",
    "leidschendam-voorburg acties_sterk_voor_noord.xlsx",
    "leidschendam-voorburg acties.docx",
    "projecten projecten_sociale_innovatie.xlsx",
    "projecten projecten.docx",
    "projectenrapportage",
    "ingelezen projecten",
    "new-edition projecten",
]


@pytest.mark.parametrize("name", NAMES)
def test_every_written_file_passes_the_schema_check(written, name):
    assert _problems(written[name]) == []


def test_the_checker_catches_what_office_rejects(written, tmp_path):
    """The check itself can fail: an element out of schema order is reported."""
    source = written[NAMES[0]]
    broken = tmp_path / "kapot.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(broken, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/settings.xml":
                data = data.replace(b"</w:settings>", b'<w:updateFields w:val="true"/></w:settings>')
            zout.writestr(item, data)
    assert any("updateFields" in p for p in _problems(broken))


def test_comment_drawings_have_their_own_vml_id_block(written):
    """Comments on two sheets: each drawing its own o:idmap block and shape ids in it
    (shared blocks make Excel offer a repair; the schema check cannot see this)."""
    with zipfile.ZipFile(written["validatierapport"]) as xlsx:
        drawings = sorted(n for n in xlsx.namelist() if n.endswith(".vml"))
        assert len(drawings) >= 2
        blocks, shapes = [], []
        for name in drawings:
            vml = xlsx.read(name).decode("utf-8")
            (block,) = re.findall(r'idmap\b[^>]*\bdata="(\d+)"', vml)
            ids = [int(n) for n in re.findall(r"_x0000_s(\d+)", vml)]
            assert ids and all(int(block) * 1024 < n < (int(block) + 1) * 1024 for n in ids)
            blocks.append(block)
            shapes += ids
    assert len(set(blocks)) == len(blocks)
    assert len(set(shapes)) == len(shapes)
