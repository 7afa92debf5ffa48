"""Marks: values, work types, the entry window, corrections, cancellations, duplicates."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import func, select

from kit.testing.services import eventually
from services.journal.models import Mark, outbox
from services.journal.tests.factories import World, ok

DAY = dt.date(2026, 10, 1)


def answer(student: str, value: int = 5, work_type: str = "answer", **extra: object) -> dict:
    return {"student_id": student, "value": value, "work_type": work_type, **extra}


async def count_marks(world: World) -> int:
    async with world.runtime.db.read_only() as session:
        query = select(func.count()).select_from(Mark).where(Mark.school_id == world.school_id)
        return int((await session.execute(query)).scalar_one())


async def test_marks_of_a_lesson_are_recorded_in_one_request_with_weights_R_MRK_1_R_LES_2(
    world: World,
) -> None:
    lesson = await world.lesson(DAY)
    body = await world.marks(
        "teacher1",
        lesson,
        [
            answer(world.students[0], 5),
            answer(world.students[1], 2, "control"),
            answer(world.students[1], 4, "homework", weight=1.5, comment="аккуратно"),
        ],
    )
    assert [(m["value"], m["weight"]) for m in body["marks"]] == [(5, 1), (2, 3), (4, 1.5)]
    assert body["marks"][2]["comment"] == "аккуратно"
    types = await world.outbox_types()
    assert types.count("journal.mark.recorded") == 3


async def test_mark_event_names_the_quarter_of_the_lesson_R_MRK_1(world: World) -> None:
    lesson = await world.lesson(DAY)
    mark = (await world.marks("teacher1", lesson, [answer(world.students[0])]))["marks"][0]
    async with world.runtime.db.read_only() as session:
        row = (
            await session.execute(
                select(outbox.c.envelope).where(outbox.c.aggregate_id == mark["id"])
            )
        ).scalar_one()
    data = json.loads(row)["data"]
    assert data["period_id"] == world.ids["q1"]
    assert data["class_id"] == world.ids["class"] and data["date"] == "2026-10-01"


async def test_marks_reach_the_broker_through_the_outbox(world: World) -> None:
    lesson = await world.lesson(DAY)
    await world.marks("teacher1", lesson, [answer(world.students[0])])

    async def all_sent() -> bool:
        async with world.runtime.db.read_only() as session:
            unsent = await session.execute(
                select(func.count()).where(
                    outbox.c.school_id == world.school_id, outbox.c.sent_at.is_(None)
                )
            )
            return unsent.scalar_one() == 0

    assert await eventually(all_sent)


async def test_mark_refused_after_7_days_R_MRK_3(world: World) -> None:
    lesson = await world.lesson(DAY)
    world.on(DAY + dt.timedelta(days=8))
    late = await world.client.post(
        f"/journal/v1/lessons/{lesson}/marks",
        json={"marks": [answer(world.students[0])]},
        headers=world.h("teacher1"),
    )
    assert late.status_code == 409
    assert late.json()["code"] == "entry_window_closed"
    assert late.headers["content-type"].startswith("application/problem+json")
    world.on(DAY + dt.timedelta(days=7), hour=23)
    await world.marks("teacher1", lesson, [answer(world.students[0])])


async def test_marks_after_the_schools_cut_off_are_accepted_and_flagged_late_R_MRK_2(
    world: World,
) -> None:
    first, second, third = [await world.lesson(DAY, number=n) for n in (1, 2, 3)]
    world.on(DAY, hour=15)
    on_time = await world.marks("teacher1", first, [answer(world.students[0])])
    world.on(DAY, hour=17)  # after 16:00, the default cut-off
    after_cutoff = await world.marks("teacher1", second, [answer(world.students[0])])
    assert [m["entered_late"] for m in on_time["marks"] + after_cutoff["marks"]] == [False, True]

    ok(
        await world.client.put(
            f"/journal/v1/schools/{world.school_id}/settings",
            json={"homework_limit_minutes": 120, "mark_cutoff": "18:00"},
            headers=world.h("admin"),
        )
    )
    within = await world.marks("teacher1", third, [answer(world.students[1])])
    assert within["marks"][0]["entered_late"] is False
    world.on(DAY + dt.timedelta(days=1), hour=9)  # the next day, inside the R-MRK-3 window
    next_day = await world.marks("teacher1", third, [answer(world.students[2])])
    assert next_day["marks"][0]["entered_late"] is True

    async with world.runtime.db.read_only() as session:
        rows = await session.execute(
            select(outbox.c.envelope).where(
                outbox.c.school_id == world.school_id,
                outbox.c.event_type.like("journal.mark.recorded%"),
            )
        )
        flags = [json.loads(r[0])["data"]["entered_late"] for r in rows]
    assert sorted(flags) == [False, False, True, True]


async def test_mark_for_a_future_lesson_refused_R_MRK_3(world: World) -> None:
    lesson = await world.lesson(DAY + dt.timedelta(days=1))
    response = await world.client.post(
        f"/journal/v1/lessons/{lesson}/marks",
        json={"marks": [answer(world.students[0])]},
        headers=world.h("teacher1"),
    )
    assert response.status_code == 409
    assert response.json()["code"] == "lesson_in_future"


async def test_values_outside_1_to_5_are_refused_R_MRK_1(world: World) -> None:
    lesson = await world.lesson(DAY)
    for value in (6, 0, "5+", None):
        response = await world.client.post(
            f"/journal/v1/lessons/{lesson}/marks",
            json={"marks": [answer(world.students[0], value)]},  # type: ignore[arg-type]
            headers=world.h("teacher1"),
        )
        assert response.status_code == 422, value
        assert response.json()["code"] == "validation_error"
    assert await count_marks(world) == 0


async def test_unknown_work_type_refused_and_school_types_accepted_R_LES_2(world: World) -> None:
    lesson = await world.lesson(DAY)
    response = await world.client.post(
        f"/journal/v1/lessons/{lesson}/marks",
        json={"marks": [answer(world.students[0], 4, "olympiad")]},
        headers=world.h("teacher1"),
    )
    assert response.status_code == 422 and response.json()["code"] == "unknown_work_type"
    await world.post(
        "admin",
        f"/journal/v1/schools/{world.school_id}/work-types",
        {"code": "olympiad", "name": "Олимпиада", "weight": 2.5},
    )
    mark = await world.marks("teacher1", lesson, [answer(world.students[0], 4, "olympiad")])
    assert mark["marks"][0]["weight"] == 2.5


async def test_student_not_in_the_class_leaves_nothing_half_written(world: World) -> None:
    lesson = await world.lesson(DAY)
    response = await world.client.post(
        f"/journal/v1/lessons/{lesson}/marks",
        json={"marks": [answer(world.students[0]), answer(world.ids["parent1"])]},
        headers=world.h("teacher1"),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "student_not_in_class"
    assert await count_marks(world) == 0
    assert "journal.mark.recorded" not in await world.outbox_types()


async def test_several_marks_per_lesson_only_for_different_work_types_R_LES_2(world: World) -> None:
    lesson = await world.lesson(DAY)
    await world.marks(
        "teacher1",
        lesson,
        [answer(world.students[0], 5, "answer"), answer(world.students[0], 4, "test")],
    )
    again = await world.client.post(
        f"/journal/v1/lessons/{lesson}/marks",
        json={"marks": [answer(world.students[0], 3, "answer")]},
        headers=world.h("teacher1"),
    )
    assert again.status_code == 409 and again.json()["code"] == "duplicate_mark"
    twice = await world.client.post(
        f"/journal/v1/lessons/{lesson}/marks",
        json={"marks": [answer(world.students[1]), answer(world.students[1], 3)]},
        headers=world.h("teacher1"),
    )
    assert twice.status_code == 422 and twice.json()["code"] == "duplicate_in_request"


async def test_idempotency_key_makes_a_retried_post_safe(world: World) -> None:
    lesson = await world.lesson(DAY)
    body = {"marks": [answer(world.students[0])]}
    headers = {**world.h("teacher1"), "Idempotency-Key": "lesson-1-try"}
    first = await world.client.post(
        f"/journal/v1/lessons/{lesson}/marks", json=body, headers=headers
    )
    retry = await world.client.post(
        f"/journal/v1/lessons/{lesson}/marks", json=body, headers=headers
    )
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers.get("Idempotent-Replayed") == "true"
    assert await count_marks(world) == 1
    other = await world.client.post(
        f"/journal/v1/lessons/{lesson}/marks",
        json={"marks": [answer(world.students[1])]},
        headers=headers,
    )
    assert other.status_code == 409 and other.json()["code"] == "idempotency_key_reused"


async def test_lesson_teacher_corrects_a_mark_and_the_old_value_stays_R_MRK_5(
    world: World,
) -> None:
    lesson = await world.lesson(DAY)
    mark = (await world.marks("teacher1", lesson, [answer(world.students[0], 3)]))["marks"][0]
    other = await world.client.patch(
        f"/journal/v1/marks/{mark['id']}",
        json={"value": 5, "reason": "x"},
        headers=world.h("teacher2"),
    )
    assert other.status_code == 403
    world.on(DAY + dt.timedelta(days=2))
    fixed = ok(
        await world.client.patch(
            f"/journal/v1/marks/{mark['id']}",
            json={"value": 4, "reason": "ошибка при вводе"},
            headers=world.h("teacher1"),
        )
    )
    assert fixed["value"] == 4
    history = ok(
        await world.client.get(f"/journal/v1/marks/{mark['id']}/history", headers=world.h("deputy"))
    )
    assert history["value"] == 4 and history["status"] == "active"
    assert [(h["action"], h["old_value"], h["new_value"]) for h in history["history"]] == [
        ("recorded", None, 3),
        ("corrected", 3, 4),
    ]
    assert history["history"][1]["reason"] == "ошибка при вводе"
    assert history["history"][1]["by"] == world.ids["teacher1"]
    assert (await world.outbox_types(mark["id"])) == [
        "journal.mark.recorded",
        "journal.mark.corrected",
    ]


async def test_correction_after_the_window_is_refused_R_MRK_4(world: World) -> None:
    lesson = await world.lesson(DAY)
    mark = (await world.marks("teacher1", lesson, [answer(world.students[0], 3)]))["marks"][0]
    world.on(DAY + dt.timedelta(days=9))
    response = await world.client.patch(
        f"/journal/v1/marks/{mark['id']}",
        json={"value": 5, "reason": "пересдал"},
        headers=world.h("teacher1"),
    )
    assert response.status_code == 409 and response.json()["code"] == "entry_window_closed"
    cancel = await world.client.request(
        "DELETE",
        f"/journal/v1/marks/{mark['id']}",
        json={"reason": "x"},
        headers=world.h("teacher1"),
    )
    assert cancel.status_code == 409


async def test_cancelled_mark_leaves_the_grid_and_keeps_its_history_R_MRK_5(world: World) -> None:
    lesson = await world.lesson(DAY)
    mark = (await world.marks("teacher1", lesson, [answer(world.students[0], 2)]))["marks"][0]
    cancelled = ok(
        await world.client.request(
            "DELETE",
            f"/journal/v1/marks/{mark['id']}",
            json={"reason": "не тот ученик"},
            headers=world.h("teacher1"),
        )
    )
    assert cancelled["status"] == "cancelled"
    grid = await world.grid(subject_id=world.ids["math"])
    assert grid["students"][0]["cells"] == {}
    again = await world.client.patch(
        f"/journal/v1/marks/{mark['id']}",
        json={"value": 4, "reason": "x"},
        headers=world.h("teacher1"),
    )
    assert again.status_code == 409 and again.json()["code"] == "mark_cancelled"
    history = ok(
        await world.client.get(
            f"/journal/v1/marks/{mark['id']}/history", headers=world.h("teacher1")
        )
    )
    assert [h["action"] for h in history["history"]] == ["recorded", "cancelled"]


async def test_mark_from_another_institution_names_its_document_R_MRK_8(world: World) -> None:
    lesson = await world.lesson(DAY)
    bare = await world.client.post(
        f"/journal/v1/lessons/{lesson}/marks",
        json={"marks": [answer(world.students[0], 4, "external")]},
        headers=world.h("teacher1"),
    )
    assert bare.status_code == 422 and bare.json()["code"] == "document_required"
    body = await world.marks(
        "teacher1",
        lesson,
        [
            answer(
                world.students[0],
                4,
                "external",
                document="Справка ГБУЗ больничной школы № 12 от 28.09.2026",
            )
        ],
    )
    assert body["marks"][0]["document"].startswith("Справка")


async def test_unknown_lesson_and_another_teachers_lesson(world: World) -> None:
    missing = await world.client.post(
        "/journal/v1/lessons/nope/marks",
        json={"marks": [answer(world.students[0])]},
        headers=world.h("teacher1"),
    )
    assert missing.status_code == 404 and missing.json()["code"] == "lesson_not_found"
    lesson = await world.lesson(DAY)
    foreign = await world.client.post(
        f"/journal/v1/lessons/{lesson}/marks",
        json={"marks": [answer(world.students[0])]},
        headers=world.h("teacher2"),
    )
    assert foreign.status_code == 403 and foreign.json()["code"] == "not_your_lesson"
