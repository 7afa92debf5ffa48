"""R-YR-1, R-YR-2: the year's bounds, and a closed year kept as it is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from kit.errors import Conflict, Invalid
from services.journal.rules import school_year


@dataclass(frozen=True)
class Year:
    name: str = "2026/2027"
    starts_on: dt.date = dt.date(2026, 9, 1)
    ends_on: dt.date = dt.date(2027, 5, 31)
    closed_on: dt.date | None = None


def test_an_open_year_accepts_records_and_a_closed_one_keeps_them_as_they_are_R_YR_2() -> None:
    school_year.check_open(Year())
    with pytest.raises(Conflict) as refused:
        school_year.check_open(Year(closed_on=dt.date(2027, 6, 20)))
    assert refused.value.code == "year_closed"
    assert "2026/2027" in refused.value.detail


def test_days_inside_the_year_bounds_both_ends_included_R_YR_1() -> None:
    year = Year()
    school_year.check_inside(year, year.starts_on, year.ends_on)
    assert school_year.contains(year, dt.date(2027, 1, 10))


def test_a_day_outside_the_year_is_refused_naming_it_R_YR_1() -> None:
    year = Year()
    with pytest.raises(Invalid) as refused:
        school_year.check_inside(year, dt.date(2026, 10, 1), dt.date(2027, 6, 1))
    assert refused.value.code == "date_outside_year"
    assert "2027-06-01" in refused.value.detail
    with pytest.raises(Invalid, match="2026-08-31"):
        school_year.check_inside(year, dt.date(2026, 8, 31))


def test_an_end_before_the_start_is_refused_R_YR_1() -> None:
    school_year.check_in_order(dt.date(2026, 9, 1), dt.date(2026, 9, 1))
    with pytest.raises(Invalid) as refused:
        school_year.check_in_order(dt.date(2026, 9, 2), dt.date(2026, 9, 1))
    assert refused.value.code == "dates_reversed"


def test_a_year_is_at_most_366_days_within_2000_2099_R_YR_1() -> None:
    """Issue 16: years of 0001–9999 were accepted and timetable generation walked them."""
    school_year.check_plausible(dt.date(2027, 9, 1), dt.date(2028, 8, 31))  # leap year: 365 d
    for starts, ends, code in (
        (dt.date(1, 1, 1), dt.date(1, 5, 31), "date_out_of_range"),
        (dt.date(9999, 9, 1), dt.date(9999, 12, 31), "date_out_of_range"),
        (dt.date(2026, 9, 1), dt.date(2027, 9, 3), "year_too_long"),
    ):
        with pytest.raises(Invalid) as refused:
            school_year.check_plausible(starts, ends)
        assert refused.value.code == code
