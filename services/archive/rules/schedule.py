"""When a year's package is due and when an audit is (R-ARC-3, R-ARC-4).

Functions of dates and instants only. Every date here is the school's own "today", in the
school's IANA zone as identity announced it; the use case works it out and passes it in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from services.archive.rules.packaging import PackageKind


@dataclass(frozen=True)
class YearDates:
    """A school year as the journal announced it: its days and, once closed, its closure."""

    starts_on: dt.date
    ends_on: dt.date
    closed_on: dt.date | None = None
    closed_at: dt.datetime | None = None  # when the journal announced the closure


def year_over(year: YearDates, today: dt.date) -> bool:
    """The journal closed the year (R-YR-2), or its last day has passed at the school."""
    return year.closed_on is not None or today > year.ends_on


def due_package(
    year: YearDates,
    *,
    today: dt.date,
    now: dt.datetime,
    last_weekly: dt.datetime | None,
    last_year_end: dt.datetime | None,
    interval: dt.timedelta,
    year_end_grace: dt.timedelta,
) -> PackageKind | None:
    """The package a year is due for, if any (`last_*`: when its latest stored one was made).

    R-ARC-3, R-ARC-4: a running year weekly; a closed year's year-end package as soon as the
    journal closes it (again if one was made before the closure); a year nobody closed, its
    year-end package once its last day is `year_end_grace` behind.
    """
    if year.closed_at is not None:
        if last_year_end is None or last_year_end < year.closed_at:
            return PackageKind.year_end
        return None
    if year.starts_on <= today <= year.ends_on:
        if last_weekly is None or last_weekly <= now - interval:
            return PackageKind.weekly
        return None
    if today > year.ends_on + year_end_grace and last_year_end is None:
        return PackageKind.year_end
    return None


def audit_due(previous: dt.datetime | None, *, now: dt.datetime, interval: dt.timedelta) -> bool:
    """R-ARC-1, R-ARC-3: every copy is re-hashed at least once per interval."""
    return previous is None or previous <= now - interval
