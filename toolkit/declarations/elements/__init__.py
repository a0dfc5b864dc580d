"""The elements of the declared arrangement: blocks beside the records, such as a status
overview or a cross-tab.

An element is one module in this package, holding one `Element`: its keys (as
`[indeling.<naam>]` in a declaration, with their Dutch help), the tag a template may
place it with (`{{ <naam> }}`), and what it shows as a format-neutral block
(core.blocks.Table) from a register's records. Everything else works from that entry:
the strict key check and docs/verklaringen.md (keys.py), the reading (layout.py), the
template's tag and docs/sjablonen.md (layouts.render), the Word and web writers (which
draw every block the same way), its place before the records when the template has no
tag for it, and import, which passes over it. The package is searched for elements when
it is first imported, so a new element is its module plus a test.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from toolkit.core.blocks import Table
from toolkit.core.richtext import plain_line
from toolkit.declarations.model import TableSheet, normalise
from toolkit.declarations.rulekinds import Param, ParamType


class Row(Protocol):
    """A record as an element reads it (register.read.Record): the text of a column."""

    def text(self, key: str) -> str: ...


@dataclass(frozen=True)
class Context:
    """What an element needs besides its records to make its block."""

    sheet: TableSheet
    lists: Mapping[str, Sequence[str]]
    #: the declared colour of a list's value, as hex, "" for none: colour(list key, value)
    colour: Callable[[str, str], str]
    #: what the annex calls its records ("pilots", "acties"), for captions and counts
    plural: str


def _always(values: Mapping[str, object]) -> bool:
    return True


@dataclass(frozen=True)
class Element:
    """One element: its keys, its tag and how it makes its block.

    Every element has a `kop` key: the heading above it where the toolkit places it
    (before the records, or under a group's heading)."""

    name: str  # [indeling.<name>] and {{ <name> }}
    help: str  # what the table is, for docs/verklaringen.md
    tag_help: str  # what the tag puts in the template, for docs/sjablonen.md
    params: tuple[Param, ...]
    #: block(values, records, context, caption): the block of these records; caption ""
    #: for the element of all records
    block: Callable[[Mapping[str, object], Sequence[Row], Context, str], Table]
    #: the help of a [[indeling.groep]] key of the element's name that asks for one of it
    #: under every group's heading ("" : the element is only for all records)
    per_group: str = ""
    #: whether one element of all records is shown (at its tag, or before the records)
    total: Callable[[Mapping[str, object]], bool] = _always
    #: the list column whose values the element counts ("" : none): the web edition
    #: filters on it, import recognises a hand-made annex's overview by its heading
    counts: str = ""

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def __reduce__(self) -> tuple[Callable[[str], Element], tuple[str]]:
        """By name: an annex type crosses a pipe to and from a helper process (import
        reads the second file in one) with its elements looked up in the registry there,
        whatever functions an element holds."""
        return _registered, (self.name,)


def _registered(name: str) -> Element:
    return ELEMENTS[name]


@dataclass(frozen=True)
class Declared:
    """An element as a declaration asks for it: its checked values."""

    element: Element
    values: Mapping[str, object]

    def __hash__(self) -> int:  # an annex type (and its layout) stays hashable
        return hash((self.element.name, tuple(sorted(self.values.items(), key=lambda kv: kv[0]))))

    @property
    def name(self) -> str:
        return self.element.name

    @property
    def heading(self) -> str:
        return str(self.values.get("kop") or "")

    @property
    def total(self) -> bool:
        return self.element.total(self.values)

    @property
    def counted(self) -> str | None:
        """The key of the list column the element counts, or None."""
        value = self.values.get(self.element.counts) if self.element.counts else None
        return str(value) if value else None

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column its keys name (the arrangement checks them against the sheet)."""
        named: list[str] = []
        for param in self.element.params:
            value = self.values.get(param.name)
            if param.type is ParamType.COLUMN and isinstance(value, str):
                named.append(value)
            elif param.type is ParamType.COLUMNS and isinstance(value, tuple):
                named += [str(v) for v in value]
        return tuple(named)

    def block(self, records: Sequence[Row], context: Context, caption: str = "") -> Table:
        return self.element.block(self.values, records, context, caption)


# --- what elements share ----------------------------------------------------------------


def values_in_order(
    records: Iterable[Row], key: str, sheet: TableSheet, lists: Mapping[str, Sequence[str]]
) -> list[str]:
    """The different values of a column: a list column's in list order (then values not in
    the list, as they come), another column's as they first come; empty ones left out."""
    col = sheet.column(key)
    seen: dict[str, str] = {}
    for record in records:
        text = plain_line(record.text(key)).strip()
        if text:
            seen.setdefault(normalise(text), text)
    if col.kind.traits.listed:
        listed = [v for v in lists.get(col.vocabulary or "", []) if normalise(v) in seen]
        folded = {normalise(v) for v in listed}
        return listed + [t for f, t in seen.items() if f not in folded]
    return list(seen.values())


def value_counts(
    records: Iterable[Row],
    column: str,
    vocabulary: str | None,
    lists: Mapping[str, Sequence[str]],
    empty: str = "Geen status",
) -> list[tuple[str, int]]:
    """(value, count) in list order, then unlisted values as they come."""
    from collections import Counter

    counts = Counter(r.text(column).strip() or empty for r in records)
    listed = lists.get(vocabulary, []) if vocabulary else []
    order = [v for v in listed if v in counts]
    order += [v for v in counts if v not in order]
    return [(value, counts[value]) for value in order]


# --- the registry -----------------------------------------------------------------------


def _found() -> dict[str, Element]:
    """Every element of this package's modules (each holds one as ELEMENT), by name: the
    order in which elements without a tag stand before the records."""
    found: dict[str, Element] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        element = getattr(module, "ELEMENT", None)
        if isinstance(element, Element):
            found[element.name] = check(element)
    return found


def check(element: Element) -> Element:
    """An element the registry can hold: a key name for it, and a heading key."""
    import re

    if not re.fullmatch(r"[a-z][a-z0-9_]*", element.name):
        raise ValueError(f"element name {element.name!r}: lower case letters, digits and _")
    if element.param("kop") is None:
        raise ValueError(f"element {element.name} has no 'kop' key")
    if element.counts and element.param(element.counts) is None:
        raise ValueError(f"element {element.name} counts an undeclared key {element.counts}")
    return element


#: every element, by name (its key under [indeling] and its tag)
ELEMENTS: dict[str, Element] = _found()
