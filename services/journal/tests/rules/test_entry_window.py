"""R-MRK-3, R-MRK-4: a lesson's data from its day until 7 days after it, never in advance."""

from __future__ import annotations

import datetime as dt

from services.journal.rules import entry_window

LESSON = dt.date(2026, 11, 23)


def test_entry_is_open_from_the_lessons_day_until_7_days_after_R_MRK_3() -> None:
    for days in range(8):
        assert entry_window.entry_refusal(LESSON, LESSON + dt.timedelta(days=days)) is None
    assert entry_window.closes_on(LESSON) == dt.date(2026, 11, 30)


def test_entry_on_the_8th_day_is_refused_as_closed_R_MRK_3() -> None:
    refusal = entry_window.entry_refusal(LESSON, LESSON + dt.timedelta(days=8))
    assert refusal is not None
    assert (refusal.kind, refusal.code) == ("conflict", "entry_window_closed")


def test_marks_in_advance_are_refused_R_MRK_4() -> None:
    refusal = entry_window.entry_refusal(LESSON, LESSON - dt.timedelta(days=1))
    assert refusal is not None
    assert (refusal.kind, refusal.code) == ("conflict", "lesson_in_future")


def test_is_open_agrees_with_the_refusal_R_MRK_3() -> None:
    for days in range(-3, 12):
        today = LESSON + dt.timedelta(days=days)
        assert entry_window.is_open(LESSON, today) == (
            entry_window.entry_refusal(LESSON, today) is None
        )


def test_topic_and_homework_may_be_written_ahead_but_not_after_the_window_R_LES_3() -> None:
    assert entry_window.lesson_record_refusal(LESSON, LESSON - dt.timedelta(days=30)) is None
    assert entry_window.lesson_record_refusal(LESSON, LESSON + dt.timedelta(days=7)) is None
    late = entry_window.lesson_record_refusal(LESSON, LESSON + dt.timedelta(days=8))
    assert late is not None and late.code == "entry_window_closed"
