"""One-off changes of the timetable: only lessons still ahead move or are cancelled."""

from __future__ import annotations

import datetime as dt

import pytest

from kit.errors import Conflict, Invalid
from services.journal.rules import timetable_change

TODAY = dt.date(2026, 11, 23)


def test_a_lesson_of_today_or_later_may_change_one_that_took_place_stays() -> None:
    timetable_change.check_lesson_ahead(TODAY, TODAY)
    timetable_change.check_lesson_ahead(TODAY + dt.timedelta(days=3), TODAY)
    with pytest.raises(Conflict) as refused:
        timetable_change.check_lesson_ahead(TODAY - dt.timedelta(days=1), TODAY)
    assert refused.value.code == "lesson_in_the_past"


def test_a_lesson_is_never_moved_to_a_day_that_has_passed() -> None:
    timetable_change.check_date_ahead(TODAY, TODAY)
    with pytest.raises(Invalid) as refused:
        timetable_change.check_date_ahead(TODAY - dt.timedelta(days=1), TODAY)
    assert refused.value.code == "date_in_the_past"
