"""Period marks: the window (R-MRK-7), the values (R-MRK-1), deputy-only corrections with the
explanatory note (R-MRK-6), the suggested mark."""

from __future__ import annotations

import datetime as dt

from services.journal.tests.factories import World, ok

Q1_END = dt.date(2026, 10, 26)


def body(world: World, marks: list[tuple[str, str]], subject: str = "math") -> dict:
    return {
        "period_id": world.ids["q1"],
        "class_id": world.ids["class"],
        "subject_id": world.ids[subject],
        "marks": [{"student_id": s, "value": v} for s, v in marks],
    }


async def test_period_marks_only_in_the_last_week_until_2_days_after_R_MRK_7(
    world: World,
) -> None:
    marks = [(world.students[0], "5")]
    for day, status in (
        (Q1_END - dt.timedelta(days=7), 409),
        (Q1_END + dt.timedelta(days=3), 409),
        (Q1_END - dt.timedelta(days=6), 200),
        (Q1_END + dt.timedelta(days=2), 200),
    ):
        world.on(day)
        response = await world.client.put(
            "/journal/v1/period-marks", json=body(world, marks), headers=world.h("teacher1")
        )
        assert response.status_code == status, (day, response.text)
        if status == 409:
            assert response.json()["code"] == "period_mark_window_closed"


async def test_period_mark_values_include_osv_and_na_R_MRK_1(world: World) -> None:
    world.on(Q1_END)
    set_ = ok(
        await world.client.put(
            "/journal/v1/period-marks",
            json=body(
                world,
                [(world.students[0], "5"), (world.students[1], "osv"), (world.students[2], "na")],
            ),
            headers=world.h("teacher1"),
        )
    )
    assert [m["value"] for m in set_["marks"]] == ["5", "osv", "na"]
    for bad in ("6", "5+", "н/а", 4):
        response = await world.client.put(
            "/journal/v1/period-marks",
            json=body(world, [(world.students[3], bad)]),
            headers=world.h("teacher1"),
        )  # type: ignore[list-item]
        assert response.status_code == 422, bad
    reset = ok(
        await world.client.put(
            "/journal/v1/period-marks",
            json=body(world, [(world.students[0], "4")]),
            headers=world.h("teacher1"),
        )
    )
    assert reset["marks"][0]["id"] == set_["marks"][0]["id"]
    other = await world.client.put(
        "/journal/v1/period-marks",
        json=body(world, [(world.students[0], "4")], "russian"),
        headers=world.h("teacher1"),
    )
    assert other.status_code == 403
    grid = await world.grid(period_id=world.ids["q1"])
    row = next(r for r in grid["students"] if r["id"] == world.students[0])
    assert row["period_marks"][world.ids["math"]]["value"] == "4"


async def test_only_the_deputy_corrects_a_period_mark_with_the_note_R_MRK_6(world: World) -> None:
    world.on(Q1_END)
    mark = ok(
        await world.client.put(
            "/journal/v1/period-marks",
            json=body(world, [(world.students[0], "3")]),
            headers=world.h("teacher1"),
        )
    )["marks"][0]
    world.on(Q1_END + dt.timedelta(days=10))
    late = await world.client.put(
        "/journal/v1/period-marks",
        json=body(world, [(world.students[0], "4")]),
        headers=world.h("teacher1"),
    )
    assert late.status_code == 409 and late.json()["code"] == "period_mark_window_closed"
    note = {
        "teacher": "Иванова А. П.",
        "class_name": "5А",
        "date": "2026-11-05",
        "subject": "Математика",
        "changes": "Ученик1: 3 → 4",
        "reasons": "не учтена контрольная работа от 20.10",
    }
    path = f"/journal/v1/period-marks/{mark['id']}/corrections"
    for who in ("teacher1", "director", "admin", "classteacher"):
        refused = await world.client.post(
            path, json={"value": "4", "note": note}, headers=world.h(who)
        )
        assert refused.status_code == 403, who
    no_note = await world.client.post(path, json={"value": "4"}, headers=world.h("deputy"))
    assert no_note.status_code == 422
    half_note = await world.client.post(
        path, json={"value": "4", "note": {"teacher": "И"}}, headers=world.h("deputy")
    )
    assert half_note.status_code == 422
    done = await world.post("deputy", path, {"value": "4", "note": note})
    assert done["value"] == "4"
    history = ok(
        await world.client.get(
            f"/journal/v1/period-marks/{mark['id']}/history", headers=world.h("classteacher")
        )
    )
    assert [(h["action"], h["old_value"], h["new_value"]) for h in history["history"]] == [
        ("set", None, "3"),
        ("corrected", "3", "4"),
    ]
    assert history["history"][1]["note"] == note
    assert history["history"][1]["by"] == world.ids["deputy"]
    assert await world.outbox_types(mark["id"]) == [
        "journal.period_mark.set",
        "journal.period_mark.corrected",
    ]


