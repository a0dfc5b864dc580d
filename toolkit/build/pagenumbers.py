"""Page numbers in the contents list of every .docx a build writes, where LibreOffice is
installed (not only with --pdf).

Word shows the contents list the build writes, but a page number only appears after the
reader updates the field (F9): Word lays out pages when it opens a document, the toolkit
does not. LibreOffice can: the same macro as the PDF conversion (pdf.py) opens each
annex, keeps tables with what follows as Word does, updates the contents twice and
writes the page of every bookmark to a file; the numbers go into the .docx as the PDF
path puts them (pdf.number_pages), so `build` and `build --pdf` write the same .docx.

It runs in a thread beside the rest of the build (the web edition), one LibreOffice for
all annexes. A large annex is left to Word: laying out hundreds of pages takes
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
from dataclasses import dataclass, field
from functools import partial
from io import BytesIO
from pathlib import Path

from toolkit.core.output import shown
from toolkit.core.scratch import claim, clean_stale, release

#: the largest word/document.xml (bytes) laid out at build time: about 200 pilot cards,
#: some six seconds of LibreOffice on one core
LIMIT = 2_000_000
TIMEOUT = 300
PREFIX = "toolkit-paginas-"
#: the environment variable that turns the step off ("0", "nee", "uit")
SWITCH = "TOOLKIT_PAGINANUMMERS"
_CONTENTS_FIELD = re.compile(rb"<w:instrText[^>]*>\s*TOC\b")

F9_HINT = "Word zet ze erin als u de inhoudsopgave bijwerkt (klik erin en druk op F9)"


def switched_off() -> bool:
    return os.environ.get(SWITCH, "").strip().lower() in ("0", "nee", "uit", "no", "off", "false")


def contents_size(content: bytes) -> int | None:
    """The size of the document XML of a .docx with a contents list; None without one."""
    try:
        with zipfile.ZipFile(BytesIO(content)) as archive:
            xml = archive.read("word/document.xml")
    except (OSError, zipfile.BadZipFile, KeyError):
        return None
    return len(xml) if _CONTENTS_FIELD.search(xml) else None


@dataclass
class PagePass:
    """The LibreOffice step of one build: started with the annexes' bytes, finished on
    the files written from them."""

    names: list[str]
    contents: list[bytes]
    progress: Callable[[str], None]
    pages: list[dict[str, int] | None] = field(default_factory=list)
    _thread: threading.Thread | None = None
    _process: subprocess.Popen[bytes] | None = None
    _cancelled: bool = False

    def start(self, office: str) -> None:
        self._thread = threading.Thread(target=self._run, args=(office,), daemon=True)
        self._thread.start()

    def _run(self, office: str) -> None:
        from toolkit.build.pdf import _install_macro

        clean_stale(PREFIX)
        scratch = claim(PREFIX)
        try:
            profile, work = scratch / "profiel", scratch / "werk"
            profile.mkdir()
            work.mkdir()
            for number, content in enumerate(self.contents, start=1):
                (work / f"bijlage-{number}.docx").write_bytes(content)
            base = [office, f"-env:UserInstallation={profile.as_uri()}", "--headless"]
            if self._cancelled or not _install_macro(base, profile):
                return
            call = f'macro:///Standard.Module1.Pages("{work.as_uri()}",{len(self.contents)})'
            self._process = subprocess.Popen(
                [*base, call],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=os.name == "posix",
            )
            try:
                self._process.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                self._kill()
                return
            for number in range(1, len(self.contents) + 1):
                self.pages.append(_read_pages(work / f"bijlage-{number}.pages"))
        except OSError:
            return
        finally:
            release(scratch)

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
        """Stop LibreOffice when the build ends early (an error, Ctrl+C)."""
        self._cancelled = True
        self._kill()

    def finish(self, documents: list[Path], note: Callable[[dict[str, str]], None]) -> None:
        """Write the numbers into the written annexes (documents, named as in names).

        note gets each numbered annex's new hash before it is written: a build killed
        meanwhile leaves it recorded as the toolkit's own work, not an edit in Word."""
        from toolkit.build.pdf import numbered_docx
        from toolkit.core.output import atomic_write

        if self._thread is not None:
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


def start_page_pass(
    names: list[str], contents: list[bytes], progress: Callable[[str], None]
) -> PagePass | None:
    """Start LibreOffice on the annexes with a contents list, unless there is none, it is
    switched off, or LibreOffice is missing (then one line says what Word does)."""
    from toolkit.build.pdf import soffice_path

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
    if not chosen:
        return None
    office = soffice_path()
    if office is None:
        progress(
            f"De inhoudsopgave van de Word-bijlagen heeft nog geen paginanummers: daarvoor "
            f"is LibreOffice nodig, en dat is niet gevonden. {F9_HINT}."
        )
        return None
    work = PagePass([names[i] for i in chosen], [contents[i] for i in chosen], progress)
    work.start(office)
    return work
