"""Report workers: take a job's work items from their queue, make their files, count them done.

The items come from the service's private exchange (`work.py`), never from `edu.events`; the
finishing item goes back the same way, through the outbox.

`python -m services.reports worker` runs one worker process (the distributed mode runs as
many as there are cores, or as KEDA scales them on the queue's length); the embedded mode
runs the same `ReportWorker` in the service's own process on the local bus.

An item is acked only after its files are stored and it is counted done in the database, so
a worker killed mid-item loses nothing: the broker hands the item to another worker, which
redoes it (same keys, so the same files). Counting is once per item (the item's row moves to
`done` once), on the job's row, so exactly one worker sees the last item done and queues the
finishing item, whose worker closes the job and publishes `reports.report.ready`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
import socket
import time
from collections.abc import Sequence

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.reports import ReportReady
from kit.bus.rabbit import RabbitBus
from kit.clock import Clock
from kit.context import use_context
from kit.db import Database
from kit.events import Envelope
from kit.kv import connect_redis
from kit.logging import configure_logging, get_logger
from kit.metrics import JOB_SECONDS
from kit.migrations import ensure_migrated
from kit.outbox import Outbox, OutboxRelay
from kit.storage import ObjectStore
from services.reports import progress
from services.reports.models import ReportJob, ReportTask, outbox
from services.reports.repository import jobs
from services.reports.service.jobs import enqueue, task_row
from services.reports.service.tasks import Made, make
from services.reports.settings import MIGRATIONS, ReportsSettings
from services.reports.storage import report_store
from services.reports.work import PATTERNS, WORK_EXCHANGE, WORK_QUEUE, task_envelope

log = get_logger("services.reports.worker")


def result_url(settings: ReportsSettings, job_id: str) -> str:
    path = f"/reports/v1/jobs/{job_id}/result"
    return f"{settings.public_url.rstrip('/')}{path}" if settings.public_url else path


class ReportWorker:
    def __init__(
        self,
        db: Database,
        store: ObjectStore,
        redis: Redis,
        settings: ReportsSettings,
        *,
        worker_id: str | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.db, self.store, self.redis, self.settings = db, store, redis, settings
        self.outbox = Outbox(outbox)
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}"
        self.clock = clock or Clock()

    async def handle(self, envelopes: Sequence[Envelope]) -> list[BaseException | None]:
        """The bus's handler: items one after another; a failure fails only its own item."""
        outcomes: list[BaseException | None] = []
        for envelope in envelopes:
            with use_context(
                correlation_id=envelope.correlationid,
                school_id=envelope.schoolid,
                actor_id=envelope.actorid,
            ):
                try:
                    await self.run(task_envelope(envelope).task_id)
                    outcomes.append(None)
                except Exception as exc:
                    log.warning("report_task_failed", envelope=envelope.id, error=repr(exc))
                    outcomes.append(exc)
        return outcomes

    async def run(self, task_id: str) -> None:
        started = time.perf_counter()
        async with self.db.unit_of_work() as session:
            task = await jobs.start_task(session, task_id, self.worker_id, self.clock.now())
            job = await jobs.job(session, task.job_id) if task else None
        if task is None or job is None or job.status in ("done", "failed"):
            return  # done before (a redelivery), or its job is over
        if self.settings.worker_task_delay_ms:
            await asyncio.sleep(self.settings.worker_task_delay_ms / 1000)
        try:
            made = await make(self.db, self.store, task, job, self.clock.now())
        except Exception as exc:
            await self.failed(task, job, exc)
            raise
        await self.complete(task, job, made)
        JOB_SECONDS.labels("reports", f"task_{task.kind}").observe(time.perf_counter() - started)

    async def complete(self, task: ReportTask, job: ReportJob, made: Made) -> None:
        now = self.clock.now()
        counted = False
        async with self.db.unit_of_work() as session:
            files = json.dumps(made.files, ensure_ascii=False)
            if not await jobs.finish_task(session, task.task_id, files, made.result, now):
                return
            if task.kind == "finish":
                await self.close(session, job, now)
                return
            done, total = await jobs.count_done(session, job.job_id)
            counted = True
            if done == total:
                finish = task_row(job.job_id, "finish", None)
                await jobs.add_tasks(session, [finish])
                await enqueue(session, self.outbox, [finish])
        if counted:
            try:
                await progress.advance(self.redis, job.job_id)
            except Exception as exc:  # Redis is never the only copy: the row has the count
                log.warning("progress_not_recorded", job=job.job_id, error=repr(exc))

    async def close(self, session: AsyncSession, job: ReportJob, now: dt.datetime) -> None:
        await jobs.close_job(session, job.job_id, "done", now)
        await self.outbox.add(
            session,
            ReportReady(
                job_id=job.job_id,
                kind=job.kind,
                school_id=job.school_id,
                period_id=job.period_id,
                format=job.format,
                result_url=result_url(self.settings, job.job_id),
            ),
            school_id=job.school_id,
        )
        JOB_SECONDS.labels("reports", f"job_{job.kind}").observe(
            (now - job.created_at).total_seconds()
        )
        log.info("report_job_done", job=job.job_id, kind=job.kind)

    async def failed(self, task: ReportTask, job: ReportJob, error: Exception) -> None:
        """Count the failure; after the last attempt the job is failed (the item dead-letters)."""
        async with self.db.unit_of_work() as session:
            attempts = await jobs.task_failed(session, task.task_id, repr(error))
            if attempts >= self.settings.consumer_max_attempts:
                await jobs.close_job(
                    session, job.job_id, "failed", self.clock.now(), f"{task.kind}: {error!r}"
                )


async def serve(settings: ReportsSettings, *, stop: asyncio.Event | None = None) -> None:
    """One worker process: consume the workers' queue until told to stop (SIGTERM, SIGINT)."""
    configure_logging(settings.log_level, settings.log_format)
    store = report_store(settings)
    if store is None:
        raise SystemExit("report workers need EJ_REPORTS_S3_ENDPOINT (and its keys) to store files")
    db = Database(settings.database_url_for("reports"))
    await ensure_migrated(db, MIGRATIONS, "python -m services.reports migrate")
    bus = RabbitBus(
        settings.amqp_url,
        exchange=settings.exchange,
        queue_prefix=settings.queue_prefix,
        prefetch=max(1, settings.worker_prefetch),
        batch_size=1,
        max_attempts=settings.consumer_max_attempts,
        retry_delays_ms=settings.retry_delays_ms,
    )
    redis = connect_redis(settings.redis_url)
    worker = ReportWorker(db, store, redis, settings)
    bus.subscribe(WORK_QUEUE, PATTERNS, worker.handle, exchange=WORK_EXCHANGE)
    relay = OutboxRelay(db, outbox, bus, batch=settings.outbox_batch)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await bus.start()
    relay.start()
    log.info("report_worker_started", worker=worker.worker_id, queue=bus.queue_name(WORK_QUEUE))
    try:
        await stop.wait()
    finally:
        await bus.close()
        await relay.stop()
        await redis.aclose()
        await db.dispose()
        log.info("report_worker_stopped", worker=worker.worker_id)


def run(settings: ReportsSettings, *, grace_seconds: float = 5.0) -> None:
    """Run one worker process until SIGTERM or SIGINT, and then leave, even if a library's
    background task (a broker reconnect loop) does not stop when cancelled: `asyncio.run`
    would wait for it forever and leave the process hanging after its work is done."""
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(serve(settings))
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.wait(pending, timeout=grace_seconds))
    finally:
        loop.close()
