"""Temporary folders that a killed process does not leave behind for good.

A process killed with SIGKILL runs no clean-up: its temporary folders (an uploaded
register, a copy of an annex, a LibreOffice profile) stay in /tmp. So every such folder
is made here, holds a lock file that its process keeps locked while it lives (flock: the
kernel drops the lock when the process dies, however it dies), and the next process of
the same kind removes every folder of its prefix whose lock it can take. Two servers or
builds at the same time never remove each other's folders: a live owner holds its lock.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from toolkit.core import portable

LOCK = ".in-gebruik"
#: Where locks are not available (Windows): a folder this old is taken for abandoned.
STALE_AFTER = 24 * 3600

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

#: lock files held by this process, by folder (closed only when the folder is removed)
_held: dict[Path, int] = {}


def _has_locks() -> bool:
    """flock where there is one; Windows (forced in tests/test_portable.py) goes by age."""
    return fcntl is not None and not portable.WINDOWS


def _lock(fd: int) -> bool:
    if not _has_locks():
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def claim(prefix: str, root: Path | None = None) -> Path:
    """A new folder under root (the system's temporary folder) that stays this process's
    while it lives; remove it with release()."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=root))
    fd = os.open(folder / LOCK, os.O_CREAT | os.O_RDWR, 0o600)
    _lock(fd)
    _held[folder] = fd
    return folder


def release(folder: Path) -> None:
    fd = _held.pop(folder, None)
    if fd is not None and portable.WINDOWS:  # an open file cannot be removed there
        os.close(fd)
        fd = None
    shutil.rmtree(folder, ignore_errors=True)
    if fd is not None:
        os.close(fd)


def clean_stale(prefix: str, root: Path | None = None) -> list[Path]:
    """Remove the folders of prefix whose process is gone; returns what was removed."""
    base = Path(root or tempfile.gettempdir())
    removed = []
    try:
        candidates = [p for p in base.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return []
    for folder in candidates:
        if folder in _held or folder.is_symlink() or not folder.is_dir():
            continue
        if not _abandoned(folder):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            removed.append(folder)
    return removed


def _abandoned(folder: Path) -> bool:
    lock = folder / LOCK
    if not _has_locks():
        try:
            return time.time() - folder.stat().st_mtime > STALE_AFTER
        except OSError:
            return False
    try:
        fd = os.open(lock, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        # made but not yet locked (a process between mkdtemp and its lock), or made by an
        # older version: give it a minute
        try:
            return time.time() - folder.stat().st_mtime > 60
        except OSError:
            return False
    except OSError:
        return False
    try:
        return _lock(fd)
    finally:
        os.close(fd)  # closing drops the lock we may just have taken
