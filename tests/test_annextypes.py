"""Declarations are strict, documented from one registry, and safe to read (#20, #21).

A coordinator writes a declaration (toolkit/declarations/bijlagetypen/*.toml, or *.toml in a
register's folder of Word templates) by hand, and a colleague or an attacker may put any
file there. A misspelt key must be named with the key that was meant, a hostile file
refused in Dutch within seconds, and `toolkit init` must refuse a declaration whose
register it could not read back before it writes anything.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from toolkit.cli import cli
from toolkit.core.errors import TemplateError
from toolkit.declarations import keys as registry
from toolkit.declarations.annextypes import BUILTIN, KINDS, AnnexType, _Reader
from toolkit.declarations.keys import (
    DERIVED,
    FLAG,
    FLAG_OR_TEXT,
    REQUIRED,
    TABLES,
    TEXT,
    TEXT_OR_TEXTS,
    TEXTS,
    WHOLE,
    WHOLE_OR_TEXT,
    WHOLES,
    Key,
    Table,
    keys_markdown,
)
from toolkit.register.read import read_register

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "projecten"
TEMPLATES = EXAMPLE / "sjablonen"
DECLARATION = (TEMPLATES / "projecten.toml").read_text(encoding="utf-8")
#: the example plus every table of [indeling], so that each table of the registry occurs
LAYOUT = """
[indeling]
sorteren = ["startdatum"]
leeg_weglaten = true

[[indeling.groep]]
kolom = "status"
statusoverzicht = true

[indeling.statusoverzicht]
kolom = "status"

[indeling.kruistabel]
rijen = "status"
kolommen = "projectleider"

[indeling.vervolgrij]
kolom = "voortgang"
leeg = ["wat", "waarom"]

[bijlagetype.tags]
programma = "{programma_naam}"

[inlezen]
vorm = "kaarten"
nummering = "PR-{nummer}"
titel = "Projecten {programma_naam}"
kopregel = "Gemeente {gemeente} · {editie}"
kolommen = ["naam", "status"]
toelichting = "voortgang"
laatste_keer = ["voor het laatst"]

[[inlezen.onderdeel]]
kop = "Project"
velden = ["naam", "status"]
labels = ["Naam project"]
tekst = "wat"
laatste_keer = ["afgesloten"]

