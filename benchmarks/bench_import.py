"""Time `toolkit import` on large Word files: it must grow linearly with the document.

Run: uv run python benchmarks/bench_import.py [--pilots 10000] [--paragraphs 200000]
     [--rows 50000]

Makes three files and imports each in a fresh process, printing seconds and the
document's size:
- the pilot and action annexes that `toolkit build` makes from a generated register
  of N pilots and 5N actions (benchmarks/bench.py's register);
- a document of P short paragraphs under one pilot card (the issue's 587 KB file);
- an action annex with one table of R rows (the issue's 326 KB file).
Tests never time anything; this script is where speed is measured.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def many_paragraphs(path: Path, count: int) -> None:
    """One pilot card whose Korte omschrijving runs on for `count` paragraphs."""
    from docx import Document

    doc = Document()
    doc.add_paragraph("Proef", style="Heading 1")
    doc.add_paragraph("Naam pilot")
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Naam pilot", "Proef"
    doc.add_paragraph("Korte omschrijving")
    body = doc.element.body
    template = doc.add_paragraph("x")._p
    section = body[-1]  # the w:sectPr stays last
    body.remove(section)
    for i in range(count - 1):
        clone = template.__copy__()
        clone[-1][-1].text = f"regel {i}"  # w:r/w:t
        body.append(clone)
    body.append(section)
    doc.save(path)


def long_table(path: Path, rows: int) -> None:
    """An action annex with one Activiteit | Resultaat | Status table of `rows` rows."""
    from docx import Document

    doc = Document()
    doc.add_paragraph("Bijlage 2 Uitvoeringsplan Jeugd", style="Heading 1")
    table = doc.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("Activiteit", "Resultaat", "Status"), strict=True):
        cell.text = text
    first = table.rows[1]
    for cell, text in zip(first.cells, ("Actie", "Resultaat", "Afgerond"), strict=True):
        cell.text = text
    tbl = table._tbl
    for i in range(rows - 1):
        tr = first._tr.__copy__()
        tr[0][-1][-1][-1].text = f"Actie {i}"  # w:tc/w:p/w:r/w:t of the first cell
        tbl.append(tr)
    doc.save(path)


def timed_import(files: list[Path], out: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "toolkit", "import", *map(str, files), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        print(done.stdout[-2000:], done.stderr[-2000:])
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pilots", type=int, default=10_000)
    parser.add_argument("--paragraphs", type=int, default=200_000)
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    from bench import make_register

    from toolkit.build.documents import build_documents
    from toolkit.register.read import read_register

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases: list[tuple[str, list[Path]]] = []
        register = folder / "register.xlsx"
        make_register(register, args.pilots)
        built = build_documents(read_register(register), folder / "uit")
        cases.append(
            (f"bijlagen van {args.pilots} pilots en {5 * args.pilots} acties", list(built.documents))
        )
        paragraphs = folder / "alineas.docx"
        many_paragraphs(paragraphs, args.paragraphs)
        cases.append((f"{args.paragraphs} alinea's", [paragraphs]))
        table = folder / "tabel.docx"
        long_table(table, args.rows)
        cases.append((f"tabel van {args.rows} rijen", [table]))
        for index, (name, files) in enumerate(cases):
            size = sum(f.stat().st_size for f in files) // 1024
            seconds = timed_import(files, folder / f"terug{index}.xlsx")
            print(f"import {name:45} {size:>7} KB  {seconds:6.1f} s")


if __name__ == "__main__":
    main()
