"""Report jobs: a school's or the city's summary sheets and performance tables.

A job becomes one work item per class and one per school (the school's performance table),
written with their queue messages in one transaction; the last item done adds the finishing
item (the city's table, then `reports.report.ready`). The same job asked for again while it
is queued or running is that job, not a second one. A period with no data makes an empty
report, not an error. A worker (`worker.py`) takes an item (`start_item`), makes its files
(`service/tasks.py`) and counts it done (`item_done`) or failed (`item_failed`), each step
in a unit of work of its own.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from enum import Enum

from redis.asyncio import Redis

from contracts.reports import ReportReady
from kit.db import new_id
from kit.errors import Invalid, NotFound, Unavailable
from kit.logging import get_logger
from kit.usecase import UseCase
from services.reports import policy
from services.reports.adapters import progress, work_queue
from services.reports.adapters.work_queue import ReportTaskRequested, TaskKind, WorkQueue
from services.reports.models import Period, ReportJob, ReportTask
from services.reports.repository import jobs, reads
from services.reports.schemas.jobs import JobRequest
from services.reports.service import access, limits, printing
from services.reports.service.limits import ReportLimits
from services.reports.service.tasks import Made

log = get_logger(__name__)


@dataclass(frozen=True)
class Scope:
    """One school's part of a job: its own period matching the one asked for."""

    school_id: str
    period: Period


async def scopes_of(uc: UseCase, request: JobRequest) -> list[Scope]:
    if request.kind == "school":
        if not request.school_id:
            raise Invalid("a school job names its school_id", code="school_required")
        period = await access.period_of_school(uc, request.school_id, request.period_id)
        return [Scope(request.school_id, period)]
    if request.school_id is not None:
        raise Invalid("a city job covers every school: leave school_id out", code="school_given")
    asked = await reads.period(uc.session, request.period_id)
    if asked is None:
        raise NotFound("period not found", code="period_not_found")
    year = await reads.year(uc.session, asked.year_id)
    if year is None:
        return [Scope(asked.school_id, asked)]
    matching = await reads.periods_like(uc.session, year.name, asked.kind, asked.number)
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
    uc: UseCase, request: JobRequest, queue: WorkQueue, redis: Redis, allowed: ReportLimits
) -> tuple[ReportJob, bool]:
    """(the job, whether it is new); an equal job already queued or running is returned.

    Limits (`service/limits.py`): while a job of this kind the actor asked for is queued or
    running, another one (not equal to it) is refused with 429 `job_running`; new jobs are
    counted per account (429 `too_many_jobs`). The equal job returned counts nothing."""
    if not await queue.wait():
        raise Unavailable("the report workers' queue is not reachable", code="work_queue_down")
    printing.job_formats(request.format)
    policy.may_request_job(uc.actor, request.kind, request.school_id)
    scopes = await scopes_of(uc, request)
    key = dedupe_key(request, scopes)
    running = await jobs.running_job(uc.session, key)
    if running is not None:
        policy.may_read_job(uc.actor, running.school_id, running.requested_by)
        return running, False
    mine = await jobs.running_job_of(uc.session, uc.actor.account_id, request.kind)
    if mine is not None:
        raise limits.job_running(mine, allowed)
    await limits.new_job(uc, allowed)
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
        "requested_by": uc.actor.account_id,
        "created_at": uc.now,
    }
    if not await jobs.insert_job(uc.session, values):
        running = await jobs.running_job(uc.session, key)
        if running is not None:
            policy.may_read_job(uc.actor, running.school_id, running.requested_by)
            return running, False
        raise RuntimeError("a job with this key was running and is not any more: retry")
    rows: list[dict[str, object]] = []
    for scope in scopes:
        for school_class in await reads.classes_of_school(
            uc.session, scope.school_id, scope.period.year_id
        ):
            rows.append(task_row(job_id, "class", scope, school_class.class_id))
        rows.append(task_row(job_id, "school", scope))
    if not rows:
        rows.append(task_row(job_id, "finish", None))
    await jobs.add_tasks(uc.session, rows)
    await jobs.set_total(uc.session, job_id, sum(r["kind"] != "finish" for r in rows))
    await enqueue(uc, rows)
    job = await jobs.job(uc.session, job_id)
    assert job is not None
    try:
        await progress.start(redis, job.job_id, job.total)
    except Exception as exc:  # the job's row holds the same counts
        log.warning("progress_not_started", job=job.job_id, error=repr(exc))
    return job, True


