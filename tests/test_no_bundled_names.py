"""No module names a bundled annex type, sheet, column, setting or list value.

The pilot annex and the Sterk voor Noord action annexes are declarations plus Word
templates (toolkit/declarations/bijlagetypen/); the code that reads, checks, lays out,
builds, imports and rolls over registers knows them only through those declarations.
This test holds the code to that: it loads the bundled declarations with the toolkit's
own reader, takes every name a coordinator could rename (type key, plural and singular,
sheet and table name, column keys, list keys and values, meaning keys, setting keys,
template file names, block tags) and looks for them in every module under toolkit/ and
validators/: as an identifier (or a part of one between underscores) and as a string
literal (or a {placeholder} or word in one). Docstrings and comments are prose and may
mention the examples; messages, identifiers and values may not.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from toolkit.declarations.annextypes import BUILTIN

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = (ROOT / "toolkit", ROOT / "validators")

#: Words that a bundled declaration uses as a name and the toolkit uses in its own,
#: unrelated sense. Each is here for a reason; keep the list short.
GENERIC = {
    "id",  # Python's builtin, HTML ids, the column kind 'id' of every declaration
    "naam",  # a key of every declaration ([[lijst]] naam, [[instelling]] naam)
    "kop",  # a key of every declaration ([[kolom]] kop, [indeling.groep] kop)
    "status",  # HTTP and job statuses in the web application
    "ja",  # how any yes/no setting says yes
    "nee",  # and no
    "laatste_keer",  # a meaning flag of every [[lijst.betekenis]] (laatste_keer = true)
    "afgerond",  # a meaning flag of every [[lijst.betekenis]] (afgerond = true)
    "nog niet bekend",  # the toolkit's word for an unknown date or answer (core/dates)
    "onbekend",  # its short form
    "bijlage",  # the Dutch word for annex (file name fallbacks); bijlage.docx stays checked
    "inleiding",  # the heading above a starter template's introductory texts
    "eigenaar",  # the Dutch word for owner (the report per owner)
    "opmerking",  # a Word comment, which the import report names (wordread)
}
#: English names the code used for the bundled types before they were declarations:
#: looked for in identifiers only (an English message may well speak of an action)
ENGLISH = {"pilot", "pilots", "action", "actions"}


def _type_names() -> set[str]:
    """What a bundled type is called: words that have no other sense in the toolkit, so
    they are looked for also inside messages."""
    names: set[str] = set()
    for annex in BUILTIN.types:
        names |= {annex.key, annex.plural, annex.singular, annex.template}
        names |= {s.key for s in annex.settings if "_" in s.key}
    return {n.casefold() for n in names if n} - GENERIC


def _bundled_names() -> set[str]:
    names: set[str] = _type_names() | ENGLISH
    for annex in BUILTIN.types:
        names |= {annex.kind}
        names |= {annex.sheet.name, annex.sheet.table_name}
        if annex.legacy_block:
            names.add(annex.legacy_block)
        names |= {c.key for c in annex.sheet.columns}
        names |= {s.key for s in annex.settings}
        for voc in annex.vocabularies:
            names.add(voc.key)
            names |= set(voc.values)
            names |= {r.key for r in voc.roles} | {r.label for r in voc.roles}
    return {n.casefold() for n in names if n} - GENERIC


NAMES = _bundled_names()
TYPE_NAMES = _type_names()
_WORD = re.compile(r"[\w.]+")


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the string nodes that are docstrings (prose, not code)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
        # an attribute's documentation: a string expression on its own
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            found.add(id(node.value))
    return found


def _identifiers(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        return [node.attr]
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, ast.keyword) and node.arg:
        return [node.arg]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, ast.alias):
        return [node.asname or node.name.split(".")[-1]]
    return []


def _hits(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    prose = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        for name in _identifiers(node):
            folded = name.casefold()
            parts = {folded, *folded.split("_")}
            for hit in sorted(parts & (NAMES | ENGLISH)):
                found.append(f"{path.relative_to(ROOT)}:{line}: identifier {name} ({hit})")
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose:
            text = node.value
            words = {w.casefold().strip(".") for w in _WORD.findall(text)}
            placeholders = {w.casefold() for w in re.findall(r"\{\{?\s*(\w+)", text)}
            whole = {text.strip().casefold()} | placeholders
            for hit in sorted((whole & NAMES) | (words & TYPE_NAMES)):
                found.append(f"{path.relative_to(ROOT)}:{line}: string {text[:60]!r} ({hit})")
    return found


def test_the_names_come_from_the_bundled_declarations() -> None:
    """The list of names is not empty by accident: it holds each kind of name."""
    assert {
        "pilots",
        "acties",
        "startdatum",
        "bijlage_pilots_nummer",
        "laatste keer",
        "in uitvoering",
    } <= NAMES


def test_no_module_names_a_bundled_type() -> None:
    hits = [hit for folder in FOLDERS for path in sorted(folder.rglob("*.py")) for hit in _hits(path)]
    assert not hits, "\n".join(hits)


def test_the_check_finds_a_name_in_code(tmp_path) -> None:
    """A module that names a bundled column, setting, list value or type is caught; its
    docstring and comments are not."""
    module = tmp_path / "module.py"
    module.write_text(
        '"""About the pilots of the example."""\n'
        "def first(register):  # the acties too\n"
        '    rows = register.records("Pilots")\n'
        '    return rows[0]["startdatum"], f"{len(rows)} acties", "Laatste keer"\n'
        "def kept_pilots(): ...\n",
        encoding="utf-8",
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        found = {hit.rsplit("(", 1)[1].rstrip(")") for hit in _hits(module)}
    finally:
        ROOT = saved
    assert found == {"pilots", "startdatum", "acties", "laatste keer"}
