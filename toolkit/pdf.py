"""PDFs of the annexes through LibreOffice headless (`toolkit build --pdf`)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import OutputError
from .output import atomic_write


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(documents: list[Path], out_dir: Path) -> list[Path]:
    """PDFs through LibreOffice headless; a clear message when it is not installed."""
    office = soffice_path()
    if office is None:
        raise OutputError(
            "Voor --pdf is LibreOffice nodig, maar het is niet gevonden. Installeer "
            "LibreOffice (bijvoorbeeld 'apt-get install libreoffice-writer-nogui') of maak "
            "de PDF in Word (Opslaan als > PDF). De Word-bestanden zijn wel gemaakt."
        )
    pdfs = []
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as work:
        for document in documents:
            try:
                subprocess.run(
                    [office, f"-env:UserInstallation=file://{profile}", "--headless",
                     "--convert-to", "pdf", "--outdir", work, str(document)],
                    check=True, capture_output=True, timeout=600,
                )
            except (subprocess.SubprocessError, OSError) as exc:
                raise OutputError(
                    f"LibreOffice kon '{document.name}' niet naar PDF omzetten ({exc})."
                ) from exc
            produced = Path(work) / (document.stem + ".pdf")
            if not produced.exists():
                raise OutputError(f"LibreOffice maakte geen PDF van '{document.name}'.")
            pdfs.append(atomic_write(out_dir / produced.name,
                                     lambda tmp, src=produced: tmp.write_bytes(src.read_bytes())))
    return pdfs
