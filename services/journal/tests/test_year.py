"""The school year: periods, classes, enrolments, movement, closing and promotion (R-YR-1/2)."""

from __future__ import annotations

import datetime as dt

from contracts.identity import PersonRegistered
from kit.db import new_id
from kit.testing.events import build, envelope
from kit.testing.services import eventually
from services.journal.tests.factories import World, ok


async def test_opening_the_year_publishes_its_events_R_YR_1(world: World) -> None:
    types = await world.outbox_types()
    assert types[:6] == ["journal.year.opened"] + ["journal.period.defined"] * 4 + [
        "journal.subject.defined"
    ]
    assert "journal.class.opened" in types
    assert types.count("journal.enrolment.changed") == 5
    periods = ok(
        await world.client.get(
            f"/journal/v1/years/{world.ids['year']}/periods", headers=world.h("teacher1")
        )
    )
    assert [p["number"] for p in periods["periods"]] == [1, 2, 3, 4]


async def test_period_outside_the_year_and_reversed_dates_are_refused_R_YR_1(world: World) -> None:
    path = f"/journal/v1/years/{world.ids['year']}/periods"
    outside = await world.client.post(
        path,
        json={"kind": "year", "number": 1, "starts_on": "2026-08-01", "ends_on": "2027-05-31"},
        headers=world.h("admin"),
    )
    assert outside.status_code == 422 and outside.json()["code"] == "date_outside_year"
    again = await world.client.post(
        path,
        json={"kind": "quarter", "number": 1, "starts_on": "2026-09-01", "ends_on": "2026-10-20"},
        headers=world.h("admin"),
    )
    assert again.status_code == 409 and again.json()["code"] == "period_exists"
    by_teacher = await world.client.post(
        path,
        json={"kind": "year", "number": 1, "starts_on": "2026-09-01", "ends_on": "2027-05-31"},
        headers=world.h("teacher1"),
    )
    assert by_teacher.status_code == 403


async def test_latin_look_alike_letters_in_class_names_are_normalised_R_YR_1(world: World) -> None:
    path = f"/journal/v1/years/{world.ids['year']}/classes"
    latin = await world.post("admin", path, {"name": "6A", "grade": 6})  # Latin A
    assert latin["name"] == "6А" and latin["name"] != "6A"  # Cyrillic А
    cyrillic = await world.client.post(
        path, json={"name": "6А", "grade": 6}, headers=world.h("admin")
    )
    assert cyrillic.status_code == 409 and cyrillic.json()["code"] == "class_exists"
    odd = await world.client.post(path, json={"name": "6D", "grade": 6}, headers=world.h("admin"))
    assert odd.status_code == 422 and odd.json()["code"] == "latin_letters_in_class_name"
    wrong = await world.client.post(path, json={"name": "7Б", "grade": 6}, headers=world.h("admin"))
    assert wrong.status_code == 422 and wrong.json()["code"] == "grade_mismatch"


async def test_a_person_the_journal_never_heard_of_is_refused_clearly(world: World) -> None:
    path = f"/journal/v1/years/{world.ids['year']}/classes"
    teacher = await world.client.post(
        path,
        json={"name": "7Б", "grade": 7, "class_teacher_id": new_id()},
        headers=world.h("admin"),
    )
    assert teacher.status_code == 422 and teacher.json()["code"] == "unknown_person"
    student = await world.client.post(
        f"/journal/v1/classes/{world.ids['class']}/students",
        json={"student_id": new_id()},
        headers=world.h("admin"),
    )
    assert student.status_code == 422 and student.json()["code"] == "unknown_person"
    parent = await world.client.post(
        f"/journal/v1/classes/{world.ids['class']}/students",
        json={"student_id": world.ids["parent1"]},
        headers=world.h("admin"),
    )
    assert parent.status_code == 422 and parent.json()["code"] == "wrong_person_kind"


