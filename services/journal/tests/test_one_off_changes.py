"""One-off changes of the timetable (R-YR-1): a lesson still ahead moves or is cancelled by the
scheduler; a lesson that took place, or has anything written on it, stays where it was."""

from __future__ import annotations

import datetime as dt

from contracts.identity import AccountCompromised
from kit.testing.events import build
from services.journal.tests.factories import World, ok

TODAY = dt.date(2026, 10, 1)  # the fixtures' clock
AHEAD = dt.date(2026, 10, 8)


async def test_the_scheduler_moves_a_lesson_ahead_to_a_free_slot_R_YR_1(world: World) -> None:
    lesson = await world.lesson(AHEAD)
    await world.lesson(AHEAD, subject="russian", number=2, teacher="teacher2")
    room = await world.post(
        "scheduler", f"/journal/v1/schools/{world.school_id}/rooms", {"name": "каб. 5"}
    )
    path = f"/journal/v1/lessons/{lesson}/move"

    taken = await world.client.post(
        path, json={"date": str(AHEAD), "number": 2}, headers=world.h("scheduler")
    )
    assert taken.status_code == 409 and taken.json()["code"] == "lesson_exists"
    by_teacher = await world.client.post(
        path, json={"date": "2026-10-09", "number": 3}, headers=world.h("teacher1")
    )
    assert by_teacher.status_code == 403
    past = await world.client.post(
        path, json={"date": "2026-09-30", "number": 3}, headers=world.h("scheduler")
    )
    assert past.status_code == 422 and past.json()["code"] == "date_in_the_past"

    moved = ok(
        await world.client.post(
            path,
            json={"date": "2026-10-09", "number": 3, "room_id": room["id"]},
            headers=world.h("scheduler"),
        )
    )
    assert (moved["date"], moved["number"]) == ("2026-10-09", 3)
    assert await world.outbox_types(lesson) == ["journal.lesson.recorded"] * 2
    again = await world.client.post(
        path, json={"date": "2026-10-09", "number": 3}, headers=world.h("scheduler")
    )
    assert again.status_code == 200  # its own slot is not taken by itself


async def test_a_lesson_that_took_place_or_has_records_stays_R_YR_1(world: World) -> None:
    today = await world.lesson(TODAY)
    await world.marks(
        "teacher1", today, [{"student_id": world.students[0], "value": 5, "work_type": "answer"}]
    )
    has_marks = await world.client.post(
        f"/journal/v1/lessons/{today}/cancel", json={"reason": "ошибка"}, headers=world.h("admin")
    )
    assert has_marks.status_code == 409 and has_marks.json()["code"] == "lesson_has_records"

    world.on(dt.date(2026, 10, 2))
    yesterday = await world.client.post(
        f"/journal/v1/lessons/{today}/move",
        json={"date": "2026-10-05", "number": 1},
        headers=world.h("scheduler"),
    )
    assert yesterday.status_code == 409 and yesterday.json()["code"] == "lesson_in_the_past"


async def test_a_cancelled_lesson_is_gone_its_history_stays_and_consumers_are_told_R_YR_1(
    world: World,
) -> None:
    lesson = await world.lesson(AHEAD)
    no_reason = await world.client.post(
        f"/journal/v1/lessons/{lesson}/cancel", json={}, headers=world.h("scheduler")
    )
    assert no_reason.status_code == 422
    cancelled = ok(
        await world.client.post(
            f"/journal/v1/lessons/{lesson}/cancel",
            json={"reason": "карантин"},
            headers=world.h("scheduler"),
        )
    )
    assert cancelled == {"id": lesson, "date": str(AHEAD), "number": 1, "reason": "карантин"}
    gone = await world.client.get(f"/journal/v1/lessons/{lesson}", headers=world.h("deputy"))
    assert gone.status_code == 404
    assert await world.outbox_types(lesson) == [
        "journal.lesson.recorded",
        "journal.lesson.cancelled",
    ]
    assert [x["id"] for x in (await world.grid(subject_id=world.ids["math"]))["lessons"]] == []
    chain = ok(
        await world.client.get(
            f"/journal/v1/schools/{world.school_id}/history/verify", headers=world.h("deputy")
        )
    )
    assert chain["ok"] is True


async def test_another_schools_lesson_is_not_found(world: World) -> None:
    lesson = await world.lesson(AHEAD)
    other = world.tokens.headers(roles=["scheduler"], school_id="another-school")
    for action, body in (
        ("move", {"date": "2026-10-09", "number": 2}),
        ("cancel", {"reason": "x"}),
    ):
        answer = await world.client.post(
            f"/journal/v1/lessons/{lesson}/{action}", json=body, headers=other
        )
        assert answer.status_code == 404, answer.text


async def test_a_lesson_cancelled_or_moved_with_compromised_credentials_is_put_back_R_SEC_4(
    world: World,
) -> None:
    cancelled = await world.lesson(AHEAD)
    moved = await world.lesson(AHEAD, subject="russian", number=2, teacher="teacher2")
    world.on(TODAY, hour=14)
    ok(
        await world.client.post(
            f"/journal/v1/lessons/{cancelled}/cancel",
            json={"reason": "взлом"},
            headers=world.h("scheduler"),
        )
    )
    ok(
        await world.client.post(
            f"/journal/v1/lessons/{moved}/move",
            json={"date": "2026-10-09", "number": 5},
            headers=world.h("scheduler"),
        )
    )
    await world.apply(
        build(
            AccountCompromised,
            account_id=world.accounts["scheduler"],
            person_id=world.ids["scheduler"],
            reported_at=dt.datetime(2026, 10, 1, 10, 0, tzinfo=dt.UTC),  # 13:00 Moscow
        )
    )
    back = ok(await world.client.get(f"/journal/v1/lessons/{cancelled}", headers=world.h("deputy")))
    assert (back["date"], back["number"], back["subject_id"]) == (str(AHEAD), 1, world.ids["math"])
    home = ok(await world.client.get(f"/journal/v1/lessons/{moved}", headers=world.h("deputy")))
    assert (home["date"], home["number"]) == (str(AHEAD), 2)
    assert (await world.outbox_types(cancelled))[-2:] == [
        "journal.lesson.recorded",
        "journal.change.invalidated",
    ]
