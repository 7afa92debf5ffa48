"""R-HW-1: homework is entered within the school's limit after the class's last lesson of the
day ends; later homework is accepted and flagged late for the deputy's monitoring."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def deadline(
    lesson_date: dt.date, last_lesson_ends: dt.time, limit_minutes: int, timezone: str
) -> dt.datetime:
    """The end of the class's last lesson that day plus the school's limit."""
    ends = dt.datetime.combine(lesson_date, last_lesson_ends, ZoneInfo(timezone))
    return ends + dt.timedelta(minutes=limit_minutes)


def homework_is_late(
    now: dt.datetime,
    lesson_date: dt.date,
    last_lesson_ends: dt.time,
    limit_minutes: int,
    timezone: str,
) -> bool:
    return now > deadline(lesson_date, last_lesson_ends, limit_minutes, timezone)
