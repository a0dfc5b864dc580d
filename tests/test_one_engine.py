"""One engine: the bundled annexes are declarations and templates like any other.

The proof: a copy of the bundled declarations and templates with every key renamed (type,
sheet, table, columns, lists, meanings, settings, template file names, tags), used as a
municipality's own annex types, builds the same documents from the same data. And the
bundled annexes read as they did before they became declarations (fixtures in
tests/data/bundled_before, written by tests/capture_bundled_before.py).
"""

from __future__ import annotations

import json
import re
import shutil
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest
from annex_signature import signature
from click.testing import CliRunner

from toolkit.cli import cli
from toolkit.declarations.annextypes import BUILTIN, BUNDLED_FOLDER
from toolkit.layouts.render import BUNDLED_TEMPLATES
from toolkit.register.read import read_register
from toolkit.register.write import write_register

ROOT = Path(__file__).resolve().parent.parent
BEFORE = ROOT / "tests" / "data" / "bundled_before"
LEGACY = ROOT / "tests" / "data" / "legacy_templates"
EXAMPLES = {
    "voorbeeld": ROOT / "examples" / "voorbeeld_register.xlsx",
    "zoetermeer": ROOT / "examples" / "zoetermeer" / "pilots_zoetermeer.xlsx",
    "sterk_voor_noord": ROOT / "examples" / "leidschendam-voorburg" / "acties_sterk_voor_noord.xlsx",
}


def _built(register: Path, out: Path, *options: str) -> dict[str, Path]:
    result = CliRunner().invoke(cli, ["build", str(register), "--out", str(out), *options])
    assert result.exit_code == 0, result.output
    return {("acties" if path.name.startswith("Bijlagen") else "pilots"): path for path in out.glob("*.docx")}


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_the_bundled_annexes_read_as_before(tmp_path, example) -> None:
    """Every paragraph (style and text) and table cell as before the port."""
    for kind, path in _built(EXAMPLES[example], tmp_path / "uit").items():
        before = json.loads((BEFORE / f"{example}_{kind}.json").read_text(encoding="utf-8"))
        assert json.loads(json.dumps(signature(path))) == before, (example, kind)


def test_a_template_from_before_the_port_still_builds_the_same(tmp_path) -> None:
    """A municipality's template made by 'toolkit sjablonen' in round 2 has the block tags
    {{ pilotkaarten }} and {{ opgaven }}: there the bundled sample card and row go."""
    folder = tmp_path / "oud"
    shutil.copytree(LEGACY, folder)
    for name in ("bijlage.docx", "acties.docx"):
        xml = zipfile.ZipFile(folder / name).read("word/document.xml")
        assert b"{{ pilotkaarten }}" in xml or b"{{ opgaven }}" in xml
        assert b"{{ einde }}" not in xml
    built = _built(EXAMPLES["voorbeeld"], tmp_path / "uit", "--sjablonen", str(folder))
    for kind, path in built.items():
        before = json.loads((BEFORE / f"voorbeeld_{kind}.json").read_text(encoding="utf-8"))
        mine = json.loads(json.dumps(signature(path)))
        # the old templates are in the example municipalities' own fonts; the text is the same
        assert [b for b in mine if b[0] == "t"] == [b for b in before if b[0] == "t"]
        assert [b[2] for b in mine if b[0] == "p"][-20:] == [b[2] for b in before if b[0] == "p"][-20:]


# --- the renamed copy -----------------------------------------------------------------

_KEY_FIELDS = (
    "sleutel",
    "lijst",
    "sleutelkolom",
    "naamkolom",
    "eigenaarkolom",
    "kolom",
    "als_leeg",
    "nummer_vanaf",
    "rijen",
    "kolommen",
    "cellen",
    "eerste",
    "tweede",
    "derde",
    "als",
    "vereist",
    "datum",
    "status",
    "nieuwe_pagina",
    "velden",
    "tekst",
    "toelichting",
)


def _renamed(value: Any, keys: dict[str, str], field: str = "") -> Any:
    """A declaration's value with every key renamed (x_ before it), placeholders too."""
    if isinstance(value, dict):
        out = {}
        for name, item in value.items():
            if field == "tags":  # tag name = pattern: the pattern's placeholders
                out[name] = _renamed(item, keys, "pattern")
            else:
                out[name] = _renamed(item, keys, name)
        return out
    if isinstance(value, list):
        return [_renamed(item, keys, field) for item in value]
    if isinstance(value, str):
        if field in _KEY_FIELDS or field in ("sorteren", "leeg", "kolommen_uniek", "kenmerken"):
            return keys.get(value, value)
        return re.sub(r"\{([a-z][a-z0-9_]*)\}", lambda m: "{" + keys.get(m.group(1), m.group(1)) + "}", value)
    return value


def _toml(value: Any, path: tuple[str, ...] = ()) -> str:
    """A small TOML writer for the declarations' shape (tables, arrays of tables, values)."""

    def scalar(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int):
            return str(v)
        if isinstance(v, list):
            return "[" + ", ".join(scalar(x) for x in v) + "]"
        return json.dumps(v, ensure_ascii=False)

    lines: list[str] = []
    plain = {
        k: v
        for k, v in value.items()
        if not isinstance(v, dict) and not (isinstance(v, list) and v and all(isinstance(x, dict) for x in v))
    }
    for k, v in plain.items():
        lines.append(f"{k} = {scalar(v)}")
    for k, v in value.items():
        if isinstance(v, dict):
            lines += ["", f"[{'.'.join((*path, k))}]", _toml(v, (*path, k))]
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            for item in v:
                lines += ["", f"[[{'.'.join((*path, k))}]]", _toml(item, (*path, k))]
    return "\n".join(lines)


