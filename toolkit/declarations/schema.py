"""The register's columns, declared once.

Every label, help text, vocabulary and rule that the workbook template, the reader,
the validators, the reports and the documentation use comes from here, so that a
renamed column or a new status is changed in one place only. The same holds for what
list values mean (Role): code asks "is this published / last time / finished, which
colour?" through ListRoles, never by comparing with a wording such as "Laatste keer",
because a coordinator may rename the values on the Lijsten sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.declarations.annextypes import BUILTIN
from toolkit.declarations.model import (  # noqa: F401 - the names every module asks schema for
    COMMON_SETTINGS,
    INSTRUCTIONS_SHEET,
    LAST_SETTINGS,
    LISTS_SHEET,
    SETTINGS_SHEET,
    Column,
    Kind,
    Role,
    Setting,
    TableSheet,
    Vocabulary,
    normalise,
)

UNKNOWN_ANSWER = "Nog niet bekend"

#: how a yes/no setting says yes (after normalise)
YES = frozenset({"ja", "j", "yes", "waar", "true", "1"})


#: The bundled annex types' sheets, lists and settings: the defaults for code without a
#: register (a register's own types are register.types).
TABLE_SHEETS = BUILTIN.sheets
VOCABULARIES = BUILTIN.vocabularies
SETTINGS = BUILTIN.settings
#: Lists whose values differ per municipality ('gemeentelijk = true' in a declaration): a
#: new register (toolkit init) leaves them empty, and an empty one never falls back to the
#: declared values (those are the example's). The other lists carry meaning and start filled.
MUNICIPAL_VOCABULARIES = BUILTIN.municipal
SHEET_ORDER = (INSTRUCTIONS_SHEET, *(s.name for s in TABLE_SHEETS), LISTS_SHEET, SETTINGS_SHEET)


def vocabulary(key: str) -> Vocabulary:
    return BUILTIN.vocabulary(key)


def setting(key: str) -> Setting:
    return BUILTIN.setting(key)


@dataclass
class HeaderMatch:
    """Which spreadsheet column holds each schema column."""

    positions: dict[str, int] = field(default_factory=dict)
    missing: list[Column] = field(default_factory=list)


def match_headers(sheet: TableSheet, headers: list[object]) -> HeaderMatch:
    """Find each declared column among headers, tolerant of case, spacing and order."""
    wanted: dict[str, str] = {}
    for col in sheet.columns:
        for name in (col.label, *col.aliases):
            wanted.setdefault(normalise(name), col.key)
    result = HeaderMatch()
    for index, header in enumerate(headers):
        if header is None or str(header).strip() == "":
            continue
        key = wanted.get(normalise(str(header)))
        if key is not None and key not in result.positions:
            result.positions[key] = index
    result.missing = [c for c in sheet.columns if c.key not in result.positions]
    return result


UNLISTED_STATUS_COLOUR = "FFFFFF"


@dataclass(frozen=True)
class ListRoles:
    """Which role each value of a register's lists plays.

    Built from the Lijsten sheet (the values and the 'betekenis' column beside them), so
    that a coordinator's own wording ("Laatste editie") keeps the standard meaning
    ("Laatste keer"). Values are looked up after normalise; an unknown value has no role.
    """

    by_value: dict[str, dict[str, Role]] = field(default_factory=dict)

    def role(self, vocabulary_key: str, value: str) -> Role | None:
        return self.by_value.get(vocabulary_key, {}).get(normalise(value))

    def published(self, value: str, vocabulary: str) -> bool:
        """Whether a record with this value (in a list whose meanings decide inclusion)
        goes into the annex."""
        role = self.role(vocabulary, value)
        return role is not None and role.published

    def last_time(self, value: str, vocabulary: str) -> bool:
        role = self.role(vocabulary, value)
        return role is not None and role.last_time

    def finished(self, status: str, vocabulary: str) -> bool:
        """Whether a record with this status is done (it leaves the next edition)."""
        role = self.role(vocabulary, status)
        return role is not None and role.finished

    def colour(self, status: str, vocabulary: str) -> str:
        role = self.role(vocabulary, status)
        return role.colour if role is not None and role.colour else UNLISTED_STATUS_COLOUR

    def values_with(self, vocabulary_key: str, **flags: bool) -> set[str]:
        """The normalised values whose role has all these flags, e.g. published=True."""
        return {
            value
            for value, role in self.by_value.get(vocabulary_key, {}).items()
            if all(getattr(role, flag) == want for flag, want in flags.items())
        }


def role_by_label(
    vocabulary_key: str, text: str, vocabularies: tuple[Vocabulary, ...] | None = None
) -> Role | None:
    """The declared role whose standard wording (or key) is text, after normalise."""
    folded = normalise(text)
    voc = (
        next((v for v in vocabularies if v.key == vocabulary_key), None)
        if vocabularies is not None
        else vocabulary(vocabulary_key)
    )
    for role in voc.roles if voc is not None else ():
        if folded in (normalise(role.label), normalise(role.key)):
            return role
    return None


def list_roles(
    lists: dict[str, list[str]] | None = None,
    meanings: dict[str, dict[str, str]] | None = None,
    vocabularies: tuple[Vocabulary, ...] | None = None,
) -> ListRoles:
    """The roles of a register's list values.

    A value's role is the one its 'betekenis' cell names; with that cell empty (or no
    such column, as in older registers) a value that is itself a standard wording has
    that role. Anything else has no role: validate says so (betekenis-onbekend).
    """
    by_value: dict[str, dict[str, Role]] = {}
    vocabularies = VOCABULARIES if vocabularies is None else vocabularies
    for voc in vocabularies:
        if not voc.roles:
            continue
        given = (meanings or {}).get(voc.key, {})
        values = (lists or {}).get(voc.key) or list(voc.values)
        found: dict[str, Role] = {}
        for value in values:
            said = given.get(value, "").strip()
            role = role_by_label(voc.key, said or value, vocabularies)
            if role is not None:
                found.setdefault(normalise(value), role)
        by_value[voc.key] = found
    return ListRoles(by_value)


#: the roles of the standard lists, for code that has no register (an imported annex)
DEFAULT_ROLES = list_roles()


def standard_value(
    vocabulary_key: str, vocabularies: tuple[Vocabulary, ...] | None = None, **flags: bool
) -> str:
    """The standard wording of the first role with these flags (e.g. last_time=True)."""
    voc = (
        next(v for v in vocabularies if v.key == vocabulary_key)
        if vocabularies is not None
        else vocabulary(vocabulary_key)
    )
    for role in voc.roles:
        if all(getattr(role, flag) == want for flag, want in flags.items()):
            return role.label
    raise KeyError(flags)


#: Word styles the build uses, by the name a coordinator sees in Word
STYLE_NAMES = {
    "heading1": "Heading 1",
    "heading2": "Heading 2",
    "heading3": "Heading 3",
    "bullet": "List Bullet",
    "number": "List Continue",
    "table": "Table Grid",
    "label": "Kaartlabel",
    "note": "Kaartnotitie",
}
#: Word styles the build uses when the template has them (a template made before they were
#: used may lack them): without one, the first level's style indented one step further
OPTIONAL_STYLE_NAMES = {
    "bullet2": "List Bullet 2",
    "number2": "List Continue 2",
}
