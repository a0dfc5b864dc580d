"""Registers as DataFrames, with every value already parsed.

pandera checks then compare plain strings and timestamps; a date phrase or an HTML
fragment is read by the toolkit's own parsers first, so no row is lost to coercion.
"""

from __future__ import annotations

import pandas as pd

from toolkit.dates import parse_date
from toolkit.register import Record
from toolkit.richtext import text_issues
from toolkit.schema import Kind, TableSheet

#: suffixes of the derived columns; the part before "__" names the register column
EARLIEST, LATEST, DATE_KIND = "__vroegst", "__laatst", "__soort"
HTML, CHARS = "__html", "__tekens"


def sheet_frame(records: list[Record], sheet: TableSheet) -> pd.DataFrame:
    """One row per record, indexed by the Excel row number the officer sees."""
    data: dict[str, list[object]] = {}
    for col in sheet.columns:
        texts = [r.text(col.key) for r in records]
        data[col.key] = texts
        if col.kind is Kind.DATE:
            parsed = [parse_date(r.values.get(col.key)) for r in records]
            data[col.key + EARLIEST] = [pd.Timestamp(p.earliest) if p.earliest else pd.NaT
                                        for p in parsed]
            data[col.key + LATEST] = [pd.Timestamp(p.latest) if p.latest else pd.NaT
                                      for p in parsed]
            data[col.key + DATE_KIND] = [str(p.kind) for p in parsed]
        if col.kind in (Kind.RICH, Kind.TEXT):
            issues = [text_issues(t) if t else [] for t in texts]
            data[col.key + HTML] = [", ".join(sorted({i.detail for i in found
                                                      if i.code == "html-onbekend"}))
                                    for found in issues]
            data[col.key + CHARS] = [", ".join(i.detail for i in found
                                               if i.code == "teken-ongeldig")
                                     for found in issues]
    frame = pd.DataFrame(data, index=pd.Index([r.row for r in records], name="rij"))
    for col in sheet.columns:
        if col.kind is Kind.DATE:
            for suffix in (EARLIEST, LATEST):
                frame[col.key + suffix] = pd.to_datetime(frame[col.key + suffix])
    return frame
