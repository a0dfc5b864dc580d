from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.core.dates import DateKind, Precision, format_dutch, parse_date, parse_peildatum

D = date
# Every date phrase of both reference documents, with its expected reading.
CASES = [
    ("september 2022", DateKind.PERIOD, D(2022, 9, 1), D(2022, 9, 30), Precision.MONTH),
    ("juli 2023", DateKind.PERIOD, D(2023, 7, 1), D(2023, 7, 31), Precision.MONTH),
    ("1 maart 2024", DateKind.PERIOD, D(2024, 3, 1), D(2024, 3, 1), Precision.DAY),
    (
        "20 december 2021 (vaststelling projectopdracht door het college)",
        DateKind.PERIOD,
        D(2021, 12, 20),
        D(2021, 12, 20),
        Precision.DAY,
    ),
    ("4de kwartaal 2024", DateKind.PERIOD, D(2024, 10, 1), D(2024, 12, 31), Precision.QUARTER),
    (
        "2x per jaar in Rapportage Ruimtelijk Fysiek, eerstvolgende over het eerste halfjaar van 2023",
        DateKind.RECURRING,
        D(2023, 1, 1),
        D(2023, 6, 30),
        Precision.HALF,
    ),
    ("September 2020", DateKind.PERIOD, D(2020, 9, 1), D(2020, 9, 30), Precision.MONTH),
    ("December 2024", DateKind.PERIOD, D(2024, 12, 1), D(2024, 12, 31), Precision.MONTH),
    ("1ste helft 2025", DateKind.PERIOD, D(2025, 1, 1), D(2025, 6, 30), Precision.HALF),
    ("1 januari 2021", DateKind.PERIOD, D(2021, 1, 1), D(2021, 1, 1), Precision.DAY),
    ("21 december 2024", DateKind.PERIOD, D(2024, 12, 21), D(2024, 12, 21), Precision.DAY),
    ("Nog niet bekend", DateKind.UNKNOWN, None, None, None),
    ("2018", DateKind.PERIOD, D(2018, 1, 1), D(2018, 12, 31), Precision.YEAR),
    ("onbekend", DateKind.UNKNOWN, None, None, None),
    ("jaarlijks", DateKind.RECURRING, None, None, None),
    ("Oktober 2022", DateKind.PERIOD, D(2022, 10, 1), D(2022, 10, 31), Precision.MONTH),
    ("19 maart 2024", DateKind.PERIOD, D(2024, 3, 19), D(2024, 3, 19), Precision.DAY),
    ("Maart 2024", DateKind.PERIOD, D(2024, 3, 1), D(2024, 3, 31), Precision.MONTH),
    ("Maart 2023", DateKind.PERIOD, D(2023, 3, 1), D(2023, 3, 31), Precision.MONTH),
    ("Februari 2024", DateKind.PERIOD, D(2024, 2, 1), D(2024, 2, 29), Precision.MONTH),
    (
        "Evaluatie is in maart gestart. Afronding voorzien in april 2024",
        DateKind.PERIOD,
        D(2024, 4, 1),
        D(2024, 4, 30),
        Precision.MONTH,
    ),
    (
        "Tussenevaluatie juli 2024 - eindevaluatie december 2024",
        DateKind.RANGE,
        D(2024, 7, 1),
        D(2024, 12, 31),
        None,
    ),
    ("2de helft 2024", DateKind.PERIOD, D(2024, 7, 1), D(2024, 12, 31), Precision.HALF),
    ("november 2023", DateKind.PERIOD, D(2023, 11, 1), D(2023, 11, 30), Precision.MONTH),
    ("december 2023, februari 2024, mei 2024", DateKind.LIST, D(2023, 12, 1), D(2024, 5, 31), None),
    ("1 september 2022", DateKind.PERIOD, D(2022, 9, 1), D(2022, 9, 1), Precision.DAY),
    (
        "Onbekend. Huidige toekenning van het ministerie loopt tot 31 juli 2024.",
        DateKind.UNKNOWN,
        None,
        None,
        None,
    ),
    # Sterk voor Noord and DESIGN.md phrases
    ("september 2023 – mei 2024", DateKind.RANGE, D(2023, 9, 1), D(2024, 5, 31), None),
    ("Q1-2023", DateKind.PERIOD, D(2023, 1, 1), D(2023, 3, 31), Precision.QUARTER),
    ("eerste halfjaar van 2023", DateKind.PERIOD, D(2023, 1, 1), D(2023, 6, 30), Precision.HALF),
    ("Eind 2025", DateKind.PERIOD, D(2025, 1, 1), D(2025, 12, 31), Precision.YEAR),
    ("Nader te bepalen", DateKind.UNKNOWN, None, None, None),
    ("1-2-2024", DateKind.PERIOD, D(2024, 2, 1), D(2024, 2, 1), Precision.DAY),
    ("3e kwartaal van 2023", DateKind.PERIOD, D(2023, 7, 1), D(2023, 9, 30), Precision.QUARTER),
    ("2024-05-06", DateKind.PERIOD, D(2024, 5, 6), D(2024, 5, 6), Precision.DAY),
    ("binnenkort", DateKind.UNREADABLE, None, None, None),
    ("31 februari 2024", DateKind.UNREADABLE, None, None, None),
    ("", DateKind.EMPTY, None, None, None),
]


@pytest.mark.parametrize("text,kind,earliest,latest,precision", CASES)
def test_reference_phrases(text, kind, earliest, latest, precision):
    value = parse_date(text)
    assert value.kind is kind
    assert value.earliest == earliest
    assert value.latest == latest
    if precision is not None:
        assert value.precision is precision
    assert value.text == text


def test_real_dates_print_in_dutch():
    assert format_dutch(date(2022, 9, 1)) == "1 september 2022"
    value = parse_date(datetime(2024, 3, 19, 0, 0))
    assert value.text == "19 maart 2024"
    assert value.earliest == value.latest == date(2024, 3, 19)


def test_numbers_are_years():
    assert parse_date(2018).precision is Precision.YEAR


def test_peildatum_must_be_a_day():
    assert parse_peildatum("1-4-2024") == date(2024, 4, 1)
    assert parse_peildatum("april 2024") is None


@given(st.text())
def test_never_crashes(text):
    value = parse_date(text)
    assert value.text == text
    if value.periods:
        assert value.earliest <= value.latest


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_dutch_format_round_trips(day):
    value = parse_date(format_dutch(day))
    assert value.kind is DateKind.PERIOD
    assert value.earliest == value.latest == day
    numeric = parse_date(f"{day.day}-{day.month}-{day.year}")
    assert numeric.earliest == day
