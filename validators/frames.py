"""Registers as DataFrames, with every value already parsed.

pandera checks then compare plain strings and timestamps; a date phrase or an HTML
fragment is read by the toolkit's own parsers first, so no row is lost to coercion.
"""

from __future__ import annotations

import pandas as pd

from toolkit.core.dates import parse_date
from toolkit.core.richtext import (
    TextIssue,
    column_text_issues,
    direction_chars,
    id_oddities,
    tags_in,
)
from toolkit.declarations.schema import TableSheet
from toolkit.register.read import EXACT_LIMIT, NOT_A_NUMBER, Record

#: suffixes of the derived columns; the part before "__" names the register column
EARLIEST, LATEST, DATE_KIND = "__vroegst", "__laatst", "__soort"
HTML, CHARS, PLAIN_HTML = "__html", "__tekens", "__html_in_tekstveld"
DIRECTION, INVISIBLE, HUGE, LONG = "__richting", "__onzichtbaar", "__getal", "__lang"
#: what reading the text as the annex prints it found (richtext._structure_issues), per
#: rule code: only for published columns, the derived column's suffix
PUBLISHED_TEXT_CODES = {
    "teken-emoji": "__emoji",
    "opsomming-niveau": "__niveau",
    "html-tabel": "__tabel",
    "markdown-kop": "__kop",
}
#: the most characters an Excel cell holds (te-lang)
EXCEL_MAX_CHARS = 32_767


def _per_cell(texts: list[str], detail) -> list[str]:  # type: ignore[no-untyped-def]
    """detail(text) for each cell, after one search of the whole column found something."""
    return [detail(t) if t else "" for t in texts]


def _details(found: list[TextIssue], code: str) -> str:
    return ", ".join(dict.fromkeys(i.detail for i in found if i.code == code))


def sheet_frame(records: list[Record], sheet: TableSheet) -> pd.DataFrame:
    """One row per record, indexed by the Excel row number the officer sees."""
    data: dict[str, object] = {}
    for col in sheet.columns:
        key = col.key
        values = [r.values.get(key) for r in records]
        texts = [
            v if v.__class__ is str else "" if v is None else r.text(key)
            for v, r in zip(values, records, strict=True)
        ]
        texts = [t if t.strip() else "" for t in texts]  # blank is "": checks compare, not strip
        data[key] = texts
        if texts and max(map(len, texts)) > EXCEL_MAX_CHARS:  # te-lang: rare, so optional
            data[key + LONG] = ["te lang" if len(t) > EXCEL_MAX_CHARS else "" for t in texts]
        # the rarer rules get their column only where a search of the whole column finds
        # something (the schema declares them optional): a clean register pays one search
        traits = col.kind.traits
        rich = traits.rich  # long texts: text_issues below looks at them
        whole = "" if rich else "\n".join(texts)
        if not traits.free_text and direction_chars(whole):  # free text: text_issues
            data[key + DIRECTION] = _per_cell(texts, direction_chars)  # rich: text_issues
        if traits.identifies and (
            not whole.isascii()
            or "\t" in whole
            or "  " in whole
            or whole.count("\n") >= len(texts)
            or any(t != t.strip() for t in texts)
        ):
            data[key + INVISIBLE] = _per_cell(texts, id_oddities)
        if traits.dated:
            parsed = [parse_date(v) for v in values]
            spans = [
                (p.periods[0].earliest, p.periods[-1].latest)
                if len(p.periods) == 1
                else (p.earliest, p.latest)
                for p in parsed
            ]
            data[col.key + EARLIEST] = pd.to_datetime([e for e, _ in spans])
            data[col.key + LATEST] = pd.to_datetime([latest for _, latest in spans])
            data[col.key + DATE_KIND] = [str(p.kind) for p in parsed]
        # a number where text belongs; whole numbers Excel holds exactly are int, not float
        if traits.holds_text and (float in set(map(type, values)) or NOT_A_NUMBER in texts):
            data[key + HUGE] = [
                t if (v.__class__ is float and not abs(v) < EXACT_LIMIT) or t == NOT_A_NUMBER else ""
                for v, t in zip(values, texts, strict=True)
            ]
        plain = col.published and traits.plain
        if plain and "<" in whole:  # published without markup: any tag is worth a word
            data[key + PLAIN_HTML] = _per_cell(texts, tags_in)
        if traits.free_text:
            html, chars = [""] * len(texts), [""] * len(texts)
            direction: list[str] | None = None
            shown: dict[str, list[str]] = {}
            for i, found in column_text_issues(texts, rich).items():
                if not plain:  # html-in-tekstveld names every tag there
                    html[i] = _details(found, "html-onbekend")
                chars[i] = _details(found, "teken-ongeldig")
                if any(issue.code == "teken-richting" for issue in found):
                    direction = direction or [""] * len(texts)
                    direction[i] = _details(found, "teken-richting")
                for issue in found:
                    if col.published and issue.code in PUBLISHED_TEXT_CODES:
                        shown.setdefault(issue.code, [""] * len(texts))[i] = _details(found, issue.code)
            for code, details in shown.items():
                data[key + PUBLISHED_TEXT_CODES[code]] = details
            # each an optional column, there only where a cell has something to say: a
            # clean register pays no pandera check for them (issue 12)
            if any(html):
                data[col.key + HTML] = html
            if any(chars):
                data[col.key + CHARS] = chars
            if direction:
                data[key + DIRECTION] = direction
    return pd.DataFrame(data, index=pd.Index([r.row for r in records], name="rij"))
