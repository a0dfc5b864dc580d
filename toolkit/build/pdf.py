"""PDFs of the annexes through LibreOffice headless (`toolkit build --pdf`).

Word fills the table of contents when it opens a document; LibreOffice's plain
`--convert-to pdf` does not add page numbers to it. So a small Basic macro, placed in a
throw-away LibreOffice profile, opens each document, keeps tables with what follows
where Word would, updates its indexes (twice: the filled table can move headings to
another page) and exports the PDF. Where the macro cannot run, the plain conversion is the fallback.

Both export a tagged PDF in PDF/UA mode (structure tree with headings, lists and table
header cells, document language, the title shown in the window): Dutch public bodies must
publish accessible PDFs.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from toolkit.core import portable
from toolkit.core.errors import OutputError
from toolkit.core.output import atomic_write
from toolkit.core.scratch import claim, clean_stale, release

TIMEOUT = 600
#: the conversion's own temporary folder (a copy of each annex and the LibreOffice profile)
PREFIX = "toolkit-pdf-"
#: writer_pdf_Export's options for the plain conversion (LibreOffice 7.4 reads them as JSON)
PDF_FILTER = (
    'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},'
    '"PDFUACompliance":{"type":"boolean","value":"true"},'
    '"ExportBookmarks":{"type":"boolean","value":"true"},'
    '"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
)

_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1"
 script:language="StarBasic">
Sub ToPdf(source As String, target As String)
    Dim doc As Object
    On Error GoTo Failed
    Dim load(0) As New com.sun.star.beans.PropertyValue
    load(0).Name = &quot;Hidden&quot;
    load(0).Value = True
    doc = StarDesktop.loadComponentFromURL(ConvertToURL(source), &quot;_blank&quot;, 0, load())
    KeepTables(doc)
    UpdateIndexes(doc)
    Dim options(3) As New com.sun.star.beans.PropertyValue
    options(0).Name = &quot;UseTaggedPDF&quot;
    options(0).Value = True
    options(1).Name = &quot;PDFUACompliance&quot;
    options(1).Value = True
    options(2).Name = &quot;ExportBookmarks&quot;
    options(2).Value = True
    options(3).Name = &quot;ExportBookmarksToPDFDestination&quot;
    options(3).Value = True
    Dim store(1) As New com.sun.star.beans.PropertyValue
    store(0).Name = &quot;FilterName&quot;
    store(0).Value = &quot;writer_pdf_Export&quot;
    store(1).Name = &quot;FilterData&quot;
    store(1).Value = options()
    doc.storeToURL(ConvertToURL(target), store())
Failed:
    On Error Resume Next
    If Not IsNull(doc) Then doc.close(True)
End Sub

Sub UpdateIndexes(doc As Object)
    indexes = doc.getDocumentIndexes()
    For pass = 1 To 2
        For i = 0 To indexes.getCount() - 1
            indexes.getByIndex(i).update()
        Next i
        doc.refresh()
    Next pass
End Sub

Sub Pages(folder As String, count As Integer)
    REM The page of every bookmark of bijlage-N.docx in folder (a URL), laid out as for
    REM the PDF, into bijlage-N.pages: a line per bookmark, then a closing line.
    For number = 1 To count
        PagesOf(folder &amp; &quot;/bijlage-&quot; &amp; number &amp; &quot;.docx&quot;, folder &amp; &quot;/bijlage-&quot; &amp; number &amp; &quot;.pages&quot;)
    Next number
End Sub

Sub PagesWhenReady(folder As String, patience As Integer)
    REM Started before the annexes exist: wait (at most patience seconds) until the file
    REM klaar in folder says how many there are, then lay them out.
    Dim ready As String, count As String
    ready = ConvertFromURL(folder &amp; &quot;/klaar&quot;)
    waited = 0
    Do While Not FileExists(ready)
        Wait 50
        waited = waited + 50
        If waited &gt; patience * 1000 Then Exit Sub
    Loop
    n = FreeFile()
    Open ready For Input As #n
    Line Input #n, count
    Close #n
    If Val(count) &gt; 0 Then Pages(folder, Val(count))
End Sub

Sub PagesOf(source As String, target As String)
    Dim doc As Object
    On Error GoTo Failed
    Dim load(0) As New com.sun.star.beans.PropertyValue
    load(0).Name = &quot;Hidden&quot;
    load(0).Value = True
    doc = StarDesktop.loadComponentFromURL(source, &quot;_blank&quot;, 0, load())
    KeepTables(doc)
    UpdateIndexes(doc)
    cursor = doc.getCurrentController().getViewCursor()
    marks = doc.getBookmarks()
    names = marks.getElementNames()
    n = FreeFile()
    Open ConvertFromURL(target) For Output As #n
    For i = 0 To UBound(names)
        cursor.gotoRange(marks.getByName(names(i)).getAnchor(), False)
        Print #n, names(i) &amp; Chr(9) &amp; cursor.getPage()
    Next i
    Print #n, &quot;.&quot;
    Close #n
Failed:
    On Error Resume Next
    If Not IsNull(doc) Then doc.close(True)
End Sub

Sub KeepTables(doc As Object)
    REM Word keeps a table with the next paragraph when every paragraph in it has
    REM keep-with-next; LibreOffice has a table property for that. Set it likewise.
    On Error Resume Next
    Dim tables As Object, table As Object, cells As Object, paragraphs As Object
    tables = doc.getTextTables()
    For t = 0 To tables.getCount() - 1
        table = tables.getByIndex(t)
        keep = True
        names = table.getCellNames()
        For c = 0 To UBound(names)
            paragraphs = table.getCellByName(names(c)).getText().createEnumeration()
            Do While paragraphs.hasMoreElements()
                paragraph = paragraphs.nextElement()
                If paragraph.supportsService(&quot;com.sun.star.text.Paragraph&quot;) Then
                    If Not paragraph.ParaKeepTogether Then keep = False
                End If
            Loop
            If Not keep Then Exit For
        Next c
        If keep Then
            table.KeepTogether = True
            table.Split = False
        End If
    Next t
End Sub
</script:module>
"""


