"""`python -m services.reports rebuild --school ID` pages through the journal's export over
HTTP and ends with the read model the events built, for that school only.

The journal's export is served by a real local HTTP server with canned pages in the
journal's shape, made from the journal's current state after the same story the events told.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI, Header, HTTPException
from sqlalchemy import delete, insert, select

from kit.clock import FixedClock
from kit.events import Envelope
from kit.testing.services import eventually
from services.reports.models import Mark, Period
from services.reports.repository.facts import SCHOOL_FACTS
from services.reports.tests.conftest import Reports
from services.reports.tests.factories import SchoolStory

ROOT = Path(__file__).resolve().parents[3]
D = dt.date
KIND_OF = {
    "journal.year.opened": "years",
    "journal.period.defined": "periods",
    "journal.subject.defined": "subjects",
    "journal.class.opened": "classes",
    "journal.enrolment.changed": "enrolments",
    "journal.lesson.recorded": "lessons",
    "journal.attendance.marked": "attendance",
}
TOKEN = "operator-token-for-the-test"


def journal_state(events: list[Envelope]) -> dict[str, list[dict[str, Any]]]:
    """What the journal's export describes after these events: its current state."""
    state: dict[str, dict[Any, dict[str, Any]]] = {
        k: {} for k in (*KIND_OF.values(), "marks", "period_marks")
    }
    for e in events:
        kind, data = KIND_OF.get(e.event_type), e.data
        if e.event_type == "journal.enrolment.changed":
            state["enrolments"][e.id] = {"type": e.event_type, "data": data}
        elif e.event_type == "journal.attendance.marked":
            state["attendance"][(data["lesson_id"], data["student_id"])] = {
                "type": e.event_type,
                "data": data,
            }
        elif kind:
            state[kind][e.subject] = {"type": e.event_type, "data": data}
        elif e.event_type == "journal.mark.recorded":
            state["marks"][data["mark_id"]] = {
                "type": e.event_type,
                "data": dict(data),
                "recorded_at": e.time.isoformat(),
            }
        elif e.event_type == "journal.mark.corrected":
            state["marks"][data["mark_id"]]["data"]["value"] = data["new_value"]
        elif e.event_type == "journal.mark.cancelled":
            state["marks"][(data["mark_id"], "cancelled")] = {"type": e.event_type, "data": data}
        elif e.event_type.startswith("journal.period_mark."):
            key = (data["period_id"], data["class_id"], data["subject_id"], data["student_id"])
            state["period_marks"][key] = {"type": "journal.period_mark.set", "data": data}
    return {kind: list(items.values()) for kind, items in state.items()}


def export_app(school_id: str, state: dict[str, list[dict[str, Any]]]) -> FastAPI:
    """The journal's export endpoint, serving canned pages (cursor = offset)."""
    app = FastAPI()

    @app.get("/journal/v1/schools/{school}/export")
    async def export(
        school: str, kind: str, limit: int = 100, cursor: str | None = None,
        authorization: str = Header(""),
    ) -> dict[str, Any]:  # fmt: skip
        if authorization != f"Bearer {TOKEN}":
            raise HTTPException(401)
        if school != school_id or kind not in state:
            raise HTTPException(404)
        start = int(cursor or 0)
        items = state[kind][start : start + limit]
        more = start + limit < len(state[kind])
        return {"kind": kind, "items": items, "next_cursor": str(start + limit) if more else None}

    return app


@pytest.fixture
async def journal_server() -> AsyncIterator[Any]:
    servers: list[uvicorn.Server] = []
    tasks: list[asyncio.Task[None]] = []

    async def serve(app: FastAPI) -> str:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        servers.append(server)
        tasks.append(asyncio.create_task(server.serve(sockets=[sock])))

        async def started() -> bool:
            return server.started

        await eventually(started)
        return f"http://127.0.0.1:{sock.getsockname()[1]}"

    yield serve
    for server in servers:
        server.should_exit = True
    await asyncio.gather(*tasks)


