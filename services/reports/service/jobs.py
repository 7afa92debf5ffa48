"""Report jobs: a school's or the city's summary sheets and performance tables.

A job becomes one work item per class and one per school (the school's performance table),
written with their queue messages in one transaction; the last item done adds the finishing
item (the city's table, then `reports.report.ready`). The same job asked for again while it
is queued or running is that job, not a second one. A period with no data makes an empty
report, not an error.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import CurrentUser
from kit.db import new_id
from kit.errors import Invalid, NotFound
from kit.outbox import Outbox
from services.reports import policy
from services.reports.models import Period, ReportJob
from services.reports.repository import jobs, reads
from services.reports.schemas import JobRequest
from services.reports.service import access, printing
from services.reports.work import WORK_EXCHANGE, ReportTaskRequested, TaskKind


@dataclass(frozen=True)
class Scope:
    """One school's part of a job: its own period matching the one asked for."""

    school_id: str
    period: Period


async def scopes_of(session: AsyncSession, request: JobRequest) -> list[Scope]:
    if request.kind == "school":
        if not request.school_id:
            raise Invalid("a school job names its school_id", code="school_required")
        period = await access.period_of_school(session, request.school_id, request.period_id)
        return [Scope(request.school_id, period)]
    if request.school_id is not None:
        raise Invalid("a city job covers every school: leave school_id out", code="school_given")
    asked = await reads.period(session, request.period_id)
    if asked is None:
        raise NotFound("period not found", code="period_not_found")
    year = await reads.year(session, asked.year_id)
    if year is None:
        return [Scope(asked.school_id, asked)]
    matching = await reads.periods_like(session, year.name, asked.kind, asked.number)
    return [Scope(school_id, p) for school_id, p in matching]


def dedupe_key(request: JobRequest, scopes: list[Scope]) -> str:
    """What makes two jobs the same; for the city, any school's id of the same period."""
    if request.kind == "city":
        periods = ",".join(sorted(s.period.period_id for s in scopes))
        period = hashlib.sha256(periods.encode()).hexdigest()[:32]
    else:
        period = request.period_id
    return f"{request.kind}:{request.school_id or 'city'}:{period}:{request.format}"


def task_row(
    job_id: str, kind: TaskKind, scope: Scope | None, class_id: str | None = None
) -> dict[str, object]:
    return {
        "task_id": new_id(),
        "job_id": job_id,
        "kind": kind,
        "school_id": scope.school_id if scope else None,
        "class_id": class_id,
        "period_id": scope.period.period_id if scope else None,
        "status": "queued",
        "attempts": 0,
        "starts": 0,
    }


async def create_job(
    session: AsyncSession,
    outbox: Outbox,
    user: CurrentUser,
    request: JobRequest,
    now: dt.datetime,
) -> tuple[ReportJob, bool]:
    """(the job, whether it is new); an equal job already queued or running is returned."""
    printing.job_formats(request.format)
    policy.may_request_job(user, request.kind, request.school_id)
    scopes = await scopes_of(session, request)
    key = dedupe_key(request, scopes)
    job_id = new_id()
    values = {
        "job_id": job_id,
        "kind": request.kind,
        "school_id": request.school_id,
        "period_id": request.period_id,
        "format": request.format,
        "status": "queued",
        "dedupe_key": key,
        "total": 0,
        "done": 0,
        "requested_by": user.account_id,
        "created_at": now,
    }
    if not await jobs.insert_job(session, values):
        running = await jobs.running_job(session, key)
        if running is not None:
            policy.may_read_job(user, running.school_id, running.requested_by)
            return running, False
        raise RuntimeError("a job with this key was running and is not any more: retry")
    rows: list[dict[str, object]] = []
    for scope in scopes:
        for klass in await reads.classes_of_school(session, scope.school_id, scope.period.year_id):
            rows.append(task_row(job_id, "class", scope, klass.class_id))
        rows.append(task_row(job_id, "school", scope))
    if not rows:
        rows.append(task_row(job_id, "finish", None))
    await jobs.add_tasks(session, rows)
    await jobs.set_total(session, job_id, sum(r["kind"] != "finish" for r in rows))
    await enqueue(session, outbox, rows)
    job = await jobs.job(session, job_id)
    assert job is not None
    return job, True


async def enqueue(session: AsyncSession, outbox: Outbox, rows: list[dict[str, object]]) -> None:
    """The items' messages, in the same transaction as the items (grouped by school), for
    the service's private exchange: they never reach the public one."""
    by_school: dict[str | None, list[ReportTaskRequested]] = defaultdict(list)
    for row in rows:
        by_school[row["school_id"]].append(  # type: ignore[index]
            ReportTaskRequested(
                task_id=str(row["task_id"]),
                job_id=str(row["job_id"]),
                kind=row["kind"],
            )
        )
    for school_id, events in by_school.items():
        await outbox.add_many(session, events, school_id=school_id, exchange=WORK_EXCHANGE)


async def readable_job(session: AsyncSession, user: CurrentUser, job_id: str) -> ReportJob:
    job = await jobs.job(session, job_id)
    if job is None:
        raise NotFound("job not found", code="job_not_found")
    policy.may_read_job(user, job.school_id, job.requested_by)
    return job


def progress_of(job: ReportJob, counted: tuple[int, int] | None) -> float:
    """Items done of items to do; Redis's count when it has one (never below the row's)."""
    if job.status == "done":
        return 1.0
    done, total = job.done, job.total
    if counted is not None:
        done = max(done, counted[0])
    if total == 0:
        return 0.0
    return min(1.0, done / total)
