"""The journal's "today" is the school's, in the zone identity registered for it and changed
by `identity.school.updated` (the newer sequence wins). A school whose registration has not
reached the journal is refused with 409 `school_not_known`: its zone is never guessed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from contracts.identity import SchoolRegistered, SchoolUpdated
from kit.db import new_id
from kit.testing.events import build
from kit.testing.tokens import TestTokens
from services.journal.tests.factories import World, ok

DAY = dt.date(2026, 10, 1)
VLADIVOSTOK = "Asia/Vladivostok"  # UTC+10: 12:00 UTC is 22:00 there


def answer(student: str) -> dict[str, Any]:
    return {"student_id": student, "value": 5, "work_type": "answer"}


async def settings(world: World, **body: Any) -> Any:
    return await world.client.put(
        f"/journal/v1/schools/{world.school_id}/settings",
        json={"homework_limit_minutes": 120, "mark_cutoff": "16:00", **body},
        headers=world.h("admin"),
    )


def updated(world: World, timezone: str) -> SchoolUpdated:
    return build(SchoolUpdated, school_id=world.school_id, name="Школа", timezone=timezone)


async def test_a_marks_lateness_follows_the_schools_updated_zone_R_MRK_2(world: World) -> None:
    """12:00 UTC is 15:00 in Moscow (before the 16:00 cut-off) and 22:00 in Vladivostok
    (after it): once identity moves the school to Vladivostok, the same instant is late."""
    first, second = [await world.lesson(DAY, number=n) for n in (1, 2)]
    world.on(DAY, hour=15)
    in_moscow = await world.marks("teacher1", first, [answer(world.students[0])])

    await world.apply(updated(world, VLADIVOSTOK), sequence=2)
    in_vladivostok = await world.marks("teacher1", second, [answer(world.students[0])])

    assert in_moscow["marks"][0]["entered_late"] is False
    assert in_vladivostok["marks"][0]["entered_late"] is True
    assert ok(await settings(world))["timezone"] == VLADIVOSTOK


async def test_an_older_event_about_the_school_changes_nothing(world: World) -> None:
    await world.apply(updated(world, VLADIVOSTOK), sequence=5)
    await world.apply(updated(world, "Asia/Omsk"), sequence=3)  # late, and older
    await world.apply(
        build(SchoolRegistered, school_id=world.school_id, name="Школа", timezone="Europe/Moscow"),
        sequence=1,
    )

    assert ok(await settings(world))["timezone"] == VLADIVOSTOK
    await world.apply(updated(world, "Asia/Omsk"), sequence=6)
    assert ok(await settings(world))["timezone"] == "Asia/Omsk"


async def test_a_school_identity_has_not_registered_here_is_409_school_not_known(
    journal: Any, tokens: TestTokens
) -> None:
    """No zone is guessed (nor a school row invented by its settings): the request is refused
    with Retry-After, and succeeds once identity's registration arrives."""
    world = World(journal, tokens, school_id=new_id())
    await world.person("admin", "staff", ["school_admin"], "Админ")
    student = await world.person("student", "student", ["student"], "Ученик")

    refused = await settings(world)
    diary = await world.client.get(
        f"/journal/v1/students/{student}/diary", headers=world.h("student")
    )

    for answered in (refused, diary):
        assert answered.status_code == 409, answered.text
        assert answered.headers["content-type"].startswith("application/problem+json")
        assert int(answered.headers["retry-after"]) > 0
        assert answered.json()["code"] == "school_not_known"
        assert world.school_id in answered.json()["detail"]

    await world.apply(
        build(SchoolRegistered, school_id=world.school_id, name="Школа", timezone=VLADIVOSTOK)
    )
    assert ok(await settings(world))["timezone"] == VLADIVOSTOK
    assert (
        await world.client.get(f"/journal/v1/students/{student}/diary", headers=world.h("student"))
    ).status_code == 200
