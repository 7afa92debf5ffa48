"""Attendance (R-LES-4) and the reasons of absences set by the class teacher (R-LES-5)."""

from __future__ import annotations

import datetime as dt

from services.journal.tests.factories import World, ok

DAY = dt.date(2026, 10, 1)


async def test_attendance_sets_the_listed_students_and_leaves_the_others_R_LES_4(
    world: World,
) -> None:
    lesson = await world.lesson(DAY)
    path = f"/journal/v1/lessons/{lesson}/attendance"
    first = ok(
        await world.client.put(
            path,
            json={
                "entries": [
                    {"student_id": world.students[0], "status": "absent"},
                    {"student_id": world.students[1], "status": "late"},
                ]
            },
            headers=world.h("teacher1"),
        )
    )
    assert [e["status"] for e in first["entries"]] == ["absent", "late"]
    second = ok(
        await world.client.put(
            path,
            json={"entries": [{"student_id": world.students[1], "status": "present"}]},
            headers=world.h("teacher1"),
        )
    )
    assert second["entries"][0]["status"] == "present"
    grid = await world.grid(subject_id=world.ids["math"])
    rows = {r["id"]: r for r in grid["students"]}
    assert rows[world.students[0]]["cells"][lesson]["attendance"]["status"] == "absent"
    assert rows[world.students[1]]["cells"][lesson]["attendance"]["status"] == "present"
    assert (
        await world.outbox_types(lesson)
        == ["journal.lesson.recorded"] + ["journal.attendance.marked"] * 3
    )
    bad = await world.client.put(
        path,
        json={"entries": [{"student_id": world.students[0], "status": "ill"}]},
        headers=world.h("teacher1"),
    )
    assert bad.status_code == 422
    world.on(DAY + dt.timedelta(days=8))
    late = await world.client.put(
        path,
        json={"entries": [{"student_id": world.students[2], "status": "absent"}]},
        headers=world.h("teacher1"),
    )
    assert late.status_code == 409 and late.json()["code"] == "entry_window_closed"


async def test_only_the_class_teacher_sets_reasons_of_absences_R_LES_5(world: World) -> None:
    lesson = await world.lesson(DAY)
    entries = ok(
        await world.client.put(
            f"/journal/v1/lessons/{lesson}/attendance",
            json={
                "entries": [
                    {"student_id": world.students[0], "status": "absent"},
                    {"student_id": world.students[1], "status": "present"},
                ]
            },
            headers=world.h("teacher1"),
        )
    )["entries"]
    absent, present = entries[0]["id"], entries[1]["id"]
    for who in ("teacher1", "deputy", "student1"):
        refused = await world.client.patch(
            f"/journal/v1/attendance/{absent}", json={"reason": "respected"}, headers=world.h(who)
        )
        assert refused.status_code == 403, who
    world.on(DAY + dt.timedelta(days=4))  # the week's reasons are corrected at its end
    set_ = ok(
        await world.client.patch(
            f"/journal/v1/attendance/{absent}",
            json={"reason": "respected"},
            headers=world.h("classteacher"),
        )
    )
    assert set_["reason"] == "respected"
    corrected = ok(
        await world.client.patch(
            f"/journal/v1/attendance/{absent}",
            json={"reason": "unrespected"},
            headers=world.h("classteacher"),
        )
    )
    assert corrected["reason"] == "unrespected"
    nothing = await world.client.patch(
        f"/journal/v1/attendance/{present}",
        json={"reason": "respected"},
        headers=world.h("classteacher"),
    )
    assert nothing.status_code == 409 and nothing.json()["code"] == "not_absent"
    wrong = await world.client.patch(
        f"/journal/v1/attendance/{absent}",
        json={"reason": "maybe"},
        headers=world.h("classteacher"),
    )
    assert wrong.status_code == 422