async def test_the_suggested_period_mark_is_the_weighted_average_never_set_R_MRK_7(
    world: World,
) -> None:
    lesson = await world.lesson(dt.date(2026, 10, 1))
    await world.marks(
        "teacher1",
        lesson,
        [
            {"student_id": world.students[0], "value": 5, "work_type": "answer"},
            {"student_id": world.students[0], "value": 3, "work_type": "control"},
            {"student_id": world.students[1], "value": 4, "work_type": "answer"},
            {"student_id": world.students[1], "value": 5, "work_type": "homework"},
        ],
    )
    suggestions = ok(
        await world.client.get(
            "/journal/v1/period-marks/suggestions",
            params={
                "period_id": world.ids["q1"],
                "class_id": world.ids["class"],
                "subject_id": world.ids["math"],
            },
            headers=world.h("teacher1"),
        )
    )["suggestions"]
    by_student = {s["student_id"]: s for s in suggestions}
    assert by_student[world.students[0]]["weighted_average"] == 3.5  # (5·1 + 3·3) / 4
    assert by_student[world.students[0]]["suggested"] == "4"
    assert by_student[world.students[1]]["suggested"] == "5"  # 4.5 rounds up
    assert by_student[world.students[2]]["suggested"] is None
    grid = await world.grid(period_id=world.ids["q1"])
    assert all(r["period_marks"] == {} for r in grid["students"])


async def test_subgroup_teacher_cannot_set_period_mark_for_other_subgroup_R_REC_6(
    world: World,
) -> None:
    await world.subgroup("russian", world.students[:2], "outsider")
    world.on(Q1_END)
    response = await world.client.put(
        "/journal/v1/period-marks",
        json=body(world, [(world.students[0], "5"), (world.students[3], "4")], "russian"),
        headers=world.h("outsider"),
    )
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "student_not_in_group"
    assert response.json()["student_ids"] == [world.students[3]]
    suggested = ok(
        await world.client.get(
            "/journal/v1/period-marks/suggestions",
            params={
                "period_id": world.ids["q1"],
                "class_id": world.ids["class"],
                "subject_id": world.ids["russian"],
            },
            headers=world.h("outsider"),
        )
    )
    assert {s["student_id"] for s in suggested["suggestions"]} == set(world.students[:2])


async def test_subgroup_teacher_sets_own_subgroup_and_class_teacher_of_subject_sets_all_R_REC_6(
    world: World,
) -> None:
    await world.subgroup("russian", world.students[:2], "outsider")
    world.on(Q1_END)
    own = ok(
        await world.client.put(
            "/journal/v1/period-marks",
            json=body(world, [(world.students[0], "5"), (world.students[1], "4")], "russian"),
            headers=world.h("outsider"),
        )
    )
    assert [m["student_id"] for m in own["marks"]] == world.students[:2]
    whole = ok(
        await world.client.put(
            "/journal/v1/period-marks",
            json=body(world, [(world.students[0], "4"), (world.students[3], "3")], "russian"),
            headers=world.h("teacher2"),
        )
    )
    assert [m["value"] for m in whole["marks"]] == ["4", "3"]
