"""Dutch date phrases as officers write them, read into periods.

The published document always shows what the officer wrote; the periods exist only so
that the date rules (start before end, evaluation after start, overdue outcomes) can
be checked on text such as "4de kwartaal 2024" or "Tussenevaluatie juli 2024 -
eindevaluatie december 2024".
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache

MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "febr": 2,
    "maart": 3,
    "mrt": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augustus": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
MONTH_NAMES = (
    "",
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
ORDINALS = {
    "1": 1,
    "1e": 1,
    "1ste": 1,
    "eerste": 1,
    "2": 2,
    "2e": 2,
    "2de": 2,
    "tweede": 2,
    "3": 3,
    "3e": 3,
    "3de": 3,
    "derde": 3,
    "4": 4,
    "4e": 4,
    "4de": 4,
    "vierde": 4,
}

UNKNOWN_PHRASES = (
    "nog niet bekend",
    "nog onbekend",
    "onbekend",
    "nader te bepalen",
    "n.t.b.",
    "ntb",
    "nog te bepalen",
    "niet bekend",
    "volgt nog",
)
RECURRING_PATTERN = re.compile(
    r"\b(jaarlijks|halfjaarlijks|maandelijks|wekelijks|elk jaar|ieder jaar|per kwartaal|"
    r"kwartaal(?:lijks)?\s+per\s+jaar|\d+\s*x\s*per\s+(?:jaar|maand|kwartaal)|"
    r"\w+\s*maal\s+per\s+(?:jaar|maand)|(?:twee|drie|vier)\s+keer\s+per\s+jaar)\b"
)

#: The phrases shown to officers (workbook Instructies, warnings) as understood.
ACCEPTED_EXAMPLES = (
    "1 september 2022",
    "1-9-2022",
    "september 2022",
    "4de kwartaal 2024",
    "Q1-2023",
    "1ste helft 2025",
    "eerste halfjaar van 2023",
    "2018",
    "Eind 2025",
    "juli 2024 - december 2024",
    "december 2023, februari 2024, mei 2024",
    "jaarlijks",
    "2x per jaar",
    "Nog niet bekend",
    "Onbekend",
    "Nader te bepalen",
)


class Precision(StrEnum):
    DAY = "dag"
    MONTH = "maand"
    QUARTER = "kwartaal"
    HALF = "halfjaar"
    YEAR = "jaar"


class DateKind(StrEnum):
    EMPTY = "leeg"
    PERIOD = "periode"
    RANGE = "bereik"
    LIST = "lijst"
    RECURRING = "terugkerend"
    UNKNOWN = "onbekend"
    UNREADABLE = "onleesbaar"


@dataclass(frozen=True)
class Period:
    earliest: date
    latest: date
    precision: Precision


@dataclass(frozen=True)
class DateValue:
    """A date cell: what to print, and what it means for the date rules."""

    text: str
    kind: DateKind
    periods: tuple[Period, ...] = ()

    @property
    def earliest(self) -> date | None:
        return min(p.earliest for p in self.periods) if self.periods else None

    @property
    def latest(self) -> date | None:
        return max(p.latest for p in self.periods) if self.periods else None

    @property
    def precision(self) -> Precision | None:
        return self.periods[0].precision if len(self.periods) == 1 else None


def format_dutch(value: date | datetime) -> str:
    """A real date as a Dutch reader expects it: "1 september 2022"."""
    return f"{value.day} {MONTH_NAMES[value.month]} {value.year}"


def _month_period(year: int, first: int, last: int, precision: Precision) -> Period:
    return Period(date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1]), precision)


_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_ORD_ALT = "|".join(sorted(ORDINALS, key=len, reverse=True))
_YEAR = r"((?:19|20)\d{2})"
_TOKEN = re.compile(
    "|".join(
        (
            rf"(?P<iso>\b{_YEAR}-(\d{{1,2}})-(\d{{1,2}})\b)",
            r"(?P<num>\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})\b)",
            rf"(?P<day>\b(\d{{1,2}})\s+({_MONTH_ALT})\.?\s+{_YEAR}\b)",
            rf"(?P<quarter>\b({_ORD_ALT})\s*kwartaal\s+(?:van\s+)?{_YEAR}\b)",
            rf"(?P<q>\bq([1-4])\s*[-/ ]?\s*{_YEAR}\b)",
            rf"(?P<half>\b({_ORD_ALT})\s+(?:helft|halfjaar|half jaar)\s+(?:van\s+)?{_YEAR}\b)",
            rf"(?P<month>\b({_MONTH_ALT})\.?\s+(?:van\s+)?{_YEAR}\b)",
            rf"(?P<year>\b{_YEAR}\b)",
        )
    )
)
_RANGE_SEPARATOR = re.compile(r"(?:\s[-–—]\s|\s?[-–—]\s?|\btot\b|\bt/m\b|\btot en met\b)")


def _period_from(match: re.Match[str]) -> Period | None:
    kind = match.lastgroup
    groups = [g for g in match.groups() if g is not None]
    try:
        if kind == "iso":
            _, year, month, day = groups
            d = date(int(year), int(month), int(day))
            return Period(d, d, Precision.DAY)
        if kind == "num":
            _, day, month, year = groups
            full_year = int(year) + (2000 if len(year) == 2 else 0)
            d = date(full_year, int(month), int(day))
            return Period(d, d, Precision.DAY)
        if kind == "day":
            _, day, month, year = groups
            d = date(int(year), MONTHS[month], int(day))
            return Period(d, d, Precision.DAY)
        if kind in ("quarter", "q"):
            _, number, year = groups
            q = ORDINALS.get(number, 0) if kind == "quarter" else int(number)
            if not 1 <= q <= 4:
                return None
            return _month_period(int(year), 3 * q - 2, 3 * q, Precision.QUARTER)
        if kind == "half":
            _, number, year = groups
            h = ORDINALS.get(number, 0)
            if h not in (1, 2):
                return None
            return _month_period(int(year), 6 * h - 5, 6 * h, Precision.HALF)
        if kind == "month":
            _, month, year = groups
            m = MONTHS[month]
            return _month_period(int(year), m, m, Precision.MONTH)
        if kind == "year":
            return _month_period(int(groups[1]), 1, 12, Precision.YEAR)
    except (ValueError, KeyError):
        return None
    return None


def parse_date(value: object) -> DateValue:
    """Read a date cell (a real date or the officer's words); never raises.

    Registers repeat the same dates and phrases ("Nog niet bekend", "2025") many times,
    so answers are remembered; a DateValue is frozen and safe to share.
    """
    try:
        return _parse_remembered(value)
    except TypeError:  # an unhashable value: read it afresh
        return _parse_date(value)


def _parse_date(value: object) -> DateValue:
    if value is None:
        return DateValue("", DateKind.EMPTY)
    if isinstance(value, datetime | date):
        d = value.date() if isinstance(value, datetime) else value
        return DateValue(format_dutch(d), DateKind.PERIOD, (Period(d, d, Precision.DAY),))
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(int(value)) if float(value).is_integer() else str(value)
    text = str(value)
    stripped = " ".join(text.split())
    if not stripped:
        return DateValue(text, DateKind.EMPTY)
    lowered = stripped.casefold()

    periods: list[Period] = []
    gaps: list[str] = []
    last_end = 0
    for match in _TOKEN.finditer(lowered):
        period = _period_from(match)
        if period is None:
            continue
        gaps.append(lowered[last_end : match.start()])
        last_end = match.end()
        periods.append(period)

    if RECURRING_PATTERN.search(lowered):
        return DateValue(text, DateKind.RECURRING, tuple(periods))
    if any(lowered.startswith(p) for p in UNKNOWN_PHRASES) or lowered in UNKNOWN_PHRASES:
        return DateValue(text, DateKind.UNKNOWN)
    if not periods:
        return DateValue(text, DateKind.UNREADABLE)
    if len(periods) == 1:
        return DateValue(text, DateKind.PERIOD, tuple(periods))
    if len(periods) == 2 and _RANGE_SEPARATOR.search(gaps[1]):
        return DateValue(text, DateKind.RANGE, tuple(periods))
    return DateValue(text, DateKind.LIST, tuple(periods))


_parse_remembered = lru_cache(maxsize=16384, typed=True)(_parse_date)


def is_unknown_phrase(text: str) -> bool:
    """An empty answer or one that says it is not known yet ("Nog niet bekend.")."""
    folded = " ".join(text.split()).casefold()
    return not folded or any(folded.startswith(p) for p in UNKNOWN_PHRASES)


def parse_peildatum(text: str) -> date | None:
    """A peildatum must name one day; anything vaguer is refused by the caller."""
    value = parse_date(text)
    if value.kind is DateKind.PERIOD and value.precision is Precision.DAY and value.earliest:
        return value.earliest
    return None
