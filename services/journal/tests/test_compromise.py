"""Compromised credentials (R-SEC-4): changes from the reported instant on are invalid,
reverted and listed for the deputy; earlier changes stand."""

from __future__ import annotations

import datetime as dt

from contracts.identity import AccountCompromised
from kit.testing.events import build
from services.journal.tests.factories import World, ok

DAY = dt.date(2026, 10, 1)


async def test_changes_after_the_reported_instant_are_invalidated_and_reverted_R_SEC_4(
    world: World,
) -> None:
    lesson = await world.lesson(DAY)
    world.on(DAY, hour=10)
    early = (
        await world.marks(
            "teacher1",
            lesson,
            [{"student_id": s, "value": 4, "work_type": "answer"} for s in world.students[:3]],
        )
    )["marks"]
    reported_at = dt.datetime(2026, 10, 1, 8, 0, tzinfo=dt.UTC)  # 11:00 Moscow
    world.on(DAY, hour=12)
    await world.client.patch(
        f"/journal/v1/marks/{early[0]['id']}",
        json={"value": 2, "reason": "x"},
        headers=world.h("teacher1"),
    )
    await world.client.request(
        "DELETE",
        f"/journal/v1/marks/{early[1]['id']}",
        json={"reason": "x"},
        headers=world.h("teacher1"),
    )
    planted = (
        await world.marks(
            "teacher1", lesson, [{"student_id": world.students[3], "value": 2, "work_type": "test"}]
        )
    )["marks"][0]
    await world.client.put(
        f"/journal/v1/lessons/{lesson}/attendance",
        json={"entries": [{"student_id": world.students[4], "status": "absent"}]},
        headers=world.h("teacher1"),
    )
    await world.client.patch(
        f"/journal/v1/lessons/{lesson}", json={"topic": "Взлом"}, headers=world.h("teacher1")
    )

    world.on(DAY, hour=13)
    await world.apply(
        build(
            AccountCompromised,
            account_id=world.accounts["teacher1"],
            person_id=world.ids["teacher1"],
            reported_at=reported_at,
        )
    )

    grid = await world.grid(subject_id=world.ids["math"])
    values = {
        r["id"]: [m["value"] for c in r["cells"].values() for m in c["marks"]]
        for r in grid["students"]
    }
    assert values[world.students[0]] == [4]  # the correction is reverted
    assert values[world.students[1]] == [4]  # the cancellation is reverted
    assert values[world.students[2]] == [4]  # untouched, made before the report
    assert values[world.students[3]] == []  # the planted mark is taken back
    attendance = [c["attendance"] for r in grid["students"] for c in r["cells"].values()]
    assert all(a is None for a in attendance)
    assert grid["lessons"][0]["topic"] is None

    listed = ok(
        await world.client.get(
            f"/journal/v1/schools/{world.school_id}/invalidated-changes", headers=world.h("deputy")
        )
    )
    assert len(listed["changes"]) == 5
    assert {c["entity"] for c in listed["changes"]} == {"mark", "attendance", "lesson"}
    assert all(c["account_id"] == world.accounts["teacher1"] for c in listed["changes"])
    types = await world.outbox_types()
    assert types.count("journal.change.invalidated") == 5
    assert await world.outbox_types(planted["id"]) == [
        "journal.mark.recorded",
        "journal.mark.cancelled",
        "journal.change.invalidated",
    ]
    chain = ok(
        await world.client.get(
            f"/journal/v1/schools/{world.school_id}/history/verify", headers=world.h("deputy")
        )
    )
    assert chain["ok"] is True
    history = ok(
        await world.client.get(
            f"/journal/v1/marks/{early[0]['id']}/history", headers=world.h("deputy")
        )
    )
    assert [(h["action"], h["invalid"]) for h in history["history"]] == [
        ("recorded", False),
        ("corrected", True),
        ("reverted", False),
    ]
    teacher = await world.client.get(
        f"/journal/v1/schools/{world.school_id}/invalidated-changes", headers=world.h("teacher1")
    )
    assert teacher.status_code == 403


async def test_a_compromise_reported_twice_changes_nothing_more_R_SEC_4(world: World) -> None:
    lesson = await world.lesson(DAY)
    await world.marks(
        "teacher1", lesson, [{"student_id": world.students[0], "value": 5, "work_type": "answer"}]
    )
    event = build(
        AccountCompromised,
        account_id=world.accounts["teacher1"],
        person_id=world.ids["teacher1"],
        reported_at=dt.datetime(2026, 10, 1, 0, 0, tzinfo=dt.UTC),
    )
    await world.apply(event)
    await world.apply(event)
    listed = ok(
        await world.client.get(
            f"/journal/v1/schools/{world.school_id}/invalidated-changes", headers=world.h("deputy")
        )
    )
    assert len(listed["changes"]) == 1