async def test_people_arrive_from_identity_through_rabbitmq(world: World) -> None:
    registered = build(
        PersonRegistered,
        school_id=world.school_id,
        kind="student",
        last_name="Новиков",
        first_name="Пётр",
    )
    student = registered.person_id
    await world.runtime.bus.publish([envelope(registered, school_id=world.school_id)])

    async def enrolled() -> bool:
        response = await world.client.post(
            f"/journal/v1/classes/{world.ids['class']}/students",
            json={"student_id": student},
            headers=world.h("admin"),
        )
        return response.status_code == 201

    assert await eventually(enrolled)
    listed = ok(
        await world.client.get(
            f"/journal/v1/classes/{world.ids['class']}/students", headers=world.h("classteacher")
        )
    )
    assert "Новиков Пётр" in [s["name"] for s in listed["students"]]


async def test_a_new_class_teacher_is_announced(world: World) -> None:
    changed = ok(
        await world.client.patch(
            f"/journal/v1/classes/{world.ids['class']}",
            json={"class_teacher_id": world.ids["teacher2"]},
            headers=world.h("admin"),
        )
    )
    assert changed["class_teacher_id"] == world.ids["teacher2"]
    assert (await world.outbox_types(world.ids["class"]))[-1] == "journal.class.updated"


async def test_student_movement_is_recorded_with_dates_R_YR_2(world: World) -> None:
    other = await world.post(
        "admin", f"/journal/v1/years/{world.ids['year']}/classes", {"name": "5Б", "grade": 5}
    )
    moved = world.students[4]
    same = await world.client.post(
        f"/journal/v1/classes/{world.ids['class']}/students/{moved}/move",
        json={"to_class_id": world.ids["class"], "date": "2026-10-05"},
        headers=world.h("secretary"),
    )
    assert same.status_code == 422 and same.json()["code"] == "same_class"
    await world.post(
        "secretary",
        f"/journal/v1/classes/{world.ids['class']}/students/{moved}/move",
        {"to_class_id": other["id"], "date": "2026-10-05"},
    )
    before = ok(
        await world.client.get(
            f"/journal/v1/classes/{world.ids['class']}/students",
            params={"on": "2026-10-02"},
            headers=world.h("admin"),
        )
    )
    after = ok(
        await world.client.get(
            f"/journal/v1/classes/{world.ids['class']}/students",
            params={"on": "2026-10-05"},
            headers=world.h("admin"),
        )
    )
    assert moved in [s["student_id"] for s in before["students"]]
    assert moved not in [s["student_id"] for s in after["students"]]
    world.on(dt.date(2026, 10, 6))
    lesson = await world.lesson(dt.date(2026, 10, 6))
    refused = await world.client.post(
        f"/journal/v1/lessons/{lesson}/marks",
        json={"marks": [{"student_id": moved, "value": 5, "work_type": "answer"}]},
        headers=world.h("teacher1"),
    )
    assert refused.status_code == 422 and refused.json()["code"] == "student_not_in_class"
    left = ok(
        await world.client.request(
            "DELETE",
            f"/journal/v1/classes/{other['id']}/students/{moved}",
            json={"reason": "переезд в другой город", "date": "2026-10-10"},
            headers=world.h("admin"),
        )
    )
    assert left["until_on"] == "2026-10-10" and left["left_reason"].startswith("переезд")
    assert (await world.outbox_types(moved))[-3:] == ["journal.enrolment.changed"] * 3


