"""The history chain: every change is a link; an edited link is caught and named."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import text
from typer.testing import CliRunner

from services.journal.tests.factories import World, ok

DAY = dt.date(2026, 10, 1)


async def make_changes(world: World) -> str:
    lesson = await world.lesson(DAY)
    mark = (
        await world.marks(
            "teacher1",
            lesson,
            [{"student_id": world.students[0], "value": 3, "work_type": "answer"}],
        )
    )["marks"][0]
    await world.client.patch(
        f"/journal/v1/marks/{mark['id']}",
        json={"value": 4, "reason": "x"},
        headers=world.h("teacher1"),
    )
    await world.client.put(
        f"/journal/v1/lessons/{lesson}/attendance",
        json={"entries": [{"student_id": world.students[1], "status": "absent"}]},
        headers=world.h("teacher1"),
    )
    return str(mark["id"])


def run_cli(url: str, school_id: str) -> tuple[int, str]:
    from services.journal.cli import cli

    result = CliRunner().invoke(
        cli,
        ["verify-history", "--school", school_id],
        env={"EJ_DATABASE_URL": url, "EJ_MODE": "distributed"},
    )
    return result.exit_code, result.output


async def test_the_history_chain_verifies_and_names_an_edited_link(world: World) -> None:
    mark_id = await make_changes(world)
    path = f"/journal/v1/schools/{world.school_id}/history/verify"
    intact = ok(await world.client.get(path, headers=world.h("deputy")))
    assert intact["ok"] is True and intact["checked"] == intact["head_seq"] == 4
    url = world.runtime.db.url
    code, output = await asyncio.to_thread(run_cli, url, world.school_id)
    assert code == 0 and "4 link(s)" in output
    async with world.runtime.db.unit_of_work() as session:  # someone edits the database by hand
        await session.execute(
            text(
                'UPDATE history SET after = \'{"status": "active", "value": 5, '
                '"work_type": "answer"}\' WHERE school_id = :s AND entity_id = :m '
                "AND action = 'corrected'"
            ),
            {"s": world.school_id, "m": mark_id},
        )
    broken = ok(await world.client.get(path, headers=world.h("director")))
    assert broken["ok"] is False and broken["broken_seq"] == 3 and broken["checked"] == 2
    assert "edited" in broken["problem"]
    code, output = await asyncio.to_thread(run_cli, url, world.school_id)
    assert code == 1 and "link 3" in output
    teacher = await world.client.get(path, headers=world.h("teacher1"))
    assert teacher.status_code == 403


async def test_a_deleted_link_is_caught(world: World) -> None:
    await make_changes(world)
    async with world.runtime.db.unit_of_work() as session:
        await session.execute(
            text("DELETE FROM history WHERE school_id = :s AND seq = 2"), {"s": world.school_id}
        )
    report = ok(
        await world.client.get(
            f"/journal/v1/schools/{world.school_id}/history/verify", headers=world.h("admin")
        )
    )
    assert report["ok"] is False and report["broken_seq"] == 2
    assert "missing" in report["problem"]