def _renamed_copy(folder: Path) -> dict[str, str]:
    """The bundled declarations and templates, every key renamed, into folder."""
    folder.mkdir()
    keys: dict[str, str] = {}
    declarations = {
        path.stem: tomllib.loads(path.read_text(encoding="utf-8"))
        for path in sorted(BUNDLED_FOLDER.glob("*.toml"))
    }
    for data in declarations.values():
        keys[data["bijlagetype"]["sleutel"]] = "x_" + data["bijlagetype"]["sleutel"]
        for entry in (*data.get("kolom", []), *data.get("instelling", []), *data.get("lijst", [])):
            keys[entry["sleutel"]] = "x_" + entry["sleutel"]
        for entry in data.get("lijst", []):
            for meaning in entry.get("betekenis", []):
                keys[meaning["sleutel"]] = "x_" + meaning["sleutel"]
    for stem, data in declarations.items():
        data = _renamed(data, keys)
        head, tab = data["bijlagetype"], data["tabblad"]
        template = BUNDLED_TEMPLATES[head["sjabloon"]]
        head["sjabloon"] = f"eigen_{template.name}"
        head.pop("volgorde", None)
        head.pop("regels", None)  # rules are findings; the documents are what is compared
        data.pop("regel", None)
        tab["naam"], tab["tabel"] = f"Eigen {tab['naam']}", f"Eigen_{tab['tabel']}"
        for entry in data.get("lijst", []):
            entry["naam"] = f"{entry['naam']} (eigen)"
        for entry in data.get("instelling", []):
            entry["naam"] = f"{entry['naam']} (eigen)"
        (folder / f"eigen_{stem}.toml").write_text(_toml(data) + "\n", encoding="utf-8")
        with (
            zipfile.ZipFile(template) as source,
            zipfile.ZipFile(folder / head["sjabloon"], "w", zipfile.ZIP_DEFLATED) as target,
        ):
            for item in source.infolist():
                content = source.read(item.filename)
                if item.filename.endswith(".xml"):
                    content = re.sub(
                        rb"\{\{ ([a-z][a-z0-9_]*) \}\}",
                        lambda m: (
                            b"{{ " + keys.get(m.group(1).decode(), m.group(1).decode()).encode() + b" }}"
                        ),
                        content,
                    )
                target.writestr(item, content)
    return keys


def test_a_renamed_copy_of_the_bundled_types_builds_the_same_documents(tmp_path) -> None:
    folder = tmp_path / "sjablonen"
    keys = _renamed_copy(folder)
    types = BUILTIN.with_folder(folder)
    own = [t for t in types.types if not t.bundled]
    assert sorted(t.key for t in own) == ["x_acties", "x_pilots"]
    original = read_register(EXAMPLES["voorbeeld"])
    tables = {}
    for annex in BUILTIN.types:
        copy = types.get(keys[annex.key])
        tables[copy.sheet.name] = [
            {keys.get(k, k): v for k, v in r.values.items()} for r in original.tables[annex.sheet.name]
        ]
    settings = {keys.get(k, k): v for k, v in original.settings.items() if v is not None}
    settings["sjablonen"] = "sjablonen"
    lists = {keys.get(k, k): v for k, v in original.lists.items()}
    meanings = {
        keys.get(k, k): {value: keys.get(m, m) for value, m in found.items()}
        for k, found in original.meanings.items()
    }
    register = tmp_path / "eigen.xlsx"
    write_register(
        register,
        settings=settings,
        lists=lists,
        meanings=meanings,
        sheets=tuple(tables),
        tables=tables,
        types=types,
    )
    mine = _built(register, tmp_path / "eigen")
    bundled = _built(EXAMPLES["voorbeeld"], tmp_path / "meegeleverd")
    assert sorted(mine) == sorted(bundled) == ["acties", "pilots"]
    for kind in mine:
        assert signature(mine[kind]) == signature(bundled[kind]), kind


def test_the_renamed_copy_reads_the_hand_made_reference_annexes_alike(tmp_path, monkeypatch) -> None:
    """How a hand-made annex is read is declared ([inlezen]), not coded: with the bundled
    types' declarations of it taken away, the renamed copy reads the hand-made pilot and
    action annexes (the reference format) into the same rows and settings."""
    import dataclasses

    from toolkit.declarations.annextypes import AnnexTypes
    from toolkit.editions import annex_import

    data = ROOT / "tests" / "data"
    annexes = [data / "handgemaakte_pilotbijlage.docx", data / "handgemaakte_acties.docx"]
    bundled = annex_import.import_annexes(annexes)
    folder = tmp_path / "sjablonen"
    keys = _renamed_copy(folder)
    silent = AnnexTypes(tuple(dataclasses.replace(t, handmade=None) for t in BUILTIN.types))
    monkeypatch.setattr(annex_import, "BUILTIN", silent)
    mine = annex_import.import_annexes(annexes, folder)
    for annex in BUILTIN.types:
        copy = mine.types.get(keys[annex.key])
        expected = [{keys.get(k, k): v for k, v in row.items()} for row in bundled.tables[annex.sheet.name]]
        assert expected and mine.tables[copy.sheet.name] == expected, annex.key
    # the copy's setting is called 'Inleiding (eigen)': the heading 'Inleiding' is not its name
    expected_settings = {keys.get(k, k): v for k, v in bundled.settings.items() if k != "inleiding"}
    assert mine.settings == expected_settings and "inleiding" in bundled.settings
    assert mine.report.notes == bundled.report.notes
