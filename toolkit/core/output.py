"""Write output files atomically, so a reader never meets a half-written file.

A report or annex that is open in Excel or Word cannot be replaced on Windows shares;
then the previous file stays intact and the user is told, in Dutch, to close it.

Every temporary file is named `.toolkit-tmp-<machine>-<process>-…`, so a later run can
recognise one left behind by a killed run and remove it; any other file is never
touched. One build per output folder at a time: `folder_lock` holds a lock file there.
"""

from __future__ import annotations

import errno
import os
import re
import socket
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from toolkit.core import portable
from toolkit.core.errors import OutputError

#: Every zip the toolkit writes (annexes, reports, PDFs' companions) uses these: the same
#: input gives the same bytes, and level 6 costs twice the time for a few percent smaller
#: files.
FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
COMPRESS_LEVEL = 3

#: Every temporary file the toolkit makes starts with this; nothing else is ever removed.
TEMP_PREFIX = ".toolkit-tmp-"
_TEMP_NAME = re.compile(r"^\.toolkit-tmp-([A-Za-z0-9]*)-(\d+)-")
#: A temporary file this old is stale even when its process cannot be checked (another
#: machine on a shared folder, or Windows).
STALE_AFTER_SECONDS = 24 * 3600
LOCK_NAME = ".toolkit-bouw.lock"

_REASONS = {
    errno.EACCES: "geen toegang (de rechten ontbreken)",
    errno.EPERM: "geen toegang (de rechten ontbreken)",
    errno.EROFS: "de schijf of map is alleen-lezen",
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "de schijfruimte (quotum) is op",
    errno.ENAMETOOLONG: "het pad of de bestandsnaam is te lang",
    errno.ENOTDIR: "een deel van het pad is een bestand, geen map",
    errno.EEXIST: "er staat al een bestand met die naam",
    errno.EISDIR: "er staat een map met die naam",
    errno.ENOENT: "de map bestaat niet (meer)",
    errno.ELOOP: "het pad bevat een snelkoppeling (symlink) die naar zichzelf wijst",
}
_ADVICE = {
    errno.ENOSPC: "Maak ruimte vrij of kies een map op een andere schijf.",
    errno.EDQUOT: "Maak ruimte vrij of kies een map op een andere schijf.",
    errno.ENAMETOOLONG: "Kies een map met een korter pad (bijvoorbeeld direct onder C:\\ of "
    "in uw thuismap) of een kortere naam.",
}


def shown(path: object) -> str:
    """A path as text that can always be printed and written as UTF-8.

    A file name that is not UTF-8 (from an SMB share) arrives with surrogate escapes;
    the unreadable byte becomes '�' instead of crashing the message.
    """
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def reason(exc: OSError) -> str:
    """What went wrong, in Dutch, for an operating-system error."""
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    return exc.strerror or type(exc).__name__


def write_error(target: Path, exc: OSError) -> OutputError:
    advice = _ADVICE.get(exc.errno or 0, "Kies een map waarin u mag schrijven.")
    return OutputError(
        f"'{shown(target)}' kan niet worden geschreven: {reason(exc)}. {advice} Er is geen "
        f"half bestand achtergebleven; een vorige versie is ongewijzigd."
    )


def ensure_dir(folder: Path) -> Path:
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        why = reason(exc)
        if isinstance(exc, FileExistsError) or exc.errno == errno.ENOTDIR:
            why = "er staat een bestand waar een map moet staan"
        raise OutputError(
            f"De map '{shown(folder)}' kan niet worden gemaakt ({why}). Kies een andere map."
        ) from exc
    return folder


