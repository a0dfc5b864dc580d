"""Make hostile and damaged Office files from good ones, for the fault-injection tests.

Each maker copies a real file (the example register, a built annex, a template) and
changes one member, so a test shows that exactly that change is caught.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

DTD = '<!DOCTYPE x [<!ENTITY a0 "ha"><!ENTITY a1 "&a0;&a0;&a0;&a0;&a0;&a0;&a0;&a0;">]>'


def rewrite(
    source: Path,
    target: Path,
    changes: dict[str, Callable[[bytes], bytes] | bytes],
    extra: dict[str, bytes] | None = None,
) -> Path:
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
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (n, n)
        for n in range(start, start + count)
    )
    return add_to_sheet(rows)


def wide_row(columns: int, row: int = 14) -> Callable[[bytes], bytes]:
    from xlsxwriter.utility import xl_col_to_name

    cells = b"".join(b'<c r="%s%d"><v>1</v></c>' % (xl_col_to_name(i).encode(), row) for i in range(columns))
    return add_to_sheet(b'<row r="%d">%s</row>' % (row, cells))


def understate_size(path: Path, member: str, size: int = 100) -> Path:
    """Make the zip directory claim a member unpacks to `size` bytes (a lying directory)."""
    import struct

    data = bytearray(path.read_bytes())
    name = member.encode()
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + length]) == name:
            struct.pack_into("<I", data, at + 24, size)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    return path


# -- templates that would fetch from the network or carry a macro ----------------------

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WML_HEADER_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"


def relationship(rid: str, kind: str, target: str, external: bool = True) -> bytes:
    mode = ' TargetMode="External"' if external else ""
    return (f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"{mode}/>').encode()


def add_relationships(*rels: bytes) -> Callable[[bytes], bytes]:
    return lambda data: data.replace(b"</Relationships>", b"".join(rels) + b"</Relationships>")


def add_to_body(xml: bytes) -> Callable[[bytes], bytes]:
    """A paragraph (or anything) at the start of the document body."""
    return lambda data: data.replace(b"<w:body>", b"<w:body>" + xml, 1)


def picture(rid: str, attribute: str = "r:link") -> bytes:
    """An inline picture whose image comes from relationship rid (r:embed or r:link)."""
    return (
        '<w:p><w:r><w:drawing><wp:inline><wp:extent cx="9525" cy="9525"/>'
        '<wp:docPr id="990" name="logo"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/'
        'drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/'
        '2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/'
        'picture"><pic:nvPicPr><pic:cNvPr id="0" name="logo"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip {attribute}="{rid}"/><a:stretch><a:fillRect/></a:stretch>'
        '</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="9525" cy="9525"/>'
        '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    ).encode()


def field_runs(*codes: str, prefix: str = "w") -> bytes:
    """A complex field whose code is split over one run per piece."""
    p = prefix
    runs = "".join(
        f'<{p}:r><{p}:instrText xml:space="preserve">{code}</{p}:instrText></{p}:r>' for code in codes
    )
    declare = f' xmlns:{p}="{W}"' if p != "w" else ""
    return (
        f'<{p}:p{declare}><{p}:r><{p}:fldChar {p}:fldCharType="begin"/></{p}:r>{runs}'
        f'<{p}:r><{p}:fldChar {p}:fldCharType="separate"/></{p}:r><{p}:r><{p}:t>x</{p}:t>'
        f'</{p}:r><{p}:r><{p}:fldChar {p}:fldCharType="end"/></{p}:r></{p}:p>'
    ).encode()


def fetching_templates(
    url: str,
) -> dict[str, tuple[dict[str, Callable[[bytes], bytes] | bytes], dict[str, bytes]]]:
    """Per case: the changes and added members that make a template fetch `url` (or carry
    a macro), each spelled the way the earlier checks missed."""
    doc, rels, types = "word/document.xml", "word/_rels/document.xml.rels", "[Content_Types].xml"
    header = (
        (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr xmlns:w="{W}">').encode()
        + field_runs(f'INCLUDEPICTURE "{url}/kop.png"')
        + b"</w:hdr>"
    )
    return {
        "afbeelding met relatie van het soort hyperlink": (
            {
                rels: add_relationships(relationship("rIdX", f"{R}/hyperlink", f"{url}/logo.png")),
                doc: add_to_body(picture("rIdX")),
            },
            {},
        ),
        "afbeelding met een soort dat op /hyperlink eindigt": (
            {
                rels: add_relationships(
                    relationship("rIdX", "http://voorbeeld.invalid/hyperlink", f"{url}/logo.png")
                ),
                doc: add_to_body(picture("rIdX", "r:embed")),
            },
            {},
        ),
        "hyperlink vanuit de stijlen": (
            {},
            {
                "word/_rels/styles.xml.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                b'openxmlformats.org/package/2006/relationships">'
                + relationship("rIdS", f"{R}/hyperlink", f"{url}/s")
                + b"</Relationships>"
            },
        ),
        "INCLUDEPICTURE over twee runs": (
            {doc: add_to_body(field_runs("INCLUDE", f'PICTURE "{url}/a.png"'))},
            {},
        ),
        "INCLUDEPICTURE met enkele quotes": (
            {doc: add_to_body(field_runs(f"INCLUDEPICTURE '{url}/a.png' \\d"))},
            {},
        ),
        "INCLUDEPICTURE met een tekenverwijzing": (
            {doc: add_to_body(field_runs(f'&#73;NCLUDEPICTURE "{url}/a.png"'))},
            {},
        ),
        "INCLUDETEXT met een andere prefix": (
            {doc: add_to_body(field_runs(f'includetext "{url}/a.docx"', prefix="x"))},
            {},
        ),
        "LINK in een eenvoudig veld": (
            {
                doc: add_to_body(
                    f'<w:p><w:fldSimple w:instr=" LINK Excel.Sheet.12 &quot;{url}/'
                    f'a.xlsx&quot; "><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>'.encode()
                )
            },
            {},
        ),
        "DDEAUTO": ({doc: add_to_body(field_runs('DDEAUTO c:\\\\windows\\\\cmd.exe "/k calc"'))}, {}),
        "veldnaam uit een genest veld": (
            {
                doc: add_to_body(
                    b'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                    + field_runs('QUOTE "INCLUDEPICTURE"')[5:-6]
                    + f'<w:r><w:instrText> "{url}/a.png"</w:instrText></w:r>'.encode()
                    + b'<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
                )
            },
            {},
        ),
        "kopregel die niet .xml heet": (
            {
                rels: add_relationships(relationship("rIdH", f"{R}/header", "kop.bin", False)),
                types: lambda d: d.replace(
                    b"</Types>",
                    f'<Override PartName="/word/kop.bin" ContentType="{WML_HEADER_CT}"/></Types>'.encode(),
                ),
            },
            {"word/kop.bin": header},
        ),
        "macro (vbaProject.bin)": (
            {
                rels: add_relationships(
                    relationship(
                        "rIdV",
                        "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
                        "vbaProject.bin",
                        False,
                    )
                ),
                types: lambda d: d.replace(
                    b"</Types>",
                    b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
                ),
            },
            {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512},
        ),
        "los vbaProject.bin zonder relatie": ({}, {"word/vbaProject.bin": b"\0" * 64}),
        "document met macro's (docm)": (
            {
                types: lambda d: d.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                )
            },
            {},
        ),
        "altChunk": (
            {
                rels: add_relationships(relationship("rIdC", f"{R}/aFChunk", "stuk.html", False)),
                doc: add_to_body(b'<w:altChunk r:id="rIdC"/>'),
            },
            {"word/stuk.html": f'<html><body><img src="{url}/x.png"></body></html>'.encode()},
        ),
    }


class Listener:
    """A TCP listener on 127.0.0.1 that counts connections: proof that nothing was fetched."""

    def __init__(self) -> None:
        import socket
        import threading

        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.1)
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.socket.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> int:
        """Stop listening; the number of connections seen."""
        import time

        time.sleep(0.2)  # a request on its way still arrives
        self._stop.set()
        self._thread.join()
        self.socket.close()
        return self.connections


VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
XLSX_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
#: the start of a compound file, as a VBA project is stored
VBA_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b'Attribute VB_Name = "Module1"' + b"\0" * 512


def with_macros(source: Path, target: Path, xlsm: bool = True) -> Path:
    """A register with a VBA project, as Excel saves an .xlsm (or only the project added
    to an .xlsx: xlsm=False keeps the plain workbook content type)."""

    def types(data: bytes) -> bytes:
        data = data.replace(
            b"</Types>",
            b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
        )
        return data.replace(XLSX_MAIN, XLSM_MAIN) if xlsm else data

    return rewrite(
        source,
        target,
        {
            "[Content_Types].xml": types,
            "xl/_rels/workbook.xml.rels": add_relationships(
                relationship("rIdVba", VBA_REL, "vbaProject.bin", external=False)
            ),
        },
        {"xl/vbaProject.bin": VBA_BYTES},
    )


#: transitional namespaces and their Strict Open XML spelling
TO_STRICT = (
    (
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        b"http://purl.oclc.org/ooxml/spreadsheetml/main",
    ),
    (
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        b"http://purl.oclc.org/ooxml/officeDocument/relationships",
    ),
    (b"http://schemas.openxmlformats.org/drawingml/2006/main", b"http://purl.oclc.org/ooxml/drawingml/main"),
)


def as_strict(source: Path, target: Path) -> Path:
    """A workbook respelled as Excel saves 'Strict Open XML'."""

    def strict(data: bytes) -> bytes:
        for plain, strict_name in TO_STRICT:
            data = data.replace(plain, strict_name)
        return data.replace(b"<workbook ", b'<workbook conformance="strict" ', 1)

    return rewrite(source, target, {m: strict for m in members(source) if m.endswith((".xml", ".rels"))})
