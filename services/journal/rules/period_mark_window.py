"""R-MRK-7 (with R-MRK-6): when the subject teacher sets and resets period marks.

From the period's last week (6 days before its end) until 2 days after it; outside that only
the deputy corrects a period mark, on the teacher's explanatory note (R-MRK-6), at any time.
"""

from __future__ import annotations

import datetime as dt

from kit.errors import Conflict

OPENS_BEFORE_END = dt.timedelta(days=6)
CLOSES_AFTER_END = dt.timedelta(days=2)


def window(period_ends_on: dt.date) -> tuple[dt.date, dt.date]:
    """(first day, last day) the teacher may set the period's marks, both included."""
    return period_ends_on - OPENS_BEFORE_END, period_ends_on + CLOSES_AFTER_END


def is_open(period_ends_on: dt.date, today: dt.date) -> bool:
    opens, closes = window(period_ends_on)
    return opens <= today <= closes


def check_open(period_ends_on: dt.date, today: dt.date) -> None:
    """R-MRK-7: 409 `period_mark_window_closed` outside the window."""
    if is_open(period_ends_on, today):
        return
    opens, closes = window(period_ends_on)
    raise Conflict(
        f"period marks are set from {opens.isoformat()} to {closes.isoformat()}; "
        "afterwards only the deputy corrects them (R-MRK-6, R-MRK-7)",
        code="period_mark_window_closed",
    )
