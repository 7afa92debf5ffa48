"""Property: any sequence of record / correct / cancel leaves the grid equal to the replay of
the history (R-MRK-5: the history is the whole truth of a mark)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from services.journal.models import History
from services.journal.tests.factories import World

DAY = dt.date(2026, 10, 1)
WORK_TYPES = ["answer", "test", "homework"]

record = st.tuples(
    st.just("record"), st.integers(0, 2), st.sampled_from(WORK_TYPES), st.integers(1, 5)
)
correct = st.tuples(st.just("correct"), st.integers(0, 20), st.integers(1, 5))
cancel = st.tuples(st.just("cancel"), st.integers(0, 20))
operations = st.lists(st.one_of(record, correct, cancel), min_size=1, max_size=12)


async def replay(world: World) -> dict[str, int]:
    """Active marks and their values, rebuilt from nothing but the history links."""
    state: dict[str, dict[str, Any]] = {}
    async with world.runtime.db.read_only() as session:
        links = (
            await session.execute(
                select(History)
                .where(History.school_id == world.school_id, History.entity == "mark")
                .order_by(History.seq)
            )
        ).scalars()
        for link in links:
            state[link.entity_id] = json.loads(link.after) if link.after else {}
    return {k: v["value"] for k, v in state.items() if v.get("status") == "active"}


async def apply(world: World, lesson: str, op: tuple[Any, ...], marks: list[str]) -> None:
    """Run one operation through the API; refusals (409/422) are part of the property too."""
    h = world.h("teacher1")
    if op[0] == "record":
        _, student, work_type, value = op
        response = await world.client.post(
            f"/journal/v1/lessons/{lesson}/marks",
            headers=h,
            json={
                "marks": [
                    {"student_id": world.students[student], "value": value, "work_type": work_type}
                ]
            },
        )
        if response.status_code == 201:
            marks.append(response.json()["marks"][0]["id"])
        else:
            assert response.json()["code"] == "duplicate_mark", response.text
    elif marks and op[0] == "correct":
        target = marks[op[1] % len(marks)]
        response = await world.client.patch(
            f"/journal/v1/marks/{target}", headers=h, json={"value": op[2], "reason": "проверка"}
        )
        assert response.status_code in (200, 409, 422), response.text
    elif marks:
        target = marks[op[1] % len(marks)]
        response = await world.client.request(
            "DELETE", f"/journal/v1/marks/{target}", headers=h, json={"reason": "проверка"}
        )
        assert response.status_code in (200, 409), response.text


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
async def test_the_grid_equals_the_replay_of_the_history_R_MRK_5(
    journal: Any, tokens: Any, ops: list[tuple[Any, ...]]
) -> None:
    journal.app.state.runtime.clock.set(dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC))
    world = await World.create(journal, tokens)
    lesson = await world.lesson(DAY)
    marks: list[str] = []
    for op in ops:
        await apply(world, lesson, op, marks)
    grid = await world.grid(subject_id=world.ids["math"])
    shown = {
        m["id"]: m["value"]
        for row in grid["students"]
        for cell in row["cells"].values()
        for m in cell["marks"]
    }
    assert shown == await replay(world)
