"""Page numbers in the contents list of every .docx a build writes, where LibreOffice is
installed (not only with --pdf).

Word shows the contents list the build writes, but a page number only appears after the
reader updates the field (F9): Word lays out pages when it opens a document, the toolkit
does not. LibreOffice can: the same macro as the PDF conversion (pdf.py) opens each
annex, keeps tables with what follows as Word does, updates the contents twice and
writes the page of every bookmark to a file; the numbers go into the .docx as the PDF
path puts them (pdf.number_pages), so `build` and `build --pdf` write the same .docx.

LibreOffice starts when the build starts (its macro waits for the annexes while the build
validates and makes them) and lays them out beside the rest of the build (the web
edition): one LibreOffice for all annexes. A large annex is left to Word: laying out hundreds of pages takes
LibreOffice about three seconds per megabyte of document XML (1,000 pilot cards: half a
minute), far more than the build itself. Without LibreOffice, or when it fails, the build
succeeds and says once how Word fills the numbers. TOOLKIT_PAGINANUMMERS=0 skips the step.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import threading
import zipfile
from collections.abc import Callable
from functools import partial
from io import BytesIO
from pathlib import Path

from toolkit.core.output import shown
from toolkit.core.scratch import claim, clean_stale, release

#: the largest word/document.xml (bytes) laid out at build time: about 200 pilot cards,
#: some six seconds of LibreOffice on one core
LIMIT = 2_000_000
TIMEOUT = 300
#: how long the macro waits for the annexes (seconds): the build validates and makes
#: them meanwhile; a build killed before it gives them leaves LibreOffice no longer
WAIT = 120
PREFIX = "toolkit-paginas-"
#: the environment variable that turns the step off ("0", "nee", "uit")
SWITCH = "TOOLKIT_PAGINANUMMERS"
_CONTENTS_FIELD = re.compile(rb"<w:instrText[^>]*>\s*TOC\b")

F9_HINT = "Word zet ze erin als u de inhoudsopgave bijwerkt (klik erin en druk op F9)"


def switched_off() -> bool:
    return os.environ.get(SWITCH, "").strip().lower() in ("0", "nee", "uit", "no", "off", "false")


def contents_size(content: bytes) -> int | None:
    """The size of the document XML of a .docx with a contents list; None without one.

    Read a megabyte at a time up to the contents field (near the start): the XML of a
    30,000-pilot annex is 280 MB, which a whole read would add to the build's peak."""
    try:
        with zipfile.ZipFile(BytesIO(content)) as archive:
            size = archive.getinfo("word/document.xml").file_size
            with archive.open("word/document.xml") as stream:
                tail = b""
                while chunk := stream.read(1 << 20):
                    if _CONTENTS_FIELD.search(tail + chunk):
                        return size
                    tail = chunk[-4096:]  # a field cut in two by the chunks
    except (OSError, zipfile.BadZipFile, KeyError):
        return None
    return None


