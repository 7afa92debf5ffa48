"""One-off changes of the timetable: a lesson is moved or cancelled only while it is ahead.

Once a lesson's day has come it took place where it was (its records rest on it), and a
lesson is never moved to a day that has passed.
"""

from __future__ import annotations

import datetime as dt

from kit.errors import Conflict, Invalid


def check_lesson_ahead(lesson_date: dt.date, today: dt.date) -> None:
    """409 `lesson_in_the_past` for a lesson whose day has gone (today's is still ahead)."""
    if lesson_date < today:
        raise Conflict(
            f"the lesson of {lesson_date.isoformat()} has taken place", code="lesson_in_the_past"
        )


def check_date_ahead(new_date: dt.date, today: dt.date) -> None:
    """422 `date_in_the_past` for a move to a day that has passed (today is still ahead)."""
    if new_date < today:
        raise Invalid(f"{new_date.isoformat()} has passed", code="date_in_the_past")
