"""The default bells the cut-off (R-MRK-2) and the homework limit (R-HW-1) count from."""

from __future__ import annotations

import datetime as dt

from services.journal.rules import bells


def test_default_lessons_are_45_minutes_from_8_30_with_10_minute_breaks_R_MRK_2() -> None:
    assert bells.default_bell_end(1) == dt.time(9, 15)
    assert bells.default_bell_end(2) == dt.time(10, 10)
    assert bells.default_bell_end(7) == dt.time(14, 45)


def test_a_schools_own_bell_wins_over_the_default_R_MRK_2() -> None:
    assert bells.lesson_end(1, dt.time(9, 0)) == dt.time(9, 0)
    assert bells.lesson_end(1, None) == dt.time(9, 15)
