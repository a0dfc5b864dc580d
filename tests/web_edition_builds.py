"""The web editions of the three bundled examples, built once per test session
(toolkit build --html), and helpers to read their pages as a user's browser would."""

from __future__ import annotations

import re
import zipfile
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


#: a type the toolkit has never seen: the moties declaration grouped on two levels
#: (portefeuillehouder, then thema), with a cross-tab of eleven columns, and a template
#: that places the status overview after its introduction and the cross-tab at the end
TWO_LEVELS = """
[[indeling.groep]]
kolom = "portefeuillehouder"
kop = "Portefeuillehouder {waarde}"
statusoverzicht = true

[[indeling.groep]]
kolom = "thema"
kop = "Thema {waarde}"

[indeling.statusoverzicht]
kolom = "status"
kop = "Overzicht statussen"

[indeling.kruistabel]
rijen = "thema"
kolommen = "vergadering"
cellen = "status"
kop = "Moties en toezeggingen per thema en vergadering"
"""


def _paragraph(text: str, style: str = "") -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}<w:r><w:t>{text}</w:t></w:r></w:p>"


def two_level_type(folder: Path, placed: bool = True) -> Path:
    """The moties example in folder, declared as TWO_LEVELS; placed: its template puts
    {{ statusoverzicht }} under a heading 'Stand van zaken' after the introduction and
    {{ kruistabel }} under 'Per thema en vergadering' after the cards. The register."""
    import shutil

    shutil.copytree(EXAMPLES["moties"].parent, folder)
    declaration = folder / "sjablonen" / "toezeggingen.toml"
    text = declaration.read_text(encoding="utf-8")
    declaration.write_text(text[: text.index("[[indeling.groep]]")] + TWO_LEVELS, encoding="utf-8")
    if placed:
        template = folder / "sjablonen" / "toezeggingen.docx"
        overview = _paragraph("Stand van zaken", "Heading1") + _paragraph("{{ statusoverzicht }}")
        crosstab = _paragraph("Per thema en vergadering", "Heading1") + _paragraph("{{ kruistabel }}")
        add_to_body(template, before=("{{ wijzigingen }}", overview), after=("{{ einde }}", crosstab))
    return folder / EXAMPLES["moties"].name


def add_to_body(
    template: Path, before: tuple[str, str] | None = None, after: tuple[str, str] | None = None
) -> None:
    """Paragraphs (XML) added to a template's body before or after the paragraph holding
    a text (a tag), as a coordinator would in Word."""
    with zipfile.ZipFile(template) as archive:
        parts = {info: archive.read(info.filename) for info in archive.infolist()}
    info = next(i for i in parts if i.filename == "word/document.xml")
    xml = parts[info].decode("utf-8")
    for where, given in (("before", before), ("after", after)):
        if given is None:
            continue
        text, added = given
        found = re.search(r"<w:p>(?:(?!<w:p>).)*?" + re.escape(text) + r".*?</w:p>", xml, re.S)
        assert found is not None, text
        at = found.start() if where == "before" else found.end()
        xml = xml[:at] + added + xml[at:]
    parts[info] = xml.encode("utf-8")
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as archive:
        for item, data in parts.items():
            archive.writestr(item, data)


def build_web(register: Path, out: Path, *extra: str) -> Path:
    result = CliRunner().invoke(cli, ["build", str(register), "--out", str(out), "--html", *extra])
    assert result.exit_code == 0, result.output
    return out / "web"


_BUILT: dict[str, Path] = {}
#: name -> the register each edition in _BUILT was built from
REGISTERS: dict[str, Path] = dict(EXAMPLES)


def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """name -> OUT/web of that example (and of two_level_type as 'twee-niveaus'); built
    once for every test module that asks."""
    if not _BUILT:
        base = tmp_path_factory.mktemp("webeditie")
        _BUILT.update({name: build_web(register, base / name) for name, register in EXAMPLES.items()})
        REGISTERS["twee-niveaus"] = two_level_type(base / "twee-niveaus-type")
        _BUILT["twee-niveaus"] = build_web(REGISTERS["twee-niveaus"], base / "twee-niveaus")
    return dict(_BUILT)


def page(path: Path):  # type: ignore[no-untyped-def]
    return lxml_html.fromstring(path.read_bytes())


def pages(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.html"))
