"""Report workers: take a job's work items from their queue, make their files, count them done.

The items come from the service's private exchange (`adapters/work_queue.py`), never from
`edu.events`; the finishing item goes back the same way, through the outbox. An edge: each
step of an item (take it, read what it makes, count it done or failed) is a use case in a
unit of work opened here, with the runtime's clock; the files are rendered and stored between
the steps, with no transaction open.

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
import os
import signal
import socket
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from kit.context import use_context
from kit.events import Envelope
from kit.logging import configure_logging, get_logger
from kit.metrics import JOB_SECONDS
from kit.runtime import Runtime
from kit.service_main import run_until_stopped
from kit.storage import ObjectStore
from kit.usecase import Actor, UseCase
from services.reports.adapters import progress
from services.reports.adapters.report_store import report_store
from services.reports.adapters.work_queue import (
    PATTERNS,
    WORK_EXCHANGE,
    WORK_QUEUE,
    task_envelope,
)
from services.reports.models import ReportJob, ReportTask, outbox
from services.reports.service import jobs, tasks
from services.reports.service.jobs import Counted
from services.reports.settings import MIGRATIONS, ReportsSettings

log = get_logger("services.reports.worker")


class ReportWorker:
    """Works a job's items, each step a use case in a unit of work of its own."""

    def __init__(
        self, runtime: Runtime, store: ObjectStore, *, worker_id: str | None = None
    ) -> None:
        settings = runtime.settings
        assert isinstance(settings, ReportsSettings)
        self.runtime, self.store, self.settings = runtime, store, settings
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}"

    @asynccontextmanager
    async def step(self, school_id: str | None) -> AsyncIterator[UseCase]:
        """One step's unit of work, as the platform acting for the item's school. It commits
        even when it only reads, so the rows read stay usable while the files are made."""
        async with self.runtime.use_case(Actor.system(school_id)) as uc:
            yield uc

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
                    await self.run(task_envelope(envelope).task_id, envelope.schoolid)
                    outcomes.append(None)
                except Exception as exc:
                    log.warning("report_task_failed", envelope=envelope.id, error=repr(exc))
                    outcomes.append(exc)
        return outcomes

    async def run(self, task_id: str, school_id: str | None) -> None:
        started = time.perf_counter()
        async with self.step(school_id) as uc:
            taken = await jobs.start_item(uc, task_id, self.worker_id)
        if taken is None:
            return  # done before (a redelivery), or its job is over
        task, job = taken
        if self.settings.worker_task_delay_ms:
            await asyncio.sleep(self.settings.worker_task_delay_ms / 1000)
        try:
            async with self.step(school_id) as uc:
                document = await tasks.document(uc, task, job)
            made = await tasks.store_files(self.store, document, job.format)
        except Exception as exc:
            async with self.step(school_id) as uc:
                await jobs.item_failed(uc, task, job, exc, self.settings.consumer_max_attempts)
            raise
        await self.complete(school_id, task, job, made)
        JOB_SECONDS.labels("reports", f"task_{task.kind}").observe(time.perf_counter() - started)

    async def complete(
        self, school_id: str | None, task: ReportTask, job: ReportJob, made: tasks.Made
    ) -> None:
        async with self.step(school_id) as uc:
            counted = await jobs.item_done(uc, task, job, made, self.settings.public_url)
            closed_at = uc.now
        if counted is Counted.job:
            seconds = (closed_at - job.created_at).total_seconds()
            JOB_SECONDS.labels("reports", f"job_{job.kind}").observe(seconds)
            log.info("report_job_done", job=job.job_id, kind=job.kind)
        elif counted is Counted.item:
            try:
                await progress.advance(self.runtime.redis, job.job_id)
            except Exception as exc:  # Redis is never the only copy: the row has the count
                log.warning("progress_not_recorded", job=job.job_id, error=repr(exc))


def worker_settings(settings: ReportsSettings) -> ReportsSettings:
    """A worker process's consumer holds `worker_prefetch` items (one, by default), not the
    read model's large batches."""
    return settings.model_copy(update={"consumer_prefetch": max(1, settings.worker_prefetch)})


async def serve(settings: ReportsSettings, *, stop: asyncio.Event | None = None) -> None:
    """One worker process: consume the workers' queue until told to stop (SIGTERM, SIGINT)."""
    configure_logging(settings.log_level, settings.log_format)
    store = report_store(settings)
    if store is None:
        raise SystemExit("report workers need EJ_REPORTS_S3_ENDPOINT (and its keys) to store files")
    runtime = Runtime.create("reports", worker_settings(settings), outbox, MIGRATIONS)
    worker = ReportWorker(runtime, store)
    runtime.bus.subscribe(WORK_QUEUE, PATTERNS, worker.handle, exchange=WORK_EXCHANGE)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await runtime.start()
    log.info("report_worker_started", worker=worker.worker_id, queue=WORK_QUEUE)
    try:
        await stop.wait()
    finally:
        await runtime.stop()
        log.info("report_worker_stopped", worker=worker.worker_id)


def run(settings: ReportsSettings, *, grace_seconds: float = 5.0) -> None:
    """Run one worker process until SIGTERM or SIGINT, and then leave."""
    run_until_stopped(serve(settings), grace_seconds=grace_seconds)
