"""Cell comments and hyperlinks of a register, so a new edition can carry them over.

Both readers give values only; comments live in their own part and hyperlinks at the end
of a sheet's XML. Most registers have neither: a look at the package's relationships and
one byte search per sheet say so, and only then is anything parsed.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path

COMMENTS_TYPE = "/comments"
HYPERLINK_TYPE = "/hyperlink"


@dataclass
class CellNote:
    """What a cell carries besides its value: a comment, a hyperlink, or both."""

    comment: str | None = None
    author: str = ""
    url: str | None = None  # an address, or "internal:Blad!A1" for a place in the workbook
    tip: str = ""

    def describe(self) -> str:
        """In a warning: 'de opmerking' and/or 'de hyperlink (adres)'."""
        parts = []
        if self.comment is not None:
            parts.append(f"de opmerking '{' '.join(self.comment.split())[:60]}'")
        if self.url is not None:
            parts.append(f"de hyperlink '{self.url[:80]}'")
        return " en ".join(parts) or "een opmerking"


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _resolve(part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


def read_cell_notes(path: Path, titles: list[str]) -> dict[str, dict[str, CellNote]]:
    """Per sheet title (of those asked), per cell reference ("C3"), its comment and link."""
    from defusedxml.ElementTree import fromstring

    from toolkit.register.sheetxml import _sheet_members

    found: dict[str, dict[str, CellNote]] = {}
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        members = _sheet_members(archive)
        for title in titles:
            part = members.get(title)
            if part is None or part not in names:
                continue
            rels: dict[str, tuple[str, str, str]] = {}
            rels_name = _rels_of(part)
            if rels_name in names:
                for rel in fromstring(archive.read(rels_name)):
                    rels[rel.get("Id", "")] = (
                        rel.get("Type", ""),
                        rel.get("Target", ""),
                        (rel.get("TargetMode") or "").lower(),
                    )
            notes: dict[str, CellNote] = {}
            for kind, target, mode in rels.values():
                if kind.endswith(COMMENTS_TYPE) and mode != "external":
                    member = _resolve(part, target)
                    if member in names:
                        _comments(archive.read(member), notes)
            data = archive.read(part)
            if b"hyperlink" in data:
                _hyperlinks(data, rels, notes)
            if notes:
                found[title] = notes
    return found


def _comments(data: bytes, notes: dict[str, CellNote]) -> None:
    from defusedxml.ElementTree import fromstring

    root = fromstring(data)
    authors = [a.text or "" for el in root if _local(el.tag) == "authors" for a in el]
    for element in root.iter():
        if _local(element.tag) != "comment":
            continue
        text = "".join(t.text or "" for t in element.iter() if _local(t.tag) == "t")
        number = element.get("authorId", "")
        author = authors[int(number)] if number.isdigit() and int(number) < len(authors) else ""
        note = notes.setdefault(element.get("ref", "").upper(), CellNote())
        note.comment, note.author = text, author


def _hyperlinks(data: bytes, rels: dict[str, tuple[str, str, str]], notes: dict[str, CellNote]) -> None:
    from lxml import etree

    for _, element in etree.iterparse(
        io.BytesIO(data),
        events=("end",),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
    ):
        local = _local(element.tag)
        if local == "row":
            element.clear()
            continue
        if local != "hyperlink":
            continue
        rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
        url = rels[rid][1] if rid in rels else None
        location = element.get("location")
        if location:
            url = (url + "#" + location) if url else f"internal:{location}"
        if not url:
            continue
        for ref in _cells((element.get("ref") or "").upper()):
            note = notes.setdefault(ref, CellNote())
            note.url, note.tip = url, element.get("tooltip") or ""


def _cells(ref: str) -> list[str]:
    """The cells of a reference ("F5" or "F5:G6"); the file check bounds the range."""
    from openpyxl.utils.cell import range_boundaries
    from xlsxwriter.utility import xl_rowcol_to_cell

    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except (ValueError, TypeError):
        return []
    if None in (min_col, min_row, max_col, max_row):
        return []
    return [
        xl_rowcol_to_cell(r - 1, c - 1)
        for r in range(min_row, max_row + 1)  # type: ignore[operator]
        for c in range(min_col, max_col + 1)
    ]  # type: ignore[operator]
