"""Lessons: who creates them, topic and homework (R-LES-1, R-LES-3, R-HW-1), substitutions
(R-REC-7), subgroups (R-REC-6)."""

from __future__ import annotations

import datetime as dt

from services.journal.tests.factories import World, ok

DAY = dt.date(2026, 10, 1)


def lesson_body(
    world: World, subject: str = "math", teacher: str = "teacher1", **kw: object
) -> dict:
    return {
        "class_id": world.ids["class"],
        "subject_id": world.ids[subject],
        "teacher_id": world.ids[teacher],
        "date": str(DAY),
        "number": 3,
        **kw,
    }


async def test_only_the_assigned_teacher_creates_a_lesson_of_their_subject_R_REC_3(
    world: World,
) -> None:
    foreign = await world.client.post(
        "/journal/v1/lessons",
        json=lesson_body(world, teacher="teacher2"),
        headers=world.h("teacher2"),
    )
    assert foreign.status_code == 403 and foreign.json()["code"] == "not_your_class"
    unassigned = await world.client.post(
        "/journal/v1/lessons", json=lesson_body(world, teacher="teacher2"), headers=world.h("admin")
    )
    assert unassigned.status_code == 422 and unassigned.json()["code"] == "teacher_not_assigned"
    own = await world.post("teacher1", "/journal/v1/lessons", lesson_body(world))
    assert own["teacher_id"] == world.ids["teacher1"]
    twice = await world.client.post(
        "/journal/v1/lessons", json=lesson_body(world), headers=world.h("admin")
    )
    assert twice.status_code == 409 and twice.json()["code"] == "lesson_exists"
    outside = await world.client.post(
        "/journal/v1/lessons", json=lesson_body(world, date="2027-06-15"), headers=world.h("admin")
    )
    assert outside.status_code == 422 and outside.json()["code"] == "date_outside_year"


async def test_topic_and_homework_are_recorded_and_published_R_LES_1_R_LES_3(
    world: World,
) -> None:
    lesson = await world.lesson(DAY)
    patched = ok(
        await world.client.patch(
            f"/journal/v1/lessons/{lesson}",
            json={"topic": "Обыкновенные дроби", "homework": "§12, № 345, 347 (письменно)"},
            headers=world.h("teacher1"),
        )
    )
    assert patched["topic"] == "Обыкновенные дроби"
    assert patched["homework"].startswith("§12")
    by_other = await world.client.patch(
        f"/journal/v1/lessons/{lesson}", json={"topic": "x"}, headers=world.h("teacher2")
    )
    assert by_other.status_code == 403
    assert await world.outbox_types(lesson) == ["journal.lesson.recorded"] * 2
    world.on(DAY + dt.timedelta(days=8))
    late = await world.client.patch(
        f"/journal/v1/lessons/{lesson}", json={"topic": "y"}, headers=world.h("teacher1")
    )
    assert late.status_code == 409 and late.json()["code"] == "entry_window_closed"


async def test_homework_after_the_schools_limit_is_accepted_and_flagged_late_R_HW_1(
    world: World,
) -> None:
    ok(
        await world.client.put(
            f"/journal/v1/schools/{world.school_id}/bells",
            json={
                "bells": [
                    {"number": n, "starts_at": f"{8 + n:02}:00", "ends_at": f"{8 + n:02}:45"}
                    for n in range(1, 7)
                ]
            },
            headers=world.h("admin"),
        )
    )
    ok(
        await world.client.put(
            f"/journal/v1/schools/{world.school_id}/settings",
            json={"homework_limit_minutes": 90},
            headers=world.h("admin"),
        )
    )
    first = await world.lesson(DAY, number=1)
    await world.lesson(DAY, subject="russian", teacher="teacher2", number=4)  # ends 12:45
    world.at(dt.datetime(2026, 10, 1, 11, 10, tzinfo=dt.UTC))  # 14:10 Moscow: inside 1.5 h
    in_time = ok(
        await world.client.patch(
            f"/journal/v1/lessons/{first}", json={"homework": "№ 1"}, headers=world.h("teacher1")
        )
    )
    assert in_time["homework_late"] is False
    world.at(dt.datetime(2026, 10, 1, 11, 20, tzinfo=dt.UTC))  # 14:20: 1 h 35 min after 12:45
    late = ok(
        await world.client.patch(
            f"/journal/v1/lessons/{first}", json={"homework": "№ 1, 2"}, headers=world.h("teacher1")
        )
    )
    assert late["homework_late"] is True
    grid = await world.grid(subject_id=world.ids["math"])
    assert grid["lessons"][0]["homework_late"] is True


