"""Finish LibreOffice's tagged PDF so that a PDF/UA checker accepts it.

LibreOffice (7.4, as Debian ships it) writes a good structure tree, but misses what a
reader of a council annex needs in four places; the document cannot say these things in
a way LibreOffice would export, so they are put right in the PDF itself:

- a card's label column: Word has no "header column", and LibreOffice marks a cell as
  header (TH) only in a repeated header row. The label cells (the paragraph style
  Kaartlabel) become row headers (TH, Scope Row), so a screen reader reads "Startdatum"
  with the date;
- the title (style Title) and the heading above the contents (TOC Heading) are tagged as
  paragraphs; they are headings;
- a page with links has no tab order (/Tabs /S), and the links do not print;
- paragraph borders (the rule under the title) are painted outside any tag: they are
  decoration (an artifact).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator

#: paragraph styles (as LibreOffice names the tag) that are headings, and their level
HEADING_ROLES = {"/Title": "/H1", "/Contents Heading": "/H1"}
#: the paragraph style of a card's label cells (schema.STYLE_NAMES["label"])
LABEL_ROLE = "/Kaartlabel"
_PATH_OPS = frozenset({"m", "l", "c", "v", "y", "h", "re"})
_PAINT_OPS = frozenset({"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"})
_PRINT_FLAG = 4


def repair(path: Path) -> None:
    """Put the four things right in the PDF at path (rewritten in place)."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        tree = pdf.Root.get("/StructTreeRoot")
        if isinstance(tree, Dictionary):
            _headings(tree)
            _walk(tree.get("/K"))
        for page in pdf.pages:
            _links(page)
            _borders_as_artifacts(pdf, page)
        pdf.save(path)


def _headings(tree: Dictionary) -> None:
    role_map = tree.get("/RoleMap")
    if role_map is None:
        return
    for role, heading in HEADING_ROLES.items():
        if role in role_map:
            role_map[role] = Name(heading)


def _kids(element: object) -> list[Dictionary]:
    if isinstance(element, Array):
        return [k for k in element if isinstance(k, Dictionary)]
    if isinstance(element, Dictionary):
        return [element]
    return []


def _walk(element: object) -> None:
    """Every row of every table: label cells and headers beside data are row headers."""
    stack = _kids(element)
    while stack:
        node = stack.pop()
        kind = node.get("/S")
        if kind == "/TR":
            _row(node)
        stack.extend(k for k in _kids(node.get("/K")) if "/S" in k)


def _first_role(cell: Dictionary) -> object:
    kids = [k for k in _kids(cell.get("/K")) if "/S" in k]
    return kids[0].get("/S") if kids else None


def _row(row: Dictionary) -> None:
    cells = [k for k in _kids(row.get("/K")) if k.get("/S") in ("/TD", "/TH")]
    for cell in cells:
        if cell.get("/S") == "/TD" and _first_role(cell) == LABEL_ROLE:
            cell["/S"] = Name("/TH")
    if all(cell.get("/S") == "/TH" for cell in cells):
        return  # a header row: LibreOffice's Scope Column is right
    for cell in cells:
        if cell.get("/S") == "/TH":
            _set_scope(cell, "/Row")


def _set_scope(cell: Dictionary, scope: str) -> None:
    """Scope in the cell's Table attributes (LibreOffice writes /A as a dict or an array)."""
    attributes = cell.get("/A")
    owners = _kids(attributes)
    table = next((a for a in owners if a.get("/O") == "/Table"), None)
    if table is None:
        table = Dictionary(O=Name("/Table"))
        cell["/A"] = Array([*owners, table]) if owners else table
    table["/Scope"] = Name(scope)


def _links(page: pikepdf.Page) -> None:
    """Links in the order of the structure tree, and printed like the text around them."""
    annotations = page.obj.get("/Annots")
    if not annotations:
        return
    page.obj["/Tabs"] = Name("/S")
    for annotation in annotations:
        if isinstance(annotation, Dictionary):
            annotation["/F"] = int(annotation.get("/F", 0)) | _PRINT_FLAG


def _borders_as_artifacts(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """Wrap a path painted outside any marked content in /Artifact BMC … EMC."""
    operations = list(pikepdf.parse_content_stream(page))
    depth, start, changed = 0, None, False
    out: list[Any] = []
    for instruction in operations:
        operands, operator = instruction.operands, instruction.operator
        name = str(operator)
        if name in ("BMC", "BDC"):
            depth += 1
        elif name == "EMC":
            depth -= 1
        if depth == 0 and name in _PATH_OPS and start is None:
            start = len(out)
        out.append((operands, operator))
        if start is not None and name not in _PATH_OPS:
            if name in _PAINT_OPS and depth == 0:
                out.insert(start, ([Name("/Artifact")], Operator("BMC")))
                out.append(([], Operator("EMC")))
                changed = True
            start = None
    if changed:
        page.obj["/Contents"] = pdf.make_stream(pikepdf.unparse_content_stream(out))


def destinations(path: Path) -> dict[str, int]:
    """The page (from 1) of every named destination: LibreOffice writes one per Word
    bookmark, so the contents' bookmarks give the page of each heading. The names as
    LibreOffice writes them (see pdf_name)."""
    pages: dict[str, int] = {}
    with pikepdf.open(path) as pdf:
        index = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        found: list[tuple[str, object]] = []
        if isinstance(pdf.Root.get("/Dests"), Dictionary):
            found.extend((str(k)[1:], v) for k, v in pdf.Root.Dests.items())
        names = pdf.Root.get("/Names")
        if isinstance(names, Dictionary) and "/Dests" in names:
            found.extend((str(k), v) for k, v in pikepdf.NameTree(names.Dests).items())
        for name, target in found:
            if isinstance(target, Dictionary):
                target = target.get("/D")
            if isinstance(target, Array) and len(target) and isinstance(target[0], Dictionary):
                number = index.get(target[0].objgen)
                if number is not None:
                    pages[name] = number
    return pages


def pdf_name(bookmark: str) -> str:
    """A Word bookmark's name as LibreOffice names its destination: every character
    other than an ASCII letter or digit as its hexadecimal code ('_Toc1' -> '5FToc1')."""
    return "".join(c if c.isascii() and c.isalnum() else f"{ord(c):02X}" for c in bookmark)
