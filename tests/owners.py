"""A register with errors and several owners (the gaps register, with Eigenaar and
Trekker filled in), for the owner view and the web application."""

from __future__ import annotations

from pathlib import Path

from conftest import GAPS

from toolkit.register.read import read_register
from toolkit.register.write import write_register

OWNERS = ("Anna de Vries", "Bram Jansen", "Chantal Öztürk")
TREKKER = "Team Jeugd"


def register_with_owners(path: Path) -> Path:
    """Pilots owned in turn by OWNERS; every other action by TREKKER, the rest by nobody."""
    reg = read_register(GAPS)
    pilots = [dict(r.values, eigenaar=OWNERS[i % 3]) for i, r in enumerate(reg.records("Pilots"))]
    actions = [dict(r.values, trekker=TREKKER if i % 2 else "") for i, r in enumerate(reg.records("Acties"))]
    return write_register(path, {"Pilots": pilots, "Acties": actions}, settings=reg.settings, lists=reg.lists)


def zip_bomb(path: Path, megabytes: int = 60) -> Path:
    """A small .xlsx-named zip that would unpack to `megabytes` of zeros."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (megabytes * 1024 * 1024))
    return path
