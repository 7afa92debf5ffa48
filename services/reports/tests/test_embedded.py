"""The embedded mode: SQLite, the local bus, files in a folder, no broker and no Redis; the
summary sheet, the monitoring and a job work the same, the job on the service's own queue."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from kit.bus.local import LocalBus
from kit.db import Database
from kit.kv import connect_redis
from kit.migrations import upgrade
from kit.runtime import Shared
from kit.testing.services import eventually, in_process
from kit.testing.tokens import TestTokens
from services.reports.app import MIGRATIONS, build
from services.reports.settings import ReportsSettings
from services.reports.tests.factories import SchoolStory


@dataclass
class Embedded:
    client: httpx.AsyncClient
    tokens: TestTokens
    bus: LocalBus

    async def get(self, url: str, **kw: Any) -> httpx.Response:
        return await self.client.get(url, **kw)

    async def post(self, url: str, **kw: Any) -> httpx.Response:
        return await self.client.post(url, **kw)


@pytest.fixture
async def embedded(tmp_path: Path) -> AsyncIterator[Embedded]:
    settings = ReportsSettings(mode="embedded", data_dir=tmp_path)
    await upgrade(settings.database_url_for("reports"), MIGRATIONS)
    bus = LocalBus(Database(f"sqlite+aiosqlite:///{tmp_path / 'bus.db'}"), idle_interval=0.1)
    tokens = TestTokens()
    app = build(settings, Shared(bus=bus, redis=connect_redis(None), keys=tokens.keys))
    async with in_process([app], bus) as [client]:
        yield Embedded(client, tokens, bus)


async def test_the_embedded_mode_serves_sheets_and_runs_jobs_without_a_broker(
    embedded: Embedded, tmp_path: Path
) -> None:
    s = SchoolStory()
    teacher = s.teacher()
    c = s.open_class("5А", 5, teacher)
    student = s.student(c, "Иванов", "Иван")
    math = s.subject("Математика")
    lesson = s.lesson(c, math, teacher, dt.date(2026, 11, 10))
    s.mark(lesson, student, 5)
    s.period_mark(c, math, s.quarters[1], student, "5")
    await embedded.bus.publish(s.take())
    deputy = embedded.tokens.headers(roles=["deputy"], school_id=s.school_id)

    async def sheet() -> dict[str, Any]:
        response = await embedded.get(
            f"/reports/v1/classes/{c}/summary-sheet",
            params={"period_id": s.quarters[1]},
            headers=deputy,
        )
        return response.json() if response.status_code == 200 else {}

    found = await eventually(sheet)
    assert found["students"][0]["cells"][math]["period_mark"] == "5"
    assert found["subjects"][0]["performance_pct"] == 100.0
    monitoring = await embedded.get(
        f"/reports/v1/schools/{s.school_id}/monitoring",
        params={"period_id": s.quarters[1]},
        headers=deputy,
    )
    assert monitoring.status_code == 200, monitoring.text

    created = await embedded.post(
        "/reports/v1/jobs",
        json={
            "kind": "school",
            "school_id": s.school_id,
            "period_id": s.quarters[1],
            "format": "pdf+xlsx",
        },
        headers=deputy,
    )
    assert created.status_code == 202, created.text
    job_id = created.json()["job_id"]

    async def done() -> dict[str, Any]:
        body = (await embedded.get(f"/reports/v1/jobs/{job_id}", headers=deputy)).json()
        return body if body["status"] == "done" else {}

    job = await eventually(done, timeout=30)
    result = await embedded.get(job["result_url"], headers=deputy)
    names = zipfile.ZipFile(io.BytesIO(result.content)).namelist()
    assert f"{s.name}/5А — сводная ведомость.pdf" in names
    assert list((tmp_path / "reports" / "jobs" / job_id).rglob("*.xlsx"))
