"""One school's journal never points into another's: every write that links objects (a teaching
assignment, a subgroup, a timetable entry, a lesson, a move, a year's closing, period marks, a
plan) finds every linked object in the target's school, or answers 404 as for any object of
another school — even for an asker whose queries carry no school (the city operator)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.journal.tests.factories import World, ok


async def _other_school(world: World) -> World:
    other = await World.create(world.client, world.tokens)
    room = await other.post(
        "admin", f"/journal/v1/schools/{other.school_id}/rooms", {"name": "Кабинет 1"}
    )
    other.ids["room"] = room["id"]
    group = await other.post(
        "deputy",
        f"/journal/v1/classes/{other.ids['class']}/groups",
        {"subject_id": other.ids["math"], "name": "1", "student_ids": other.students[:2]},
    )
    other.ids["group"] = group["id"]
    return other


async def _refused(world: World, method: str, path: str, body: Any, code: str) -> None:
    response = await world.client.request(method, path, json=body, headers=world.h("operator"))
    assert response.status_code == 404, (path, response.text)
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code, (path, response.text)


async def test_no_write_links_an_object_of_another_school(world: World) -> None:
    b = await _other_school(world)
    cls = world.ids["class"]
    await _refused(
        world,
        "POST",
        f"/journal/v1/classes/{cls}/assignments",
        {"subject_id": b.ids["math"], "teacher_id": world.ids["teacher1"]},
        "subject_not_found",
    )
    await _refused(
        world,
        "POST",
        f"/journal/v1/classes/{cls}/assignments",
        {
            "subject_id": world.ids["math"],
            "teacher_id": world.ids["teacher1"],
            "group_id": b.ids["group"],
        },
        "group_not_found",
    )
    await _refused(
        world,
        "POST",
        f"/journal/v1/classes/{cls}/groups",
        {"subject_id": b.ids["math"], "name": "2", "student_ids": []},
        "subject_not_found",
    )
    entry = {"weekday": 1, "number": 1, "teacher_id": world.ids["teacher1"]}
    await _refused(
        world,
        "PUT",
        f"/journal/v1/classes/{cls}/timetable",
        {"entries": [{**entry, "subject_id": b.ids["math"]}]},
        "subject_not_found",
    )
    await _refused(
        world,
        "PUT",
        f"/journal/v1/classes/{cls}/timetable",
        {"entries": [{**entry, "subject_id": world.ids["math"], "room_id": b.ids["room"]}]},
        "room_not_found",
    )
    lesson = {
        "class_id": cls,
        "teacher_id": world.ids["teacher1"],
        "date": str(dt.date(2026, 10, 1)),
        "number": 1,
    }
    await _refused(
        world,
        "POST",
        "/journal/v1/lessons",
        {**lesson, "subject_id": b.ids["math"]},
        "subject_not_found",
    )
    await _refused(
        world,
        "POST",
        "/journal/v1/lessons",
        {**lesson, "subject_id": world.ids["math"], "room_id": b.ids["room"]},
        "room_not_found",
    )
    await _refused(
        world,
        "POST",
        f"/journal/v1/classes/{cls}/students/{world.students[0]}/move",
        {"to_class_id": b.ids["class"], "date": "2026-10-01"},
        "class_not_found",
    )
    await _refused(
        world,
        "PUT",
        f"/journal/v1/classes/{cls}/plans/{b.ids['math']}",
        {"items": [{"topic": "Чужая тема"}]},
        "subject_not_found",
    )
    next_year = await b.post(
        "admin",
        f"/journal/v1/schools/{b.school_id}/years",
        {"name": "2027/2028", "starts_on": "2027-09-01", "ends_on": "2028-05-31"},
    )
    await _refused(
        world,
        "POST",
        f"/journal/v1/years/{world.ids['year']}/close",
        {"next_year_id": next_year["id"], "graduating_grade": 11},
        "year_not_found",
    )
    assignments = ok(
        await world.client.get(f"/journal/v1/classes/{cls}/assignments", headers=world.h("admin"))
    )
    assert {a["subject_id"] for a in assignments["assignments"]} <= {
        world.ids["math"],
        world.ids["russian"],
    }
