"""The sheet as a rule kind's check sees it: `SheetRows` over the sheet's DataFrame.

Each kind's check lives with its declaration (`toolkit.declarations.rulekinds`) and asks
for whole columns (filled, earliest day, meaning ...), which this answers with column
operations on `sheet_frame` (texts, and the earliest and latest day of every date), so a
rule costs a few column operations however many rows there are; only the rows it finds
are then looked at one by one, for the placeholders of their message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from toolkit.core.dates import format_dutch
from toolkit.declarations.rulekinds import FLAGS, SHOWN_CHARS, Broken, DeclaredRule
from toolkit.declarations.schema import ListRoles, TableSheet, normalise
from toolkit.validators.frames import EARLIEST, LATEST


@dataclass(frozen=True)
class Sheet:
    """What a check may look at besides the frame."""

    sheet: TableSheet
    roles: ListRoles
    peildatum: date | None
    text: Callable[[int, str], str]  # (row, column key) -> the cell's text as the officer typed it


class FrameRows:
    """rulekinds.SheetRows over a sheet_frame: every answer is a pandas Series (or a
    Timestamp for the peildatum), so what a check combines stays vectorised."""

    def __init__(self, df: pd.DataFrame, ctx: Sheet) -> None:
        self.df = df
        self.ctx = ctx

    def filled(self, key: str) -> pd.Series:
        return self.df[key] != ""  # sheet_frame holds "" for every blank cell

    def holds(self, key: str, test: Callable[[str], bool]) -> pd.Series:
        return self.df[key].map(test).astype(bool)

    def has_meaning(self, rule: DeclaredRule, param: str) -> pd.Series:
        key = rule.column(rule.spec.param(param).about)  # type: ignore[union-attr]
        vocabulary = self.ctx.sheet.column(key).vocabulary or ""
        names = rule.columns(param)
        flags = [FLAGS[n] for n in names if n in FLAGS]
        keys = {n for n in names if n not in FLAGS}
        values = {
            value
            for value, role in self.ctx.roles.by_value.get(vocabulary, {}).items()
            if role.key in keys or any(getattr(role, f) for f in flags)
        }
        return self.df[key].map(normalise).isin(values)

    def earliest(self, key: str) -> pd.Series:
        return self.df[key + EARLIEST]

    def latest(self, key: str) -> pd.Series:
        return self.df[key + LATEST]

    def peildatum(self, days: int = 0) -> pd.Timestamp:
        return pd.Timestamp(self.ctx.peildatum) + pd.Timedelta(days=days)

    def normalised(self, keys: tuple[str, ...]) -> pd.Series:
        folded = self.df[keys[0]].map(normalise)
        for key in keys[1:]:
            folded = folded + "\x00" + self.df[key].map(normalise)
        return folded

    def same(self, values: pd.Series, among: pd.Series) -> dict[int, list[int]]:
        found = self.rows(among & values.where(among).duplicated(keep=False))
        groups: dict[str, list[int]] = {}
        for row in found:
            groups.setdefault(values.at[row], []).append(row)
        return {row: [r for r in groups[values.at[row]] if r != row] for row in found}

    def rows(self, mask: pd.Series) -> list[int]:
        return [int(row) for row in mask.index[mask.to_numpy()]]

    def previous_row(self, row: int) -> int | None:
        at = self.df.index.get_loc(row)
        return int(self.df.index[at - 1]) if at else None

    def text(self, row: int, key: str) -> str:
        return self.ctx.text(row, key)

    def label(self, key: str) -> str:
        return self.ctx.sheet.column(key).label


def broken_rows(df: pd.DataFrame, rule: DeclaredRule, ctx: Sheet) -> Broken:
    """The rows a rule finds, with the placeholders only its check knows; none for a rule
    about the peildatum when there is none (validate then says peildatum-ontbreekt)."""
    if rule.spec.needs_peildatum and ctx.peildatum is None:
        return {}
    return rule.spec.check(rule, FrameRows(df, ctx))


def shown(text: str) -> str:
    """A cell's text as a message quotes it: at most SHOWN_CHARS characters."""
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 3] + "…"


def placeholders(
    rule: DeclaredRule, row: int, extra: Mapping[str, str], ctx: Sheet, visible: Callable[[str], str]
) -> dict[str, str]:
    """Every placeholder a rule's message and hint may use, for one broken row."""

    def text(key: str) -> str:
        return shown(visible(ctx.text(row, key))) or "leeg"

    fields = {"waarde": text(rule.value), "kop": ctx.sheet.column(rule.anchor).label}
    for param in rule.spec.params:
        keys = rule.columns(param.name) if param.is_column else ()
        if keys:
            fields[param.name] = " / ".join(text(k) for k in keys)
            labels = [ctx.sheet.column(k).label for k in keys]
            fields[f"{param.name}_kop"] = (
                labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} en {labels[-1]}"
            )
    if ctx.peildatum is not None:
        fields["peildatum"] = format_dutch(ctx.peildatum)
    fields.update({k: shown(visible(v)) if not k.endswith("_kop") else v for k, v in extra.items()})
    return fields
