"""R-MRK-3, R-MRK-4: a lesson's data from its day until 7 days after it, never in advance."""

from __future__ import annotations

import datetime as dt

import pytest

from kit.errors import Conflict
from services.journal.rules import entry_window

LESSON = dt.date(2026, 11, 23)


def test_entry_is_open_from_the_lessons_day_until_7_days_after_R_MRK_3() -> None:
    for days in range(8):
        entry_window.check_entry(LESSON, LESSON + dt.timedelta(days=days))
    assert entry_window.closes_on(LESSON) == dt.date(2026, 11, 30)


def test_entry_on_the_8th_day_is_refused_as_closed_R_MRK_3() -> None:
    with pytest.raises(Conflict) as refused:
        entry_window.check_entry(LESSON, LESSON + dt.timedelta(days=8))
    assert refused.value.code == "entry_window_closed"
    assert "2026-11-23" in refused.value.detail


def test_marks_in_advance_are_refused_R_MRK_4() -> None:
    with pytest.raises(Conflict) as refused:
        entry_window.check_entry(LESSON, LESSON - dt.timedelta(days=1))
    assert refused.value.code == "lesson_in_future"


def _refuses_entry(today: dt.date) -> bool:
    try:
        entry_window.check_entry(LESSON, today)
    except Conflict:
        return True
    return False


def test_is_open_agrees_with_the_check_R_MRK_3() -> None:
    for days in range(-3, 12):
        today = LESSON + dt.timedelta(days=days)
        assert entry_window.is_open(LESSON, today) == (not _refuses_entry(today))


def test_topic_and_homework_may_be_written_ahead_but_not_after_the_window_R_LES_3() -> None:
    entry_window.check_lesson_record(LESSON, LESSON - dt.timedelta(days=30))
    entry_window.check_lesson_record(LESSON, LESSON + dt.timedelta(days=7))
    with pytest.raises(Conflict) as refused:
        entry_window.check_lesson_record(LESSON, LESSON + dt.timedelta(days=8))
    assert refused.value.code == "entry_window_closed"
