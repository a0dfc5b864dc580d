"""What a reader sees of a built annex, as data: the body in order (each paragraph's
style and text, each table's cells), for comparing a build with an earlier one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph


def signature(path: Path) -> list[Any]:
    doc = Document(str(path))
    out: list[Any] = []
    for block in doc.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text.strip()
            if text:
                out.append(["p", block.style.name if block.style is not None else "", text])
        elif isinstance(block, Table):
            out.append(["t", [[c.text.strip() for c in row.cells] for row in block.rows]])
    return out
