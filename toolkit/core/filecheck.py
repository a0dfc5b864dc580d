"""Look at a file before any spreadsheet or Word library does.

openpyxl's own errors are English and technical, and some files (zip bombs, renamed
.xls files, encrypted workbooks, hostile XML) should never reach it. Each problem gets
one Dutch message naming what is wrong and what to do.

Every member of a package is streamed once: its real size is counted (a zip directory
can lie), and the start of every XML part is parsed up to its root element, so a DTD or
entity declaration is refused in whatever part and whatever encoding it hides. Office
files never contain one (the OPC rules forbid them).
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from toolkit.core.errors import RegisterUnreadable, TemplateError, ToolkitError


@dataclass(frozen=True)
class Limits:
    """How large a package may be, unpacked; chosen far above any real register or annex."""

    total: int  # all members together, in bytes
    members: int = 10_000
    ratio: int = 200  # a member this much larger than its compressed form is suspicious
    ratio_from: int = 1024 * 1024  # ... once it is larger than this


MIB = 1024 * 1024
#: A register of 30,000 pilots and 150,000 actions unpacks to about 80 MiB.
REGISTER_LIMITS = Limits(total=256 * MIB)
#: A built annex of 10,000 pilots has an 80 MiB document.xml; a template a few MiB.
WORD_LIMITS = Limits(total=128 * MIB)
# kept for callers of the first version
MAX_UNCOMPRESSED = REGISTER_LIMITS.total
MAX_RATIO = REGISTER_LIMITS.ratio
MAX_MEMBERS = REGISTER_LIMITS.members

CHUNK = 1 << 20
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_SAVE_AS = "Open het bestand in Excel en kies Opslaan als > Excel-werkmap (*.xlsx)."
_XML_NAMES = (".xml", ".rels", ".vml")
_XML_STARTS = (
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"<",
    b"\x00<",
    b"<\x00",
    b"\x00\x00\x00<",
    b"<\x00\x00\x00",
    b"\x4c\x6f\xa7\x94",
)
#: <!DOCTYPE and <!ENTITY as every parser of these files could read them
_DTD_NEEDLES = tuple(
    word.encode(encoding)
    for word in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "cp500", "cp037")
)


def _mb(size: int) -> str:
    return f"{size / MIB:,.0f}".replace(",", ".")


def check_register_file(path: Path):  # type: ignore[no-untyped-def]
    """Refuse, with a Dutch message, anything that is not a sane .xlsx workbook.

    Returns the scan of its sheets (toolkit.core.sheetscan), which tells whether the fast
    reader may open it; sheets beyond the toolkit's limits are refused here.
    """
    name = path.name
    if name.startswith("~$"):
        raise RegisterUnreadable(
            f"'{name}' is een tijdelijk vergrendelingsbestand van Excel, niet het register. "
            f"Kies het bestand zonder '~$' aan het begin van de naam."
        )
    if not path.exists():
        raise RegisterUnreadable(f"Het bestand '{path}' bestaat niet. Controleer de naam en de map.")
    if path.is_dir():
        raise RegisterUnreadable(f"'{path}' is een map, geen Excel-bestand.")
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except PermissionError as exc:
        raise RegisterUnreadable(
            f"Het bestand '{name}' kan niet worden gelezen (geen toegang). Is het "
            f"vergrendeld of heeft u geen leesrechten? Sluit het in Excel en probeer opnieuw."
        ) from exc
    size = path.stat().st_size
    if size == 0:
        raise RegisterUnreadable(
            f"Het bestand '{name}' is leeg (0 bytes). Gebruik een eerder opgeslagen versie."
        )
    if head.startswith(_OLE_MAGIC):
        data = path.read_bytes()
        if _ENCRYPTED in data:
            raise RegisterUnreadable(
                f"'{name}' is beveiligd met een wachtwoord. Open het in Excel, verwijder het "
                f"wachtwoord (Bestand > Info > Werkmap beveiligen) en sla het opnieuw op."
            )
        raise RegisterUnreadable(f"'{name}' is een oud Excel-bestand (.xls), geen .xlsx. {_SAVE_AS}")
    if not head.startswith(b"PK"):
        lowered = path.read_bytes()[:512].lstrip().lower()
        if lowered.startswith((b"<!doctype", b"<html", b"<table", b"<?xml")):
            kind = "een webpagina (HTML/XML)"
        else:
            kind = "tekst (bijvoorbeeld CSV)"
        raise RegisterUnreadable(
            f"'{name}' is geen Excel-werkmap maar {kind}. Gebruik het register "
            f"(.xlsx); maak zo nodig een nieuw met 'toolkit init'. {_SAVE_AS}"
        )
    return _check_zip(path)


def check_sizes(
    name: str,
    infos: list[zipfile.ZipInfo],
    limits: Limits = REGISTER_LIMITS,
    error: type[ToolkitError] = RegisterUnreadable,
) -> None:
    """Refuse an archive whose declared sizes are absurd (a zip bomb), before unpacking."""
    if len(infos) > limits.members:
        raise error(
            f"'{name}' bevat {len(infos)} onderdelen; dat is geen gewoon bestand. "
            f"Het wordt uit voorzorg niet geopend."
        )
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise error(
            f"'{name}' bevat onderdelen met dezelfde naam; programma's kunnen dan elk een "
            f"ander onderdeel lezen. Het wordt uit voorzorg niet geopend. Sla het opnieuw op "
            f"in Excel of Word, of gebruik een eerdere versie."
        )
    total = sum(info.file_size for info in infos)
    suspicious = any(
        info.file_size > limits.ratio_from and info.file_size > limits.ratio * max(info.compress_size, 1)
        for info in infos
    )
    if total > limits.total or suspicious:
        raise error(_too_large(name, total, limits))


def _too_large(name: str, total: int, limits: Limits) -> str:
    return (
        f"'{name}' zou uitgepakt onredelijk groot worden ({_mb(total)} MB; de grens is "
        f"{_mb(limits.total)} MB, en geen onderdeel mag meer dan {limits.ratio} keer zo "
        f"groot uitpakken als het is). Het wordt uit voorzorg niet geopend. Sla het opnieuw "
        f"op of gebruik een eerdere versie."
    )


class _Stop(Exception):
    """Raised from an expat handler: the prolog has been seen."""


class _Prolog:
    """Parse an XML part up to its root element: is there a DTD before it?"""

    def __init__(self) -> None:
        self.parser = expat.ParserCreate()
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.EntityDeclHandler = self._doctype
        self.parser.StartElementHandler = self._root
        self.done = False
        self.doctype = False
        self.broken = False

    def _doctype(self, *_: object) -> None:
        self.doctype = self.done = True
        raise _Stop

    def _root(self, *_: object) -> None:
        self.done = True
        raise _Stop

    def feed(self, data: bytes, final: bool = False) -> None:
        try:
            self.parser.Parse(data, final)
        except _Stop:
            pass
        except expat.ExpatError:
            # a prolog expat cannot read (an odd encoding): the byte search decides
            self.broken = self.done = True


def _dtd_bytes(data: bytes) -> bool:
    return any(needle in data for needle in _DTD_NEEDLES)


Consumer = Callable[[bytes], None]


def scan_package(
    path: Path,
    archive: zipfile.ZipFile,
    limits: Limits,
    what: str,
    error: type[ToolkitError] = RegisterUnreadable,
    consumer: Callable[[zipfile.ZipInfo], Consumer | None] | None = None,
) -> None:
    """Stream every member once: real sizes within the limits, no DTD in any XML part.

    consumer(info) may return a function that sees every chunk of that member (and
    an empty chunk at its end); the register's sheet scan rides along this way.
    """
    name = path.name
    infos = archive.infolist()
    check_sizes(name, infos, limits, error)
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        feed = consumer(info) if consumer else None
        seen = 0
        prolog: _Prolog | None = None
        tail = b""
        try:
            with archive.open(info) as stream:
                while True:
                    chunk = stream.read(CHUNK)
                    if (
                        seen == 0
                        and chunk
                        and (
                            info.filename.lower().endswith(_XML_NAMES)
                            or chunk.lstrip(b" \t\r\n").startswith(_XML_STARTS)
                        )
                    ):
                        prolog = _Prolog()
                    seen += len(chunk)
                    total += len(chunk)
                    if seen > info.file_size or total > limits.total:
                        raise error(_too_large(name, max(total, seen), limits))
                    if prolog is not None and (not prolog.done or prolog.broken):
                        window = tail + chunk
                        if _dtd_bytes(window):
                            prolog.doctype = True
                        tail = window[-64:]
                        if not prolog.done:
                            prolog.feed(chunk, final=not chunk)
                        if prolog.doctype:
                            raise error(_dtd_message(name, info.filename, what))
                    if feed is not None:
                        feed(chunk)
                    if not chunk:
                        break
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            OSError,
            NotImplementedError,
            RuntimeError,
            ValueError,
        ) as exc:
            raise error(
                f"'{name}' is beschadigd of onvolledig opgeslagen: onderdeel "
                f"'{info.filename}' kan niet worden uitgepakt. Gebruik een eerdere versie "
                f"of sla het opnieuw op."
            ) from exc


def _dtd_message(name: str, member: str, what: str) -> str:
    return (
        f"'{name}' bevat in onderdeel '{member}' een DTD of entiteitsdeclaratie "
        f"(<!DOCTYPE of <!ENTITY). Een echt {what} bevat die nooit; het bestand kan "
        f"kwaadaardig zijn en wordt uit voorzorg niet geopend. Sla het opnieuw op in "
        f"{'Word' if 'Word' in what else 'Excel'} of gebruik een eerdere versie."
    )


def check_word_file(
    path: Path, error: type[ToolkitError] = RegisterUnreadable, what: str = "Word-document"
) -> None:
    """The same care for a .docx the coordinator hands to `toolkit import` or uses as
    template: sizes within WORD_LIMITS (checked while streaming), no DTD in any part."""
    if not path.exists():
        raise error(f"Het bestand '{path}' bestaat niet.")
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
        if head.startswith(_OLE_MAGIC):
            if _ENCRYPTED in path.read_bytes()[: WORD_LIMITS.total]:
                raise error(
                    f"'{path.name}' is beveiligd met een wachtwoord. Open het in Word, verwijder "
                    f"het wachtwoord (Bestand > Info > Document beveiligen > Versleutelen met "
                    f"wachtwoord, het veld leegmaken) en sla het opnieuw op."
                )
            raise error(
                f"'{path.name}' is een oud Word-bestand (.doc), geen .docx. Open het "
                f"in Word en kies Opslaan als > Word-document (*.docx)."
            )
    except OSError as exc:
        from toolkit.core.output import reason

        raise error(f"'{path.name}' kan niet worden gelezen ({reason(exc)}).") from exc
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                raise error(f"'{path.name}' is een zip-bestand, maar geen Word-document (.docx).")
            scan_package(path, archive, WORD_LIMITS, what, error)
    except (zipfile.BadZipFile, OSError) as exc:
        raise error(
            f"'{path.name}' kan niet als Word-document (.docx) worden geopend. Sla het in Word "
            f"op als Word-document en probeer opnieuw."
        ) from exc


def _check_zip(path: Path):  # type: ignore[no-untyped-def]
    from toolkit.core.sheetscan import SheetScan

    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100]
                if b"opendocument" in mimetype:
                    raise RegisterUnreadable(
                        f"'{name}' is een OpenDocument-bestand (.ods). Open het in "
                        f"LibreOffice Calc en kies Opslaan als > Excel 2007-365 (.xlsx)."
                    )
            check_sizes(name, infos)
            if "xl/workbook.xml" not in names:
                raise RegisterUnreadable(f"'{name}' is een zip-bestand, maar geen Excel-werkmap. {_SAVE_AS}")
            scan = SheetScan(path, archive)
            scan_package(path, archive, REGISTER_LIMITS, "Excel-bestand", consumer=scan.consumer)
            scan.finish()
    except zipfile.BadZipFile as exc:
        raise RegisterUnreadable(
            f"'{name}' is beschadigd of onvolledig opgeslagen (geen geldige werkmap). "
            f"Gebruik een eerdere versie van het bestand of sla het opnieuw op in Excel."
        ) from exc
    return scan


def check_template_file(path: Path) -> None:
    """A Word template: the checks of any Word file, nothing fetched, nothing run.

    An image, object, frame or attached template kept as a link would be fetched over the
    network by Word or by LibreOffice while making the PDF, and would travel into every
    annex; so would a field such as INCLUDEPICTURE, and a macro would be carried into the
    council's annex. What a part is decides (toolkit.core.packageparts), not how it is spelled.
    Hyperlinks stay: nothing fetches them.
    """
    check_word_file(path, TemplateError, "Word-sjabloon")
    check_nothing_fetched(path, TemplateError, "Word-sjabloon")


def check_nothing_fetched(
    path: Path, error: type[ToolkitError] = TemplateError, what: str = "Word-sjabloon"
) -> None:
    """Refuse a Word package with macros, external relationships other than hyperlinks,
    or fields that fetch (packageparts); the message names the file and the part."""
    from toolkit.core.packageparts import Refused, check_office_package

    name = path.name

    def broken(member: str) -> ToolkitError:
        return error(
            f"Het {what} '{name}' is beschadigd (onderdeel '{member}' is onleesbaar). "
            f"Sla het opnieuw op in Word."
        )

    try:
        with zipfile.ZipFile(path) as archive:
            check_office_package(archive, broken)
    except Refused as exc:
        raise error(f"Het {what} '{name}' {exc}") from exc
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise error(
            f"Het {what} '{name}' kan niet worden gelezen als Word-document. Sla het opnieuw op in Word."
        ) from exc
