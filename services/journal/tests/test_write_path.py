"""The write path of a lesson's marks costs a fixed handful of statements, whatever the size of
the class: one read for everything the rules need, the inserts, the chain's head, the key.

These tests count SQL statements (a query count, never a timing): a use case that loaded the
lesson, the school, the enrolments, the work types… one by one would fail them."""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from services.journal.tests.factories import World, ok

DAY = dt.date(2026, 10, 1)
CLASS_SIZE = 30
MAX_STATEMENTS = 7
"""With an Idempotency-Key: the key's lookup; the one read of the lesson and all it is judged
by; the marks' INSERT; their outbox rows' INSERT; the key's row; then, last, the chain's head
locked and the links inserted with the head moved (one statement on PostgreSQL, two on
SQLite). It was 17 before the read was one statement and the head's lock and move shrank."""

_counting: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "counting", default=None
)


@contextmanager
def statements(world: World) -> Iterator[list[str]]:
    """The SQL statements executed by the requests made inside the block (not the outbox
    relay's or the consumer's, which run in tasks of their own)."""
    engine = world.runtime.db.engine.sync_engine
    seen: list[str] = []

    def before(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        into = _counting.get()
        if into is not None:
            into.append(sql)

    event.listen(engine, "before_cursor_execute", before)
    token = _counting.set(seen)
    try:
        yield seen
    finally:
        _counting.reset(token)
        event.remove(engine, "before_cursor_execute", before)


async def class_of(world: World, size: int) -> list[str]:
    """The world's class filled up to `size` students; their ids."""
    for n in range(len(world.students) + 1, size + 1):
        student = await world.person(f"student{n}", "student", ["student"], f"Ученик{n}")
        await world.post(
            "admin", f"/journal/v1/classes/{world.ids['class']}/students", {"student_id": student}
        )
        world.students.append(student)
    return list(world.students)


def marks_for(students: list[str]) -> list[dict[str, Any]]:
    return [
        {"student_id": s, "value": 1 + i % 5, "work_type": "answer", "comment": "у доски"}
        for i, s in enumerate(students)
    ]


async def test_a_class_of_30_marks_costs_a_fixed_handful_of_statements(world: World) -> None:
    students = await class_of(world, CLASS_SIZE)
    lesson = await world.lesson(DAY)
    headers = {**world.h("teacher1"), "Idempotency-Key": "marks-1"}
    path = f"/journal/v1/lessons/{lesson}/marks"
    with statements(world) as seen:
        response = await world.client.post(
            path, json={"marks": marks_for(students)}, headers=headers
        )
    body = ok(response, 201)
    assert len(body["marks"]) == CLASS_SIZE
    counted = [s for s in seen if not s.lstrip().upper().startswith(("BEGIN", "COMMIT"))]
    bound = MAX_STATEMENTS + (1 if world.runtime.db.is_sqlite else 0)
    assert len(counted) <= bound, "\n".join(counted)
    print(f"\n{len(counted)} statements:\n" + "\n".join(s[:120] for s in counted))


async def test_a_replay_answers_the_same_bytes_and_the_chain_stays_verifiable(
    world: World,
) -> None:
    students = await class_of(world, 8)
    lesson = await world.lesson(DAY)
    headers = {**world.h("teacher1"), "Idempotency-Key": "marks-2"}
    path = f"/journal/v1/lessons/{lesson}/marks"
    body = {"marks": marks_for(students)}
    first = await world.client.post(path, json=body, headers=headers)
    again = await world.client.post(path, json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert again.headers["content-type"] == first.headers["content-type"] == "application/json"
    marks = first.json()["marks"]
    assert [m["student_id"] for m in marks] == students
    assert marks[0] == {
        "id": marks[0]["id"],
        "lesson_id": lesson,
        "student_id": students[0],
        "value": 1,
        "work_type": "answer",
        "weight": 1.0,
        "comment": "у доски",
        "document": None,
        "status": "active",
        "entered_late": False,
    }
    second = await world.marks(
        "teacher1", lesson, [{"student_id": students[0], "value": 5, "work_type": "control"}]
    )
    assert second["marks"][0]["weight"] == 3.0
    report = ok(
        await world.client.get(
            f"/journal/v1/schools/{world.school_id}/history/verify", headers=world.h("deputy")
        )
    )
    assert report["ok"] is True and report["checked"] >= len(students) + 1, report
