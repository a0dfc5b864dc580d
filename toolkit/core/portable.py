"""What differs between Windows, macOS and Linux, decided in one place.

Municipal workstations run Windows; the toolkit is developed and tested on Linux. Every
choice that depends on the operating system reads a flag here, so the tests can force
the Windows or macOS path on Linux (monkeypatch `portable.WINDOWS` or
`portable.HAS_FORK`) and prove that path works.

File names follow the strictest rules of the three (Windows'), for every file the
toolkit names itself: an annex made on Linux is copied to a Windows share afterwards.
"""

from __future__ import annotations

import os
import re
import sys

#: Windows: locks with msvcrt, no removing of an open lock file, no pid probing.
WINDOWS = sys.platform == "win32"
#: fork is safe (and a helper can be tied to its parent's life) only on Linux; macOS
#: has fork, but system libraries there may not survive it.
HAS_FORK = sys.platform.startswith("linux") and hasattr(os, "fork")

#: Device names Windows refuses as a file name, whatever follows after a dot
#: ("con.docx", "LPT1.txt"); the superscript digits count too.
RESERVED_NAMES = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$", "clock$"}
    | {f"{port}{digit}" for port in ("com", "lpt") for digit in "0123456789¹²³"}
)
#: Characters Windows refuses in a file name (besides the control characters).
REFUSED_CHARS = '<>:"/\\|?*'
_REFUSED = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f\ud800-\udfff]')


def is_reserved(name: str) -> bool:
    """True when Windows refuses name because of a device name before its first dot."""
    return name.split(".", 1)[0].rstrip(" ").lower() in RESERVED_NAMES


def refused_reason(name: str) -> str | None:
    """Why Windows would refuse name as a file name, in Dutch; None when it accepts it."""
    bad = sorted({c for c in name if c in REFUSED_CHARS or ord(c) < 32})
    if bad:
        shown = " ".join(c if c.isprintable() else f"U+{ord(c):04X}" for c in bad)
        return f"de naam bevat tekens die Windows niet toestaat ({shown})"
    if name != name.rstrip(" ."):
        return "de naam eindigt op een punt of spatie, wat Windows niet toestaat"
    if is_reserved(name):
        return f"'{name.split('.', 1)[0].rstrip(' ')}' is een naam die Windows voor een apparaat gebruikt"
    return None


def file_name(text: str, fallback: str, max_bytes: int = 180) -> str:
    """text as a file name (without extension) that Windows, macOS and Linux accept.

    Refused characters go, runs of white space become one space, trailing dots and spaces
    go (Windows drops them silently, so the file would not be found again), the name stays
    under max_bytes of UTF-8, and a device name gets a '_' in front.
    """
    name = " ".join(_REFUSED.sub("", " ".join(text.split())).split()).strip(" .")
    while len(name.encode("utf-8")) > max_bytes:
        name = name[:-1].rstrip(" .")
    name = name or fallback
    return f"_{name}" if is_reserved(name) else name


def pid_alive(pid: int) -> bool | None:
    """Whether process pid on this machine still runs; None when that cannot be told.

    Only on POSIX: on Windows os.kill(pid, 0) would not probe but end the process.
    """
    if pid == os.getpid():
        return True
    if WINDOWS:
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, but belongs to someone else
    return True


def read_from_start(fd: int, size: int) -> bytes:
    """Up to size bytes from the start of an open file (pread where there is one)."""
    if hasattr(os, "pread") and not WINDOWS:
        return os.pread(fd, size, 0)
    position = os.lseek(fd, 0, os.SEEK_CUR)
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return os.read(fd, size)
    finally:
        os.lseek(fd, position, os.SEEK_SET)
