"""When a year's package and an audit are due (R-ARC-3, R-ARC-4), as functions of the
school's date and the instant: no infrastructure."""

from __future__ import annotations

import datetime as dt

from services.archive.rules.packaging import PackageKind
from services.archive.rules.schedule import (
    YearDates,
    audit_due,
    due_package,
    year_over,
)

YEAR = YearDates(starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2027, 5, 31))
NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
WEEK = dt.timedelta(days=7)
GRACE = dt.timedelta(days=3)


def due(
    year: YearDates = YEAR,
    *,
    today: dt.date = NOW.date(),
    now: dt.datetime = NOW,
    weekly: dt.datetime | None = None,
    year_end: dt.datetime | None = None,
) -> PackageKind | None:
    return due_package(
        year,
        today=today,
        now=now,
        last_weekly=weekly,
        last_year_end=year_end,
        interval=WEEK,
        year_end_grace=GRACE,
    )


def test_a_running_year_is_due_a_weekly_package_once_per_interval_R_ARC_3() -> None:
    assert due() is PackageKind.weekly
    assert due(weekly=NOW - dt.timedelta(days=6)) is None
    assert due(weekly=NOW - WEEK) is PackageKind.weekly


def test_a_year_not_begun_at_the_school_is_not_due() -> None:
    assert due(today=dt.date(2026, 8, 31)) is None


def test_a_closed_year_is_due_its_year_end_package_at_once_R_ARC_4() -> None:
    closed = YearDates(YEAR.starts_on, YEAR.ends_on, dt.date(2026, 11, 30), NOW)
    assert due(closed, weekly=NOW) is PackageKind.year_end
    assert due(closed, year_end=NOW - dt.timedelta(hours=1)) is PackageKind.year_end  # before
    assert due(closed, year_end=NOW + dt.timedelta(minutes=1)) is None  # made after closing


def test_a_year_nobody_closed_is_due_after_its_grace_days_R_ARC_3() -> None:
    assert due(today=dt.date(2027, 6, 3)) is None
    assert due(today=dt.date(2027, 6, 4)) is PackageKind.year_end
    assert due(today=dt.date(2027, 6, 4), year_end=NOW) is None


def test_a_year_is_over_when_closed_or_after_its_last_day_at_the_school_R_ARC_3() -> None:
    assert not year_over(YEAR, dt.date(2027, 5, 31))
    assert year_over(YEAR, dt.date(2027, 6, 1))
    closed_early = YearDates(YEAR.starts_on, YEAR.ends_on, dt.date(2027, 5, 20), NOW)
    assert year_over(closed_early, dt.date(2027, 5, 20))


def test_an_audit_is_due_once_per_interval_R_ARC_1() -> None:
    assert audit_due(None, now=NOW, interval=WEEK)
    assert not audit_due(NOW - dt.timedelta(days=6), now=NOW, interval=WEEK)
    assert audit_due(NOW - WEEK, now=NOW, interval=WEEK)
