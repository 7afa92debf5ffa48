"""One-off changes of the timetable: a lesson is moved or cancelled only while it is ahead.

Once a lesson's day has come it took place where it was (its records rest on it), and a
lesson is never moved to a day that has passed.
"""

from __future__ import annotations

import datetime as dt

from services.journal.rules.refusal import Refusal, conflict, invalid


def past_lesson_refusal(lesson_date: dt.date, today: dt.date) -> Refusal | None:
    """409 `lesson_in_the_past` for a lesson whose day has gone."""
    if lesson_date < today:
        return conflict(
            "lesson_in_the_past", f"the lesson of {lesson_date.isoformat()} has taken place"
        )
    return None


def past_date_refusal(new_date: dt.date, today: dt.date) -> Refusal | None:
    """422 `date_in_the_past` for a move to a day that has passed."""
    if new_date < today:
        return invalid("date_in_the_past", f"{new_date.isoformat()} has passed")
    return None
