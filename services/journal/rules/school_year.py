"""R-YR-1, R-YR-2: the school year's bounds, and a closed year kept as it is."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from kit.errors import Conflict, Invalid


class YearBounds(Protocol):
    """What the rules read of a school year (the journal's `SchoolYear` row is one)."""

    @property
    def name(self) -> str: ...

    @property
    def starts_on(self) -> dt.date: ...

    @property
    def ends_on(self) -> dt.date: ...

    @property
    def closed_on(self) -> dt.date | None: ...


def check_in_order(starts_on: dt.date, ends_on: dt.date) -> None:
    """A year, a period or a holiday ends on or after the day it starts (422 `dates_reversed`)."""
    if ends_on < starts_on:
        raise Invalid("ends_on is before starts_on", code="dates_reversed")


EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2099, 12, 31)
LONGEST = dt.timedelta(days=366)


def check_plausible(starts_on: dt.date, ends_on: dt.date) -> None:
    """A school year lasts at most 366 days (1 September to 31 August, R-YR-1) and lies in
    2000–2099: a year of 0001–9999 would let timetable generation walk millennia day by day
    in one request (422 `date_out_of_range`, `year_too_long`)."""
    for day in (starts_on, ends_on):
        if not EARLIEST <= day <= LATEST:
            raise Invalid(
                f"{day.isoformat()} is outside {EARLIEST.isoformat()}…{LATEST.isoformat()}",
                code="date_out_of_range",
            )
    if ends_on - starts_on > LONGEST:
        raise Invalid(f"a school year lasts at most {LONGEST.days} days", code="year_too_long")


def check_open(year: YearBounds) -> None:
    """R-YR-2: a closed year's records are kept as they are (409 `year_closed`)."""
    if year.closed_on is not None:
        raise Conflict(f"the year {year.name} is closed", code="year_closed")


def contains(year: YearBounds, day: dt.date) -> bool:
    return year.starts_on <= day <= year.ends_on


def check_inside(year: YearBounds, *days: dt.date) -> None:
    """R-YR-1: periods, holidays, lessons and enrolments fall inside the year's bounds
    (422 `date_outside_year`, naming the first day outside)."""
    for day in days:
        if not contains(year, day):
            raise Invalid(
                f"{day.isoformat()} is outside the year {year.name} "
                f"({year.starts_on.isoformat()}…{year.ends_on.isoformat()})",
                code="date_outside_year",
            )
