"""The built annexes of a set of registers, as a sha256 per part of each .docx.

tests/test_build_bytes.py compares them with tests/data/build_hashes.json, recorded
before the build was made faster (issue 20): the same input must still give the same
bytes. The parts are hashed uncompressed, so the fixture does not depend on the zlib
version. Record again (only for an intended change of the output):

    uv run python tests/build_hashes.py
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data" / "build_hashes.json"
EXAMPLE = ROOT / "examples" / "voorbeeld_register.xlsx"
GAPS = ROOT / "tests" / "data" / "register_met_gaten.xlsx"
MOTIES = ROOT / "examples" / "moties"
#: pilots in the generated register (and five times as many actions): enough for every
#: group, status, note and long text of the example, small enough for a fast test
GENERATED = 240


def part_hashes(docx: Path) -> dict[str, str]:
    with zipfile.ZipFile(docx) as archive:
        return {name: hashlib.sha256(archive.read(name)).hexdigest() for name in archive.namelist()}


def _built(args: list[str], out: Path) -> dict[str, dict[str, str]]:
    from toolkit.cli import cli

    result = CliRunner().invoke(cli, ["build", *args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return {path.name: part_hashes(path) for path in sorted(out.glob("*.docx"))}


def _moties_previous(work: Path) -> Path:
    """The moties register without one of its rows: that row is new in this edition."""
    older = work / "vorige.xlsx"
    book = openpyxl.load_workbook(work / "moties_toezeggingen.xlsx")
    for row in book["Toezeggingen"].iter_rows(min_row=2):
        if row[0].value == "T2025-003":
            for cell in row:
                cell.value = None
    book.save(older)
    return older


def generated_register(path: Path, n: int = GENERATED) -> Path:
    """benchmarks/bench.py's register of n pilots, each card on a page of its own."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench import make_register

    make_register(path, n)
    book = openpyxl.load_workbook(path)
    sheet = book["Instellingen"]
    for row in sheet.iter_rows(min_row=1):
        if row[0].value and "nieuwe pagina" in str(row[0].value):
            row[1].value = "Ja"
    book.save(path)
    return path


def _generated(work: Path, parallel: bool) -> dict[str, dict[str, str]]:
    from toolkit.build.documents import build_documents
    from toolkit.register.read import read_register

    register = work / "gegenereerd.xlsx"
    if not register.exists():
        generated_register(register)
    out = Path(tempfile.mkdtemp(prefix=f"uit-{parallel}-", dir=work))
    result = build_documents(read_register(register), out, parallel=parallel)
    assert not result.validation.errors
    return {path.name: part_hashes(path) for path in sorted(out.glob("*.docx"))}


def cases(work: Path) -> dict[str, Callable[[], dict[str, dict[str, str]]]]:
    """Each case: a name and how to build it into a fresh folder under work."""
    moties = work / "moties"

    def moties_copy() -> Path:
        if not moties.exists():
            shutil.copytree(MOTIES, moties)
        return moties

    return {
        "voorbeeld": lambda: _built([str(EXAMPLE)], work / "voorbeeld"),
        "voorbeeld_previous": lambda: _built(
            [str(EXAMPLE), "--previous", str(GAPS)], work / "voorbeeld_previous"
        ),
        "zoetermeer": lambda: _built(
            [str(ROOT / "examples" / "zoetermeer" / "pilots_zoetermeer.xlsx")], work / "zoet"
        ),
        "sterk_voor_noord": lambda: _built(
            [str(ROOT / "examples" / "leidschendam-voorburg" / "acties_sterk_voor_noord.xlsx")], work / "svn"
        ),
        "projecten": lambda: _built(
            [str(ROOT / "examples" / "projecten" / "projecten_sociale_innovatie.xlsx")], work / "projecten"
        ),
        "moties": lambda: _built([str(moties_copy() / "moties_toezeggingen.xlsx")], work / "moties_uit"),
        "moties_previous": lambda: _built(
            [
                str(moties_copy() / "moties_toezeggingen.xlsx"),
                "--previous",
                str(_moties_previous(moties_copy())),
            ],
            work / "moties_previous",
        ),
        "gegenereerd": lambda: _generated(work, parallel=False),
        "gegenereerd_parallel": lambda: _generated(work, parallel=True),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        recorded = {name: build() for name, build in cases(Path(tmp)).items()}
    FIXTURE.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{FIXTURE}: {len(recorded)} gevallen")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
