"""Who may do what (R-REC-3…5, R-MRK-6, R-YR-1, R-SEC-4), as a matrix: every endpoint below ×
every role × own school / another school (another school's objects answer 404)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from services.journal.tests.factories import World, ok

ROLES = [
    "admin",
    "director",
    "deputy",
    "scheduler",
    "secretary",
    "teacher1",
    "teacher2",
    "classteacher",
    "outsider",
    "student1",
    "parent1",
    "operator",
]
DAY = dt.date(2026, 10, 26)  # the last day of the first quarter
LETTERS = "АБВГДЕЖИКЛМН"

Call = Callable[[World, dict[str, str], str, dict[str, str]], Awaitable[Any]]


def call_grid(w: World, ids: dict[str, str], who: str, h: dict[str, str]) -> Awaitable[Any]:
    return w.client.get(
        f"/journal/v1/classes/{ids['class']}/journal", params={"subject_id": ids["math"]}, headers=h
    )


def call_marks(w: World, ids: dict[str, str], who: str, h: dict[str, str]) -> Awaitable[Any]:
    return w.client.post(
        f"/journal/v1/lessons/{ids['lesson']}/marks",
        headers=h,
        json={"marks": [{"student_id": ids["student"], "value": 5, "work_type": "answer"}]},
    )


def call_diary(w: World, ids: dict[str, str], who: str, h: dict[str, str]) -> Awaitable[Any]:
    return w.client.get(f"/journal/v1/students/{ids['student']}/diary", headers=h)


def call_reason(w: World, ids: dict[str, str], who: str, h: dict[str, str]) -> Awaitable[Any]:
    return w.client.patch(
        f"/journal/v1/attendance/{ids['attendance']}", json={"reason": "respected"}, headers=h
    )


def call_correct(w: World, ids: dict[str, str], who: str, h: dict[str, str]) -> Awaitable[Any]:
    note = {
        "teacher": "Учитель1 И.",
        "class_name": "5А",
        "date": "2026-10-27",
        "subject": "Математика",
        "changes": "3 → 4",
        "reasons": "ошибка",
    }
    return w.client.post(
        f"/journal/v1/period-marks/{ids['period_mark']}/corrections",
        json={"value": "4", "note": note},
        headers=h,
    )


def call_export(w: World, ids: dict[str, str], who: str, h: dict[str, str]) -> Awaitable[Any]:
    return w.client.get(
        f"/journal/v1/schools/{ids['school']}/export", params={"kind": "marks"}, headers=h
    )


def call_open_class(w: World, ids: dict[str, str], who: str, h: dict[str, str]) -> Awaitable[Any]:
    name = f"7{LETTERS[ROLES.index(who) if who in ROLES else 0]}"
    return w.client.post(
        f"/journal/v1/years/{ids['year']}/classes", json={"name": name, "grade": 7}, headers=h
    )


def call_lesson(w: World, ids: dict[str, str], who: str, h: dict[str, str]) -> Awaitable[Any]:
    number = ROLES.index(who) + 1 if who in ROLES else 12
    return w.client.post(
        "/journal/v1/lessons",
        headers=h,
        json={
            "class_id": ids["class"],
            "subject_id": ids["math"],
            "teacher_id": ids["teacher1"],
            "date": "2026-10-20",
            "number": number,
        },
    )


def call_substitute(w: World, ids: dict[str, str], who: str, h: dict[str, str]) -> Awaitable[Any]:
    return w.client.post(
        f"/journal/v1/lessons/{ids['lesson']}/substitution",
        json={"substitute_id": ids["teacher2"]},
        headers=h,
    )


def call_invalidated(w: World, ids: dict[str, str], who: str, h: dict[str, str]) -> Awaitable[Any]:
    return w.client.get(f"/journal/v1/schools/{ids['school']}/invalidated-changes", headers=h)


def call_group(w: World, ids: dict[str, str], who: str, h: dict[str, str]) -> Awaitable[Any]:
    return w.client.post(
        f"/journal/v1/classes/{ids['class']}/groups",
        headers=h,
        json={
            "subject_id": ids["russian"],
            "name": f"группа {who}",
            "student_ids": [ids["student"]],
        },
    )


LEADERS = {"admin", "director", "deputy", "operator"}
MATRIX: list[tuple[str, Call, int, set[str]]] = [
    ("read the class journal", call_grid, 200, LEADERS | {"teacher1", "classteacher"}),
    ("record marks", call_marks, 201, {"teacher1"}),
    (
        "read a diary",
        call_diary,
        200,
        LEADERS | {"teacher1", "teacher2", "classteacher", "student1", "parent1"},
    ),
    ("set an absence reason", call_reason, 200, {"classteacher"}),
    ("correct a period mark", call_correct, 201, {"deputy"}),
    ("export", call_export, 200, LEADERS),
    ("open a class", call_open_class, 201, {"admin", "operator"}),
    ("create a lesson", call_lesson, 201, {"admin", "scheduler", "operator", "teacher1"}),
    ("record a substitution", call_substitute, 200, {"admin", "scheduler", "deputy", "operator"}),
    ("list invalidated changes", call_invalidated, 200, LEADERS),
    ("set a subgroup", call_group, 201, {"admin", "deputy", "operator"}),
]


async def prepare(world: World) -> dict[str, str]:
    world.on(DAY)
    ids = dict(world.ids, school=world.school_id, student=world.students[0])
    ids["lesson"] = await world.lesson(DAY, number=8)
    ids["attendance"] = ok(
        await world.client.put(
            f"/journal/v1/lessons/{ids['lesson']}/attendance",
            json={"entries": [{"student_id": world.students[1], "status": "absent"}]},
            headers=world.h("teacher1"),
        )
    )["entries"][0]["id"]
    ids["period_mark"] = ok(
        await world.client.put(
            "/journal/v1/period-marks",
            json={
                "period_id": world.ids["q1"],
                "class_id": world.ids["class"],
                "subject_id": world.ids["math"],
                "marks": [{"student_id": world.students[0], "value": "3"}],
            },
            headers=world.h("teacher1"),
        )
    )["marks"][0]["id"]
    return ids


@pytest.mark.parametrize("name,call,success,allowed", MATRIX, ids=[m[0] for m in MATRIX])
async def test_permission_matrix_R_REC_3_R_REC_4_R_REC_5(
    journal: Any, tokens: Any, name: str, call: Call, success: int, allowed: set[str]
) -> None:
    world = await World.create(journal, tokens)
    ids = await prepare(world)
    for who in ROLES:
        response = await call(world, ids, who, world.h(who))
        expected = success if who in allowed else 403
        assert response.status_code == expected, (name, who, response.text)
        if expected == 403:
            assert response.headers["content-type"].startswith("application/problem+json")
    other = await World.create(journal, tokens)
    for who in ("admin", "deputy", "teacher1", "classteacher", "student1", "parent1"):
        response = await call(world, ids, who, other.h(who))
        assert response.status_code == 404, (name, "another school's", who, response.text)
    anonymous = await call(world, ids, "anonymous", {})
    assert anonymous.status_code == 401
