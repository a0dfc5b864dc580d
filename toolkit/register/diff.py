"""Compare two editions of the register (`toolkit diff`).

Between editions pilots are added, texts change and pilots drop out. Rows are matched
by the sheet's declared key column (the ID), then by its name column, then by a close
name, and every change is kept as a word-level difference, so a coordinator no longer
reads two Word files side by side.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from toolkit.core.richtext import parse_rich
from toolkit.declarations import schema
from toolkit.declarations.keys import said
from toolkit.declarations.schema import TableSheet
from toolkit.register.read import Record, Register

CLOSE_NAME = 0.8
#: a row whose name stayed while this many of its declared 'kenmerken' changed (or all of
#: them, when it declares fewer) is suspicious
SLIP_THRESHOLD = 4

#: how a pair was made; "id" is the declared key column, named by its label in reports
MATCH_LABELS = {"id": "op ID", "naam": "op naam", "gelijkend": "op gelijkende naam"}


@dataclass(frozen=True)
class WordChange:
    """One piece of a word-level difference: op is "gelijk", "weg" or "erbij"."""

    op: str
    text: str


@dataclass
class FieldChange:
    key: str
    label: str
    old: str
    new: str
    words: list[WordChange]


@dataclass
class Change:
    """A row of the old or new edition and what happened to it."""

    kind: str  # "nieuw", "vervallen", "gewijzigd", "ongewijzigd"
    sheet: str
    old: Record | None
    new: Record | None
    matched_by: str = ""
    fields: list[FieldChange] = field(default_factory=list)
    warning: str = ""

    @property
    def name(self) -> str:
        record = self.new or self.old
        assert record is not None
        return plain(record, record.sheet.name_column).split("\n")[0]

    @property
    def ident(self) -> str:
        record = self.new or self.old
        assert record is not None
        return record.text(record.sheet.key_column)

    @property
    def matched_label(self) -> str:
        """'op ID', or 'op Nummer' where the key column has that label."""
        if self.matched_by == "id":
            record = self.new or self.old
            assert record is not None
            return f"op {record.sheet.column(record.sheet.key_column).label}"
        return MATCH_LABELS.get(self.matched_by, "")


@dataclass
class DiffResult:
    old: Register
    new: Register
    changes: list[Change] = field(default_factory=list)

    def of(self, kind: str, sheet: str | None = None) -> list[Change]:
        return [c for c in self.changes if c.kind == kind and (sheet is None or c.sheet == sheet)]

    @property
    def warnings(self) -> list[Change]:
        return [c for c in self.changes if c.warning]

    @property
    def sheets(self) -> tuple[TableSheet, ...]:
        """The declared table sheets either edition has, in declaration order."""
        seen: dict[str, TableSheet] = {}
        for register in (self.new, self.old):
            for sheet in register.table_sheets:
                seen.setdefault(sheet.name, sheet)
        order = [s.name for s in self.new.types.sheets] + [s.name for s in self.old.types.sheets]
        return tuple(sorted(seen.values(), key=lambda s: order.index(s.name)))

    def counts(self, sheet: str) -> dict[str, int]:
        return {
            kind: len(self.of(kind, sheet)) for kind in ("nieuw", "vervallen", "gewijzigd", "ongewijzigd")
        }


def plain(record: Record, key: str) -> str:
    """The published text of a field, as a reader sees it (HTML and spacing aside)."""
    return parse_rich(record.text(key)).plain


def _key(record: Record) -> str:
    return record.text(record.sheet.key_column).strip()


def _name_key(record: Record) -> str:
    return schema.normalise(plain(record, record.sheet.name_column))


def _close(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a in b or b in a:  # "pilot schoolontbijt" / "schoolontbijt"
        return max(CLOSE_NAME, min(len(a), len(b)) / max(len(a), len(b)))
    return difflib.SequenceMatcher(None, a, b).ratio()


def match_records(old: list[Record], new: list[Record]) -> list[tuple[Record | None, Record | None, str]]:
    """Pairs (old, new, how): by key column, then by normalised name, then by a close name."""
    pairs: list[tuple[Record | None, Record | None, str]] = []
    left = list(old)
    right = list(new)
    by_id = {_key(r): r for r in right if _key(r)}
    for record in list(left):
        other = by_id.get(_key(record))
        if other is not None and other in right:
            pairs.append((record, other, "id"))
            left.remove(record)
            right.remove(other)
    by_name: dict[str, Record] = {}
    for r in right:
        by_name.setdefault(_name_key(r), r)
    for record in list(left):
        other = by_name.get(_name_key(record))
        if other is not None and other in right and _name_key(record):
            pairs.append((record, other, "naam"))
            left.remove(record)
            right.remove(other)
    candidates = sorted(
        ((_close(_name_key(a), _name_key(b)), i, j) for i, a in enumerate(left) for j, b in enumerate(right)),
        reverse=True,
    )
    used_left: set[int] = set()
    used_right: set[int] = set()
    for score, i, j in candidates:
        if score < CLOSE_NAME:
            break
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        pairs.append((left[i], right[j], "gelijkend"))
    pairs += [(r, None, "") for i, r in enumerate(left) if i not in used_left]
    pairs += [(None, r, "") for j, r in enumerate(right) if j not in used_right]
    return pairs


def word_diff(old: str, new: str) -> list[WordChange]:
    """Word-level difference; runs of the same kind are joined for easy reading."""
    a = re.findall(r"\S+|\n", old)
    b = re.findall(r"\S+|\n", new)
    out: list[WordChange] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(WordChange("gelijk", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(WordChange("weg", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(WordChange("erbij", " ".join(b[j1:j2])))
    return out


def _published_keys(sheet: TableSheet) -> list[str]:
    return [c.key for c in sheet.columns if c.published and c.key != sheet.key_column]


def compare_records(old: Record, new: Record) -> list[FieldChange]:
    changes = []
    for key in _published_keys(old.sheet):
        if old.text(key) == new.text(key):  # the same text: no need to parse it (issue 12)
            continue
        a, b = plain(old, key), plain(new, key)
        if " ".join(a.split()) != " ".join(b.split()):
            changes.append(FieldChange(key, old.sheet.column(key).label, a, b, word_diff(a, b)))
    return changes


def compare(old: Register, new: Register) -> DiffResult:
    """Every pilot and action of both editions: new, dropped, changed or unchanged."""
    result = DiffResult(old, new)
    for sheet in result.sheets:
        try:
            annex = old.types.of_sheet(sheet.name)
        except KeyError:
            annex = new.types.of_sheet(sheet.name)
        last = annex.role_column("last_time")
        last_label = (
            schema.standard_value(last.vocabulary or "", last_time=True, vocabularies=annex.vocabularies)
            if last
            else ""
        )
        for before, after, how in match_records(
            old.tables.get(sheet.name, []), new.tables.get(sheet.name, [])
        ):
            if before is None:
                result.changes.append(Change("nieuw", sheet.name, None, after))
            elif after is None:
                change = Change("vervallen", sheet.name, before, None)
                if last is not None and not old.roles.last_time(before.text(last.key), last.vocabulary or ""):
                    change.warning = (
                        f"Vervallen zonder dat de rij in de vorige editie op '{last_label}' stond."
                    )
                result.changes.append(change)
            else:
                fields = compare_records(before, after)
                change = Change(
                    "gewijzigd" if fields else "ongewijzigd", sheet.name, before, after, how, fields
                )
                changed = {f.key for f in fields}
                slipped = [f.label for f in fields if f.key in sheet.identity]
                if (
                    sheet.identity
                    and sheet.name_column not in changed
                    and len(slipped) >= min(SLIP_THRESHOLD, len(sheet.identity))
                ):
                    change.warning = (
                        f"De naam bleef gelijk, maar {said(slipped, quote=False)} "
                        f"veranderden tegelijk: is hier een andere rij over een "
                        f"oude heen geschreven?"
                    )
                result.changes.append(change)
    order = {"gewijzigd": 0, "nieuw": 1, "vervallen": 2, "ongewijzigd": 3}
    sheets = [s.name for s in result.sheets]
    result.changes.sort(key=lambda c: (sheets.index(c.sheet), order[c.kind]))
    return result
