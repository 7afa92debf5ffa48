"""The diary (R-REC-1), the grid, and the export the reports service rebuilds from."""

from __future__ import annotations

import datetime as dt

from services.journal.tests.factories import World, ok

DAY = dt.date(2026, 10, 1)


async def test_what_the_teacher_enters_appears_in_the_diary_at_once_R_REC_1(world: World) -> None:
    lesson = await world.lesson(DAY)
    await world.client.patch(
        f"/journal/v1/lessons/{lesson}",
        json={"topic": "Дроби", "homework": "№ 5"},
        headers=world.h("teacher1"),
    )
    mark = (
        await world.marks(
            "teacher1",
            lesson,
            [{"student_id": world.students[0], "value": 5, "work_type": "answer"}],
        )
    )["marks"][0]
    await world.client.put(
        f"/journal/v1/lessons/{lesson}/attendance",
        json={"entries": [{"student_id": world.students[0], "status": "late"}]},
        headers=world.h("teacher1"),
    )
    diary = ok(
        await world.client.get(
            f"/journal/v1/students/{world.students[0]}/diary", headers=world.h("parent1")
        )
    )
    assert diary["from"] == "2026-09-28" and diary["to"] == "2026-10-04"
    [day] = diary["days"]
    [entry] = day["lessons"]
    assert (entry["subject"], entry["topic"], entry["homework"]) == ("Математика", "Дроби", "№ 5")
    assert entry["marks"][0]["id"] == mark["id"] and entry["marks"][0]["value"] == 5
    assert entry["attendance"]["status"] == "late"
    await world.client.patch(
        f"/journal/v1/marks/{mark['id']}",
        json={"value": 4, "reason": "x"},
        headers=world.h("teacher1"),
    )
    again = ok(
        await world.client.get(
            f"/journal/v1/students/{world.students[0]}/diary",
            params={"from": "2026-10-01", "to": "2026-10-01"},
            headers=world.h("student1"),
        )
    )
    assert again["days"][0]["lessons"][0]["marks"][0]["value"] == 4
    other_child = await world.client.get(
        f"/journal/v1/students/{world.students[1]}/diary", headers=world.h("parent1")
    )
    assert other_child.status_code == 403
    too_long = await world.client.get(
        f"/journal/v1/students/{world.students[0]}/diary",
        params={"from": "2026-09-01", "to": "2027-05-01"},
        headers=world.h("student1"),
    )
    assert too_long.status_code == 422


async def test_the_grid_has_lessons_as_columns_and_students_as_rows(world: World) -> None:
    first = await world.lesson(dt.date(2026, 9, 30))
    second = await world.lesson(DAY)
    await world.lesson(DAY, subject="russian", teacher="teacher2", number=2)
    await world.marks(
        "teacher1", second, [{"student_id": world.students[2], "value": 3, "work_type": "test"}]
    )
    grid = await world.grid("teacher1", subject_id=world.ids["math"], period_id=world.ids["q1"])
    assert [x["id"] for x in grid["lessons"]] == [first, second]
    assert len(grid["students"]) == 5
    assert grid["students"][0]["name"].startswith("Ученик")
    row = next(r for r in grid["students"] if r["id"] == world.students[2])
    assert row["cells"][second]["marks"][0]["weight"] == 2
    everything = await world.grid("classteacher", period_id=world.ids["q1"])
    assert len(everything["lessons"]) == 3


async def test_export_gives_the_current_state_as_events_with_a_stable_cursor(world: World) -> None:
    lesson = await world.lesson(DAY)
    marks = (
        await world.marks(
            "teacher1",
            lesson,
            [{"student_id": s, "value": 3, "work_type": "answer"} for s in world.students[:3]],
        )
    )["marks"]
    await world.client.patch(
        f"/journal/v1/marks/{marks[0]['id']}",
        json={"value": 5, "reason": "пересчёт"},
        headers=world.h("teacher1"),
    )
    await world.client.request(
        "DELETE",
        f"/journal/v1/marks/{marks[1]['id']}",
        json={"reason": "ошибка"},
        headers=world.h("teacher1"),
    )
    path = f"/journal/v1/schools/{world.school_id}/export"
    items, cursor, pages = [], None, 0
    while True:
        params = {"kind": "marks", "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = ok(await world.client.get(path, params=params, headers=world.h("deputy")))
        items += page["items"]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 2
    assert [i["type"] for i in items] == [
        "journal.mark.recorded",
        "journal.mark.recorded",
        "journal.mark.cancelled",
        "journal.mark.recorded",
    ]
    assert items[0]["data"]["value"] == 5 and items[0]["data"]["mark_id"] == marks[0]["id"]
    assert items[2]["data"] == {
        "mark_id": marks[1]["id"],
        "reason": "ошибка",
        "cancelled_by": world.ids["teacher1"],
    }
    for kind, count in (
        ("years", 1),
        ("periods", 4),
        ("subjects", 2),
        ("classes", 1),
        ("enrolments", 5),
        ("lessons", 1),
    ):
        page = ok(await world.client.get(path, params={"kind": kind}, headers=world.h("operator")))
        assert len(page["items"]) == count, kind
    too_many = await world.client.get(
        path, params={"kind": "marks", "limit": 5001}, headers=world.h("admin")
    )
    assert too_many.status_code == 422
    unknown = await world.client.get(path, params={"kind": "grades"}, headers=world.h("admin"))
    assert unknown.status_code == 422
    teacher = await world.client.get(path, params={"kind": "marks"}, headers=world.h("teacher1"))
    assert teacher.status_code == 403
