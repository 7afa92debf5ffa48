"""R-MRK-7: the subject teacher sets period marks from the period's last week until 2 days
after its end; outside that only the deputy corrects them (R-MRK-6)."""

from __future__ import annotations

import datetime as dt

import pytest

from kit.errors import Conflict
from services.journal.rules import period_mark_window

ENDS = dt.date(2026, 12, 27)


def test_the_window_runs_from_6_days_before_the_end_to_2_days_after_R_MRK_7() -> None:
    assert period_mark_window.window(ENDS) == (dt.date(2026, 12, 21), dt.date(2026, 12, 29))
    for days in range(-6, 3):
        period_mark_window.check_open(ENDS, ENDS + dt.timedelta(days=days))


def test_before_the_last_week_period_marks_are_refused_R_MRK_7() -> None:
    with pytest.raises(Conflict) as refused:
        period_mark_window.check_open(ENDS, ENDS - dt.timedelta(days=7))
    assert refused.value.code == "period_mark_window_closed"


def test_after_2_days_past_the_end_only_the_deputy_corrects_R_MRK_6_R_MRK_7() -> None:
    with pytest.raises(Conflict) as refused:
        period_mark_window.check_open(ENDS, ENDS + dt.timedelta(days=3))
    assert refused.value.code == "period_mark_window_closed"
    assert "2026-12-21" in refused.value.detail and "2026-12-29" in refused.value.detail
