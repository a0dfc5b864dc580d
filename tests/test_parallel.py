"""The build's second core: same documents, same errors, never a lost result."""

from __future__ import annotations

import os

import pytest
from conftest import EXAMPLE
from docx import Document

from toolkit.build import documents as build
from toolkit.build.documents import build_documents
from toolkit.core.errors import TemplateError
from toolkit.core.parallel import Background, can_fork
from toolkit.layouts import render
from toolkit.register.read import read_register

needs_fork = pytest.mark.skipif(not can_fork(), reason="fork is er alleen op Linux")


def test_parallel_and_ordered_builds_give_the_same_bytes(tmp_path):
    register = read_register(EXAMPLE)
    together = build_documents(register, tmp_path / "samen", parallel=True)
    ordered = build_documents(register, tmp_path / "na_elkaar", parallel=False)
    assert [p.name for p in together.documents] == [p.name for p in ordered.documents]
    for a, b in zip(together.documents, ordered.documents, strict=True):
        assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("parallel", [True, False])
def test_a_template_error_in_the_action_annex_reaches_the_user(tmp_path, monkeypatch, parallel):
    doc = Document(render.BUNDLED_TEMPLATES["acties.docx"])
    doc.add_paragraph("{{ wethouder }}")
    template = tmp_path / "acties.docx"
    doc.save(template)
    monkeypatch.setitem(render.BUNDLED_TEMPLATES, "acties.docx", template)
    with pytest.raises(TemplateError, match="wethouder"):
        build_documents(read_register(EXAMPLE), tmp_path / "uit", parallel=parallel)
    assert not list((tmp_path / "uit").glob("Bijlagen*.docx"))


@needs_fork
def test_background_work_runs_in_another_process():
    assert Background(os.getpid).result() != os.getpid()


def test_without_fork_the_work_waits_until_asked():
    calls = []
    work = Background(lambda: calls.append(1) or len(calls), enabled=False)
    assert calls == []
    assert work.result() == 1


@needs_fork
def test_an_unexpected_error_is_raised_here_with_its_traceback():
    parent = os.getpid()

    def fail():
        raise ValueError(f"fout in {'helper' if os.getpid() != parent else 'hoofdproces'}")

    with pytest.raises(ValueError, match="hoofdproces"):
        Background(fail).result()


@needs_fork
def test_a_helper_that_dies_is_replaced_by_doing_the_work_here():
    parent = os.getpid()

    def work():
        if os.getpid() != parent:
            os._exit(9)  # as if the operating system killed it
        return "gedaan"

    assert Background(work).result() == "gedaan"


@needs_fork
def test_cancel_stops_the_helper():
    import time

    work = Background(lambda: time.sleep(30))
    process = work._process
    work.cancel()
    assert process is not None and not process.is_alive()


def test_a_program_with_threads_gets_the_ordered_path():
    import threading

    release = threading.Event()
    helper = threading.Thread(target=release.wait)
    helper.start()
    try:
        assert not can_fork()
        assert Background(os.getpid).result() == os.getpid()
    finally:
        release.set()
        helper.join()


@needs_fork
def test_when_fork_fails_the_work_is_done_here(monkeypatch):
    import multiprocessing

    def refuse(self):
        raise OSError("geen processen meer")

    monkeypatch.setattr(multiprocessing.get_context("fork").Process, "start", refuse)
    assert Background(os.getpid).result() == os.getpid()


def test_the_collector_is_left_as_it_was(tmp_path):
    """Reading pauses cycle collection and the build freezes the heap; both undo it."""
    import gc

    register = read_register(EXAMPLE)
    assert gc.isenabled()
    build_documents(register, tmp_path)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        read_register(EXAMPLE)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()


@pytest.mark.parametrize(
    ("parallel", "rows_needed", "helpers"),
    [(None, 10_000, False), (None, 10, True), (True, 10_000, True), (False, 10, False)],
)
def test_helpers_only_pay_off_for_large_registers(tmp_path, monkeypatch, parallel, rows_needed, helpers):
    import toolkit.core.parallel

    asked = []
    original = toolkit.core.parallel.Background

    def recording(fn, enabled=True):
        asked.append(enabled)
        return original(fn, enabled=False)

    monkeypatch.setattr(toolkit.core.parallel, "Background", recording)
    monkeypatch.setattr(build, "PARALLEL_FROM_ROWS", rows_needed)
    build_documents(read_register(EXAMPLE), tmp_path, parallel=parallel)
    assert asked == [helpers, helpers]


@needs_fork
def test_a_result_that_cannot_cross_the_pipe_is_an_error_in_tests(monkeypatch):
    """A user gets the work redone here; the tests (TOOLKIT_STRICT_HELPERS, set in
    conftest) get an error, so a result that no longer pickles is seen at once."""
    from toolkit.core.parallel import STRICT_HELPERS

    def work():
        return lambda: "niet te pickelen"

    with pytest.raises(RuntimeError, match="could not be sent back"):
        Background(work).result()
    monkeypatch.delenv(STRICT_HELPERS)
    assert Background(work).result()() == "niet te pickelen"
