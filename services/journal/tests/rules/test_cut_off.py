"""R-MRK-2: a lesson's marks are due the same school day, by the school's cut-off (or the
lesson's end when it ends later), in the school's time zone; later ones are entered_late."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from services.journal.rules import cut_off

DAY = dt.date(2026, 11, 23)
MOSCOW = "Europe/Moscow"
FOUR_PM = dt.time(16, 0)


def at(hour: int, minute: int = 0, zone: str = MOSCOW, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), ZoneInfo(zone))


def test_a_mark_by_the_schools_cut_off_is_on_time_R_MRK_2() -> None:
    assert not cut_off.entered_late(at(16, 0), DAY, FOUR_PM, dt.time(9, 15), MOSCOW)


def test_a_mark_after_the_cut_off_is_entered_late_R_MRK_2() -> None:
    assert cut_off.entered_late(at(16, 1), DAY, FOUR_PM, dt.time(9, 15), MOSCOW)
    assert cut_off.entered_late(
        at(9, 0, day=DAY + dt.timedelta(days=1)), DAY, FOUR_PM, dt.time(9, 15), MOSCOW
    )


def test_a_lesson_ending_after_the_cut_off_has_until_its_end_R_MRK_2() -> None:
    ends = dt.time(17, 20)
    assert cut_off.cut_off(DAY, FOUR_PM, ends, MOSCOW) == at(17, 20)
    assert not cut_off.entered_late(at(17, 20), DAY, FOUR_PM, ends, MOSCOW)
    assert cut_off.entered_late(at(17, 21), DAY, FOUR_PM, ends, MOSCOW)


def test_the_cut_off_is_the_schools_own_time_zone_R_MRK_2() -> None:
    # 15:30 in Novosibirsk is 11:30 in Moscow: before a Moscow school's cut-off, after a
    # Novosibirsk school's 15:00 one.
    now = at(15, 30, zone="Asia/Novosibirsk")
    assert not cut_off.entered_late(now, DAY, FOUR_PM, dt.time(9, 15), MOSCOW)
    assert cut_off.entered_late(now, DAY, dt.time(15, 0), dt.time(9, 15), "Asia/Novosibirsk")


def test_the_same_instant_in_utc_is_judged_alike_R_MRK_2() -> None:
    late = at(16, 30)
    assert cut_off.entered_late(late.astimezone(dt.UTC), DAY, FOUR_PM, dt.time(9, 15), MOSCOW)