def story() -> SchoolStory:
    s = SchoolStory()
    t1, t2, ct = s.teacher(), s.teacher("Лебедев", "Олег"), s.teacher("Смирнова", "Ольга")
    a, b = s.open_class("5А", 5, ct), s.open_class("6Б", 6, t2)
    kids = [
        s.student(a, "Абрамов", "Илья"),
        s.student(a, "Богданова", "Ася"),
        s.student(b, "Воронин", "Лев"),
    ]
    s.enrol(kids[1], a, D(2026, 12, 2), "left")
    s.enrol(kids[1], b, D(2026, 12, 3))
    math, bio = s.subject("Математика"), s.subject("Биология")
    for day in (10, 11, 12, 13):
        for c, teacher in ((a, t1), (b, t2)):
            lesson = s.lesson(
                c,
                math if day % 2 else bio,
                teacher if day != 12 else ct,
                D(2026, 11, day),
                homework=None if day == 13 else "упр. 1",
            )
            for k, kid in enumerate(kids):
                m = s.mark(lesson, kid, 2 + (day + k) % 4, "test" if k else "answer")
                if (day + k) % 3 == 0:
                    s.correct(m, 5)
                if (day + k) % 5 == 0:
                    s.cancel(m)
                s.attend(
                    lesson,
                    kid,
                    "absent" if (day + k) % 4 == 0 else "present",
                    "respected" if k == 1 else None,
                )
    for kid, c in ((kids[0], a), (kids[2], b), (kids[1], b)):
        pm = s.period_mark(c, math, s.quarters[1], kid, "4")
        s.period_mark(c, math, s.quarters[1], kid, "3", corrected=True, period_mark_id=pm)
        s.period_mark(c, bio, s.quarters[1], kid, "osv")
    return s  # fmt: skip


async def snapshot(reports: Reports, s: SchoolStory) -> dict[str, Any]:
    """Everything the reports service says about the school, and its fact tables."""
    deputy = reports.headers(["deputy"], s.school_id)
    seen: dict[str, Any] = {}
    async with reports.runtime.db.unit_of_work() as session:
        for model in SCHOOL_FACTS:
            table = model.__table__
            columns = [c for c in table.c if not c.name.endswith("seq")]
            rows = await session.execute(select(*columns).where(table.c.school_id == s.school_id))
            seen[table.name] = sorted(tuple(map(str, r)) for r in rows)
        marked = select(Mark.class_id).where(Mark.school_id == s.school_id).distinct()
        classes = sorted(c for c in (await session.execute(marked)).scalars() if c)
    for c in classes:
        for period in (s.quarters[1], s.year_period):
            sheet = (await reports.sheet(c, period, deputy)).json()
            seen[f"sheet {c} {period}"] = {**sheet, "generated_at": None}
    for path in ("monitoring", "performance"):
        body = (
            await reports.client.get(
                f"/reports/v1/schools/{s.school_id}/{path}",
                params={"period_id": s.quarters[1]},
                headers=deputy,
            )
        ).json()
        seen[path] = {**body, "generated_at": None}
    return seen


async def test_rebuild_from_the_journals_export_ends_equal_to_the_live_model(
    reports: Reports, journal_server: Any
) -> None:
    before = reports.app.state.clock
    reports.app.state.clock = FixedClock(dt.datetime(2026, 12, 10, 12, tzinfo=dt.UTC))
    try:
        s, bystander = story(), story()
        events = s.take()
        await reports.feed(events)
        await reports.feed(bystander.take())
        live = await snapshot(reports, s)
        untouched = await snapshot(reports, bystander)
        assert live["mark"] and live["monitoring"]["rows"]

        async with reports.runtime.db.unit_of_work() as session:  # the read model goes wrong
            await session.execute(
                delete(Mark).where(Mark.school_id == s.school_id, Mark.value == 5)
            )
            await session.execute(delete(Period).where(Period.period_id == s.quarters[0]))
            real = (
                await session.execute(
                    select(Mark)
                    .where(Mark.school_id == s.school_id, Mark.cancelled.is_(False))
                    .limit(1)
                )
            ).scalar_one()
            columns = {c.name: getattr(real, c.name) for c in Mark.__table__.c}
            await session.execute(insert(Mark).values({**columns, "mark_id": "bogus", "value": 1}))  # fmt: skip
        assert await snapshot(reports, s) != live

        url = await journal_server(export_app(s.school_id, journal_state(events)))
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "services.reports", "rebuild", "--school", s.school_id,
            "--token", TOKEN, "--journal-url", url, "--page-size", "7",
            cwd=ROOT, env=reports.worker_env(), stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        output, _ = await proc.communicate()
        assert proc.returncode == 0, output.decode()
        assert "rebuilt" in output.decode()

        assert await snapshot(reports, s) == live
        assert await snapshot(reports, bystander) == untouched
    finally:
        reports.app.state.clock = before


async def test_a_rebuild_that_cannot_read_the_export_changes_nothing(
    reports: Reports, journal_server: Any
) -> None:
    s = story()
    events = s.take()
    await reports.feed(events)
    live = await snapshot(reports, s)
    url = await journal_server(export_app(s.school_id, journal_state(events)))
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "services.reports", "rebuild", "--school", s.school_id,
        "--token", "a-wrong-token", "--journal-url", url,
        cwd=ROOT, env=reports.worker_env(), stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await proc.communicate()
    assert proc.returncode == 1
    assert "401" in output.decode()
    assert await snapshot(reports, s) == live