async def test_a_substitute_fills_the_journal_and_the_substitution_is_recorded_R_REC_7(
    world: World,
) -> None:
    lesson = await world.lesson(DAY)
    refused = await world.client.post(
        f"/journal/v1/lessons/{lesson}/marks",
        json={"marks": [{"student_id": world.students[0], "value": 4, "work_type": "answer"}]},
        headers=world.h("teacher2"),
    )
    assert refused.status_code == 403
    by_teacher = await world.client.post(
        f"/journal/v1/lessons/{lesson}/substitution",
        json={"substitute_id": world.ids["teacher2"]},
        headers=world.h("teacher2"),
    )
    assert by_teacher.status_code == 403
    sub = ok(
        await world.client.post(
            f"/journal/v1/lessons/{lesson}/substitution",
            json={"substitute_id": world.ids["teacher2"]},
            headers=world.h("deputy"),
        )
    )
    assert sub["substitute_id"] == world.ids["teacher2"]
    assert sub["teacher_id"] == world.ids["teacher1"]
    await world.marks(
        "teacher2", lesson, [{"student_id": world.students[0], "value": 4, "work_type": "answer"}]
    )
    outsider = await world.client.post(
        f"/journal/v1/lessons/{lesson}/marks",
        json={"marks": [{"student_id": world.students[1], "value": 4, "work_type": "answer"}]},
        headers=world.h("outsider"),
    )
    assert outsider.status_code == 403


async def test_subgroup_teacher_keeps_their_own_records_R_REC_6(world: World) -> None:
    group_id = await world.subgroup("russian", world.students[:2], "outsider")
    lesson = await world.post(
        "outsider",
        "/journal/v1/lessons",
        {
            "class_id": world.ids["class"],
            "subject_id": world.ids["russian"],
            "group_id": group_id,
            "teacher_id": world.ids["outsider"],
            "date": str(DAY),
            "number": 2,
        },
    )
    await world.marks(
        "outsider",
        lesson["id"],
        [{"student_id": world.students[0], "value": 5, "work_type": "dictation"}],
    )
    outside = await world.client.post(
        f"/journal/v1/lessons/{lesson['id']}/marks",
        json={"marks": [{"student_id": world.students[3], "value": 5, "work_type": "dictation"}]},
        headers=world.h("outsider"),
    )
    assert outside.status_code == 422 and outside.json()["code"] == "student_not_in_group"
    whole_class = await world.client.post(
        "/journal/v1/lessons",
        json={
            "class_id": world.ids["class"],
            "subject_id": world.ids["russian"],
            "teacher_id": world.ids["outsider"],
            "date": str(DAY),
            "number": 5,
        },
        headers=world.h("outsider"),
    )
    assert whole_class.status_code == 403
    grid = await world.grid("outsider", subject_id=world.ids["russian"])
    assert [x["group_id"] for x in grid["lessons"]] == [group_id]
    math = await world.client.get(
        f"/journal/v1/classes/{world.ids['class']}/journal",
        params={"subject_id": world.ids["math"]},
        headers=world.h("outsider"),
    )
    assert math.status_code == 403
    by_teacher = await world.client.post(
        f"/journal/v1/classes/{world.ids['class']}/groups",
        json={"subject_id": world.ids["russian"], "name": "2", "student_ids": []},
        headers=world.h("teacher2"),
    )
    assert by_teacher.status_code == 403


async def test_lesson_topics_follow_the_thematic_plan_and_progress_is_shown_R_LES_1(
    world: World,
) -> None:
    plan = ok(
        await world.client.put(
            f"/journal/v1/classes/{world.ids['class']}/plans/{world.ids['math']}",
            json={
                "items": [
                    {"topic": "Натуральные числа"},
                    {"topic": "Сложение и вычитание"},
                    {"topic": "Контрольная работа № 1", "kind": "control"},
                ]
            },
            headers=world.h("teacher1"),
        )
    )
    assert plan["planned"] == 3 and plan["given"] == 0
    first = await world.lesson(dt.date(2026, 9, 29))
    second = await world.lesson(dt.date(2026, 9, 30))
    lessons = [
        ok(await world.client.get(f"/journal/v1/lessons/{x}", headers=world.h("teacher1")))
        for x in (first, second)
    ]
    assert [x["topic"] for x in lessons] == ["Натуральные числа", "Сложение и вычитание"]
    progress = ok(
        await world.client.get(
            f"/journal/v1/classes/{world.ids['class']}/plans/{world.ids['math']}",
            headers=world.h("deputy"),
        )
    )
    assert (progress["given"], progress["progress_pct"]) == (2, 66.7)
    assert progress["items"][1]["lesson_id"] == second
    foreign = await world.client.put(
        f"/journal/v1/classes/{world.ids['class']}/plans/{world.ids['math']}",
        json={"items": []},
        headers=world.h("teacher2"),
    )
    assert foreign.status_code == 403
