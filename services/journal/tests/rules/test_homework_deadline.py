"""R-HW-1: homework within the school's limit after the class's last lesson of the day;
later homework is accepted and flagged late."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from services.journal.rules import homework_deadline

DAY = dt.date(2026, 11, 23)
ZONE = "Europe/Moscow"
LAST_ENDS = dt.time(14, 45)


def at(hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(hour, minute), ZoneInfo(ZONE))


def test_the_deadline_is_the_last_lessons_end_plus_the_schools_limit_R_HW_1() -> None:
    assert homework_deadline.deadline(DAY, LAST_ENDS, 120, ZONE) == at(16, 45)


def test_homework_by_the_deadline_is_on_time_and_after_it_late_R_HW_1() -> None:
    assert not homework_deadline.homework_is_late(at(16, 45), DAY, LAST_ENDS, 120, ZONE)
    assert homework_deadline.homework_is_late(at(16, 46), DAY, LAST_ENDS, 120, ZONE)
    assert not homework_deadline.homework_is_late(at(16, 0), DAY, LAST_ENDS, 90, ZONE)
    assert homework_deadline.homework_is_late(at(16, 16), DAY, LAST_ENDS, 90, ZONE)
