"""R-MRK-2: a lesson's marks are entered the same school day, by the school's cut-off.

The school sets the cut-off (16:00 in the regulation); a lesson ending later than it has
until its own end. A mark entered after that, still inside the R-MRK-3 window, is accepted
and recorded `entered_late` for the deputy's monitoring (R-RPT-2). The journal decides this
once, when the mark is recorded; consumers take the flag as given.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def cut_off(
    lesson_date: dt.date, school_cut_off: dt.time, lesson_ends: dt.time, timezone: str
) -> dt.datetime:
    """The instant a lesson's marks are due: the later of the school's cut-off and the
    lesson's end, on the lesson's day, in the school's time zone."""
    return dt.datetime.combine(lesson_date, max(school_cut_off, lesson_ends), ZoneInfo(timezone))


def entered_late(
    now: dt.datetime,
    lesson_date: dt.date,
    school_cut_off: dt.time,
    lesson_ends: dt.time,
    timezone: str,
) -> bool:
    """R-MRK-2: True when a mark entered at `now` (aware) comes after the day's cut-off."""
    return now > cut_off(lesson_date, school_cut_off, lesson_ends, timezone)
