"""R-YR-1, R-YR-2: the year's bounds, and a closed year kept as it is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from services.journal.rules import school_year


@dataclass(frozen=True)
class Year:
    name: str = "2026/2027"
    starts_on: dt.date = dt.date(2026, 9, 1)
    ends_on: dt.date = dt.date(2027, 5, 31)
    closed_on: dt.date | None = None


def test_an_open_year_accepts_records_R_YR_2() -> None:
    assert school_year.closed_refusal(Year()) is None


def test_a_closed_years_records_are_kept_as_they_are_R_YR_2() -> None:
    refusal = school_year.closed_refusal(Year(closed_on=dt.date(2027, 6, 20)))
    assert refusal is not None
    assert (refusal.kind, refusal.code) == ("conflict", "year_closed")
    assert "2026/2027" in refusal.detail


def test_days_inside_the_year_bounds_both_ends_included_R_YR_1() -> None:
    year = Year()
    assert school_year.outside_refusal(year, year.starts_on, year.ends_on) is None
    assert school_year.contains(year, dt.date(2027, 1, 10))


def test_a_day_outside_the_year_is_refused_naming_it_R_YR_1() -> None:
    year = Year()
    refusal = school_year.outside_refusal(year, dt.date(2026, 10, 1), dt.date(2027, 6, 1))
    assert refusal is not None
    assert (refusal.kind, refusal.code) == ("invalid", "date_outside_year")
    assert "2027-06-01" in refusal.detail
    assert school_year.outside_refusal(year, dt.date(2026, 8, 31)) is not None


def test_an_end_before_the_start_is_refused_R_YR_1() -> None:
    assert school_year.reversed_refusal(dt.date(2026, 9, 1), dt.date(2026, 9, 1)) is None
    refusal = school_year.reversed_refusal(dt.date(2026, 9, 2), dt.date(2026, 9, 1))
    assert refusal is not None
    assert (refusal.kind, refusal.code) == ("invalid", "dates_reversed")
