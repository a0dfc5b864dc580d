"""The pandera schemas. Check names are the rule codes of `toolkit.declarations.findings`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pandas as pd
import pandera.pandas as pa

from toolkit.declarations.schema import TableSheet, normalise
from toolkit.validators.frames import (
    CHARS,
    DATE_KIND,
    DIRECTION,
    HTML,
    HUGE,
    INVISIBLE,
    LONG,
    PLAIN_HTML,
    PUBLISHED_TEXT_CODES,
)


def _filled(s: pd.Series) -> pd.Series:
    return s != ""  # sheet_frame holds "" for every blank cell


def _list_check(allowed: list[str], folded: set[str], spelling: bool) -> Callable[[pd.Series], pd.Series]:
    """niet-in-lijst (spelling=False) or schrijfwijze-lijst (spelling=True) for a column.

    Only values not exactly in the list are folded: in a real register that is a few.
    """

    def check(s: pd.Series) -> pd.Series:
        ok = (~_filled(s) | s.isin(allowed)).to_numpy().copy()
        if not ok.all():
            rest = ~ok
            matches = s[rest].map(normalise).isin(folded).to_numpy()
            ok[rest] = ~matches if spelling else matches
        return pd.Series(ok, index=s.index)

    return check


def _optional(code: str) -> pa.Column:
    """A derived column sheet_frame adds only where its rule has something to say."""
    return pa.Column(str, pa.Check(lambda s: s == "", name=code), required=False)


def _column_checks(sheet: TableSheet, lists: Mapping[str, Sequence[str]]) -> dict[str, pa.Column]:
    columns: dict[str, pa.Column] = {}
    for col in sheet.columns:
        checks = []
        if col.required:
            checks.append(pa.Check(_filled, name="verplicht-leeg"))
        if col.vocabulary and lists.get(col.vocabulary):  # an empty list: one lijst-leeg
            allowed = list(lists.get(col.vocabulary, ()))
            folded = {normalise(v) for v in allowed}
            checks.append(pa.Check(_list_check(allowed, folded, False), name="niet-in-lijst"))
            checks.append(pa.Check(_list_check(allowed, folded, True), name="schrijfwijze-lijst"))
        if col.key == sheet.key_column:  # P-1, p-1 and "P-1 " (or with a zero-width space) are one ID
            checks.append(
                pa.Check(lambda s: ~_filled(s) | ~s.map(normalise).duplicated(keep=False), name="id-dubbel")
            )
        columns[col.key] = pa.Column(str, checks=checks, nullable=False)
        columns[col.key + LONG] = _optional("te-lang")
        if col.kind.traits.dated:
            columns[col.key + DATE_KIND] = pa.Column(
                str, checks=pa.Check(lambda s: s != "onleesbaar", name="datum-onleesbaar")
            )
        columns[col.key + DIRECTION] = _optional("teken-richting")
        if col.kind.traits.identifies:
            columns[col.key + INVISIBLE] = _optional("id-onzichtbaar")
        if col.kind.traits.holds_text:
            columns[col.key + HUGE] = _optional("getal-onleesbaar")
        if col.published and col.kind.traits.plain:
            columns[col.key + PLAIN_HTML] = _optional("html-in-tekstveld")
        if col.kind.traits.free_text:
            columns[col.key + HTML] = _optional("html-onbekend")
            columns[col.key + CHARS] = _optional("teken-ongeldig")
            for code, suffix in PUBLISHED_TEXT_CODES.items():
                columns[col.key + suffix] = _optional(code)
    return columns


def table_schema(sheet: TableSheet, lists: Mapping[str, Sequence[str]]) -> pa.DataFrameSchema:
    """The rules per column of one declared sheet. The rules over several columns that its
    annex type declares ([[regel]]) are checked by validators.rules, without pandera."""
    return pa.DataFrameSchema(_column_checks(sheet, lists), strict=False, name=sheet.name)
