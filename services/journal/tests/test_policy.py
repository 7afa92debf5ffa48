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


LEADERS = {"admin", "director", "deputy"}
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
    ("export", call_export, 200, LEADERS | {"operator"}),  # the reports rebuild's one read
    ("open a class", call_open_class, 201, {"admin"}),
    ("create a lesson", call_lesson, 201, {"admin", "scheduler", "teacher1"}),
    ("record a substitution", call_substitute, 200, {"admin", "scheduler", "deputy"}),
    ("list invalidated changes", call_invalidated, 200, LEADERS),
    ("set a subgroup", call_group, 201, {"admin", "deputy"}),
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
            if who == "operator":
                assert response.json()["code"] == "operator_reads_no_journal", name
    other = await World.create(journal, tokens)
    for who in ("admin", "deputy", "teacher1", "classteacher", "student1", "parent1"):
        response = await call(world, ids, who, other.h(who))
        assert response.status_code == 404, (name, "another school's", who, response.text)
    anonymous = await call(world, ids, "anonymous", {})
    assert anonymous.status_code == 401


async def test_the_operator_reads_no_people_or_journals_and_writes_no_journal(
    journal: Any, tokens: Any
) -> None:
    """README, Roles: the city operator "never reads people or journals"; the school's own
    admin sets up the year. Only the export (the reports rebuild) and the history chain's check
    (no records) stay open to the operator."""
    world = await World.create(journal, tokens)
    ids = await prepare(world)
    mark = (
        await world.marks(
            "teacher1",
            ids["lesson"],
            [{"student_id": ids["student"], "value": 5, "work_type": "answer"}],
        )
    )["marks"][0]["id"]
    school, year, cls = world.school_id, world.ids["year"], world.ids["class"]
    refused = [
        ("GET", f"/journal/v1/classes/{cls}/students", None),
        ("GET", f"/journal/v1/classes/{cls}/journal", None),
        ("GET", f"/journal/v1/students/{ids['student']}/diary", None),
        ("GET", f"/journal/v1/marks/{mark}/history", None),
        ("GET", f"/journal/v1/period-marks/{ids['period_mark']}/history", None),
        ("GET", f"/journal/v1/lessons/{ids['lesson']}", None),
        ("GET", f"/journal/v1/schools/{school}/invalidated-changes", None),
        ("GET", f"/journal/v1/schools/{school}/years", None),
        ("GET", f"/journal/v1/classes/{cls}/assignments", None),
        (
            "POST",
            f"/journal/v1/schools/{school}/years",
            {"name": "2027/2028", "starts_on": "2027-09-01", "ends_on": "2028-05-31"},
        ),
        ("POST", f"/journal/v1/years/{year}/classes", {"name": "9Б", "grade": 9}),
        ("POST", f"/journal/v1/schools/{school}/subjects", {"name": "Химия"}),
        ("POST", f"/journal/v1/years/{year}/close", {"next_year_id": year}),
        ("PUT", f"/journal/v1/schools/{school}/settings", {"homework_limit_minutes": 60}),
    ]
    for method, path, body in refused:
        response = await world.client.request(method, path, json=body, headers=world.h("operator"))
        assert response.status_code == 403, (method, path, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "operator_reads_no_journal", (method, path)
    export = await world.client.get(
        f"/journal/v1/schools/{school}/export",
        params={"kind": "marks"},
        headers=world.h("operator"),
    )
    assert export.status_code == 200, export.text
    chain = await world.client.get(
        f"/journal/v1/schools/{school}/history/verify", headers=world.h("operator")
    )
    assert chain.status_code == 200 and chain.json()["ok"] is True
    created = await world.client.post(
        f"/journal/v1/schools/{school}/years",
        json={"name": "2027/2028", "starts_on": "2027-09-01", "ends_on": "2028-05-31"},
        headers=world.h("admin"),
    )
    assert created.status_code == 201, created.text
