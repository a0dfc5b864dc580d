"""Look at a file before any spreadsheet library does.

openpyxl's own errors are English and technical, and some files (zip bombs, renamed
.xls files, encrypted workbooks) should never reach it. Each problem gets one Dutch
message naming what is wrong and what to do.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from .errors import RegisterUnreadable

MAX_UNCOMPRESSED = 1024 * 1024 * 1024  # 1 GiB in all
MAX_RATIO = 200  # a member this much larger than its compressed form is suspicious
MAX_MEMBERS = 10_000

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_SAVE_AS = "Open het bestand in Excel en kies Opslaan als > Excel-werkmap (*.xlsx)."


def check_register_file(path: Path) -> None:
    """Refuse, with a Dutch message, anything that is not a sane .xlsx workbook."""
    name = path.name
    if name.startswith("~$"):
        raise RegisterUnreadable(
            f"'{name}' is een tijdelijk vergrendelingsbestand van Excel, niet het register. "
            f"Kies het bestand zonder '~$' aan het begin van de naam."
        )
    if not path.exists():
        raise RegisterUnreadable(
            f"Het bestand '{path}' bestaat niet. Controleer de naam en de map."
        )
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
        raise RegisterUnreadable(
            f"'{name}' is een oud Excel-bestand (.xls), geen .xlsx. {_SAVE_AS}"
        )
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
    _check_zip(path)


def check_sizes(name: str, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse an archive whose declared sizes are absurd (a zip bomb), before unpacking."""
    if len(infos) > MAX_MEMBERS:
        raise RegisterUnreadable(
            f"'{name}' bevat {len(infos)} onderdelen; dat is geen gewoon bestand. "
            f"Het wordt uit voorzorg niet geopend."
        )
    total = sum(info.file_size for info in infos)
    suspicious = any(
        info.file_size > 10 * 1024 * 1024
        and info.file_size > MAX_RATIO * max(info.compress_size, 1)
        for info in infos
    )
    if total > MAX_UNCOMPRESSED or suspicious:
        raise RegisterUnreadable(
            f"'{name}' zou uitgepakt onredelijk groot worden ({total // (1024 * 1024)} MB). "
            f"Het wordt uit voorzorg niet geopend. Sla het opnieuw op of gebruik een eerdere "
            f"versie."
        )


def check_word_file(path: Path) -> None:
    """The same care for a .docx the coordinator hands to `toolkit import`."""
    if not path.exists():
        raise RegisterUnreadable(f"Het bestand '{path}' bestaat niet.")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise RegisterUnreadable(
            f"'{path.name}' kan niet als Word-document (.docx) worden geopend. Sla het in Word "
            f"op als Word-document en probeer opnieuw."
        ) from exc
    check_sizes(path.name, infos)
    if "word/document.xml" not in {info.filename for info in infos}:
        raise RegisterUnreadable(
            f"'{path.name}' is een zip-bestand, maar geen Word-document (.docx)."
        )


def _check_zip(path: Path) -> None:
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
    except zipfile.BadZipFile as exc:
        raise RegisterUnreadable(
            f"'{name}' is beschadigd of onvolledig opgeslagen (geen geldige werkmap). "
            f"Gebruik een eerdere versie van het bestand of sla het opnieuw op in Excel."
        ) from exc
    check_sizes(name, infos)
    if "xl/workbook.xml" not in names:
        raise RegisterUnreadable(
            f"'{name}' is een zip-bestand, maar geen Excel-werkmap. {_SAVE_AS}"
        )
