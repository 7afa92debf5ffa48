"""Reports ingest: journal.mark.recorded events/s the reports consumer applies through
RabbitMQ (inbox and read model included), beside a raw aio-pika consume of the same messages
with acks (the limit). Target: ≥ 0.5 of raw.

Both queues are bound to one exchange of the benchmark's own and filled by one publish, so
they hold the same messages; each consumer then runs alone. The reports consumer is the
service's own (`BatchConsumer` + `handlers.register`, the kit's `RabbitBus`), on a database
created for the case and dropped at the end.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import secrets
import time

import aio_pika
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bench.figures import Figure
from contracts.journal import MarkRecorded
from kit.bus.rabbit import RabbitBus
from kit.consumer import BatchConsumer
from kit.db import new_id
from kit.events import Envelope
from kit.migrations import upgrade
from kit.runtime import Runtime
from services.reports import handlers
from services.reports.models import inbox, outbox
from services.reports.settings import MIGRATIONS, ReportsSettings

PREFETCH = ReportsSettings().consumer_prefetch


def events_for(scale: float) -> int:
    """≥ 200,000 events from scale 0.1 up; fewer for quick runs."""
    return max(10_000, min(200_000, int(2_000_000 * scale)))


def marks(count: int) -> list[Envelope]:
    """A school's stream of marks: 30 classes × 25 students × 12 subjects."""
    school = new_id()
    classes = [new_id() for _ in range(30)]
    subjects = [new_id() for _ in range(12)]
    students = {c: [new_id() for _ in range(25)] for c in classes}
    teacher, lesson = new_id(), new_id()
    start = dt.date(2026, 11, 5)
    out = []
    for i in range(count):
        c = classes[i % 30]
        out.append(
            Envelope.wrap(
                MarkRecorded(
                    mark_id=new_id(),
                    lesson_id=lesson,
                    student_id=students[c][(i // 30) % 25],
                    class_id=c,
                    subject_id=subjects[(i // 750) % 12],
                    period_id=None,
                    value=1 + i % 5,
                    work_type="answer",
                    weight=1.0,
                    date=start + dt.timedelta(days=i % 50),
                    teacher_id=teacher,
                ),
                school_id=school,
            ).model_copy(update={"sequence": i + 1})
        )
    return out


async def publish(bus: RabbitBus, envelopes: list[Envelope]) -> None:
    for start in range(0, len(envelopes), 2000):
        confirmed = await bus.publish(envelopes[start : start + 2000])
        if not all(confirmed):
            raise RuntimeError("the broker did not confirm every message")


async def raw_consume(url: str, queue_name: str, count: int) -> float:
    """The limit: aio-pika alone, ack per message, the same prefetch."""
    connection = await aio_pika.connect_robust(url)
    try:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=PREFETCH)
        queue = await channel.declare_queue(queue_name, passive=True)
        done = asyncio.Event()
        seen = 0

        async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            nonlocal seen
            await message.ack()
            seen += 1
            if seen >= count:
                done.set()

        started = time.perf_counter()
        await queue.consume(on_message)
        await done.wait()
        return count / (time.perf_counter() - started)
    finally:
        await connection.close()


async def reports_consume(bus: RabbitBus, runtime: Runtime, count: int) -> float:
    consumer = BatchConsumer("reports", runtime.db, inbox)
    handlers.register(consumer, runtime)
    done = asyncio.Event()
    applied = 0

    async def counting(envelopes):  # type: ignore[no-untyped-def]
        nonlocal applied
        outcomes = await consumer.handle_batch(envelopes)
        applied += sum(o is None for o in outcomes)
        if applied >= count:
            done.set()
        return outcomes

    bus.subscribe("reports", consumer.patterns, counting)
    started = time.perf_counter()
    await bus.start()
    await done.wait()
    return count / (time.perf_counter() - started)


async def run(scale: float) -> list[Figure]:
    count = events_for(scale)
    postgres = os.environ.get("EJ_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432")
    amqp = os.environ.get("EJ_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
    tag = f"bench{secrets.token_hex(3)}"
    db_name = f"ej_{tag}_reports"
    url = f"{postgres.rstrip('/')}/{db_name}"
    exchange, prefix = f"edu.events.{tag}", f"{tag}."
    await upgrade(url, MIGRATIONS)
    settings = ReportsSettings(mode="distributed", database_url=url)
    runtime = Runtime.create("reports", settings, outbox, MIGRATIONS)
    db = runtime.db
    declare = RabbitBus(amqp, exchange=exchange, queue_prefix=prefix)
    declare.declare("reports", [MarkRecorded.binding()])
    raw_queue = f"{prefix}raw"
    try:
        await declare.start()
        await declare.wait_connected()
        connection = await aio_pika.connect(amqp)
        channel = await connection.channel()
        queue = await channel.declare_queue(
            raw_queue, durable=True, arguments={"x-queue-type": "quorum"}
        )
        await queue.bind(exchange, MarkRecorded.binding())
        print(f"publishing {count:,} journal.mark.recorded events", flush=True)
        started = time.perf_counter()
        await publish(declare, marks(count))
        print(f"published in {time.perf_counter() - started:.1f} s", flush=True)
        raw = await raw_consume(amqp, raw_queue, count)
        print(f"raw aio-pika consume: {raw:,.0f} msg/s", flush=True)
        bus = RabbitBus(
            amqp,
            exchange=exchange,
            queue_prefix=prefix,
            prefetch=PREFETCH,
            batch_size=min(PREFETCH, 128),
        )
        ours = await reports_consume(bus, runtime, count)
        await bus.close()
        async with db.read_only() as session:
            stored = (await session.execute(text("SELECT count(*) FROM mark"))).scalar_one()
        assert stored == count, f"{stored} marks stored of {count}"
        return [
            Figure(
                name=f"reports ingest ({count:,} marks, inbox incl.)",
                value=ours,
                unit="ev/s",
                baseline=raw,
                baseline_name="raw aio-pika",
                target="≥ 0.5× raw",
                met=ours >= 0.5 * raw,
            )
        ]
    finally:
        await declare.delete_topology()
        await channel.queue_delete(raw_queue)
        await connection.close()
        await declare.close()
        await db.dispose()
        await runtime.redis.aclose()
        await drop_database(postgres, db_name)


async def drop_database(postgres: str, name: str) -> None:
    admin = create_async_engine(
        f"{postgres.rstrip('/')}/postgres", poolclass=NullPool, isolation_level="AUTOCOMMIT"
    )
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()