[sjabloon]
titel = "Projecten {programma_naam}: stand van zaken"
ondertitel = "Gemeente {gemeente} · {editie}"
voetregel = "Projecten · pagina "
documenttitel = "Projectenrapportage"
breedtes = [3, 1]
tabelbeschrijving = "Per project de naam en de status."
"""
FULL = DECLARATION + LAYOUT
SOURCE = Path("projecten.toml")


def _read(data: dict[str, Any]) -> AnnexType:
    return _Reader(SOURCE, data).annex_type(bundled=False)


def _entry(data: dict[str, Any], table: Table) -> dict[str, Any]:
    """The first entry of a table in parsed declaration data."""
    node: Any = data
    for part in table.name.split("."):
        node = node[part]
        if isinstance(node, list):
            node = node[0]
    return node


def _keys() -> list[tuple[str, str]]:
    return [(t.name, k.name) for t in TABLES.values() for k in t.keys]


# -- the registry and its page ----------------------------------------------------------


def test_the_full_example_reads_and_holds_every_table():
    data = tomllib.loads(FULL)
    annex = _read(data)
    assert annex.arrangement.groups[0].column == "status"
    assert annex.arrangement.element("kruistabel") is not None
    for table in TABLES.values():  # a new table: add it to LAYOUT above, so it is tested
        assert _entry(data, table), table.name


def test_the_reference_page_is_generated_from_the_registry():
    page = (ROOT / "docs" / "verklaringen.md").read_text(encoding="utf-8")
    assert page == keys_markdown(), "uv run python -m toolkit.declarations.keys > docs/verklaringen.md"
    for table in TABLES.values():
        assert f"## `{table.heading}`" in page
        for key in table.keys:
            assert f"| `{key.name}` |" in page and f"`{key.name} = " in page
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Een bijlagetype toevoegen") :]
    assert "(docs/verklaringen.md)" in section[: section.index("\n## ", 5)]
    walkthrough = (ROOT / "docs" / "bijlagetypen.md").read_text(encoding="utf-8")
    section = walkthrough[walkthrough.index("\n## Een bijlagetype toevoegen") :]
    assert "](verklaringen.md)" in section[1:].partition("\n## ")[0]


def test_a_new_table_is_one_entry(monkeypatch):
    """What another stage adds (a [[controle]], say) is accepted, checked and documented."""
    monkeypatch.setattr(registry, "TABLES", TABLES.copy())
    registry.declare(
        Table(
            "controle",
            True,
            "Een regel met parameters.",
            (
                Key("soort", TEXT, "De soort regel.", "datumvolgorde"),
                Key("ernst", TEXT, "fout of waarschuwing.", "fout", "fout", choices=("fout", "waarschuwing")),
            ),
        )
    )
    data = tomllib.loads(DECLARATION + '\n[[controle]]\nsoort = "datumvolgorde"\n')
    registry.check_keys(data, "projecten.toml")
    data["controle"][0]["erns"] = "fout"
    with pytest.raises(TemplateError, match=r"\[\[controle\]\] nummer 1\): 'erns' .* bedoelt u 'ernst'"):
        registry.check_keys(data, "projecten.toml")
    assert "## `[[controle]]`" in registry.keys_markdown()


def test_the_registry_agrees_with_the_code_that_uses_it():
    from toolkit.core.sheetscan import MAX_COLUMNS
    from toolkit.declarations.layout import Continuation, GroupLevel, Layout
    from toolkit.register.write import LIST_ROWS

    for table, cls in (
        ("indeling", Layout),
        ("indeling.groep", GroupLevel),
        ("indeling.vervolgrij", Continuation),
    ):
        fields = {
            "nieuw": "new_note",
            "voor_het_laatst": "last_note",
            "leeg_weglaten": "omit_empty",
            "kop": "heading",
            "nieuwe_pagina": "new_page",
            "nummer_vanaf": "number_from",
            "voorvoegsel": "prefix",
            "totaal": "total",
            "cellen": "cells",
            "kolom": "column",
            "leeg": "empty",
        }
        defaults = cls.__dataclass_fields__
        for key in TABLES[table].keys:
            if key.default not in (REQUIRED, DERIVED) and key.name in fields:
                assert defaults[fields[key.name]].default == key.default, (table, key.name)
    kinds = TABLES["kolom"].key("soort")
    assert set(kinds.choices + kinds.also) == set(KINDS)
    assert registry.MAX_LIST_VALUES == LIST_ROWS and registry.MAX_DECLARED_COLUMNS == MAX_COLUMNS


def test_left_out_keys_take_their_documented_default():
    data = tomllib.loads("""
