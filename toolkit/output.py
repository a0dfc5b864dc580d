"""Write output files atomically, so a reader never meets a half-written file.

A report or annex that is open in Excel or Word cannot be replaced on Windows shares;
then the previous file stays intact and the user is told, in Dutch, to close it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import OutputError


def ensure_dir(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"De map '{folder}' kan niet worden gemaakt ({exc.strerror}). Kies een andere map."
        ) from exc
    return folder


def check_new_register(path: Path) -> Path:
    """A register the toolkit is asked to create: .xlsx, in an existing folder, not there yet.

    An existing file is never overwritten: it may be an officer's work.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise OutputError(f"Geef een registernaam die eindigt op .xlsx (niet '{path.name}').")
    if path.exists():
        raise OutputError(
            f"'{path}' bestaat al; de toolkit overschrijft nooit een register. Kies een "
            f"andere naam of verplaats het bestaande bestand."
        )
    if not path.parent.exists():
        raise OutputError(f"De map '{path.parent}' bestaat niet.")
    return path


def atomic_write(target: Path, write: Callable[[Path], object],
                 protect: tuple[Path, ...] = ()) -> Path:
    """Call write(tmp) and move tmp over target only when it succeeded."""
    target = Path(target)
    for path in protect:
        if path.exists() and target.exists() and os.path.samefile(path, target):
            raise OutputError(
                f"'{target}' is het register zelf; de toolkit schrijft nooit over het register. "
                f"Kies een andere uitvoermap."
            )
        if path.resolve() == target.resolve():
            raise OutputError(
                f"'{target}' is het register zelf; de toolkit schrijft nooit over het register."
            )
    ensure_dir(target.parent)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix,
                                        dir=target.parent)
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp's 0600 would hide the file from colleagues
        os.replace(tmp, target)
    except PermissionError as exc:
        raise OutputError(
            f"'{target.name}' kan niet worden overschreven: is het geopend in Excel of Word? "
            f"Sluit het bestand en probeer opnieuw. De vorige versie is ongewijzigd."
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return target


def atomic_write_text(target: Path, text: str) -> Path:
    return atomic_write(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))
