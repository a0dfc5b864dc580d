"""Work in forked helper processes, so a build uses both processor cores.

The build hands each annex to a helper while this process validates.

A build is pure Python, so threads would take turns; a forked process starts with the
register already in memory (nothing to copy or pickle) and hands back only the finished
.docx bytes, which are compressed and small. Where fork is not available (Windows) or
anything goes wrong in the helper, the work is simply done here, in order: the result
is the same, only slower.

A helper dies with this process (Linux: PR_SET_PDEATHSIG), so a build that is killed
leaves no helpers behind, blocked on a pipe nobody reads.
"""

from __future__ import annotations

import ctypes
import gc
import importlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

from toolkit.core import portable
from toolkit.core.errors import ToolkitError

T = TypeVar("T")


#: False in a process that builds again and again (the web application's workers): the
#: freeze is for one build that forks helpers and ends. Repeated in one process, whatever
#: was garbage at the moment of freezing ends up in the oldest generation after unfreeze,
#: and memory grows with every build (4.6 MiB a build of the example register).
FREEZE = True


def keep_heap_unfrozen() -> None:
    """For a long-running process: frozen_heap() does nothing from now on."""
    global FREEZE
    FREEZE = False


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Everything made so far (the register) kept out of cycle collection meanwhile.

    Collections in this process and in forked helpers then skip the register: less
    time, and no copy-on-write of its memory pages in the helpers (see gc.freeze).
    """
    if not FREEZE:
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def release_free_memory() -> None:
    """Give the memory freed while reading (calamine's buffers, the rows as read) back
    to the system before forking helpers (glibc's malloc_trim; elsewhere nothing).

    A forked helper maps every page of this process: memory that is free but still
    held would count in every one of them, and new objects there would be copied into
    each. For 30,000 pilots that is 140 MB, given back in a few milliseconds.
    """
    if not portable.HAS_FORK:  # no helpers are forked there
        return
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # another C library (musl): nothing to give back
        pass


#: what validating and building import on first use (pandas and pandera alone take half a
#: second): loaded while the register is read, on the core that is otherwise idle then
HEAVY_MODULES = ("pandas", "pandera.pandas", "toolkit.validators", "docxtpl", "jinja2", "lxml.etree")


@contextmanager
def preloaded(modules: tuple[str, ...] = HEAVY_MODULES) -> Iterator[None]:
    """Import modules in a thread while the body runs.

    Reading the register is mostly calamine (Rust), which lets other Python threads run,
    so the imports cost no time there; done later they would (a fifth of a second for a
    10,000-pilot build, more where the import sits between forking and validating). The
    thread is joined before the body's result is used, so a build still forks from a
    process with one thread. A module that fails to import here is left to fail where it
    is used, with its own message.
    """

    def load() -> None:
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001, S110 - the real import says what is wrong
                pass

    thread = threading.Thread(target=load, name="toolkit-preload", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()


def can_fork() -> bool:
    """fork is safe on Linux in a process with one thread; elsewhere the ordered path.

    A thread holding a lock (logging, a GUI's) at the moment of fork would leave that
    lock held forever in the helper, so a program with threads gets the ordered path.
    """
    return (
        portable.HAS_FORK
        and threading.active_count() == 1
        and "fork" in multiprocessing.get_all_start_methods()
    )


#: set (the tests set it): a helper's result that cannot be pickled is an error instead of
#: silently redone in this process (it made every import convert its second file twice)
STRICT_HELPERS = "TOOLKIT_STRICT_HELPERS"


class Background(Generic[T]):
    """fn() running in a forked process; result() waits for it (or runs fn here)."""

    def __init__(self, fn: Callable[[], T], enabled: bool = True) -> None:
        self._fn = fn
        self._process = None
        self._receiver = None
        if not (enabled and can_fork()):
            return
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_run, args=(fn, sender, os.getpid()), daemon=True)
        try:
            process.start()
        except OSError:  # no processes left, no memory to fork: do it here later
            receiver.close()
            sender.close()
            return
        sender.close()
        self._process, self._receiver = process, receiver

    def result(self) -> T:
        if self._process is None or self._receiver is None:
            return self._fn()
        try:
            kind, value = self._receiver.recv()
        except (EOFError, OSError):  # the helper died (out of memory, killed)
            kind, value = "crash", None
        finally:
            self._receiver.close()
            self._process.join()
            self._process = self._receiver = None
        if kind == "ok":
            return value  # type: ignore[no-any-return]
        if kind == "error":
            raise value  # a ToolkitError with its Dutch message
        if kind == "unsendable" and os.environ.get(STRICT_HELPERS):
            # the work was done, but its result could not cross the pipe: doing it again
            # here is right for a user, and hides a slowdown a test should see
            raise RuntimeError(f"the helper's result could not be sent back: {value}")
        return self._fn()  # anything unexpected: do it here, with a real traceback

    def cancel(self) -> None:
        """Not needed after all (validation found errors): stop the helper."""
        if self._process is not None:
            self._process.terminate()
            self._process.join()
            if self._receiver is not None:
                self._receiver.close()
            self._process = self._receiver = None


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """In a forked helper: be killed when the parent dies, even by SIGKILL."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux or no prctl: the getppid check remains
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _run(fn: Callable[[], object], sender, parent: int) -> None:  # type: ignore[no-untyped-def]
    die_with_parent(parent)
    try:
        value = fn()
        try:
            sender.send(("ok", value))
        except Exception as exc:  # noqa: BLE001 - a result that cannot be pickled
            sender.send(("unsendable", f"{type(exc).__name__}: {exc}"))
    except ToolkitError as exc:
        sender.send(("error", exc))
    except BaseException:  # noqa: BLE001 - the parent redoes the work and shows the error
        sender.send(("crash", None))
    finally:
        sender.close()
        os._exit(0)  # skip the parent's atexit handlers and buffered output
