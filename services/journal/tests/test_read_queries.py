"""The hot reads stay at two SQL statements a request, access checks included, whatever the
class size: the grid, the diary and a teacher's day (a count of statements, not a timing). Their
bodies are exactly what the declared response model writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from pydantic import BaseModel
from sqlalchemy import event

from services.journal.schemas.views import ClassJournal, Diary, TeacherDay
from services.journal.tests.factories import World, ok

DAY = dt.date(2026, 10, 1)
TRANSACTION = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


_asked: ContextVar[list[str] | None] = ContextVar("asked", default=None)
"""The statements of the request being asked: set in the test's task, it reaches the app (the
in-process client runs it in that task) and SQLAlchemy's driver greenlet, not the outbox
relay's own task, which runs beside on the same engine."""


@contextmanager
def statements(world: World) -> Iterator[list[str]]:
    """The SQL statements the journal's engine runs for what is awaited meanwhile (transaction
    control aside: the embedded mode's SQLite opens its transactions with a statement)."""
    seen: list[str] = []
    engine = world.runtime.db.engine.sync_engine

    def count(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        asked = _asked.get()
        if asked is not None and not sql.lstrip().upper().startswith(TRANSACTION):
            asked.append(sql)

    event.listen(engine, "before_cursor_execute", count)
    token = _asked.set(seen)
    try:
        yield seen
    finally:
        _asked.reset(token)
        event.remove(engine, "before_cursor_execute", count)


async def _get(world: World, who: str, path: str, **params: Any) -> tuple[Any, list[str]]:
    with statements(world) as seen:
        response = await world.client.get(path, params=params, headers=world.h(who))
    return response, seen


def _as_the_model_writes_it(model: type[BaseModel], response: Any) -> None:
    body = ok(response)
    assert response.content == model.model_validate(body).model_dump_json(by_alias=True).encode()


async def _a_filled_week(world: World) -> list[str]:
    """Lessons of both subjects over four days, with marks and attendance for every student."""
    lessons = []
    for offset in range(4):
        day = DAY - dt.timedelta(days=3 - offset)
        world.on(day)
        for number, (subject, teacher) in enumerate(
            (("math", "teacher1"), ("russian", "teacher2")), start=1
        ):
            lesson = await world.lesson(day, subject, number, teacher=teacher)
            marks = [
                {"student_id": s, "value": 3 + n % 3, "work_type": "answer", "comment": "устно"}
                for n, s in enumerate(world.students)
            ]
            await world.marks(teacher, lesson, marks)
            entries = [{"student_id": s, "status": "present"} for s in world.students]
            ok(
                await world.client.put(
                    f"/journal/v1/lessons/{lesson}/attendance",
                    json={"entries": entries},
                    headers=world.h(teacher),
                )
            )
            lessons.append(lesson)
    world.on(DAY)
    return lessons


async def test_the_grid_reads_in_two_statements_for_every_asker(world: World) -> None:
    lessons = await _a_filled_week(world)
    path = f"/journal/v1/classes/{world.ids['class']}/journal"
    for who, params, columns in (
        ("deputy", {}, 8),
        ("classteacher", {"period_id": world.ids["q1"]}, 8),
        ("teacher1", {"subject_id": world.ids["math"]}, 4),
        ("teacher2", {"subject_id": world.ids["russian"], "period_id": world.ids["q1"]}, 4),
    ):
        response, seen = await _get(world, who, path, **params)
        assert len(seen) == 2, (who, seen)  # the facts, then the rows
        _as_the_model_writes_it(ClassJournal, response)
        grid = response.json()
        assert len(grid["lessons"]) == columns, who
        assert all(len(row["cells"]) == columns for row in grid["students"]), who
    refused, seen = await _get(world, "outsider", path)
    assert refused.status_code == 403 and len(seen) == 1  # refused on the facts
    assert {x["id"] for x in grid["lessons"]} <= set(lessons)


async def test_the_diary_reads_in_two_statements_for_every_asker(world: World) -> None:
    await _a_filled_week(world)
    student = world.students[0]
    path = f"/journal/v1/students/{student}/diary"
    for who in ("student1", "parent1", "teacher1", "classteacher", "deputy"):
        response, seen = await _get(world, who, path)
        assert len(seen) == 2, (who, seen)  # the facts, then the rows
        _as_the_model_writes_it(Diary, response)
        diary = response.json()
        assert [len(d["lessons"]) for d in diary["days"]] == [2, 2, 2, 2], who
        assert all(x["marks"] and x["attendance"] for d in diary["days"] for x in d["lessons"])
    refused, seen = await _get(world, "parent1", f"/journal/v1/students/{world.students[1]}/diary")
    assert refused.status_code == 403 and len(seen) == 1  # refused on the facts


async def test_a_teachers_day_reads_in_two_statements(world: World) -> None:
    await _a_filled_week(world)
    for who, path in (("teacher1", "me"), ("deputy", world.ids["teacher2"])):
        response, seen = await _get(world, who, f"/journal/v1/teachers/{path}/day")
        assert len(seen) == 2, (who, seen)  # the facts, then the rows
        _as_the_model_writes_it(TeacherDay, response)
        [lesson] = response.json()["lessons"]
        assert lesson["missing"] == ["topic", "homework"]
        assert (lesson["without_attendance"], lesson["without_marks"]) == (0, 0)