def _installed_places() -> list[Path]:
    """Where LibreOffice's installer puts soffice on Windows and macOS: not on the PATH."""
    if portable.WINDOWS:
        roots = [os.environ.get(name) for name in ("ProgramFiles", "ProgramFiles(x86)", "ProgramW6432")]
        return [Path(root) / "LibreOffice" / "program" / "soffice.exe" for root in roots if root]
    if sys.platform == "darwin":
        return [Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")]
    return []


def soffice_path() -> str | None:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((str(place) for place in _installed_places() if place.is_file()), None)


def _install_hint() -> str:
    if portable.WINDOWS or sys.platform == "darwin":
        return "Installeer LibreOffice van libreoffice.org"
    return "Installeer LibreOffice (bijvoorbeeld 'apt-get install libreoffice-writer-nogui')"


def convert_to_pdf(documents: list[Path], out_dir: Path) -> list[Path]:
    """PDFs through LibreOffice headless; a clear message when it is not installed.

    Each document is checked first as a template is (filecheck.check_nothing_fetched):
    the templates were, and the toolkit writes no link or field that fetches, but
    LibreOffice would fetch whatever slipped through, so it never sees such a file.
    """
    from toolkit.core.filecheck import check_nothing_fetched

    for document in documents:
        check_nothing_fetched(document, OutputError, "Word-document")
    office = soffice_path()
    if office is None:
        raise OutputError(
            f"Voor --pdf is LibreOffice nodig, maar het is niet gevonden. {_install_hint()} "
            f"of maak de PDF in Word (Opslaan als > PDF). De Word-bestanden zijn wel gemaakt."
        )
    pdfs = []
    # A build killed during the conversion (kill -9) leaves its copy of the annexes and
    # the LibreOffice profile behind; the next conversion removes them (scratch.py).
    clean_stale(PREFIX)
    scratch = claim(PREFIX)
    try:
        profile, work = scratch / "profiel", scratch / "werk"
        profile.mkdir()
        work.mkdir()
        base = [office, f"-env:UserInstallation={profile.as_uri()}", "--headless"]
        macro_ready = _install_macro(base, profile)
        for number, document in enumerate(documents, start=1):
            # a plain name in the work folder: nothing in a path can break the macro call
            source = Path(work) / f"bijlage-{number}.docx"
            shutil.copyfile(document, source)
            produced = source.with_suffix(".pdf")
            if macro_ready:
                _run(base + [f'macro:///Standard.Module1.ToPdf("{source}","{produced}")'], document)
            if not produced.exists():
                _run(base + ["--convert-to", PDF_FILTER, "--outdir", str(work), str(source)], document)
            if not produced.exists():
                raise OutputError(f"LibreOffice maakte geen PDF van '{document.name}'.")
            _finish(produced, document)
            target = out_dir / (document.stem + ".pdf")
            pdfs.append(atomic_write(target, partial(shutil.copyfile, produced)))
    finally:
        release(scratch)
    return pdfs


def _finish(pdf: Path, document: Path) -> None:
    """The PDF's structure put right for a checker (pdffix), and the Word file's contents
    given the page numbers the PDF has: Word shows them without pressing F9."""
    import pikepdf

    from toolkit.build.pdffix import destinations, pdf_name, repair

    try:
        repair(pdf)
        pages = destinations(pdf)
    except (pikepdf.PdfError, ValueError, TypeError, KeyError) as exc:
        raise OutputError(f"De PDF van '{document.name}' kon niet worden afgemaakt ({exc}).") from exc
    if pages:
        number_pages(document, lambda name: pages.get(pdf_name(name)))


def number_pages(document: Path, page_of: Callable[[str], int | None]) -> bool:
    """Write the page numbers into the contents of the .docx at document, and record its
    new hash in the manifest beside it (so the next build sees it as the toolkit's own)."""
    try:
        data = document.read_bytes()
        numbered = numbered_docx(data, page_of)
    except (OSError, zipfile.BadZipFile, KeyError) as exc:
        raise OutputError(f"De paginanummers konden niet in '{document.name}' worden gezet ({exc}).") from exc
    if numbered is None:
        return False
    atomic_write(document, partial(Path.write_bytes, data=numbered))
    _record(document, hashlib.sha256(data).hexdigest())
    return True


def numbered_docx(data: bytes, page_of: Callable[[str], int | None]) -> bytes | None:
    """The .docx in data with page numbers in its contents (publishing.number_contents),
    every other part as it was; None when there is nothing to number."""
    from io import BytesIO

    from toolkit.core.output import COMPRESS_LEVEL
    from toolkit.layouts.publishing import number_contents

    with zipfile.ZipFile(BytesIO(data)) as source:
        xml = number_contents(source.read("word/document.xml"), page_of)
        if xml is None:
            return None
        entries = [
            (info, xml if info.filename == "word/document.xml" else source.read(info.filename))
            for info in source.infolist()
        ]
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info, part in entries:
            target.writestr(info, part, compress_type=info.compress_type, compresslevel=COMPRESS_LEVEL)
    return out.getvalue()


def _record(document: Path, before: str) -> None:
    """The manifest beside document names the new hash where it named the old one."""
    manifest = document.parent / "manifest.json"
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        files = data["bestanden"]
        if files.get(document.name) != before:
            return
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return
    files[document.name] = hashlib.sha256(document.read_bytes()).hexdigest()
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    atomic_write(manifest, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _install_macro(base: list[str], profile: Path) -> bool:
    """Let LibreOffice make its profile, then put the macro in the profile's own library."""
    try:
        subprocess.run(base + ["--terminate_after_init"], capture_output=True, timeout=TIMEOUT)
    except (subprocess.SubprocessError, OSError):
        return False
    module = profile / "user" / "basic" / "Standard" / "Module1.xba"
    if not module.exists():
        return False
    module.write_text(_MACRO, encoding="utf-8")
    return True


def _run(command: list[str], document: Path) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=TIMEOUT)
    except (subprocess.SubprocessError, OSError) as exc:
        raise OutputError(f"LibreOffice kon '{document.name}' niet naar PDF omzetten ({exc}).") from exc
