"""A generator of hostile and damaged inputs for the fault-injection tests.

Every case starts from a real file (the bundled example register, or an annex built from
it) and changes it the way a damaged save, a careless paste or an attacker would. Each
case is a name, the bytes to write, and the exit codes the toolkit may answer with: 2
for a file it must refuse, 0 or 1 where the file is readable and the problem becomes a
finding. Kept in one place so that a new kind of damage is one more entry here.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

REFUSED = frozenset({2})
READABLE = frozenset({0, 1})

DTD = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes
    expect: frozenset[int]
    suffix: str = ".xlsx"


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rezip(parts: dict[str, bytes], level: int = 6) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return out.getvalue()


def edit(data: bytes, part: str, change: Callable[[bytes], bytes]) -> bytes:
    parts = members(data)
    parts[part] = change(parts[part])
    return rezip(parts)


def with_dtd(body: bytes) -> bytes:
    """A DTD with entity declarations right after the XML declaration (or at the start)."""
    match = re.match(rb"<\?xml[^>]*\?>\s*", body)
    cut = match.end() if match else 0
    return body[:cut] + DTD + body[cut:]


def sheet_of(data: bytes, title: str) -> str:
    """The zip member of the sheet with this title (workbook.xml + its rels)."""
    parts = members(data)
    workbook = parts["xl/workbook.xml"].decode("utf-8")
    rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
    rid = re.search(rf'<sheet [^>]*name="{re.escape(title)}"[^>]*r:id="([^"]+)"', workbook)
    if rid is None:
        rid = re.search(rf'<sheet [^>]*r:id="([^"]+)"[^>]*name="{re.escape(title)}"', workbook)
    assert rid, title
    target = re.search(rf'Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels
    )
    assert target, rid.group(1)
    return "xl/" + target.group(1).lstrip("/").removeprefix("xl/")


def add_row(sheet_xml: bytes, row_xml: bytes) -> bytes:
    """Append a row at the end of sheetData."""
    return sheet_xml.replace(b"</sheetData>", row_xml + b"</sheetData>", 1)


def replace_shared_string(data: bytes, old: str, new: str) -> bytes:
    def change(body: bytes) -> bytes:
        assert old.encode() in body, old
        return body.replace(old.encode(), new.encode(), 1)

    return edit(data, "xl/sharedStrings.xml", change)


def register_cases(example: bytes) -> Iterator[Case]:
    """Damaged and hostile registers, from the bundled example."""
    for part in members(example):
        if part.endswith((".xml", ".rels")):
            yield Case(f"dtd in {part}", edit(example, part, with_dtd), REFUSED)

    # Archives that are not what they say.
    yield Case("leeg bestand", b"", REFUSED)
    yield Case("afgebroken zip", example[: len(example) // 2], REFUSED)
    yield Case("csv met .xlsx", b"ID;Naam pilot\nP1;Test\n", REFUSED)
    yield Case("html met .xlsx", b"<html><body><table><tr><td>1</td></tr></table></body></html>", REFUSED)
    yield Case("oud xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048, REFUSED)
    yield Case("willekeurige bytes", bytes(range(256)) * 64, REFUSED)
    parts = members(example)
    yield Case("zip zonder werkmap", rezip({"hallo.txt": b"hallo"}), REFUSED)
    yield Case("zip-bom", rezip({**parts, "xl/media/bom.bin": b"\0" * (40 * 1024 * 1024)}, 9), REFUSED)
    yield Case(
        "te veel onderdelen",
        rezip({**parts, **{f"xl/extra/{i}.xml": b"<a/>" for i in range(10_050)}}, 1),
        REFUSED,
    )

    # Cells far away, spelled every way the format allows.
    pilots = sheet_of(example, "Pilots")
    far = {
        "verre cel": b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>',
        "verre cel kleine letters": b'<row r="1048576"><c r="xfd1048576" t="n"><v>1</v></c></row>',
        "verre cel attribuutvolgorde": b'<row r="1048576"><c t="n" s="0" r="XFD1048576"><v>1</v></c></row>',
        "verre cel zonder r": b'<row r="1048576">' + b'<c t="n"><v>1</v></c>' * 3 + b"</row>",
        "verre cel enkele quotes": b"<row r='1048576'><c r='XFD1048576' t='n'><v>1</v></c></row>",
    }
    for name, row in far.items():
        yield Case(name, edit(example, pilots, lambda body, row=row: add_row(body, row)), REFUSED | READABLE)
    yield Case(
        "samengevoegd tot de laatste rij",
        edit(
            example,
            pilots,
            lambda body: (
                body.replace(
                    b"</sheetData>",
                    b'</sheetData><mergeCells count="1"><mergeCell ref="Z2:Z1048576"/></mergeCells>',
                    1,
                )
                if b"<mergeCells" not in body
                else body
            ),
        ),
        REFUSED | READABLE,
    )
    yield Case(
        "gedeelde tekst buiten de tabel",
        edit(
            example,
            pilots,
            lambda body: add_row(
                body, b'<row r="200"><c r="A200" t="s"><v>-1</v></c><c r="B200" t="s"><v>999999</v></c></row>'
            ),
        ),
        REFUSED | READABLE,
    )

    # Text that officers paste: readable, the problems become findings.
    yield Case(
        "zachte regeleinde en belteken",
        replace_shared_string(example, "Jeugdhonk", "Jeugd_x000B_honk_x0007_"),
        READABLE,
    )
    yield Case("bidi-omkering", replace_shared_string(example, "Jeugdhonk", "Jeugd\u202ehonk"), READABLE)
    yield Case("nulbreedte spatie", replace_shared_string(example, "Jeugdhonk", "Jeugd\u200bhonk"), READABLE)
    yield Case(
        "html in platte kolom",
        replace_shared_string(example, "Jeugdhonk", "Jeugd &lt;span&gt;honk&lt;/span&gt;"),
        READABLE,
    )


def word_cases(annex: bytes) -> Iterator[Case]:
    """Damaged and hostile Word files for `toolkit import`, from a built annex."""
    for part in members(annex):
        if part.endswith((".xml", ".rels")):
            yield Case(f"dtd in {part}", edit(annex, part, with_dtd), REFUSED, ".docx")
    yield Case("leeg document", b"", REFUSED, ".docx")
    yield Case("afgebroken docx", annex[: len(annex) // 2], REFUSED, ".docx")
    yield Case("werkmap als docx", rezip({"xl/workbook.xml": b"<workbook/>"}), REFUSED, ".docx")
    yield Case(
        "docx-bom",
        rezip({**members(annex), "word/media/bom.bin": b"\0" * (40 * 1024 * 1024)}, 9),
        REFUSED,
        ".docx",
    )


def write_case(case: Case, folder: Path) -> Path:
    safe = re.sub(r"[^A-Za-z0-9]+", "_", case.name).strip("_")
    path = folder / f"{safe}{case.suffix}"
    path.write_bytes(case.data)
    return path