async def enqueue(uc: UseCase, rows: list[dict[str, object]]) -> None:
    """The items' messages, in the same transaction as the items (grouped by school)."""
    by_school: dict[str | None, list[ReportTaskRequested]] = defaultdict(list)
    for row in rows:
        by_school[row["school_id"]].append(  # type: ignore[index]
            ReportTaskRequested(
                task_id=str(row["task_id"]),
                job_id=str(row["job_id"]),
                kind=row["kind"],
            )
        )
    for school_id, items in by_school.items():
        await work_queue.send(uc, school_id, items)


async def readable_job(uc: UseCase, job_id: str) -> ReportJob:
    job = await jobs.job(uc.session, job_id)
    if job is None:
        raise NotFound("job not found", code="job_not_found")
    policy.may_read_job(uc.actor, job.school_id, job.requested_by)
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


async def job_progress(uc: UseCase, job_id: str, redis: Redis) -> tuple[ReportJob, float]:
    """The job, if the actor may read it, and the share of its items done."""
    job = await readable_job(uc, job_id)
    try:
        counted = await progress.read(redis, job_id)
    except Exception:  # Redis is never the only copy: the row has the count
        counted = None
    return job, progress_of(job, counted)


def result_url(public_url: str | None, job_id: str) -> str:
    path = f"/reports/v1/jobs/{job_id}/result"
    return f"{public_url.rstrip('/')}{path}" if public_url else path


async def start_item(
    uc: UseCase, task_id: str, worker_id: str
) -> tuple[ReportTask, ReportJob] | None:
    """The item, taken by `worker_id`, and its job; None when the item was done before (a
    redelivery) or its job is over."""
    task = await jobs.start_task(uc.session, task_id, worker_id, uc.now)
    job = await jobs.job(uc.session, task.job_id) if task else None
    if task is None or job is None or job.status in ("done", "failed"):
        return None
    return task, job


class Counted(Enum):
    """What counting an item done came to."""

    before = "before"
    """another delivery of the item counted it already"""
    item = "item"
    """one more item of the job is done"""
    job = "job"
    """the finishing item: the job is done and `reports.report.ready` published"""


async def item_done(
    uc: UseCase, task: ReportTask, job: ReportJob, made: Made, public_url: str | None
) -> Counted:
    """Count the item done, once; the last item of a job queues the finishing one, and the
    finishing one closes the job."""
    files = json.dumps(made.files, ensure_ascii=False)
    if not await jobs.finish_task(uc.session, task.task_id, files, made.result, uc.now):
        return Counted.before
    if task.kind == "finish":
        await jobs.close_job(uc.session, job.job_id, "done", uc.now)
        ready = ReportReady(
            job_id=job.job_id,
            kind=job.kind,
            school_id=job.school_id,
            period_id=job.period_id,
            format=job.format,
            result_url=result_url(public_url, job.job_id),
        )
        await uc.publish(job.school_id, [ready])
        return Counted.job
    done, total = await jobs.count_done(uc.session, job.job_id)
    if done == total:
        finish = task_row(job.job_id, "finish", None)
        await jobs.add_tasks(uc.session, [finish])
        await enqueue(uc, [finish])
    return Counted.item


async def item_failed(
    uc: UseCase, task: ReportTask, job: ReportJob, error: Exception, max_attempts: int
) -> None:
    """Count the failure; after the last attempt the job is failed (the item dead-letters)."""
    attempts = await jobs.task_failed(uc.session, task.task_id, repr(error))
    if attempts >= max_attempts:
        await jobs.close_job(uc.session, job.job_id, "failed", uc.now, f"{task.kind}: {error!r}")
