"""The report workers' queue: one message per class (and per school) of a report job.

Work items are the reports service's own business, not events of the published language:
they travel on its private exchange `reports.internal` (`reports.internal.<run>` in tests),
never on `edu.events`, so no integrator binding `reports.#` sees them. They are written to the
service's outbox in the transaction that creates the job (so a job is never half-queued),
with the row naming that exchange, and published by the relay with confirms to one durable
quorum queue, `reports-jobs` (with its retries and dead letters like any consumer's), that
any number of worker processes consume with a prefetch of one and ack after their class is
written. A worker that dies mid-class never acks it: the broker hands it to another worker.
The service process declares the queue without consuming it, so items wait there before the
first worker starts. In the embedded mode the same queue is the local bus's, consumed in the
service's own process.
"""

from __future__ import annotations

import asyncio
from typing import Literal

from kit.bus.base import BatchHandler, Bus, private_exchange
from kit.bus.rabbit import RabbitBus
from kit.events import Envelope, Event
from kit.usecase import UseCase

WORK_QUEUE = "reports-jobs"
"""The consumer name of the workers' queue (RabbitMQ queue `<prefix>reports-jobs`)."""

WORK_EXCHANGE = private_exchange("reports")
"""The reports service's private exchange: its work items, never the public `edu.events`."""

TaskKind = Literal["class", "school", "finish"]


class ReportTaskRequested(Event):
    """Internal to the reports service (not part of the published language)."""

    event_type = "reports.task.requested"
    aggregate = "task_id"
    summary = "Internal: a work item of a report job for the report workers."

    task_id: str
    job_id: str
    kind: TaskKind


PATTERNS = [ReportTaskRequested.binding()]


def worker_bus(bus: RabbitBus, *, prefetch: int) -> RabbitBus:
    """A bus of its own for a worker, on the same broker, exchanges and names."""
    return RabbitBus(
        bus.url,
        exchange=bus.exchange_name,
        queue_prefix=bus.prefix,
        prefetch=prefetch,
        batch_size=1,
        max_attempts=bus.max_attempts,
        retry_delays_ms=bus.retry_delays,
        publish_timeout=bus.publish_timeout,
        private_suffix=bus.private_suffix,
    )


class WorkQueue:
    """The workers' queue on the service's own bus. Given the embedded worker's handler, the
    bus consumes it; otherwise the bus only declares it (`Bus.declare`), so a job's items are
    routed somewhere even before the first worker process starts. Ready once the bus is
    connected (it declares before it says so)."""

    def __init__(self, bus: Bus, handler: BatchHandler | None = None) -> None:
        self.bus = bus
        if handler is None:
            bus.declare(WORK_QUEUE, PATTERNS, exchange=WORK_EXCHANGE)
        else:
            bus.subscribe(WORK_QUEUE, PATTERNS, handler, exchange=WORK_EXCHANGE)

    async def check(self) -> None:
        try:
            await self.bus.ping()
        except Exception as exc:
            raise RuntimeError("the report workers' queue is not declared yet") from exc

    async def wait(self, timeout: float = 15.0) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            try:
                await self.check()
                return True
            except RuntimeError:
                if loop.time() >= deadline:
                    return False
                await asyncio.sleep(0.1)


async def send(uc: UseCase, school_id: str | None, items: list[ReportTaskRequested]) -> None:
    """Queue the items in the use case's unit of work (its outbox, stamped with its instant),
    for the private exchange: they never reach the public one."""
    await uc.outbox.add_many(
        uc.session, items, school_id=school_id, at=uc.now, exchange=WORK_EXCHANGE
    )


def task_envelope(envelope: Envelope) -> ReportTaskRequested:
    event = envelope.event()
    assert isinstance(event, ReportTaskRequested)
    return event
