"""R-MRK-7: the subject teacher sets period marks from the period's last week until 2 days
after its end; outside that only the deputy corrects them (R-MRK-6)."""

from __future__ import annotations

import datetime as dt

from services.journal.rules import period_mark_window

ENDS = dt.date(2026, 12, 27)


def test_the_window_runs_from_6_days_before_the_end_to_2_days_after_R_MRK_7() -> None:
    assert period_mark_window.window(ENDS) == (dt.date(2026, 12, 21), dt.date(2026, 12, 29))
    for days in range(-6, 3):
        assert period_mark_window.window_refusal(ENDS, ENDS + dt.timedelta(days=days)) is None


def test_before_the_last_week_period_marks_are_refused_R_MRK_7() -> None:
    refusal = period_mark_window.window_refusal(ENDS, ENDS - dt.timedelta(days=7))
    assert refusal is not None
    assert (refusal.kind, refusal.code) == ("conflict", "period_mark_window_closed")


def test_after_2_days_past_the_end_only_the_deputy_corrects_R_MRK_6_R_MRK_7() -> None:
    refusal = period_mark_window.window_refusal(ENDS, ENDS + dt.timedelta(days=3))
    assert refusal is not None
    assert refusal.code == "period_mark_window_closed"
    assert "2026-12-21" in refusal.detail and "2026-12-29" in refusal.detail