def check_new_register(path: Path) -> Path:
    """A register the toolkit is asked to create: .xlsx, in an existing folder, not there yet.

    An existing file is never overwritten: it may be an officer's work.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise OutputError(f"Geef een registernaam die eindigt op .xlsx (niet '{shown(path.name)}').")
    refused = portable.refused_reason(path.name)
    if refused:
        raise OutputError(
            f"'{shown(path.name)}' kan geen registernaam zijn: {refused}. Het register gaat "
            f"naar collega's op Windows; kies een naam als 'register_2025.xlsx'."
        )
    if path.exists():
        raise OutputError(
            f"'{shown(path)}' bestaat al; de toolkit overschrijft nooit een register. Kies een "
            f"andere naam of verplaats het bestaande bestand."
        )
    if not path.parent.exists():
        raise OutputError(f"De map '{shown(path.parent)}' bestaat niet.")
    return path


def office_lock(path: Path) -> Path | None:
    """The lock file Word, Excel or LibreOffice keeps beside a document that is open.

    Word and Excel write '~$' plus the name, or for longer names '~$' in place of its
    first two characters; LibreOffice writes '.~lock.<name>#'.
    """
    folder, name = path.parent, path.name
    for candidate in (f"~${name}", f"~${name[2:]}", f".~lock.{name}#"):
        lock = folder / candidate
        if candidate != "~$" and os.path.lexists(lock):
            return lock
    return None


def refuse_open_documents(targets: list[Path]) -> None:
    """Stop before writing when a document to replace is open: saving it later in Word
    would overwrite the new annex, or the edits would be lost."""
    for target in targets:
        lock = office_lock(target)
        if lock is not None and target.exists():
            raise OutputError(
                f"'{shown(target.name)}' is geopend in Word of LibreOffice (het "
                f"vergrendelingsbestand '{shown(lock.name)}' staat ernaast). Sluit het document "
                f"en bouw opnieuw; er is geen bijlage geschreven. Is het niet geopend, verwijder "
                f"dan het vergrendelingsbestand."
            )


def _machine() -> str:
    return re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:16]


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove temporary files a killed toolkit run left in folder; return them.

    Only files named by atomic_write qualify, and only when their process (on this
    machine) is gone, or when they are older than STALE_AFTER_SECONDS.
    """
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    machine, now = _machine(), time.time()
    for name in names:
        match = _TEMP_NAME.match(name)
        if not match:
            continue
        path = Path(folder) / name
        try:
            info = path.lstat()
        except OSError:
            continue
        if not os.path.isfile(path) or path.is_symlink():
            continue
        dead = match.group(1) == machine and portable.pid_alive(int(match.group(2))) is False
        if dead or now - info.st_mtime > STALE_AFTER_SECONDS:
            try:
                path.unlink()
            except OSError:
                continue
            removed.append(path)
    return removed


def atomic_write(
    target: Path, write: Callable[[Path], object], protect: tuple[Path, ...] = (), replace: bool = True
) -> Path:
    """Call write(tmp) and move tmp over target only when it succeeded.

    A symbolic link at target is replaced by the new file; nothing is written through it.
    With replace=False an existing target is never touched: FileExistsError is raised,
    even when the file appeared while tmp was being written.
    """
    target = Path(target)
    for path in protect:
        if path.exists() and target.exists() and os.path.samefile(path, target):
            raise OutputError(
                f"'{shown(target)}' is het register zelf; de toolkit schrijft nooit over het "
                f"register. Kies een andere uitvoermap."
            )
        if path.resolve() == target.resolve():
            raise OutputError(
                f"'{shown(target)}' is het register zelf; de toolkit schrijft nooit over het register."
            )
    ensure_dir(target.parent)
    remove_stale_temporaries(target.parent)
    prefix = f"{TEMP_PREFIX}{_machine()}-{os.getpid()}-{target.stem[:24]}-"
    try:
        handle, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=target.suffix[:16], dir=target.parent)
    except OSError as exc:
        raise write_error(target, exc) from exc
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp's 0600 would hide the file from colleagues
        if replace:
            os.replace(tmp, target)
        else:
            _place_new(tmp, target)
    except FileExistsError as exc:
        if not replace:
            raise  # the caller says what exists
        raise write_error(target, exc) from exc
    except PermissionError as exc:
        if target.is_dir():
            raise write_error(target, IsADirectoryError(errno.EISDIR, "")) from exc
        raise OutputError(
            f"'{shown(target.name)}' kan niet worden overschreven: is het geopend in Excel of "
            f"Word? Sluit het bestand en probeer opnieuw. De vorige versie is ongewijzigd."
        ) from exc
    except OSError as exc:
        raise write_error(target, exc) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _place_new(tmp: Path, target: Path) -> None:
    """Move tmp to target only when target does not exist (FileExistsError otherwise).

    A hard link does that atomically, but FAT drives, some network shares and Windows
    without NTFS have none: there the name is first claimed with an exclusive create
    (which refuses an existing file on every system) and then replaced by tmp.
    """
    try:
        os.link(tmp, target)
        return
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_LINKS and not portable.WINDOWS:
            raise
    claim = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    os.close(claim)
    try:
        os.replace(tmp, target)
    except BaseException:
        Path(target).unlink(missing_ok=True)  # the empty claim, not someone's file
        raise


#: errno of a file system without hard links
_NO_LINKS = {
    errno.EPERM,
    errno.EXDEV,
    errno.EMLINK,
    errno.ENOSYS,
    getattr(errno, "ENOTSUP", errno.ENOSYS),
    getattr(errno, "EOPNOTSUPP", errno.ENOSYS),
}


def atomic_write_text(target: Path, text: str, replace: bool = True) -> Path:
    """Text as UTF-8; with replace=False an existing file is never touched (refused)."""
    text = shown(text)  # a non-UTF-8 file name in the text must not stop the writing
    try:
        return atomic_write(target, lambda tmp: tmp.write_text(text, encoding="utf-8"), replace=replace)
    except FileExistsError as exc:  # it appeared meanwhile
        raise _exists(Path(target), "bestand") from exc


def _exists(path: Path, what: str) -> OutputError:
    return OutputError(
        f"'{shown(path)}' bestaat al (een {what} van een eerdere keer?); de toolkit overschrijft "
        f"het niet. Verplaats of hernoem het bestaande bestand, of kies een andere naam. Er is "
        f"niets geschreven."
    )