async def test_closing_the_year_promotes_every_class_and_keeps_the_old_one_R_YR_2(
    world: World,
) -> None:
    lesson = await world.lesson(dt.date(2026, 10, 1))
    await world.marks(
        "teacher1", lesson, [{"student_id": world.students[0], "value": 5, "work_type": "answer"}]
    )
    graduates = await world.post(
        "admin", f"/journal/v1/years/{world.ids['year']}/classes", {"name": "11А", "grade": 11}
    )
    senior = await world.person("senior", "student", ["student"], "Выпускник")
    await world.post(
        "admin", f"/journal/v1/classes/{graduates['id']}/students", {"student_id": senior}
    )
    nxt = await world.post(
        "admin",
        f"/journal/v1/schools/{world.school_id}/years",
        {"name": "2027/2028", "starts_on": "2027-09-01", "ends_on": "2028-05-31"},
    )
    kept, leaving = world.students[1], world.students[2]
    by_teacher = await world.client.post(
        f"/journal/v1/years/{world.ids['year']}/close",
        json={"next_year_id": nxt["id"]},
        headers=world.h("teacher1"),
    )
    assert by_teacher.status_code == 403
    summary = ok(
        await world.client.post(
            f"/journal/v1/years/{world.ids['year']}/close",
            json={"next_year_id": nxt["id"], "kept_back": [kept], "leaving": [leaving]},
            headers=world.h("admin"),
        )
    )
    assert (summary["promoted"], summary["kept_back"], summary["left"]) == (3, 1, 2)
    classes = ok(
        await world.client.get(f"/journal/v1/years/{nxt['id']}/classes", headers=world.h("admin"))
    )["classes"]
    by_name = {c["name"]: c for c in classes}
    assert set(by_name) == {"6А", "5А"}
    assert by_name["6А"]["class_teacher_id"] == world.ids["classteacher"]
    sixth = ok(
        await world.client.get(
            f"/journal/v1/classes/{by_name['6А']['id']}/students",
            params={"on": "2027-09-01"},
            headers=world.h("admin"),
        )
    )
    assert {s["student_id"] for s in sixth["students"]} == {
        world.students[0],
        world.students[3],
        world.students[4],
    }
    fifth = ok(
        await world.client.get(
            f"/journal/v1/classes/{by_name['5А']['id']}/students",
            params={"on": "2027-09-01"},
            headers=world.h("admin"),
        )
    )
    assert [s["student_id"] for s in fifth["students"]] == [kept]
    old = ok(
        await world.client.get(
            f"/journal/v1/classes/{world.ids['class']}/students",
            params={"on": "2027-05-31"},
            headers=world.h("admin"),
        )
    )
    assert len(old["students"]) == 5
    grid = await world.grid(period_id=world.ids["q1"], subject_id=world.ids["math"])
    assert grid["students"][0]["cells"][lesson]["marks"][0]["value"] == 5
    closed = await world.client.post(
        "/journal/v1/lessons",
        json={
            "class_id": world.ids["class"],
            "subject_id": world.ids["math"],
            "teacher_id": world.ids["teacher1"],
            "date": "2027-05-20",
            "number": 1,
        },
        headers=world.h("admin"),
    )
    assert closed.status_code == 409 and closed.json()["code"] == "year_closed"
    types = await world.outbox_types()
    assert "journal.year.closed" in types
    assert types.count("journal.class.opened") >= 3


async def test_a_year_of_millennia_is_refused_before_anything_walks_it_R_YR_1(world: World) -> None:
    """Issue 16: a year of 0001–9999 was accepted and timetable generation walked it."""
    path = f"/journal/v1/schools/{world.school_id}/years"
    for body, code in (
        (
            {"name": "0001/0002", "starts_on": "0001-09-01", "ends_on": "0002-05-31"},
            "validation_error",  # refused at the edge: kit.params.PlatformDate
        ),
        (
            {"name": "2030/9999", "starts_on": "2030-09-01", "ends_on": "9999-12-31"},
            "validation_error",
        ),
        (
            {"name": "2030/2032", "starts_on": "2030-09-01", "ends_on": "2031-12-31"},
            "year_too_long",
        ),
    ):
        answer = await world.client.post(path, json=body, headers=world.h("admin"))
        assert answer.status_code == 422 and answer.json()["code"] == code, answer.text
