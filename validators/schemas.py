"""The pandera schemas. Check names are the rule codes of `toolkit.findings`."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import pandera.pandas as pa

from toolkit.dates import is_unknown_phrase
from toolkit.schema import (
    CONTINUATION_BLANK,
    Kind,
    ListRoles,
    TableSheet,
    list_roles,
    normalise,
)

from .frames import (
    CHARS,
    DATE_KIND,
    DIRECTION,
    EARLIEST,
    HTML,
    HUGE,
    INVISIBLE,
    LATEST,
    LONG,
    PLAIN_HTML,
)

#: wide (cross-field) rules and the column a finding about them points at
ANCHORS = {
    "start-na-eind": "startdatum",
    "evaluatie-voor-start": "evaluatiemoment",
    "uitkomst-verlopen": "succesvol",
    "oude-pilot": "opnemen",
    "vervolgrij": "activiteit",
}


def _filled(s: pd.Series) -> pd.Series:
    return s != ""  # sheet_frame holds "" for every blank cell


def _list_check(allowed: list[str], folded: set[str],
                spelling: bool) -> Callable[[pd.Series], pd.Series]:
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


def _column_checks(sheet: TableSheet, lists: dict[str, Sequence[str]],
                   rules: Collection[str] = ()) -> dict[str, pa.Column]:
    columns: dict[str, pa.Column] = {}
    for col in sheet.columns:
        checks = []
        if col.required:
            checks.append(pa.Check(_filled, name="verplicht-leeg"))
        if col.vocabulary and lists.get(col.vocabulary):  # an empty list: one lijst-leeg
            allowed = list(lists.get(col.vocabulary, ()))
            folded = {normalise(v) for v in allowed}
            checks.append(pa.Check(_list_check(allowed, folded, False), name="niet-in-lijst"))
            checks.append(pa.Check(_list_check(allowed, folded, True),
                                   name="schrijfwijze-lijst"))
        if col.key == sheet.key_column:  # P-1, p-1 and "P-1 " (or with a zero-width space) are one ID
            checks.append(pa.Check(lambda s: ~_filled(s) | ~s.map(normalise).duplicated(keep=False),
                                   name="id-dubbel"))
        if "naam-dubbel" in rules and col.key == sheet.name_column:
            checks.append(pa.Check(
                lambda s: ~_filled(s) | ~s.map(normalise).duplicated(keep=False),
                name="naam-dubbel"))
        columns[col.key] = pa.Column(str, checks=checks, nullable=False)
        columns[col.key + LONG] = _optional("te-lang")
        if col.kind is Kind.DATE:
            columns[col.key + DATE_KIND] = pa.Column(
                str, checks=pa.Check(lambda s: s != "onleesbaar", name="datum-onleesbaar"))
        columns[col.key + DIRECTION] = _optional("teken-richting")
        if col.kind is Kind.ID:
            columns[col.key + INVISIBLE] = _optional("id-onzichtbaar")
        if col.kind in (Kind.TEXT, Kind.RICH, Kind.ID):
            columns[col.key + HUGE] = _optional("getal-onleesbaar")
        if col.published and col.kind is Kind.TEXT:
            columns[col.key + PLAIN_HTML] = _optional("html-in-tekstveld")
        if col.kind in (Kind.RICH, Kind.TEXT):
            columns[col.key + HTML] = _optional("html-onbekend")
            columns[col.key + CHARS] = _optional("teken-ongeldig")
    return columns


@dataclass(frozen=True)
class SheetRule:
    """A rule over several columns that a declaration switches on by its code
    ([bijlagetype] regels = [...]); it needs these columns (by key) and kinds."""

    code: str
    columns: tuple[tuple[str, Kind], ...]
    needs_peildatum: bool = False


def continuation_rows(df: pd.DataFrame) -> pd.Series:
    """toolkit.schema.continues_previous for a whole sheet; the first row continues nothing."""
    continues = _filled(df["resultaat"])
    for key in CONTINUATION_BLANK:
        continues &= ~_filled(df[key])
    first = pd.Series(False, index=df.index)
    if len(df):
        first.iloc[0] = True
    return continues & ~first


#: the rules a declaration may switch on (toolkit.findings describes each code)
SHEET_RULES = {rule.code: rule for rule in (
    SheetRule("naam-dubbel", ()),
    SheetRule("start-na-eind", (("startdatum", Kind.DATE), ("einddatum", Kind.DATE))),
    SheetRule("evaluatie-voor-start", (("startdatum", Kind.DATE),
                                       ("evaluatiemoment", Kind.DATE))),
    SheetRule("uitkomst-verlopen", (("einddatum", Kind.DATE), ("evaluatiemoment", Kind.DATE),
                                    ("succesvol", Kind.RICH)), needs_peildatum=True),
    SheetRule("oude-pilot", (("einddatum", Kind.DATE), ("opnemen", Kind.CHOICE)),
              needs_peildatum=True),
    SheetRule("vervolgrij", (("resultaat", Kind.RICH), *((k, Kind.RICH) for k in CONTINUATION_BLANK
                                                          if k != "status"),
                             ("status", Kind.CHOICE))),
)}


def _wide_check(code: str, peildatum: date | None, roles: ListRoles) -> pa.Check:
    if code == "start-na-eind":
        return pa.Check(lambda df: ~(df["startdatum" + EARLIEST] > df["einddatum" + LATEST]),
                        name=code)
    if code == "evaluatie-voor-start":
        return pa.Check(lambda df: ~(df["evaluatiemoment" + LATEST] < df["startdatum" + EARLIEST]),
                        name=code)
    if code == "vervolgrij":
        return pa.Check(lambda df: ~continuation_rows(df), name=code)
    peil = pd.Timestamp(peildatum)
    if code == "uitkomst-verlopen":
        def outcome_overdue(df: pd.DataFrame) -> pd.Series:
            passed = (df["einddatum" + LATEST] < peil) | (df["evaluatiemoment" + LATEST] < peil)
            return ~(passed & df["succesvol"].map(is_unknown_phrase))

        return pa.Check(outcome_overdue, name=code)
    published_values = roles.values_with("opnemen", published=True)

    def long_ago(df: pd.DataFrame) -> pd.Series:
        published = df["opnemen"].map(normalise).isin(published_values)
        return ~(published & (df["einddatum" + LATEST] < peil - timedelta(days=365)))

    return pa.Check(long_ago, name=code)


def table_schema(sheet: TableSheet, lists: dict[str, Sequence[str]], peildatum: date | None,
                 roles: ListRoles | None = None, rules: Collection[str] = ()) -> pa.DataFrameSchema:
    """Every rule for one declared sheet: the column rules, and the wide rules its
    declaration switches on (the peildatum rules only when there is one).

    roles: what the register's list values mean (the Lijsten sheet may rename them);
    by default the roles of the lists given.
    """
    if roles is None:
        roles = list_roles({k: list(v) for k, v in lists.items()})
    checks = [_wide_check(code, peildatum, roles) for code in rules
              if code in SHEET_RULES and SHEET_RULES[code].columns
              and (peildatum is not None or not SHEET_RULES[code].needs_peildatum)]
    return pa.DataFrameSchema(_column_checks(sheet, lists, rules), checks=checks, strict=False,
                              name=sheet.name)
