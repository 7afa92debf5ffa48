"""A teacher's day ("my day"): the lessons they give on a date across their classes, their own
and those they substitute (R-REC-7), each with what its record still lacks (R-LES-1 topic,
R-LES-3 homework, R-LES-4 attendance, R-MRK-2 marks)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.journal.tests.factories import World, ok

DAY = dt.date(2026, 10, 1)  # the fixtures' today in Moscow
YESTERDAY = DAY - dt.timedelta(days=1)


async def _second_class(world: World) -> list[str]:
    """5Б with two students of its own, math taught there by teacher1; its students."""
    five_b = await world.post(
        "admin", f"/journal/v1/years/{world.ids['year']}/classes", {"name": "5Б", "grade": 5}
    )
    world.ids["class_b"] = five_b["id"]
    students = [await world.person(f"b{n}", "student", ["student"], f"Бэ{n}") for n in (1, 2)]
    for student in students:
        await world.post(
            "admin", f"/journal/v1/classes/{five_b['id']}/students", {"student_id": student}
        )
    await world.post(
        "admin",
        f"/journal/v1/classes/{five_b['id']}/assignments",
        {"subject_id": world.ids["math"], "teacher_id": world.ids["teacher1"]},
    )
    return students


async def _patch(world: World, who: str, lesson: str, **body: str) -> None:
    ok(await world.client.patch(f"/journal/v1/lessons/{lesson}", json=body, headers=world.h(who)))


async def _attendance(world: World, who: str, lesson: str, students: list[str]) -> None:
    entries = [{"student_id": s, "status": "present"} for s in students]
    ok(
        await world.client.put(
            f"/journal/v1/lessons/{lesson}/attendance",
            json={"entries": entries},
            headers=world.h(who),
        )
    )


async def _substitute(world: World, lesson: str, substitute: str) -> None:
    ok(
        await world.client.post(
            f"/journal/v1/lessons/{lesson}/substitution",
            json={"substitute_id": world.ids[substitute]},
            headers=world.h("deputy"),
        )
    )


async def _day(world: World, who: str, path: str = "me", **params: Any) -> Any:
    return await world.client.get(
        f"/journal/v1/teachers/{path}/day", params=params, headers=world.h(who)
    )


def _by_lesson(day: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {x["lesson_id"]: x for x in day["lessons"]}


async def test_my_day_lists_my_lessons_and_substitutions_with_what_is_missing_R_LES_1_R_LES_4(
    world: World,
) -> None:
    s = world.students
    class_b = await _second_class(world)
    ok(
        await world.client.request(
            "DELETE",
            f"/journal/v1/classes/{world.ids['class']}/students/{s[3]}",
            json={"reason": "переезд", "date": str(DAY)},
            headers=world.h("admin"),
        )
    )
    present = [s[0], s[1], s[2], s[4]]  # 5А on the day: s[3] leaves that day (end excluded)
    complete = await world.lesson(DAY, "math", 1)
    await _patch(world, "teacher1", complete, topic="Дроби", homework="№ 5")
    await _attendance(world, "teacher1", complete, present)
    await world.marks(
        "teacher1", complete, [{"student_id": s[0], "value": 5, "work_type": "answer"}]
    )
    empty = await world.post(
        "admin",
        "/journal/v1/lessons",
        {
            "class_id": world.ids["class_b"],
            "subject_id": world.ids["math"],
            "teacher_id": world.ids["teacher1"],
            "date": str(DAY),
            "number": 2,
        },
    )
    replacing = await world.lesson(DAY, "russian", 3, teacher="teacher2")
    await _substitute(world, replacing, "teacher1")
    await _patch(world, "teacher1", replacing, topic="Причастие")
    await _attendance(world, "teacher1", replacing, [s[0]])
    handed_over = await world.lesson(DAY, "math", 4)
    await _substitute(world, handed_over, "outsider")
    group = await world.subgroup("russian", s[:2], "outsider")
    group_lesson = await world.lesson(DAY, "russian", 5, teacher="outsider", group_id=group)
    earlier = await world.lesson(YESTERDAY, "math", 1)

    day = ok(await _day(world, "teacher1"))
    assert (day["teacher_id"], day["date"]) == (world.ids["teacher1"], str(DAY))
    assert [x["lesson_id"] for x in day["lessons"]] == [complete, empty["id"], replacing]
    lessons = _by_lesson(day)
    assert lessons[complete]["missing"] == []
    assert (
        lessons[complete]["students"],
        lessons[complete]["without_attendance"],
        lessons[complete]["without_marks"],
    ) == (4, 0, 3)
    assert lessons[empty["id"]]["missing"] == ["topic", "homework", "attendance", "marks"]
    assert lessons[empty["id"]]["class_name"] == "5Б"
    assert (lessons[empty["id"]]["students"], lessons[empty["id"]]["without_marks"]) == (
        len(class_b),
        len(class_b),
    )
    assert lessons[replacing]["missing"] == ["homework", "marks"]
    assert lessons[replacing]["substitute_id"] == world.ids["teacher1"]
    assert lessons[replacing]["teacher_id"] == world.ids["teacher2"]
    assert lessons[replacing]["without_attendance"] == 3
    assert lessons[replacing]["subject"] == "Русский язык"

    theirs = _by_lesson(ok(await _day(world, "outsider")))
    assert list(theirs) == [handed_over, group_lesson]
    assert theirs[group_lesson]["students"] == 2  # R-REC-6: the subgroup's students only
    assert [x["lesson_id"] for x in ok(await _day(world, "teacher2"))["lessons"]] == []

    before = ok(await _day(world, "teacher1", date=str(YESTERDAY)))
    assert [(x["lesson_id"], x["students"]) for x in before["lessons"]] == [(earlier, 5)]


async def test_leaders_read_a_teachers_day_others_are_refused(world: World) -> None:
    lesson = await world.lesson(DAY)
    teacher = world.ids["teacher1"]
    for who in ("deputy", "director", "admin", "teacher1"):
        day = ok(await _day(world, who, teacher))
        assert [x["lesson_id"] for x in day["lessons"]] == [lesson], who
    for who in ("teacher2", "classteacher", "secretary", "scheduler", "student1", "parent1"):
        refused = await _day(world, who, teacher)
        assert refused.status_code == 403, who
        assert refused.json()["code"] == "not_your_day"
        assert refused.headers["content-type"].startswith("application/problem+json")
    for who in ("deputy", "director", "secretary", "student1", "parent1"):
        refused = await _day(world, who)
        assert refused.status_code == 403, who
        assert refused.json()["code"] == "forbidden"
    unknown = await _day(world, "deputy", world.students[0])
    assert (unknown.status_code, unknown.json()["code"]) == (404, "teacher_not_found")


async def test_the_city_operator_reads_no_teachers_day(world: World) -> None:
    for path in ("me", world.ids["teacher1"]):
        refused = await _day(world, "operator", path)
        assert refused.status_code == 403
        assert refused.json()["code"] == "operator_reads_no_journal"


async def test_another_schools_teacher_and_lessons_are_out_of_reach(
    world: World, journal: Any, tokens: Any
) -> None:
    await world.lesson(DAY)
    other = await World.create(journal, tokens)
    await other.lesson(DAY)
    foreign = await _day(other, "deputy", world.ids["teacher1"])
    assert (foreign.status_code, foreign.json()["code"]) == (404, "teacher_not_found")
    mine = ok(await _day(other, "teacher1"))
    assert len(mine["lessons"]) == 1
    assert mine["lessons"][0]["class_id"] == other.ids["class"]
