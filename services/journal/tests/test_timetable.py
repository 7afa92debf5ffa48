"""The timetable and lesson generation across a holiday (R-YR-1)."""

from __future__ import annotations

from services.journal.tests.factories import World, ok


async def test_lessons_are_generated_from_the_timetable_skipping_holidays_R_YR_1(
    world: World,
) -> None:
    class_id = world.ids["class"]
    ok(
        await world.client.put(
            f"/journal/v1/schools/{world.school_id}/bells",
            json={
                "bells": [
                    {"number": 1, "starts_at": "08:30", "ends_at": "09:15"},
                    {"number": 2, "starts_at": "09:25", "ends_at": "10:10"},
                ]
            },
            headers=world.h("scheduler"),
        )
    )
    room = await world.post(
        "scheduler", f"/journal/v1/schools/{world.school_id}/rooms", {"name": "каб. 21"}
    )
    twice = await world.client.post(
        f"/journal/v1/schools/{world.school_id}/rooms",
        json={"name": "каб. 21"},
        headers=world.h("scheduler"),
    )
    assert twice.status_code == 409 and twice.json()["code"] == "room_exists"
    ok(
        await world.client.put(
            f"/journal/v1/classes/{class_id}/timetable",
            json={
                "entries": [
                    {
                        "weekday": 1,
                        "number": 1,
                        "subject_id": world.ids["math"],
                        "teacher_id": world.ids["teacher1"],
                        "room_id": room["id"],
                    },
                    {
                        "weekday": 3,
                        "number": 2,
                        "subject_id": world.ids["russian"],
                        "teacher_id": world.ids["teacher2"],
                    },
                ]
            },
            headers=world.h("scheduler"),
        )
    )
    unassigned = await world.client.put(
        f"/journal/v1/classes/{class_id}/timetable",
        json={
            "entries": [
                {
                    "weekday": 2,
                    "number": 1,
                    "subject_id": world.ids["math"],
                    "teacher_id": world.ids["teacher2"],
                }
            ]
        },
        headers=world.h("scheduler"),
    )
    assert unassigned.status_code == 422 and unassigned.json()["code"] == "teacher_not_assigned"
    await world.post(
        "scheduler",
        f"/journal/v1/years/{world.ids['year']}/holidays",
        {"name": "Осенние каникулы", "starts_on": "2026-10-27", "ends_on": "2026-11-04"},
    )
    await world.client.put(
        f"/journal/v1/classes/{class_id}/plans/{world.ids['math']}",
        json={"items": [{"topic": "Тема 1"}, {"topic": "Тема 2"}, {"topic": "Тема 3"}]},
        headers=world.h("admin"),
    )
    span = {"from": "2026-10-19", "to": "2026-11-08"}
    made = await world.post("scheduler", f"/journal/v1/classes/{class_id}/timetable/generate", span)
    assert made["created"] == 3
    assert made["skipped_holidays"] == ["2026-10-28", "2026-11-02", "2026-11-04"]
    grid = await world.grid(period_id=world.ids["q1"])
    assert [(x["date"], x["number"], x["topic"]) for x in grid["lessons"]] == [
        ("2026-10-19", 1, "Тема 1"),
        ("2026-10-21", 2, None),
        ("2026-10-26", 1, "Тема 2"),
    ]
    again = await world.post(
        "scheduler", f"/journal/v1/classes/{class_id}/timetable/generate", span
    )
    assert again["created"] == 0
    by_teacher = await world.client.post(
        f"/journal/v1/classes/{class_id}/timetable/generate", json=span, headers=world.h("teacher1")
    )
    assert by_teacher.status_code == 403
    assert (await world.outbox_types()).count("journal.lesson.recorded") == 3
