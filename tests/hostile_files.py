"""Make hostile and damaged Office files from good ones, for the fault-injection tests.

Each maker copies a real file (the example register, a built annex, a template) and
changes one member, so a test shows that exactly that change is caught.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

DTD = '<!DOCTYPE x [<!ENTITY a0 "ha"><!ENTITY a1 "&a0;&a0;&a0;&a0;&a0;&a0;&a0;&a0;">]>'


def rewrite(source: Path, target: Path, changes: dict[str, Callable[[bytes], bytes] | bytes],
            extra: dict[str, bytes] | None = None) -> Path:
    """Copy a package, replacing (or transforming) some members and adding others."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            change = changes.get(item.filename)
            if callable(change):
                data = change(data)
            elif change is not None:
                data = change
            dst.writestr(item.filename, data)
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    return target


def members(source: Path) -> list[str]:
    with zipfile.ZipFile(source) as archive:
        return [info.filename for info in archive.infolist() if not info.is_dir()]


def with_dtd(encoding: str = "utf-8") -> Callable[[bytes], bytes]:
    """Put a DTD with entity declarations after the XML declaration, in an encoding."""

    def change(data: bytes) -> bytes:
        text = data.decode("utf-8")
        if text.startswith("<?xml"):
            declaration, rest = text.split("?>", 1)
            declaration += "?>"
        else:
            declaration, rest = "", text
        if encoding != "utf-8":
            declaration = declaration.replace('encoding="UTF-8"', 'encoding="UTF-16"')
        body = declaration + DTD + rest
        if encoding == "utf-16":
            return body.encode("utf-16")  # with a byte order mark
        return body.encode(encoding)

    return change


def add_to_sheet(xml: bytes) -> Callable[[bytes], bytes]:
    """Add rows (or anything) at the end of a sheet's sheetData."""
    return lambda data: data.replace(b"</sheetData>", xml + b"</sheetData>", 1)


def after_sheet_data(xml: bytes) -> Callable[[bytes], bytes]:
    return lambda data: data.replace(b"</sheetData>", b"</sheetData>" + xml, 1)


def many_rows(count: int, start: int = 14) -> Callable[[bytes], bytes]:
    rows = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>'
                    % (n, n) for n in range(start, start + count))
    return add_to_sheet(rows)


def wide_row(columns: int, row: int = 14) -> Callable[[bytes], bytes]:
    from xlsxwriter.utility import xl_col_to_name

    cells = b"".join(b'<c r="%s%d"><v>1</v></c>' % (xl_col_to_name(i).encode(), row)
                     for i in range(columns))
    return add_to_sheet(b'<row r="%d">%s</row>' % (row, cells))


def understate_size(path: Path, member: str, size: int = 100) -> Path:
    """Make the zip directory claim a member unpacks to `size` bytes (a lying directory)."""
    import struct

    data = bytearray(path.read_bytes())
    name = member.encode()
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46:at + 46 + length]) == name:
            struct.pack_into("<I", data, at + 24, size)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    return path
