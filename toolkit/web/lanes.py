"""Admission by work, not by connections: a lane of workers with a queue of known depth.

There are two lanes: one for checks (and comparing, importing, starting a register, the
next edition, templates) and one for builds, each with its own workers, so coordinators
building at the deadline do not starve the officers' checks. A request waits in its
lane's queue for a free worker; a full queue, or a wait longer than a proxy allows, gets
the Dutch "te druk" page at once (503 with Retry-After) instead of a time-out. A request
whose browser went away while it waited is dropped before any work is done; one that is
already running is finished, but its answer is not sent.

The workers are processes (toolkit serve: every core is used, and a worker's memory is
its own) or, in tests, threads. Each worker process loads the libraries and warms up
once, dies with the server (PR_SET_PDEATHSIG), and a build worker runs at a lower
priority, so checks keep their pace beside builds.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from toolkit.web.settings import Settings

log = logging.getLogger("toolkit.web")

#: how much lower a build runs than a check (os.nice): checks keep most of the processor
BUILD_NICENESS = 5


class Busy(Exception):
    """No room in the queue, or no worker in time: the "te druk" page."""


class Gone(Exception):
    """The browser went away; nothing is sent."""


class Crashed(Exception):
    """The worker process died (out of memory, killed); the lane has a new one."""


@dataclass
class Counts:
    running: int = 0
    waiting: int = 0
    done: int = 0
    refused: int = 0
    dropped: int = 0


def _worker_start(settings: Settings, niceness: int, parent: int) -> None:
    """In a new worker process: die with the server, run at the lane's priority, use the
    server's temporary folder, log as the server does, and warm up."""
    import tempfile

    from toolkit.core.parallel import die_with_parent, keep_heap_unfrozen
    from toolkit.web.logs import configure_logging

    die_with_parent(parent)
    # Ctrl+C in a terminal reaches the whole process group: the server stops its workers
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    keep_heap_unfrozen()  # a worker builds again and again: memory must not grow
    if niceness:
        try:
            os.nice(niceness)
        except (OSError, AttributeError):  # not allowed, or not on this system (Windows)
            pass
    if settings.scratch is not None:
        tempfile.tempdir = str(settings.scratch)
    configure_logging(settings.log_format)
    if settings.warm:
        from toolkit.web.warm import warm_up

        try:
            warm_up(settings)
        except Exception:  # noqa: BLE001 - the first request then says what is wrong
            log.exception("Opwarmen mislukt")


def _ready() -> int:
    return os.getpid()


class Lane:
    def __init__(
        self, name: str, slots: int, settings: Settings, niceness: int = 0, recycle: int = 0
    ) -> None:
        self.name = name
        self.slots = max(1, slots)
        self.depth = max(0, settings.queue) * self.slots
        self.max_wait = settings.max_wait
        self.settings = settings
        self.niceness = niceness
        self.recycle = recycle
        self.counts = Counts()
        self._free: asyncio.Semaphore | None = None
        self._executor: Executor | None = None

    # -- life --------------------------------------------------------------------------

    def _make_executor(self) -> Executor:
        if not self.settings.processes:
            return ThreadPoolExecutor(self.slots, thread_name_prefix=f"toolkit-{self.name}")
        context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(
            self.slots,
            mp_context=context,
            initializer=_worker_start,
            initargs=(self.settings, self.niceness, os.getpid()),
            max_tasks_per_child=self.recycle or None,
        )

    async def start(self) -> None:
        """Start every worker now and wait until each has warmed up, so the first
        requests do not wait for the libraries."""
        self._free = asyncio.Semaphore(self.slots)
        self._executor = self._make_executor()
        if self.settings.processes:
            loop = asyncio.get_running_loop()
            await asyncio.gather(*(loop.run_in_executor(self._executor, _ready) for _ in range(self.slots)))

    def stop(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def status(self) -> dict[str, int]:
        return {
            "workers": self.slots,
            "running": self.counts.running,
            "waiting": self.counts.waiting,
            "queue": self.depth,
            "done": self.counts.done,
            "refused": self.counts.refused,
            "dropped": self.counts.dropped,
        }

    # -- work --------------------------------------------------------------------------

    async def run(self, fn: Callable[..., Any], *args: Any, gone: asyncio.Event | None = None) -> Any:
        """fn(*args) on a worker of this lane, after waiting in the queue."""
        assert self._free is not None
        gone = gone or asyncio.Event()
        if self.counts.waiting >= self.depth and self._free.locked():
            self.counts.refused += 1
            raise Busy()
        self.counts.waiting += 1
        try:
            await self._acquire(gone)
        finally:
            self.counts.waiting -= 1
        self.counts.running += 1
        loop = asyncio.get_running_loop()
        executor = self._executor
        try:
            assert executor is not None
            future = loop.run_in_executor(executor, fn, *args)
        except BaseException:
            self.counts.running -= 1
            self._free.release()
            raise

        def finished(_: object) -> None:
            self.counts.running -= 1
            self.counts.done += 1
            assert self._free is not None
            self._free.release()

        future.add_done_callback(finished)
        watcher = asyncio.ensure_future(gone.wait())
        try:
            await asyncio.wait({future, watcher}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            watcher.cancel()
        if not future.done():
            self.counts.dropped += 1
            future.add_done_callback(_consume)  # finished in the worker; the answer is dropped
            raise Gone()
        try:
            return future.result()
        except BrokenProcessPool as exc:
            if self._executor is executor:  # the first to notice starts a new pool
                self._renew()
            raise Crashed() from exc

    async def _acquire(self, gone: asyncio.Event) -> None:
        assert self._free is not None
        if not self._free.locked():
            await self._free.acquire()
            return
        started = time.monotonic()
        acquire = asyncio.ensure_future(self._free.acquire())
        watcher = asyncio.ensure_future(gone.wait())
        try:
            await asyncio.wait({acquire, watcher}, timeout=self.max_wait, return_when=asyncio.FIRST_COMPLETED)
        finally:
            watcher.cancel()
            if not acquire.done():
                acquire.cancel()
                try:
                    await acquire
                except asyncio.CancelledError:
                    pass
        if acquire.cancelled() or acquire.exception() is not None:
            if gone.is_set():
                self.counts.dropped += 1
                raise Gone()
            self.counts.refused += 1
            log.warning("Geen werker vrij binnen %.0f s (%s)", time.monotonic() - started, self.name)
            raise Busy()
        if gone.is_set():  # a worker came free, but nobody waits for the answer any more
            self._free.release()
            self.counts.dropped += 1
            raise Gone()

    def _renew(self) -> None:
        """A worker process died: the pool is broken for every request; start a new one."""
        log.error("Een werkproces (%s) is onverwacht gestopt; er komt een nieuw", self.name)
        old, self._executor = self._executor, self._make_executor()
        if old is not None:
            old.shutdown(wait=False, cancel_futures=True)


def _consume(future: Any) -> None:
    """Read a dropped future's outcome, so nothing is logged as never retrieved."""
    if not future.cancelled():
        future.exception()


def build_niceness(settings: Settings) -> int:
    return BUILD_NICENESS if settings.processes else 0