[bijlagetype]
sleutel = "wijkplannen"
[tabblad]
naam = "Wijkplannen"
[[kolom]]
sleutel = "id"
kop = "ID"
[[kolom]]
sleutel = "naam"
kop = "Naam"
[[lijst]]
sleutel = "fase"
naam = "Fasen"
[[lijst.betekenis]]
sleutel = "klaar"
waarde = "Klaar"
[[instelling]]
sleutel = "wijk"
naam = "Wijk"
""")
    annex = _read(data)
    col, voc, setting = annex.sheet.columns[0], annex.vocabularies[0], annex.settings[0]
    role = voc.roles[0]
    said = {
        ("bijlagetype", "naam"): annex.name == "wijkplannen",
        ("bijlagetype", "sjabloon"): annex.template == "wijkplannen.docx",
        ("tabblad", "tabel"): annex.sheet.table_name == "Wijkplannen",
        ("lijst", "waarden"): voc.values == ("Klaar",),
    }
    assert all(said.values()), said
    default = {t: {k.name: k.default for k in TABLES[t].keys} for t in TABLES}
    assert annex.singular == default["bijlagetype"]["enkelvoud"]
    assert annex.plural == default["bijlagetype"]["meervoud"]
    assert annex.order == default["bijlagetype"]["volgorde"]
    assert annex.layout == default["bijlagetype"]["indeling"]
    assert annex.rules == ()  # no [[regel]]: only the rules per column
    assert annex.sheet.key_column == default["tabblad"]["sleutelkolom"]
    assert annex.sheet.name_column == default["tabblad"]["naamkolom"]
    assert annex.sheet.owner_column == default["tabblad"]["eigenaarkolom"]
    assert annex.sheet.purpose == default["tabblad"]["uitleg"]
    assert (
        col.kind.value,
        col.help,
        col.width,
        col.required,
        col.vocabulary,
        col.published,
        list(col.aliases),
    ) == (
        "tekst",
        *(
            default["kolom"][k]
            for k in ("uitleg", "breedte", "verplicht", "lijst", "gepubliceerd", "aliassen")
        ),
    )
    assert voc.help == default["lijst"]["uitleg"]
    assert (role.help, role.required, role.published, role.last_time, role.finished, role.colour) == tuple(
        default["lijst.betekenis"][k]
        for k in ("uitleg", "verplicht", "gepubliceerd", "laatste_keer", "afgerond", "kleur")
    )
    assert (setting.help, setting.default, setting.required, setting.kind.value) == (
        *(default["instelling"][k] for k in ("uitleg", "standaard", "verplicht")),
        "tekst",
    )


# -- strictness: every key of every table -----------------------------------------------


def _misspelt(key: str) -> str:
    return key + key[-1]


@pytest.mark.parametrize(("table", "key"), _keys())
def test_a_misspelt_key_names_file_place_key_and_the_key_meant(table, key):
    data = tomllib.loads(FULL)
    _entry(data, TABLES[table])[_misspelt(key)] = copy.deepcopy(TABLES[table].key(key).example)
    with pytest.raises(TemplateError) as caught:
        _read(data)
    message = str(caught.value)
    assert message.startswith("In de verklaring 'projecten.toml' ("), message
    assert f"'{_misspelt(key)}' is geen sleutel van {TABLES[table].heading}" in message
    assert f"bedoelt u '{key}'?" in message


WRONG = {
    TEXT: 12,
    FLAG: "ja",
    WHOLE: "drie",
    TEXTS: 12,
    TEXT_OR_TEXTS: 12,
    WHOLE_OR_TEXT: True,
    FLAG_OR_TEXT: 3,
    WHOLES: ["breed"],
}


@pytest.mark.parametrize(("table", "key"), _keys())
def test_a_value_of_the_wrong_type_is_named(table, key):
    data = tomllib.loads(FULL)
    _entry(data, TABLES[table])[key] = WRONG[TABLES[table].key(key).type]
    with pytest.raises(TemplateError, match=rf"projecten\.toml.*'{key}'"):
        _read(data)


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        (
            "verplicht = true",
            "verplict = true",
            "([[kolom]] 'id'): 'verplict' is geen sleutel van [[kolom]]; bedoelt u 'verplicht'?",
        ),
        ("[tabblad]", "[tabbald]", "onbekend onderdeel [tabbald]; bedoelt u [tabblad]?"),
        ("[tabblad]", '[groeperen]\nkolom = "status"\n[tabblad]', "onbekend onderdeel [groeperen]"),
        ("[bijlagetype]", "volgorde = 1\n[bijlagetype]", "Hoort hij onder [bijlagetype]?"),
        ("breedte = 30", 'sleutelkolom = "id"', "bedoelt u 'sleutel'? ('sleutelkolom' hoort bij [tabblad].)"),
        ("[tabblad]", "[[tabblad]]", "schrijf [tabblad] (met één paar vierkante haken)"),
        (
            'kleur = "FFF2CC"',
            'kleur = "FFF2CC"\ncolour = "x"',
            "([[lijst]] 'projectstatus', betekenis 'voorbereiding'): 'colour' is geen sleutel",
        ),
        ('soort = "datum"', 'soort = "dag"', "de soort 'dag' bestaat niet; kies uit"),
        ("breedte = 30", "breedte = 500", "'breedte' moet een geheel getal tussen 3 en 120 zijn"),
    ],
)
def test_mistakes_in_the_structure_are_named(old, new, said):
    with pytest.raises(TemplateError) as caught:
        _read(tomllib.loads(FULL.replace(old, new, 1)))
    assert str(caught.value).startswith("In de verklaring 'projecten.toml'")
    assert said in str(caught.value)


def test_a_tag_is_any_name_with_a_text():
    data = tomllib.loads(FULL)
    assert dict(_read(data).tags) == {"programma": "{programma_naam}"}
    data["bijlagetype"]["tags"]["aantal_projecten"] = 3
    with pytest.raises(TemplateError, match=r"\(\[bijlagetype.tags\]\): 'aantal_projecten' moet tekst"):
        _read(data)


def test_a_table_with_the_wrong_brackets_is_named():
    data = tomllib.loads(FULL)
    data["instelling"] = data["instelling"][0]
    with pytest.raises(
        TemplateError,
        match=r"\(\[\[instelling\]\]\): schrijf elk onderdeel als "
        r"\[\[instelling\]\] \(met twee paar",
    ):
        _read(data)


# -- the commands, with a bad declaration in the register's folder ------------------------


@pytest.fixture
def work(tmp_path: Path) -> Path:
    target = tmp_path / "projecten"
    shutil.copytree(EXAMPLE, target)
    return target


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def _refused(args: list[str], folder: Path, said: str, before: set[str]) -> None:
    start = time.monotonic()
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert said in result.output, result.output
    assert "Traceback" not in result.output and "Onverwachte fout" not in result.output
    assert time.monotonic() - start < 10
    assert _files(folder) == before, "nothing written, no temporary left"


def test_every_command_refuses_a_misspelt_key_and_writes_nothing(work):
    declaration = work / "sjablonen" / "projecten.toml"
    declaration.write_text(DECLARATION.replace("verplicht = true", "verplict = true", 1), encoding="utf-8")
    register = work / "projecten_sociale_innovatie.xlsx"
    data = register.read_bytes()
    said = "bedoelt u 'verplicht'?"
    before = _files(work)
    _refused(["validate", str(register), "--report-dir", str(work / "rapport")], work, said, before)
    _refused(["build", str(register), "--out", str(work / "uit")], work, said, before)
    _refused(["init", str(work / "nieuw.xlsx"), "--sjablonen", str(work / "sjablonen")], work, said, before)
    assert register.read_bytes() == data


def _big(folder: Path) -> None:
    columns = "".join(f'\n[[kolom]]\nsleutel = "k{i}"\nkop = "Kolom {i}"\n' for i in range(200_000))
    (folder / "projecten.toml").write_text(DECLARATION + columns, encoding="utf-8")


def _many_columns(folder: Path) -> None:
    columns = "".join(f'\n[[kolom]]\nsleutel = "k{i}"\nkop = "K{i}"\n' for i in range(10_000))
    (folder / "projecten.toml").write_text(DECLARATION + columns, encoding="utf-8")


def _deep(folder: Path) -> None:
    (folder / "projecten.toml").write_text(
        "a = " + "[" * 100_000 + "]" * 100_000 + "\n" + DECLARATION, encoding="utf-8"
    )


def _folder_named_toml(folder: Path) -> None:
    (folder / "projecten.toml").mkdir()


def _text(old: str, new: str) -> Any:
    def change(folder: Path) -> None:
        (folder / "projecten.toml").write_text(DECLARATION.replace(old, new, 1), encoding="utf-8")

    return change


HOSTILE = {
    "9 MiB aan kolommen": (_big, "groter dan 1 MiB"),
    "10.000 kolommen": (_many_columns, "[[kolom]] staat er 10.012 keer; hoogstens 200 mogen"),
    "diep genest": (_deep, "te diep genest"),
    "een map": (_folder_named_toml, "geen gewoon bestand"),
    "tabblad met spatie erachter": (
        _text('naam = "Projecten"', 'naam = "Projecten "'),
        "begint of eindigt met een spatie",
    ),
    "tabblad met spatie ervoor": (
        _text('naam = "Projecten"', 'naam = " Projecten"'),
        "begint of eindigt met een spatie",
    ),
    "tabblad History": (_text('naam = "Projecten"', 'naam = "History"'), "'History'"),
    "lege kop": (_text('kop = "Einde"', 'kop = ""'), "'kop' mag niet leeg zijn"),
    "kop van spaties": (_text('kop = "Einde"', 'kop = "   "'), "'kop' mag niet leeg zijn"),
    "onzichtbare kop": (_text('kop = "Einde"', 'kop = "\\u200b"'), "onzichtbare tekens"),
    "te lange kop": (_text('kop = "Einde"', f'kop = "{"E" * 256}"'), "hoogstens 255"),
    "te lange uitleg": (
        _text('uitleg = "Wie houdt deze rij bij? Wordt nooit gepubliceerd."', f'uitleg = "{"x" * 256}"'),
        "hoogstens 255",
    ),
    "kop twee keer": (_text('kop = "Einde"', 'kop = "start"'), "moet uniek zijn"),
    "lange sleutel": (
        _text('sleutel = "projectleider"', f'sleutel = "{"p" * 100}"'),
        "'sleutel' is 100 tekens lang; hoogstens 64 mogen",
    ),
    "instelling als Gemeente": (
        _text('naam = "Naam programma"', 'naam = "Gemeente"'),
        "heeft de instelling 'gemeente'",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_init_refuses_a_bad_declaration_before_writing_anything(tmp_path, case):
    folder = tmp_path / "sjablonen"
    shutil.copytree(TEMPLATES, folder)
    (folder / "projecten.toml").unlink()
    make, said = HOSTILE[case]
    make(folder)
    before = _files(tmp_path)
    _refused(
        [
            "init",
            str(tmp_path / "nieuw.xlsx"),
            "--gemeente",
            "Delft",
            "--sjablonen",
            str(folder),
            "--bijlagetype",
            "projecten",
        ],
        tmp_path,
        said,
        before,
    )


@pytest.mark.parametrize("case", ["tabblad met spatie erachter", "diep genest"])
def test_validate_blames_the_declaration_not_the_register(work, tmp_path, case):
    make, said = HOSTILE[case]
    (work / "sjablonen" / "projecten.toml").unlink()
    make(work / "sjablonen")
    result = CliRunner().invoke(
        cli,
        [
            "validate",
            str(work / "projecten_sociale_innovatie.xlsx"),
            "--report-dir",
            str(tmp_path / "rapport"),
        ],
    )
    assert result.exit_code == 2 and said in result.output, result.output
    assert "verklaring 'projecten.toml'" in result.output
    assert "register" not in result.output.split("verklaring")[0]
    assert not (tmp_path / "rapport").exists()


def _subprocess_init(tmp_path: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    """In a process of its own, with a deadline: a reader that hangs must fail the test."""
    return subprocess.run(
        [sys.executable, "-m", "toolkit", "init", str(tmp_path / "nieuw.xlsx"), "--sjablonen", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="geen FIFO op dit systeem")
def test_a_fifo_declaration_does_not_hang(tmp_path):
    folder = tmp_path / "sjablonen"
    folder.mkdir()
    os.mkfifo(folder / "projecten.toml")
    start = time.monotonic()
    result = _subprocess_init(tmp_path, folder)
    assert time.monotonic() - start < 30
    assert result.returncode == 2 and "geen gewoon bestand" in result.stderr, result.stderr
    assert not (tmp_path / "nieuw.xlsx").exists()


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="geen /dev/zero")
def test_a_declaration_linked_to_dev_zero_is_not_read(tmp_path):
    folder = tmp_path / "sjablonen"
    folder.mkdir()
    (folder / "projecten.toml").symlink_to("/dev/zero")
    start = time.monotonic()
    result = _subprocess_init(tmp_path, folder)
    assert time.monotonic() - start < 30
    assert result.returncode == 2 and "geen gewoon bestand" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "nieuw.xlsx").exists()


def test_a_declaration_saved_with_a_bom_is_read(tmp_path):
    folder = tmp_path / "sjablonen"
    shutil.copytree(TEMPLATES, folder)
    (folder / "projecten.toml").write_bytes(b"\xef\xbb\xbf" + DECLARATION.encode("utf-8"))
    path = tmp_path / "nieuw.xlsx"
    result = CliRunner().invoke(
        cli, ["init", str(path), "--sjablonen", str(folder), "--bijlagetype", "projecten"]
    )
    assert result.exit_code == 0, result.output
    assert read_register(path).sheets == {"Projecten"}


def test_a_declaration_at_every_limit_gives_a_register_the_toolkit_reads(tmp_path):
    """200 columns with 255-character heads and help, a 31-character sheet: init writes
    it and every command reads it."""
    folder = tmp_path / "sjablonen"
    folder.mkdir()
    sheet = "Wijkplannen en hun voortgang 24"
    assert len(sheet) == 31
    columns = [
        '[[kolom]]\nsleutel = "id"\nkop = "ID"\nsoort = "id"\n',
        '[[kolom]]\nsleutel = "naam"\nkop = "Naam"\n',
    ]
    columns += [
        f'[[kolom]]\nsleutel = "k{i}"\nkop = "{i:03d}{"é" * 252}"\nuitleg = "{"ü" * 255}"\n'
        for i in range(198)
    ]
    (folder / "wijkplannen.toml").write_text(
        f'[bijlagetype]\nsleutel = "wijkplannen"\n[tabblad]\nnaam = "{sheet}"\ntabel = "Wijk"\n'
        + "\n".join(columns),
        encoding="utf-8",
    )
    path = tmp_path / "nieuw.xlsx"
    result = CliRunner().invoke(
        cli, ["init", str(path), "--sjablonen", str(folder), "--bijlagetype", "wijkplannen"]
    )
    assert result.exit_code == 0, result.output
    assert len(next(openpyxl.load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True))) == 200
    result = CliRunner().invoke(cli, ["validate", str(path), "--report-dir", str(tmp_path / "r")])
    assert result.exit_code in (0, 1), result.output
    assert "Onverwachte fout" not in result.output


def test_init_keeps_no_register_it_cannot_read_back(tmp_path, monkeypatch):
    """A declaration the checks let through but the reader then refuses: nothing stays."""
    import toolkit.register.read
    from toolkit.core.errors import RegisterStructureError

    def refuse(*args: object, **kwargs: object) -> None:
        raise RegisterStructureError("Op tabblad 'Projecten' ontbreken de kolommen ''.")

    monkeypatch.setattr(toolkit.register.read, "read_register", refuse)
    before = _files(tmp_path)
    _refused(["init", str(tmp_path / "nieuw.xlsx")], tmp_path, "niet te lezen", before)


def test_two_lists_with_one_heading_are_refused(tmp_path):
    """The register finds a list by its heading on Lijsten: two alike would be read as one."""
    folder = tmp_path / "sjablonen"
    shutil.copytree(TEMPLATES, folder)
    other = (
        DECLARATION.replace('sleutel = "projecten"', 'sleutel = "taken"', 1)
        .replace('naam = "Projecten"', 'naam = "Taken"', 1)
        .replace('tabel = "Projecten"', 'tabel = "Taken"', 1)
        .replace('"projectstatus"', '"taakstatus"')
        .replace('sleutel = "programma_naam"', 'sleutel = "taken_naam"')
        .replace('sleutel = "rapportage_inleiding"', 'sleutel = "taken_inleiding"')
        .replace("{programma_naam}", "{taken_naam}")
    )
    (folder / "taken.toml").write_text(other, encoding="utf-8")
    with pytest.raises(TemplateError, match="dezelfde naam 'Projectstatussen'.*niet uit elkaar"):
        BUILTIN.with_folder(folder)
    (folder / "taken.toml").write_text(
        other.replace('naam = "Projectstatussen"', 'naam = "Taakstatussen"'), encoding="utf-8"
    )
    with pytest.raises(TemplateError, match="instelling 'taken_naam'.*'Naam programma'"):
        BUILTIN.with_folder(folder)
