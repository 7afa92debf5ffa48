"""R-MRK-3, R-MRK-4: a lesson's data is entered from its day until 7 days after it.

Marks, attendance, the reasons of absences and lesson records (topic, homework) share the
window; before the lesson's day nothing is recorded (no marks in advance), after the window
nothing is changed (no backdating). Topic and homework alone may be written ahead (planning).
"""

from __future__ import annotations

import datetime as dt

from kit.errors import Conflict

ENTRY_DAYS = 7
"""R-MRK-3: «не позднее 7 дней» after the lesson."""


def closes_on(lesson_date: dt.date) -> dt.date:
    """The last day a lesson's data may be entered or corrected."""
    return lesson_date + dt.timedelta(days=ENTRY_DAYS)


def is_open(lesson_date: dt.date, today: dt.date) -> bool:
    return lesson_date <= today <= closes_on(lesson_date)


def check_entry(lesson_date: dt.date, today: dt.date) -> None:
    """R-MRK-3, R-MRK-4: marks, attendance and reasons from the lesson's day until 7 days
    after; `lesson_in_future` before it, `entry_window_closed` after (both 409)."""
    if lesson_date > today:
        raise Conflict(
            f"the lesson of {lesson_date.isoformat()} has not taken place yet",
            code="lesson_in_future",
        )
    if today > closes_on(lesson_date):
        raise Conflict(
            f"the lesson of {lesson_date.isoformat()} is more than {ENTRY_DAYS} days ago: "
            "entry and correction are closed (R-MRK-3, R-MRK-4)",
            code="entry_window_closed",
        )


def check_lesson_record(lesson_date: dt.date, today: dt.date) -> None:
    """R-LES-1, R-LES-3: topic and homework may be written ahead (planning), but never after
    the R-MRK-3 window (409 `entry_window_closed`)."""
    if lesson_date <= today:
        check_entry(lesson_date, today)
