"""One-off changes of the timetable: only lessons still ahead move or are cancelled."""

from __future__ import annotations

import datetime as dt

from services.journal.rules import timetable_change

TODAY = dt.date(2026, 11, 23)


def test_a_lesson_of_today_or_later_may_change() -> None:
    assert timetable_change.past_lesson_refusal(TODAY, TODAY) is None
    assert timetable_change.past_lesson_refusal(TODAY + dt.timedelta(days=3), TODAY) is None


def test_a_lesson_that_took_place_stays_where_it_was() -> None:
    refusal = timetable_change.past_lesson_refusal(TODAY - dt.timedelta(days=1), TODAY)
    assert refusal is not None
    assert (refusal.kind, refusal.code) == ("conflict", "lesson_in_the_past")


def test_a_lesson_is_never_moved_to_a_day_that_has_passed() -> None:
    assert timetable_change.past_date_refusal(TODAY, TODAY) is None
    refusal = timetable_change.past_date_refusal(TODAY - dt.timedelta(days=1), TODAY)
    assert refusal is not None
    assert (refusal.kind, refusal.code) == ("invalid", "date_in_the_past")
