"""One school's journal never points into another's: every write that links objects (a teaching
assignment, a subgroup, a timetable entry, a lesson, a move, a year's closing, period marks, a
plan) finds every linked object in the target's school, or answers 404 as for any object of
another school — even for an asker whose queries carry no school. The city operator, whose
queries carry none, now writes no journal at all (403, `test_policy`); these writes are asked
here through the use cases by such an asker, so the check stands on its own."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kit.errors import NotFound
from kit.usecase import Actor, UseCase
from services.journal.service import classes, lessons, promotion, schedule
from services.journal.tests.factories import World, ok

UNSCOPED = Actor(
    "unscoped-account",
    None,
    None,  # no school: every query it makes is unlimited, as the operator's were
    frozenset({"school_admin", "director", "deputy", "scheduler"}),
)


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


async def _refused(world: World, code: str, call: Any, *args: Any, **kw: Any) -> None:
    async with world.runtime.db.unit_of_work() as session:
        ctx = UseCase(session, world.runtime.outbox, UNSCOPED, world.runtime.clock)
        with pytest.raises(NotFound) as refused:
            await call(ctx, *args, **kw)
    assert refused.value.code == code, (call.__name__, refused.value)


async def test_no_write_links_an_object_of_another_school(world: World) -> None:
    b = await _other_school(world)
    cls = world.ids["class"]
    teacher = world.ids["teacher1"]
    await _refused(world, "subject_not_found", classes.assign, cls, b.ids["math"], teacher, None)
    await _refused(
        world, "group_not_found", classes.assign, cls, world.ids["math"], teacher, b.ids["group"]
    )
    await _refused(world, "subject_not_found", classes.create_group, cls, b.ids["math"], "2", [])
    entry = {"weekday": 1, "number": 1, "teacher_id": teacher}
    await _refused(
        world,
        "subject_not_found",
        schedule.set_timetable,
        cls,
        [{**entry, "subject_id": b.ids["math"]}],
    )
    await _refused(
        world,
        "room_not_found",
        schedule.set_timetable,
        cls,
        [{**entry, "subject_id": world.ids["math"], "room_id": b.ids["room"]}],
    )
    lesson = {
        "class_id": cls,
        "group_id": None,
        "teacher_id": teacher,
        "date": dt.date(2026, 10, 1),
        "number": 1,
        "topic": None,
    }
    await _refused(
        world, "subject_not_found", lessons.create_lesson, **lesson, subject_id=b.ids["math"]
    )
    await _refused(
        world,
        "room_not_found",
        lessons.create_lesson,
        **lesson,
        subject_id=world.ids["math"],
        room_id=b.ids["room"],
    )
    await _refused(
        world,
        "class_not_found",
        classes.move,
        cls,
        world.students[0],
        b.ids["class"],
        dt.date(2026, 10, 1),
    )
    await _refused(
        world, "subject_not_found", schedule.import_plan, cls, b.ids["math"], [{"topic": "Чужая"}]
    )
    next_year = await b.post(
        "admin",
        f"/journal/v1/schools/{b.school_id}/years",
        {"name": "2027/2028", "starts_on": "2027-09-01", "ends_on": "2028-05-31"},
    )
    await _refused(
        world,
        "year_not_found",
        promotion.close_year,
        world.ids["year"],
        next_year["id"],
        [],
        [],
        11,
    )
    assignments = ok(
        await world.client.get(f"/journal/v1/classes/{cls}/assignments", headers=world.h("admin"))
    )
    assert {a["subject_id"] for a in assignments["assignments"]} <= {
        world.ids["math"],
        world.ids["russian"],
    }