def refuse_existing(path: Path, what: str) -> None:
    """A file the command would write beside its result, that is there already: refused
    before anything is written (it may be the only record of an earlier run)."""
    if os.path.lexists(path):
        raise _exists(Path(path), what)


_held: dict[str, int] = {}
#: per locked folder, what a killed build left in the lock file (see note_pending)
_left_behind: dict[str, str] = {}


@contextmanager
def folder_lock(folder: Path) -> Iterator[Path]:
    """Hold the folder for one build; a second build there is refused with a Dutch message.

    The lock is the operating system's (flock on a lock file): it ends with the process,
    so a build that was killed never blocks the next one. Re-entrant within a process.
    """
    folder = ensure_dir(folder)
    key = os.path.realpath(folder)
    if key in _held:
        yield folder
        return
    path = folder / LOCK_NAME
    fd = _acquire(path, folder, key)
    _held[key] = fd
    try:
        yield folder
    finally:
        del _held[key]
        _left_behind.pop(key, None)
        _release(path, fd)


def note_pending(folder: Path, documents: dict[str, str]) -> None:
    """Write in the held lock file which documents (name: sha256) are about to be written.

    A build killed after writing an annex but before its manifest leaves this behind, so
    the next build knows that annex is the toolkit's own work, not an edit in Word.
    """
    fd = _held.get(os.path.realpath(folder))
    if fd is None:
        return
    lines = "".join(f"document {digest} {name}\n" for name, digest in documents.items())
    try:
        os.write(fd, lines.encode("utf-8", "surrogateescape"))
        os.fsync(fd)
    except OSError:
        pass  # without the note an unfinished build's annex is kept as edited: safe


def pending_from_killed_build(folder: Path) -> dict[str, set[str]]:
    """The documents (name: sha256s) a killed build in folder was writing, if any."""
    found: dict[str, set[str]] = {}
    for line in _left_behind.get(os.path.realpath(folder), "").splitlines():
        kind, _, rest = line.partition(" ")
        digest, _, name = rest.partition(" ")
        if kind == "document" and len(digest) == 64 and name:
            found.setdefault(name, set()).add(digest)
    return found


def _busy(folder: Path, fd: int) -> OutputError:
    try:
        other = portable.read_from_start(fd, 32).decode("ascii", "replace").strip() if fd >= 0 else ""
    except OSError:  # Windows: the holder's lock covers what would be read
        other = ""
    who = f" (proces {other})" if other.isdigit() else ""
    return OutputError(
        f"In de map '{shown(folder)}' maakt een andere toolkit-bouw{who} nu de bijlagen. Wacht "
        f"tot die klaar is, of kies met --out een andere map. (Twee bouwen tegelijk in één "
        f"map zouden bijlagen van verschillende registers door elkaar zetten.)"
    )


def _acquire(path: Path, folder: Path, key: str) -> int:
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(20):
        try:
            fd = os.open(path, flags, 0o666)
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # a link planted where the lock file goes
                raise OutputError(
                    f"'{shown(path)}' is een snelkoppeling (symlink); de toolkit volgt die niet. "
                    f"Verwijder het bestand en probeer opnieuw."
                ) from exc
            raise OutputError(
                f"In de map '{shown(folder)}' kan niet worden geschreven: {reason(exc)}. "
                f"{_ADVICE.get(exc.errno or 0, 'Kies een map waarin u mag schrijven.')}"
            ) from exc
        try:
            if not _try_lock(fd):
                raise _busy(folder, fd)
            if not portable.WINDOWS and os.fstat(fd).st_ino != os.stat(path).st_ino:
                os.close(fd)  # the previous holder removed the file meanwhile: again
                continue
            # what a killed build left behind, before it goes
            left = portable.read_from_start(fd, 1 << 16)
            _left_behind[key] = left.decode("utf-8", "surrogateescape")
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        except FileNotFoundError:
            os.close(fd)
            continue
        except BaseException:
            os.close(fd)
            raise
        return fd
    raise _busy(folder, -1)


def _try_lock(fd: int) -> bool:
    if portable.WINDOWS:
        import importlib

        # Any: typeshed knows msvcrt's functions only when checking for Windows; on Linux
        # tests/test_portable.py puts a stand-in here
        msvcrt: Any = importlib.import_module("msvcrt")
        # a lock on the first byte, from the start whatever was read before
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:  # a file system without locks: go on unprotected rather than refuse
        return True
    return True


def _release(path: Path, fd: int) -> None:
    if portable.WINDOWS:
        # an open file cannot be removed there: the file stays, emptied, so the next
        # build does not take this finished build's notes for a killed one's
        try:
            os.ftruncate(fd, 0)
        except OSError:
            pass
    else:
        try:
            path.unlink()  # while still holding it, so no one locks a removed file
        except OSError:
            pass
    os.close(fd)