class PagePass:
    """The LibreOffice step of one build. Started before the annexes exist (LibreOffice
    takes a second or two to start: that happens while the build validates), its macro
    waits for them; given the annexes' bytes (give), it lays them out; finished on the
    files written from them (finish)."""

    def __init__(self, office: str, progress: Callable[[str], None]) -> None:
        self.office = office
        self.progress = progress
        self.names: list[str] = []
        self.contents: list[bytes] = []
        self.pages: list[dict[str, int] | None] = []
        clean_stale(PREFIX)
        self.scratch = claim(PREFIX)
        self.work = self.scratch / "werk"
        self.work.mkdir()
        self._process: subprocess.Popen[bytes] | None = None
        self._cancelled = False
        self._given = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        from toolkit.build.pdf import _install_macro

        profile = self.scratch / "profiel"
        try:
            profile.mkdir()
            base = [self.office, f"-env:UserInstallation={profile.as_uri()}", "--headless"]
            if self._cancelled or not _install_macro(base, profile):
                return
            call = f'macro:///Standard.Module1.PagesWhenReady("{self.work.as_uri()}",{WAIT})'
            self._process = subprocess.Popen(
                [*base, call],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=os.name == "posix",
            )
            if self._cancelled:
                self._kill()
                return
            try:
                self._process.wait(timeout=WAIT + TIMEOUT)
            except subprocess.TimeoutExpired:
                self._kill()
                return
            for number in range(1, len(self.contents) + 1):
                self.pages.append(_read_pages(self.work / f"bijlage-{number}.pages"))
        except OSError:
            return

    def give(self, names: list[str], contents: list[bytes]) -> None:
        """The annexes to lay out (none: the waiting macro stops)."""
        self.names, self.contents = names, contents
        try:
            for number, content in enumerate(contents, start=1):
                (self.work / f"bijlage-{number}.docx").write_bytes(content)
            ready = self.work / "klaar.tmp"
            ready.write_text(f"{len(contents)}\n", encoding="ascii")
            os.replace(ready, self.work / "klaar")  # the macro sees it whole
        except OSError:
            self.cancel()
        self._given = True

    def _kill(self) -> None:
        process = self._process
        if process is None or process.poll() is not None:
            return
        try:
            if os.name == "posix":
                os.killpg(process.pid, signal.SIGKILL)
            else:  # pragma: no cover - Windows
                process.kill()
            process.wait(timeout=10)
        except (OSError, subprocess.SubprocessError):
            pass

    def cancel(self) -> None:
        """Stop LibreOffice and remove its folder (the build ended early, or is done)."""
        self._cancelled = True
        self._kill()
        self._thread.join(timeout=30)
        release(self.scratch)

    def finish(self, documents: list[Path], note: Callable[[dict[str, str]], None]) -> None:
        """Write the numbers into the written annexes (documents, named as in names).

        note gets each numbered annex's new hash before it is written: a build killed
        meanwhile leaves it recorded as the toolkit's own work, not an edit in Word."""
        from toolkit.build.pdf import numbered_docx
        from toolkit.core.output import atomic_write

        self._thread.join()
        by_name = {path.name: path for path in documents}
        failed = []
        for index, name in enumerate(self.names):
            found = self.pages[index] if index < len(self.pages) else None
            path = by_name.get(name)
            if path is None:
                continue
            if not found:
                failed.append(name)
                continue
            try:
                numbered = numbered_docx(self.contents[index], found.get)
            except (OSError, zipfile.BadZipFile, KeyError):
                numbered = None
            if numbered is None:
                continue
            note({name: hashlib.sha256(numbered).hexdigest()})
            atomic_write(path, partial(Path.write_bytes, data=numbered))
        if failed:
            listed = ", ".join(f"'{shown(n)}'" for n in failed)
            self.progress(
                f"Let op: LibreOffice kon de paginanummers van de inhoudsopgave in {listed} "
                f"niet bepalen; de bijlage is wel gemaakt. {F9_HINT}."
            )


def _read_pages(path: Path) -> dict[str, int] | None:
    """The bookmarks' pages the macro wrote; None when it did not finish the file."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    if not lines or lines[-1].strip() != ".":
        return None
    pages = {}
    for line in lines[:-1]:
        name, _, page = line.rpartition("\t")
        if name and page.strip().isdigit():
            pages[name] = int(page)
    return pages


def begin_page_pass(progress: Callable[[str], None]) -> PagePass | None:
    """Start LibreOffice for the page numbers, before the annexes are made; None when
    the step is switched off or LibreOffice is missing (give_annexes says so)."""
    from toolkit.build.pdf import soffice_path

    if switched_off():
        return None
    office = soffice_path()
    if office is None:
        return None
    try:
        return PagePass(office, progress)
    except OSError:
        return None


def give_annexes(
    work: PagePass | None, names: list[str], contents: list[bytes], progress: Callable[[str], None]
) -> PagePass | None:
    """Give the step the annexes with a contents list that are small enough (the others
    are named), starting it now if it was not started early; without LibreOffice, say
    once what Word does. The step, if it has anything to do."""
    if switched_off():
        return None
    sizes = [contents_size(content) for content in contents]
    chosen = [i for i, size in enumerate(sizes) if size is not None and size <= LIMIT]
    large = [names[i] for i, size in enumerate(sizes) if size is not None and size > LIMIT]
    if large:
        listed = ", ".join(f"'{shown(n)}'" for n in large)
        progress(
            f"De inhoudsopgave van {listed} krijgt bij het bouwen geen paginanummers: de "
            f"bijlage is te groot om snel in pagina's op te maken. {F9_HINT}; met --pdf "
            f"zet de toolkit ze er wel in."
        )
    if work is None and chosen:
        work = begin_page_pass(progress)  # not started early (a large register)
    if work is None and chosen:
        progress(
            f"De inhoudsopgave van de Word-bijlagen heeft nog geen paginanummers: daarvoor "
            f"is LibreOffice nodig, en dat is niet gevonden. {F9_HINT}."
        )
    if work is None:
        return None
    work.give([names[i] for i in chosen], [contents[i] for i in chosen])
    if not chosen:
        work.cancel()
        return None
    return work
