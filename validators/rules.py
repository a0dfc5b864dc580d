"""How each rule kind of `toolkit.declarations.rulekinds` is checked on a sheet.

A kind's check runs vectorised over the sheet's DataFrame (`sheet_frame`: texts, and the
earliest and latest day of every date), so a rule costs a few column operations however
many rows there are; only the rows it finds are then looked at one by one, for the
placeholders of their message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from toolkit.core.dates import format_dutch, is_unknown_phrase
from toolkit.declarations.rulekinds import FLAGS, RULE_KINDS, SHOWN_CHARS, DeclaredRule
from toolkit.declarations.schema import ListRoles, TableSheet, normalise
from toolkit.validators.frames import EARLIEST, LATEST

#: per broken row (its Excel row number): placeholders only the check can tell
Broken = dict[int, dict[str, str]]


@dataclass(frozen=True)
class Sheet:
    """What a check may look at besides the frame."""

    sheet: TableSheet
    roles: ListRoles
    peildatum: date | None
    text: Callable[[int, str], str]  # (row, column key) -> the cell's text as the officer typed it


def _filled(s: pd.Series) -> pd.Series:
    return s != ""  # sheet_frame holds "" for every blank cell


def _has_meaning(df: pd.DataFrame, rule: DeclaredRule, param: str, ctx: Sheet) -> pd.Series:
    """Whether the column a meaning parameter is about has one of its meanings, per row."""
    key = rule.column(rule.spec.param(param).about)  # type: ignore[union-attr]
    vocabulary = ctx.sheet.column(key).vocabulary or ""
    names = rule.columns(param)
    flags = [FLAGS[n] for n in names if n in FLAGS]
    keys = {n for n in names if n not in FLAGS}
    values = {
        value
        for value, role in ctx.roles.by_value.get(vocabulary, {}).items()
        if role.key in keys or any(getattr(role, f) for f in flags)
    }
    return df[key].map(normalise).isin(values)


def _rows(mask: pd.Series) -> list[int]:
    return [int(row) for row in mask.index[mask.to_numpy()]]


def continuation_rows(df: pd.DataFrame, follows: str, blank: tuple[str, ...]) -> pd.Series:
    """Rows that only continue the previous row's text in `follows`: every column in blank
    is empty. The first row continues nothing."""
    continues = _filled(df[follows])
    for key in blank:
        continues &= ~_filled(df[key])
    first = pd.Series(False, index=df.index)
    if len(df):
        first.iloc[0] = True
    return continues & ~first


def _date_order(df: pd.DataFrame, rule: DeclaredRule, ctx: Sheet) -> Broken:
    first, second = rule.column("eerste"), rule.column("tweede")
    return dict.fromkeys(_rows(df[first + EARLIEST] > df[second + LATEST]), {})


def _overdue(df: pd.DataFrame, rule: DeclaredRule, ctx: Sheet) -> Broken:
    peil = pd.Timestamp(ctx.peildatum)
    margin = pd.Timedelta(days=int(rule.get("dagen", 0)))  # type: ignore[call-overload]
    before = rule.get("richting", "voor") == "voor"
    passed = {
        key: (df[key + LATEST] < peil - margin) if before else (df[key + EARLIEST] > peil + margin)
        for key in rule.columns("datum")
    }
    any_passed = (
        pd.concat(passed.values(), axis=1).any(axis=1) if len(passed) > 1 else next(iter(passed.values()))
    )
    column = rule.column("kolom")
    if rule.get("met_betekenis") is not None:
        says = _has_meaning(df, rule, "met_betekenis", ctx)
    elif rule.get("zonder_betekenis") is not None:
        says = ~_has_meaning(df, rule, "zonder_betekenis", ctx)
    else:
        says = df[column].map(is_unknown_phrase).astype(bool)
    broken: Broken = {}
    for row in _rows(any_passed & says):
        key = next(k for k, s in passed.items() if s.at[row])
        broken[row] = {"datum": ctx.text(row, key), "datum_kop": ctx.sheet.column(key).label}
    return broken


def _required_if(df: pd.DataFrame, rule: DeclaredRule, ctx: Sheet) -> Broken:
    column, other = rule.column("kolom"), rule.column("als")
    if rule.get("met_betekenis") is not None:
        on = _has_meaning(df, rule, "met_betekenis", ctx)
    elif rule.get("zonder_betekenis") is not None:
        on = _filled(df[other]) & ~_has_meaning(df, rule, "zonder_betekenis", ctx)
    else:
        on = _filled(df[other])
    return dict.fromkeys(_rows(on & ~_filled(df[column])), {})


def _unique(df: pd.DataFrame, rule: DeclaredRule, ctx: Sheet) -> Broken:
    keys = rule.columns("kolommen")
    filled = _filled(df[keys[0]])
    for key in keys[1:]:
        filled &= _filled(df[key])
    folded = df[keys[0]].map(normalise)
    for key in keys[1:]:
        folded = folded + "\x00" + df[key].map(normalise)
    twice = filled & folded.where(filled).duplicated(keep=False)
    rows = _rows(twice)
    same: dict[str, list[int]] = {}
    for row in rows:
        same.setdefault(folded.at[row], []).append(row)
    return {row: {"rijen": ", ".join(str(r) for r in same[folded.at[row]] if r != row)} for row in rows}


def _continuation(df: pd.DataFrame, rule: DeclaredRule, ctx: Sheet) -> Broken:
    rows = list(df.index)
    previous = {row: rows[i - 1] for i, row in enumerate(rows) if i}
    found = continuation_rows(df, rule.column("vervolg"), rule.columns("leeg"))
    return {row: {"vorige_rij": str(previous[row])} for row in _rows(found)}


#: the check of each kind in toolkit.declarations.rulekinds.RULE_KINDS
CHECKS: dict[str, Callable[[pd.DataFrame, DeclaredRule, Sheet], Broken]] = {
    "datumvolgorde": _date_order,
    "verlopen": _overdue,
    "verplicht-als": _required_if,
    "uniek": _unique,
    "vervolgrij": _continuation,
}
assert set(CHECKS) == set(RULE_KINDS), "every rule kind needs its check, and only those"


def broken_rows(df: pd.DataFrame, rule: DeclaredRule, ctx: Sheet) -> Broken:
    """The rows a rule finds, with the placeholders only its check knows; none for a rule
    about the peildatum when there is none (validate then says peildatum-ontbreekt)."""
    if rule.spec.needs_peildatum and ctx.peildatum is None:
        return {}
    return CHECKS[rule.kind](df, rule, ctx)


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
