"""The report workers' queue: one message per class (and per school) of a report job.

Messages travel like events: written to the reports service's outbox in the transaction that
creates the job (so a job is never half-queued), published by the relay with confirms, routed
by the topic exchange to one durable quorum queue, `reports-jobs`, that any number of worker
processes consume with a prefetch of one and ack after their class is written. A worker that
dies mid-class never acks it: the broker hands it to another worker. In the embedded mode the
same queue is the local bus's, consumed in the service's own process.
"""

from __future__ import annotations

import asyncio
from typing import Literal

from kit.bus.base import Bus
from kit.bus.rabbit import RabbitBus
from kit.events import Envelope, Event
from kit.logging import get_logger

log = get_logger("services.reports.work")

WORK_QUEUE = "reports-jobs"
"""The consumer name of the workers' queue (RabbitMQ queue `<prefix>reports-jobs`)."""

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


def worker_bus(bus: RabbitBus, *, prefetch: int, consume: bool = True) -> RabbitBus:
    """A bus of its own for the workers' queue, on the same broker, exchange and names."""
    return RabbitBus(
        bus.url,
        exchange=bus.exchange_name,
        queue_prefix=bus.prefix,
        prefetch=prefetch,
        batch_size=1,
        max_attempts=bus.max_attempts,
        retry_delays_ms=bus.retry_delays,
        publish_timeout=bus.publish_timeout,
        consume=consume,
    )


async def _ignore(envelopes: object) -> list[None]:
    raise AssertionError("a declaring bus never consumes")


class QueueDeclarer:
    """Declares the workers' queue from the service process, which never consumes it, so a
    job's messages are routed somewhere even before the first worker starts."""

    def __init__(self, bus: Bus) -> None:
        self.bus = bus
        self.ready = asyncio.Event()
        if not isinstance(bus, RabbitBus):
            self.ready.set()  # the local bus keeps messages for subscribers it knows

    async def run(self) -> None:
        if self.ready.is_set():
            return
        assert isinstance(self.bus, RabbitBus)
        while True:
            declaring = worker_bus(self.bus, prefetch=1, consume=False)
            declaring.subscribe(WORK_QUEUE, PATTERNS, _ignore)
            try:
                await declaring.start()
                await declaring.wait_connected(timeout=30)
                self.ready.set()
                log.info("work_queue_declared", queue=declaring.queue_name(WORK_QUEUE))
                return
            except Exception as exc:
                log.warning("work_queue_declare_failed", error=repr(exc))
                await asyncio.sleep(2)
            finally:
                await declaring.close()

    async def check(self) -> None:
        if not self.ready.is_set():
            raise RuntimeError("the report workers' queue is not declared yet")

    async def wait(self, timeout: float = 15.0) -> bool:
        try:
            await asyncio.wait_for(self.ready.wait(), timeout)
            return True
        except TimeoutError:
            return False


def task_envelope(envelope: Envelope) -> ReportTaskRequested:
    event = envelope.event()
    assert isinstance(event, ReportTaskRequested)
    return event
