"""Records in the declared arrangement: groups, order, continuation rows, counts.

The arrangement itself is declared data (declarations.layout); this is what the
Word and HTML layouts do with a register's records under it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from toolkit.declarations.elements import value_counts as status_counts
from toolkit.declarations.layout import Continuation, GroupLevel, Layout
from toolkit.declarations.model import Column, TableSheet, normalise

if TYPE_CHECKING:
    from toolkit.register.read import Record


__all__ = ["Group", "group_records", "merge_continuations", "sort_key", "sorted_records", "status_counts"]


def merge_continuations(
    records: list[Record],
    continuation: Continuation | None,
) -> tuple[list[Record], dict[int, list[object]]]:
    """The records without continuation rows, and per remaining record (by row) the
    values of its column that continuation rows add."""
    if continuation is None:
        return records, {}
    kept: list[Record] = []
    extra: dict[int, list[object]] = {}
    for record in records:
        if kept and continuation.continues(record.values):
            extra.setdefault(kept[-1].row, []).append(record.values.get(continuation.column))
        else:
            kept.append(record)
    return kept, extra


# --- arranging records ----------------------------------------------------------------


def sort_key(column: Column, lists: dict[str, list[str]]) -> Callable[[Record], tuple]:  # type: ignore[type-arg]
    """How one column orders records: dates by their earliest date, list values in list
    order, text alphabetically; empty and unreadable values last."""
    if column.kind.traits.dated:
        from toolkit.core.dates import parse_date

        def by_date(record: Record) -> tuple:  # type: ignore[type-arg]
            earliest = parse_date(record.values.get(column.key)).earliest
            return (0, earliest.toordinal()) if earliest else (1, 0)

        return by_date
    if column.kind.traits.listed:
        order = {normalise(v): i for i, v in enumerate(lists.get(column.vocabulary or "", []))}

        def by_list(record: Record) -> tuple:  # type: ignore[type-arg]
            text = normalise(record.text(column.key))
            return (0, order[text], "") if text in order else (1 if text else 2, 0, text)

        return by_list

    def by_text(record: Record) -> tuple:  # type: ignore[type-arg]
        text = normalise(record.text(column.key))
        return (0, text) if text else (1, "")

    return by_text


def sorted_records(
    records: list[Record], layout: Layout, sheet: TableSheet, lists: dict[str, list[str]]
) -> list[Record]:
    """The records in the declared order (stable: ties keep the register's order)."""
    if not layout.sort:
        return list(records)
    keys = [sort_key(sheet.column(key), lists) for key in layout.sort]
    return sorted(records, key=lambda r: tuple(k(r) for k in keys))


@dataclass
class Group:
    """Records with the same value at each level down to this one."""

    level: int  # 1 for the outermost
    value: str
    number: int
    records: list[Record]
    children: list[Group] = field(default_factory=list)


def group_records(
    records: list[Record],
    levels: Sequence[GroupLevel],
    sheet: TableSheet,
    lists: dict[str, list[str]],
    first_number: Callable[[GroupLevel], int],
    level: int = 1,
) -> list[Group]:
    """Groups in order: a list column's groups in list order, others as they first come."""
    if not levels:
        return []
    spec = levels[0]
    col = sheet.column(spec.column)
    from toolkit.core.richtext import plain_line

    by_value: dict[str, list[Record]] = {}
    shown: dict[str, str] = {}
    for record in records:
        text = plain_line(record.text(spec.column))
        folded = normalise(text)
        by_value.setdefault(folded, []).append(record)
        shown.setdefault(folded, text)
    order = list(by_value)
    if col.kind.traits.listed:
        position = {normalise(v): i for i, v in enumerate(lists.get(col.vocabulary or "", []))}
        order.sort(key=lambda v: (0, position[v]) if v in position else (1, order.index(v)))
    start = first_number(spec)
    groups = []
    for index, folded in enumerate(order):
        group = Group(level, shown[folded], start + index, by_value[folded])
        group.children = group_records(group.records, levels[1:], sheet, lists, first_number, level + 1)
        groups.append(group)
    return groups
