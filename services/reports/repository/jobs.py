"""Queries of report jobs and their work items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from sqlalchemy import case, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import insert_for, table_of
from services.reports.models import ReportJob, ReportTask

RUNNING = ("queued", "running")


async def insert_job(session: AsyncSession, values: Mapping[str, object]) -> bool:
    """Insert unless the same job is queued or running; True when this one was inserted."""
    stmt = (
        insert_for(session, table_of(ReportJob))
        .values(values)
        .on_conflict_do_nothing(
            index_elements=["dedupe_key"], index_where=text("status IN ('queued', 'running')")
        )
        .returning(ReportJob.job_id)
    )
    return (await session.execute(stmt)).first() is not None


async def running_job(session: AsyncSession, dedupe_key: str) -> ReportJob | None:
    rows = await session.execute(
        select(ReportJob).where(ReportJob.dedupe_key == dedupe_key, ReportJob.status.in_(RUNNING))
    )
    return rows.scalars().first()


async def running_job_of(session: AsyncSession, account_id: str, kind: str) -> ReportJob | None:
    """The job of this kind that this account asked for and is still queued or running."""
    rows = await session.execute(
        select(ReportJob)
        .where(
            ReportJob.requested_by == account_id,
            ReportJob.kind == kind,
            ReportJob.status.in_(RUNNING),
        )
        .order_by(ReportJob.created_at)
        .limit(1)
    )
    return rows.scalars().first()


async def job(session: AsyncSession, job_id: str, *, lock: bool = False) -> ReportJob | None:
    query = select(ReportJob).where(ReportJob.job_id == job_id)
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).scalars().first()


async def set_total(session: AsyncSession, job_id: str, total: int) -> None:
    await session.execute(update(ReportJob).where(ReportJob.job_id == job_id).values(total=total))


async def add_tasks(session: AsyncSession, rows: Sequence[dict[str, object]]) -> None:
    if rows:
        await session.execute(insert(ReportTask), list(rows))


async def task(session: AsyncSession, task_id: str) -> ReportTask | None:
    return await session.get(ReportTask, task_id)


async def start_task(
    session: AsyncSession, task_id: str, worker_id: str, now: dt.datetime
) -> ReportTask | None:
    """Mark a task taken by a worker; None when it is already done (a redelivery)."""
    await session.execute(
        update(ReportTask)
        .where(ReportTask.task_id == task_id, ReportTask.status != "done")
        .values(
            status="running",
            worker_id=worker_id,
            started_at=now,
            starts=ReportTask.starts + 1,
        )
    )
    found = await session.get(ReportTask, task_id, populate_existing=True)
    return found if found is not None and found.status != "done" else None


async def finish_task(
    session: AsyncSession, task_id: str, files: str, result: str | None, now: dt.datetime
) -> bool:
    """Mark a task done once; False when another delivery of it got there first."""
    done = await session.execute(
        update(ReportTask)
        .where(ReportTask.task_id == task_id, ReportTask.status != "done")
        .values(status="done", files=files, result=result, finished_at=now)
        .returning(ReportTask.task_id)
    )
    return done.first() is not None


async def count_done(session: AsyncSession, job_id: str) -> tuple[int, int]:
    """One more item of the job done: (done, total), serialised on the job's row."""
    row = (
        await session.execute(
            update(ReportJob)
            .where(ReportJob.job_id == job_id)
            .values(
                done=ReportJob.done + 1,
                status=case((ReportJob.status == "queued", "running"), else_=ReportJob.status),
            )
            .returning(ReportJob.done, ReportJob.total)
        )
    ).one()
    return int(row[0]), int(row[1])


async def close_job(
    session: AsyncSession, job_id: str, status: str, now: dt.datetime, error: str | None = None
) -> None:
    await session.execute(
        update(ReportJob)
        .where(ReportJob.job_id == job_id)
        .values(status=status, finished_at=now, error=error)
    )


async def task_failed(session: AsyncSession, task_id: str, error: str) -> int:
    """Count a failed attempt; returns the attempts so far."""
    row = (
        await session.execute(
            update(ReportTask)
            .where(ReportTask.task_id == task_id)
            .values(attempts=ReportTask.attempts + 1, result=error[:2000])
            .returning(ReportTask.attempts)
        )
    ).first()
    return int(row[0]) if row else 0


async def tasks_of(session: AsyncSession, job_id: str, kind: str | None = None) -> list[ReportTask]:
    query = select(ReportTask).where(ReportTask.job_id == job_id)
    if kind is not None:
        query = query.where(ReportTask.kind == kind)
    return list((await session.execute(query.order_by(ReportTask.task_id))).scalars())
