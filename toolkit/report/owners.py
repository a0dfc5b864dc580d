"""Who has to act on a finding: the Eigenaar of a pilot, the Trekker of an action.

The HTML report (command line and web) groups findings per owner, and
`toolkit validate --per-eigenaar` writes one small report per owner that a coordinator
can mail on. The owner is read from the register's own internal column, declared per
annex type ([tabblad] eigenaarkolom, and eigenaar_scheiding for a column that names more
than one: "Pieter Jansen; Woonbron" is Pieter Jansen's row); findings on Instellingen
and Lijsten belong to the coordinator.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from itertools import groupby

from toolkit.core.portable import is_reserved
from toolkit.declarations import schema
from toolkit.declarations.findings import Finding
from toolkit.validation.validate import ValidationResult

COORDINATOR = "Coördinator (tabbladen Instellingen en Lijsten)"
NO_OWNER = "Geen eigenaar of trekker ingevuld"


@dataclass
class RecordGroup:
    sheet: str
    record: str
    findings: list[Finding]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "fout")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "waarschuwing")


@dataclass
class OwnerGroup:
    name: str
    anchor: str  # an HTML id: "eigenaar-3"
    groups: list[RecordGroup] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for g in self.groups for f in g.findings]

    @property
    def errors(self) -> int:
        return sum(g.errors for g in self.groups)

    @property
    def warnings(self) -> int:
        return sum(g.warnings for g in self.groups)

    @property
    def sheets(self) -> set[str]:
        return {g.sheet for g in self.groups}


def owner_of(result: ValidationResult, finding: Finding) -> str:
    """The owner's name as written in the register (spaces tidied; where the declaration
    says so, the first name only: [tabblad] eigenaar_scheiding), or a stand-in."""
    if finding.sheet in (schema.SETTINGS_SHEET, schema.LISTS_SHEET):  # the coordinator's sheets
        return COORDINATOR
    sheet = next((s for s in result.register.table_sheets if s.name == finding.sheet), None)
    if sheet is None or sheet.owner_column is None or finding.row is None:
        return NO_OWNER
    column = sheet.column(sheet.owner_column)
    record = _rows(result, sheet).get(finding.row)
    if record is None:
        return NO_OWNER
    return sheet.owner(record.text(column.key)) or NO_OWNER


def _rows(result: ValidationResult, sheet: schema.TableSheet) -> dict:  # type: ignore[type-arg]
    cache = result.__dict__.setdefault("_owner_rows", {})
    if sheet.name not in cache:
        cache[sheet.name] = {r.row: r for r in result.register.records(sheet)}
    return cache[sheet.name]


def _order(name: str) -> tuple[int, str]:
    rank = 0 if name == COORDINATOR else 2 if name == NO_OWNER else 1
    return rank, name.casefold()


def owner_groups(result: ValidationResult) -> list[OwnerGroup]:
    """Findings per owner (coordinator first, alphabetical, 'no owner' last), and within
    an owner per pilot or action in register order. Names differing only in case or
    spacing are one owner."""
    by_key: dict[str, tuple[str, list[Finding]]] = {}
    for finding in result.findings:
        name = owner_of(result, finding)
        by_key.setdefault(name.casefold(), (name, []))[1].append(finding)
    owners = []
    for number, (name, findings) in enumerate(sorted(by_key.values(), key=lambda v: _order(v[0])), start=1):
        owner = OwnerGroup(name, f"eigenaar-{number}")
        for (sheet, record), items in groupby(findings, key=lambda f: (f.sheet, f.record)):
            owner.groups.append(RecordGroup(sheet, record or sheet, list(items)))
        owners.append(owner)
    return owners


def owner_file_name(name: str, taken: set[str]) -> str:
    """A file name that is safe on Windows, macOS and Linux and in a mail attachment:
    'Coördinator pilots' -> 'coordinator-pilots.html'. Unique within `taken`."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60].strip("-") or "eigenaar"
    if is_reserved(slug):
        slug = f"eigenaar-{slug}"
    candidate, n = slug, 2
    while f"{candidate}.html" in taken:
        candidate, n = f"{slug}-{n}", n + 1
    taken.add(f"{candidate}.html")
    return f"{candidate}.html"
