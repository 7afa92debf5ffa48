"""Report jobs on workers: one item per class on a RabbitMQ work queue, files in S3, progress
in Redis, one ZIP to download, `reports.report.ready` at the end; a worker killed mid-job
loses nothing; the same job asked twice while it runs is the running one; the items travel
on the service's private exchange, never on the public `edu.events` (on both buses)."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import sys
import zipfile
from pathlib import Path
from typing import Any

import aio_pika
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from ej.asyncapi import platform_asyncapi
from kit.bus.local import LocalBus, messages
from kit.db import Database, new_id
from kit.events import Envelope
from kit.kv import connect_redis
from kit.migrations import upgrade
from kit.runtime import Shared
from kit.testing.services import eventually, in_process
from kit.testing.tokens import TestTokens
from services.reports.adapters.work_queue import WORK_EXCHANGE, ReportTaskRequested
from services.reports.app import MIGRATIONS, build
from services.reports.models import ReportTask, outbox
from services.reports.settings import ReportsSettings
from services.reports.tests.conftest import Reports
from services.reports.tests.factories import SchoolStory

ROOT = Path(__file__).resolve().parents[3]


async def school_with_classes(
    reports: Reports, names: list[str], marks: bool = True
) -> SchoolStory:
    s = SchoolStory(name=f"Лицей №{len(names)}{new_id()[-3:]}")
    teacher = s.teacher()
    math = s.subject("Математика")
    for n, name in enumerate(names):
        c = s.open_class(name, 5 + n % 2, teacher)
        student = s.student(c, "Ученикова", f"Анна{n}")
        if marks:
            lesson = s.lesson(c, math, teacher, dt.date(2026, 11, 10))
            s.mark(lesson, student, 4)
            s.period_mark(c, math, s.quarters[1], student, "4")
    await reports.feed(s.take())
    return s


async def post_job(reports: Reports, headers: dict[str, str], **body: Any) -> Any:
    return await reports.client.post("/reports/v1/jobs", json=body, headers=headers)


async def wait_done(reports: Reports, job_id: str, headers: dict[str, str]) -> dict[str, Any]:
    async def done() -> dict[str, Any]:
        response = await reports.client.get(f"/reports/v1/jobs/{job_id}", headers=headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert body["status"] != "failed", body
        return body if body["status"] == "done" else {}

    job: dict[str, Any] = await eventually(done, timeout=60)
    return job


async def download(reports: Reports, url: str, headers: dict[str, str]) -> zipfile.ZipFile:
    response = await reports.client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


async def test_a_school_job_makes_every_class_sheet_and_the_schools_table_in_one_zip(
    reports: Reports,
) -> None:
    s = await school_with_classes(reports, ["5А", "6Б"])
    deputy = reports.headers(["deputy"], s.school_id)
    created = await post_job(
        reports, deputy, kind="school", school_id=s.school_id, period_id=s.quarters[1],
        format="pdf+xlsx",
    )  # fmt: skip
    assert created.status_code == 202, created.text
    job_id = created.json()["job_id"]
    async with reports.worker():
        job = await wait_done(reports, job_id, deputy)
    assert (job["progress"], job["total"], job["done"]) == (1.0, 3, 3)
    assert job["result_url"] == f"/reports/v1/jobs/{job_id}/result"
    archive = await download(reports, job["result_url"], deputy)
    names = archive.namelist()
    assert sorted(n.split("/", 1)[1] for n in names) == [
        "5А — сводная ведомость.pdf",
        "5А — сводная ведомость.xlsx",
        "6Б — сводная ведомость.pdf",
        "6Б — сводная ведомость.xlsx",
        "Успеваемость и качество.pdf",
        "Успеваемость и качество.xlsx",
    ]
    assert all(n.startswith(f"{s.name}/") for n in names)
    sheet = PdfReader(io.BytesIO(archive.read(f"{s.name}/6Б — сводная ведомость.pdf")))
    assert "Класс: 6Б" in sheet.pages[0].extract_text()

    async def announced() -> bool:
        async with reports.runtime.db.read_only() as session:
            rows = await session.execute(
                select(outbox.c.envelope, outbox.c.sent_at).where(
                    outbox.c.event_type == "reports.report.ready.v1"
                )
            )
            return any(job_id in r.envelope and r.sent_at is not None for r in rows)

    await eventually(announced)


async def test_the_same_job_asked_twice_while_it_runs_is_the_running_one(reports: Reports) -> None:
    s = await school_with_classes(reports, ["7А"])
    deputy = reports.headers(["deputy"], s.school_id)
    director = reports.headers(["director"], s.school_id)
    body = {"kind": "school", "school_id": s.school_id, "period_id": s.quarters[1], "format": "pdf"}
    first, second = await asyncio.gather(
        post_job(reports, deputy, **body), post_job(reports, director, **body)
    )
    assert first.json()["job_id"] == second.json()["job_id"]
    assert sorted([first.status_code, second.status_code]) == [200, 202]  # made once
    # whichever came second was answered with the other's job, and so has none running itself
    answered = director if second.status_code == 200 else deputy
    other_format = await post_job(reports, answered, **{**body, "format": "xlsx"})
    assert other_format.status_code == 202, other_format.text
    assert other_format.json()["job_id"] != first.json()["job_id"]
    async with reports.worker():
        await wait_done(reports, first.json()["job_id"], deputy)
        await wait_done(reports, other_format.json()["job_id"], deputy)
    again = await post_job(reports, deputy, **body)  # the first one is over: a new job
    assert again.json()["job_id"] != first.json()["job_id"]


async def test_a_job_for_a_period_with_no_data_is_an_empty_report(reports: Reports) -> None:
    s = SchoolStory()
    await reports.feed(s.take())  # a school with its year and periods, and nothing else
    deputy = reports.headers(["deputy"], s.school_id)
    created = await post_job(
        reports,
        deputy,
        kind="school",
        school_id=s.school_id,
        period_id=s.quarters[3],
        format="xlsx",
    )
    async with reports.worker():
        job = await wait_done(reports, created.json()["job_id"], deputy)
    archive = await download(reports, job["result_url"], deputy)
    assert [n.split("/", 1)[1] for n in archive.namelist()] == ["Успеваемость и качество.xlsx"]


async def test_the_city_job_is_the_operators_and_covers_every_schools_matching_period(
    reports: Reports,
) -> None:
    first = await school_with_classes(reports, ["8А"])
    second = await school_with_classes(reports, ["8Б", "8В"])
    operator = reports.headers(["operator"], None)
    deputy = reports.headers(["deputy"], first.school_id)
    refused = await post_job(
        reports, deputy, kind="city", period_id=first.quarters[1], format="pdf"
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "operator_only")
    created = await post_job(
        reports, operator, kind="city", period_id=first.quarters[1], format="xlsx"
    )
    assert created.status_code == 202, created.text
    async with reports.worker():
        job = await wait_done(reports, created.json()["job_id"], operator)
    names = (await download(reports, job["result_url"], operator)).namelist()
    for s, classes in ((first, ["8А"]), (second, ["8Б", "8В"])):
        for c in classes:
            assert f"{s.name}/{c} — сводная ведомость.xlsx" in names
    assert names[0] == "Город/Успеваемость и качество.xlsx"
    # the school's leaders do not read the city's job
    assert (
        await reports.client.get(f"/reports/v1/jobs/{job['job_id']}", headers=deputy)
    ).status_code == 404


@pytest.mark.parametrize(
    ("roles", "body", "status", "code"),
    [
        (["deputy"], {"format": "docx"}, 422, "format_not_offered"),
        (["deputy"], {"period_id": "unknown"}, 404, "period_not_found"),
        (["deputy"], {"school_id": None}, 403, "school_not_found"),
        (["teacher"], {}, 403, "leaders_only"),
        (["parent"], {}, 403, "reports_not_for_role"),
        (["deputy"], {"kind": "county"}, 422, "validation_error"),
    ],
)
async def test_bad_job_requests_answer_problems(
    reports: Reports, roles: list[str], body: dict[str, Any], status: int, code: str
) -> None:
    s = SchoolStory()
    await reports.feed(s.take())
    request = {
        "kind": "school",
        "school_id": s.school_id,
        "period_id": s.quarters[1],
        "format": "pdf",
    }
    request.update(body)
    if "school_id" in body:
        request["school_id"] = new_id()  # another school's
        status, code = 404, "school_not_found"
    response = await post_job(reports, reports.headers(roles, s.school_id), **request)
    assert response.status_code == status, response.text
    assert response.json()["code"] == code


async def test_a_job_and_its_result_before_it_is_done(reports: Reports) -> None:
    s = await school_with_classes(reports, ["9А"])
    deputy = reports.headers(["deputy"], s.school_id)
    job_id = (
        await post_job(
            reports,
            deputy,
            kind="school",
            school_id=s.school_id,
            period_id=s.quarters[1],
            format="pdf",
        )
    ).json()["job_id"]
    queued = (await reports.client.get(f"/reports/v1/jobs/{job_id}", headers=deputy)).json()
    assert (queued["status"], queued["progress"], queued["result_url"]) == ("queued", 0.0, None)
    early = await reports.client.get(f"/reports/v1/jobs/{job_id}/result", headers=deputy)
    assert (early.status_code, early.json()["code"]) == (409, "job_not_done")
    stranger = reports.headers(["deputy"], new_id())
    assert (
        await reports.client.get(f"/reports/v1/jobs/{job_id}", headers=stranger)
    ).status_code == 404
    async with reports.worker():
        await wait_done(reports, job_id, deputy)


async def test_a_worker_killed_mid_job_loses_nothing(reports: Reports) -> None:
    s = await school_with_classes(reports, ["10А", "10Б", "10В"])
    deputy = reports.headers(["deputy"], s.school_id)
    created = await post_job(
        reports, deputy, kind="school", school_id=s.school_id, period_id=s.quarters[1], format="pdf"
    )
    job_id = created.json()["job_id"]
    slow = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "services.reports", "worker"),
        cwd=ROOT,
        env=reports.worker_env(EJ_WORKER_TASK_DELAY_MS="30000"),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:

        async def taken() -> ReportTask | None:
            async with reports.runtime.db.unit_of_work() as session:
                rows = await session.execute(
                    select(ReportTask).where(
                        ReportTask.job_id == job_id, ReportTask.status == "running"
                    )
                )
                return rows.scalars().first()

        held = await eventually(taken, timeout=60)
        assert held.worker_id and held.worker_id.endswith(f":{slow.pid}")
    finally:
        slow.kill()  # SIGKILL mid-item: no ack, no clean-up
        await slow.wait()
    async with reports.worker(worker_id="survivor"):
        job = await wait_done(reports, job_id, deputy)
    async with reports.runtime.db.unit_of_work() as session:
        redone = await session.get(ReportTask, held.task_id)
    assert redone is not None
    assert (redone.status, redone.worker_id, redone.starts) == ("done", "survivor", 2)
    names = (await download(reports, job["result_url"], deputy)).namelist()
    assert len([n for n in names if "сводная ведомость" in n]) == 3
    assert job["done"] == job["total"] == 4


def asyncapi_types() -> set[str]:
    """The CloudEvents types of the published language: all `edu.events` may carry."""
    return {m["name"] for m in platform_asyncapi()["components"]["messages"].values()}


async def drain(queue: aio_pika.abc.AbstractQueue) -> list[str]:
    """The types of every message waiting in the queue (taken, acked)."""
    types = []
    while (message := await queue.get(no_ack=True, fail=False, timeout=5)) is not None:
        types.append(str(message.type))
    return types


async def test_a_jobs_work_items_travel_on_the_private_exchange_never_on_edu_events(
    reports: Reports,
) -> None:
    """A queue bound `#` on the run's `edu.events` sees the job's `reports.report.ready` and
    nothing outside the AsyncAPI document; the items all went to `reports.internal.<run>`."""
    s = await school_with_classes(reports, ["11А", "11Б"])
    deputy = reports.headers(["deputy"], s.school_id)
    connection = await aio_pika.connect(reports.bus.url)
    try:
        channel = await connection.channel()
        public = await channel.declare_queue(exclusive=True)  # goes with the connection
        await public.bind(reports.bus.exchange_of(None), routing_key="#")
        private = await channel.declare_queue(exclusive=True)
        await private.bind(reports.bus.exchange_of(WORK_EXCHANGE), routing_key="#")
        created = await post_job(
            reports, deputy, kind="school", school_id=s.school_id, period_id=s.quarters[1],
            format="pdf",
        )  # fmt: skip
        assert created.status_code == 202, created.text
        job_id = created.json()["job_id"]
        async with reports.worker():
            job = await wait_done(reports, job_id, deputy)
        assert job["done"] == job["total"] == 3

        async def ready_sent() -> bool:
            async with reports.runtime.db.read_only() as session:
                rows = await session.execute(
                    select(outbox.c.envelope).where(
                        outbox.c.event_type == "reports.report.ready.v1",
                        outbox.c.sent_at.is_not(None),
                    )
                )
                return any(job_id in r.envelope for r in rows)

        await eventually(ready_sent)
        on_public = await eventually(lambda: drain(public))
        on_private = await drain(private)
    finally:
        await connection.close()
    assert "reports.report.ready.v1" in on_public
    assert set(on_public) <= asyncapi_types(), set(on_public) - asyncapi_types()
    assert not [t for t in on_public if t.startswith("reports.task.")]
    assert on_private == [ReportTaskRequested.ce_type()] * 4  # two classes, the school, finish


async def test_in_the_embedded_mode_work_items_stay_off_the_public_exchange_too(
    tmp_path: Path,
) -> None:
    """The local bus keeps the same rule: a queue declared `#` on the public exchange holds
    only AsyncAPI events after a job ran on the service's own (private) work queue."""
    settings = ReportsSettings(mode="embedded", data_dir=tmp_path)
    await upgrade(settings.database_url_for("reports"), MIGRATIONS)
    bus = LocalBus(Database(f"sqlite+aiosqlite:///{tmp_path / 'bus.db'}"), idle_interval=0.1)
    bus.declare("everything", ["#"])
    bus.declare("everything-internal", ["#"], exchange=WORK_EXCHANGE)
    tokens = TestTokens()
    app = build(settings, Shared(bus=bus, redis=connect_redis(None), keys=tokens.keys))
    async with in_process([app], bus) as [client]:
        s = SchoolStory()
        c = s.open_class("5А", 5, s.teacher())
        s.student(c, "Иванов", "Иван")
        await bus.publish(s.take())
        deputy = tokens.headers(roles=["deputy"], school_id=s.school_id)
        body = {
            "kind": "school",
            "school_id": s.school_id,
            "period_id": s.quarters[1],
            "format": "pdf",
        }

        async def created() -> str | None:
            response = await client.post("/reports/v1/jobs", json=body, headers=deputy)
            return response.json()["job_id"] if response.status_code == 202 else None

        job_id = await eventually(created)

        async def done() -> bool:
            job = (await client.get(f"/reports/v1/jobs/{job_id}", headers=deputy)).json()
            return job["status"] == "done"

        await eventually(done, timeout=30)

        async def held() -> dict[str, list[str]]:
            async with bus.db.read_only() as session:
                rows = await session.execute(select(messages.c.consumer, messages.c.envelope))
                found: dict[str, list[str]] = {}
                for consumer, text in rows:
                    found.setdefault(consumer, []).append(Envelope.model_validate_json(text).type)
                return found if "reports.report.ready.v1" in found.get("everything", []) else {}

        queues = await eventually(held)
    assert set(queues["everything"]) <= asyncapi_types()
    assert queues["everything-internal"] == [ReportTaskRequested.ce_type()] * 3
