"""The school day's bells where a school has set none: when lesson N ends.

The same-day cut-off (R-MRK-2) and the homework limit (R-HW-1) count from a lesson's end.
"""

from __future__ import annotations

import datetime as dt

FIRST_BELL = dt.time(8, 30)
LESSON = dt.timedelta(minutes=45)
BREAK = dt.timedelta(minutes=10)


def default_bell_end(number: int) -> dt.time:
    """Without a bell schedule: 45-minute lessons from 8:30 with 10-minute breaks."""
    start = dt.datetime.combine(dt.date(2000, 1, 1), FIRST_BELL)
    return (start + (LESSON + BREAK) * (number - 1) + LESSON).time()


def lesson_end(number: int, scheduled_end: dt.time | None) -> dt.time:
    """The school's bell for lesson `number` if it set one, the default otherwise."""
    return scheduled_end if scheduled_end is not None else default_bell_end(number)
