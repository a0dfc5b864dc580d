"""The web editions of the three bundled examples, built once per test session
(toolkit build --html), and helpers to read their pages as a user's browser would."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, ROOT
from lxml import html as lxml_html

from toolkit.cli import cli

EXAMPLES = {
    "voorbeeld": EXAMPLE,
    "moties": ROOT / "examples" / "moties" / "moties_toezeggingen.xlsx",
    "projecten": ROOT / "examples" / "projecten" / "projecten_sociale_innovatie.xlsx",
}


def build_web(register: Path, out: Path, *extra: str) -> Path:
    result = CliRunner().invoke(cli, ["build", str(register), "--out", str(out), "--html", *extra])
    assert result.exit_code == 0, result.output
    return out / "web"


_BUILT: dict[str, Path] = {}


def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """name -> OUT/web of that example; built once for every test module that asks."""
    if not _BUILT:
        base = tmp_path_factory.mktemp("webeditie")
        _BUILT.update({name: build_web(register, base / name) for name, register in EXAMPLES.items()})
    return dict(_BUILT)


def page(path: Path):  # type: ignore[no-untyped-def]
    return lxml_html.fromstring(path.read_bytes())


def pages(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.html"))
