from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
#: Every build puts the page numbers in the contents with LibreOffice where it is
#: installed (toolkit/build/pagenumbers.py), some seconds a build: the tests build without
#: it (also in the subprocesses they start), except tests/test_page_numbers.py.
os.environ["TOOLKIT_PAGINANUMMERS"] = "0"
#: a helper's result that cannot be pickled fails the test (core/parallel.py), instead of
#: being redone in the main process where only a benchmark would notice
os.environ["TOOLKIT_STRICT_HELPERS"] = "1"
#: CI (.ci/run) runs the property tests with hypothesis' fixed examples, so a submission
#: is judged on the same examples every time; elsewhere they are random and keep finding
#: new edge cases (the ones found so far are in the tests' filters and comments).
#: Neither times an example: speed is measured by benchmarks/, and on a busy machine (or
#: a test run alone, loading pandas in its first example) a deadline only makes flakes.
settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("default", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
EXAMPLE = ROOT / "examples" / "voorbeeld_register.xlsx"
GAPS = DATA / "register_met_gaten.xlsx"
TEMPLATE = ROOT / "templates" / "pilot_register.xlsx"
#: A new register starts neutral (toolkit init); tests that need a complete register
#: name their municipality, as the example does.
MUNICIPALITY = {
    "gemeente": "Zoetermeer",
    "editie": "Programmabegroting 2025",
    "actieprogramma": "Sterk voor Noord",
}


def _load_example_module():
    spec = importlib.util.spec_from_file_location("make_example", ROOT / "examples" / "make_example.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_example"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def make_example():
    return _load_example_module()


def with_example_lists(lists: dict | None = None) -> dict[str, list[str]]:
    """Every list with the example municipality's values (make_example.EXAMPLE_LISTS),
    then the given lists over them."""
    from toolkit.declarations import schema

    module = sys.modules.get("make_example") or _load_example_module()
    return {
        **{voc.key: list(module.EXAMPLE_LISTS.get(voc.key, voc.values)) for voc in schema.VOCABULARIES},
        **(lists or {}),
    }


@pytest.fixture(scope="session")
def example_lists(make_example) -> dict[str, list[str]]:
    return with_example_lists()


@pytest.fixture(autouse=True)
def _registers_hold_the_example_lists(monkeypatch, example_lists):
    """A register a test writes without lists holds the example municipality's lists.

    The declarations leave a municipality's own lists (programmes, portfolios, opgaven)
    empty, and toolkit init does too; the tests' rows use the example's values, as the
    example register does. A test that gives lists (or writes through toolkit init,
    import or new-edition, which always give them) gets exactly those.
    """
    import inspect

    from toolkit.register import write as workbook

    function = workbook.write_register
    params = [
        p
        for p in inspect.signature(function).parameters.values()
        if p.default is not inspect.Parameter.empty and p.kind is p.POSITIONAL_OR_KEYWORD
    ]
    defaults = list(function.__defaults__)
    defaults[[p.name for p in params].index("lists")] = example_lists
    monkeypatch.setattr(function, "__defaults__", tuple(defaults))


@pytest.fixture(scope="session")
def reference_cards(make_example):
    return make_example.parse_pilots(make_example.PILOTS_TXT.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def reference_actions(make_example):
    return make_example.parse_actions(make_example.ACTIONS_TXT.read_text(encoding="utf-8"))


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


needs_libreoffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice ontbreekt")


def convert(path: Path, fmt: str, outdir: Path) -> Path:
    """Convert with LibreOffice headless in its own profile (parallel-safe)."""
    profile = outdir / "lo-profile"
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    out = outdir / (path.stem + "." + fmt.split(":")[0])
    assert out.exists(), f"LibreOffice produced no {out.name}"
    return out
