"""`python -m services.reports rebuild --school ID` leaves the read model as it was when the
journal's export cannot be read: refused, or not in the export's page format
(`contracts.journal.ExportPage`).

That a rebuild from the journal's real export ends with the live read model is proven where
both services run together: `tests/contracts/test_lateness.py`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Header, HTTPException
from sqlalchemy import select

from contracts.journal import ExportKind, ExportPage
from kit.testing.services import served
from services.reports.repository.facts import SCHOOL_FACTS
from services.reports.tests.conftest import Reports
from services.reports.tests.factories import SchoolStory

ROOT = Path(__file__).resolve().parents[3]
TOKEN = "operator-token-for-the-test"


def export_app(school_id: str, answer: dict[str, Any]) -> FastAPI:
    """The journal's export endpoint, answering every kind with `answer`."""
    app = FastAPI()

    @app.get("/journal/v1/schools/{school}/export")
    async def export(
        school: str, kind: ExportKind, authorization: str = Header("")
    ) -> dict[str, Any]:
        if authorization != f"Bearer {TOKEN}":
            raise HTTPException(401)
        if school != school_id:
            raise HTTPException(404)
        return {**answer, "kind": kind}

    return app


def story() -> SchoolStory:
    s = SchoolStory()
    teacher = s.teacher("Лебедев", "Олег")
    a = s.open_class("5А", 5, teacher)
    kids = [s.student(a, "Абрамов", "Илья"), s.student(a, "Богданова", "Ася")]
    math = s.subject("Математика")
    lesson = s.lesson(a, math, teacher, dt.date(2026, 11, 10))
    for k, kid in enumerate(kids):
        s.mark(lesson, kid, 3 + k)
    return s


async def facts(reports: Reports, school_id: str) -> dict[str, list[tuple[str, ...]]]:
    seen = {}
    async with reports.runtime.db.read_only() as session:
        for model in SCHOOL_FACTS:
            table = model.__table__
            rows = await session.execute(select(table).where(table.c.school_id == school_id))
            seen[table.name] = sorted(tuple(map(str, r)) for r in rows)
    return seen


async def rebuild(reports: Reports, school_id: str, export: FastAPI, token: str) -> tuple[int, str]:
    """Run the rebuild command against `export` served on a local port."""
    async with served(export) as url:
        return await run_rebuild(reports, school_id, url, token)


async def run_rebuild(reports: Reports, school_id: str, url: str, token: str) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "services.reports", "rebuild", "--school", school_id,
        "--token", token, "--journal-url", url,
        cwd=ROOT, env=reports.worker_env(), stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, output.decode()


EMPTY = ExportPage(kind="years", items=[], next_cursor=None).model_dump(mode="json")


async def test_a_rebuild_the_journal_refuses_changes_nothing(
    reports: Reports,
) -> None:
    s = story()
    await reports.feed(s.take())
    live = await facts(reports, s.school_id)
    code, output = await rebuild(
        reports, s.school_id, export_app(s.school_id, EMPTY), "a-wrong-token"
    )
    assert code == 1 and "401" in output
    assert await facts(reports, s.school_id) == live


async def test_an_answer_that_is_not_an_export_page_changes_nothing(
    reports: Reports,
) -> None:
    s = story()
    await reports.feed(s.take())
    live = await facts(reports, s.school_id)
    page = {**EMPTY, "items": [{"type": "journal.subject.defined"}]}  # an item without data
    code, output = await rebuild(reports, s.school_id, export_app(s.school_id, page), TOKEN)
    assert code == 1 and "not an export page" in " ".join(output.split())
    assert await facts(reports, s.school_id) == live
