"""The embedded demo looks like a real school: nothing written on lessons still ahead, and the
journal records exactly the lateness the seed makes on purpose (R-MRK-2, R-HW-1), which the
deputy's monitoring then shows as the journal recorded it (R-RPT-2)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from ej.demo import BELLS, TIMEZONE, Api
from kit.clock import Clock
from tests.e2e.flow import eventually

PASSWORD = "demo-password"


async def _export(api: Api, token: str, school_id: str, kind: str) -> list[dict[str, Any]]:
    """Every item of one kind of the journal's export, page after page."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params = {"kind": kind, "limit": 5000, **({"cursor": cursor} if cursor else {})}
        page = await api.call(
            "GET", f"/journal/v1/schools/{school_id}/export", token, params=params
        )
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


async def _journal(base_url: str, school_id: str) -> dict[str, list[dict[str, Any]]]:
    """The demo school's lessons, current marks, attendance, periods and years, as the journal
    exports them to the deputy."""
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        api = Api(client)
        deputy = (await api.token("deputy", PASSWORD))["access_token"]
        found = {
            kind: await _export(api, deputy, school_id, kind)
            for kind in ("lessons", "marks", "attendance", "periods", "years")
        }
    cancelled = {i["data"]["mark_id"] for i in found["marks"] if i["type"].endswith("cancelled")}
    return {
        kind: [
            i["data"]
            for i in items
            if not i["type"].endswith("cancelled")
            and not (kind == "marks" and i["data"]["mark_id"] in cancelled)
        ]
        for kind, items in found.items()
    }


def _starts(lesson: dict[str, Any]) -> dt.datetime:
    begins = dt.time.fromisoformat(BELLS[lesson["number"] - 1][0])
    return dt.datetime.combine(dt.date.fromisoformat(lesson["date"]), begins, ZoneInfo(TIMEZONE))


def _a_week_into_the_year(journal: dict[str, list[dict[str, Any]]]) -> bool:
    """The seed's chosen late entries fall in its first week of lessons: on the year's first
    days their late moment is still ahead, and the seed enters them on time instead."""
    starts = dt.date.fromisoformat(journal["years"][0]["starts_on"])
    return Clock().today(TIMEZONE) >= starts + dt.timedelta(days=7)


async def test_demo_lessons_still_ahead_have_no_marks_or_attendance(
    embedded_platform: str, embedded_demo: dict[str, Any]
) -> None:
    journal = await _journal(embedded_platform, embedded_demo["school_id"])
    now = Clock().now()
    ahead = {lesson["lesson_id"] for lesson in journal["lessons"] if _starts(lesson) > now}
    assert ahead, "the demo's timetable reaches two weeks ahead"
    assert [m for m in journal["marks"] if m["lesson_id"] in ahead] == []
    assert [a for a in journal["attendance"] if a["lesson_id"] in ahead] == []
    assert [
        lesson["lesson_id"]
        for lesson in journal["lessons"]
        if lesson["lesson_id"] in ahead and lesson["homework"]
    ] == []
    over_by_a_day = {
        lesson["lesson_id"]
        for lesson in journal["lessons"]
        if _starts(lesson) < now - dt.timedelta(days=1)
    }
    assert over_by_a_day <= {a["lesson_id"] for a in journal["attendance"]}, (
        "every lesson over has its attendance"
    )


async def test_demo_late_marks_are_exactly_those_the_seed_chose_R_MRK_2(
    embedded_platform: str, embedded_demo: dict[str, Any]
) -> None:
    journal = await _journal(embedded_platform, embedded_demo["school_id"])
    chosen = set(embedded_demo["late_marks"])
    late = {m["lesson_id"] for m in journal["marks"] if m["entered_late"]}
    assert late == chosen
    assert all(m["entered_late"] for m in journal["marks"] if m["lesson_id"] in chosen)
    if _a_week_into_the_year(journal):
        assert len(chosen) >= 2, "the seed makes a few marks late on purpose"


async def test_demo_late_homework_is_exactly_that_the_seed_chose_R_HW_1(
    embedded_platform: str, embedded_demo: dict[str, Any]
) -> None:
    journal = await _journal(embedded_platform, embedded_demo["school_id"])
    late = {lesson["lesson_id"] for lesson in journal["lessons"] if lesson["homework_late"]}
    assert late == set(embedded_demo["late_homework"])
    if _a_week_into_the_year(journal):
        assert late, "the seed sets some homework late on purpose"


async def test_demo_monitoring_shows_the_late_marks_the_journal_recorded_R_RPT_2(
    embedded_platform: str, embedded_demo: dict[str, Any]
) -> None:
    """Per teacher, the deputy's monitoring counts as late exactly the marks the journal
    flagged `entered_late` (one owner per fact: reports stores it, never decides it again)."""
    school_id = embedded_demo["school_id"]
    journal = await _journal(embedded_platform, school_id)
    period = next(p for p in journal["periods"] if p["kind"] == "year")
    in_period = [
        m for m in journal["marks"] if period["starts_on"] <= m["date"] <= period["ends_on"]
    ]
    marks = Counter(m["teacher_id"] for m in in_period)
    late = Counter(m["teacher_id"] for m in in_period if m["entered_late"])
    assert marks, "the demo has marks in its year"

    async with httpx.AsyncClient(base_url=embedded_platform, timeout=60) as client:
        api = Api(client)
        deputy = (await api.token("deputy", PASSWORD))["access_token"]

        async def caught_up() -> dict[str, Any] | None:
            monitoring = await api.call(
                "GET",
                f"/reports/v1/schools/{school_id}/monitoring",
                deputy,
                params={"period_id": period["period_id"]},
            )
            counted = {t["teacher_id"]: t["marks"] for t in monitoring["teachers"] if t["marks"]}
            return monitoring if counted == dict(marks) else None

        monitoring = await eventually(caught_up, seconds=60)
    shown = {t["teacher_id"]: t["marks_late"] for t in monitoring["teachers"] if t["marks"]}
    assert shown == {teacher: late[teacher] for teacher in marks}
