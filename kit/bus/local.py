"""The embedded mode's bus: durable queues in a local database, consumed in-process.

It keeps the RabbitMQ bus's guarantees without a broker: a published envelope is stored, in
one transaction, once per consumer bound to the exchange it is published to (the public one
or a service's private one) whose patterns match its routing key (that is the publisher
confirm), consuming or only declared (`declare`); consumers take batches in order, delete what they applied (the ack),
reschedule failures with back-off, and mark them dead after the last attempt (the DLQ),
from where they can be listed and replayed.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    update,
)

from kit.bus.base import Bus, BusUnavailable, DeadLetter, Encoded, Subscription, retry_delay_ms
from kit.bus.topics import topic_matches
from kit.db import Database, UTCDateTime, utcnow
from kit.events import Envelope
from kit.logging import get_logger

log = get_logger("kit.bus.local")

metadata = MetaData()
messages = Table(
    "bus_message",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("consumer", String(100), nullable=False),
    Column("envelope", Text, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("available_at", UTCDateTime(), nullable=False),
    Column("dead", Boolean, nullable=False, default=False),
    Column("error", Text),
    Column("failed_at", UTCDateTime()),
)
Index("ix_bus_message_ready", messages.c.consumer, messages.c.dead, messages.c.id)


class LocalBus(Bus):
    def __init__(
        self,
        db: Database,
        *,
        batch_size: int = 128,
        max_attempts: int = 5,
        retry_delays_ms: Sequence[int] = (200, 1000, 5000, 30000),
        idle_interval: float = 1.0,
    ) -> None:
        super().__init__()
        self.db = db
        self.batch_size, self.max_attempts = batch_size, max_attempts
        self.retry_delays = list(retry_delays_ms)
        self.idle_interval = idle_interval
        self._wake: dict[str, asyncio.Event] = {}
        self._tasks: list[asyncio.Task[Any]] = []
        self._started = False

    async def start(self) -> None:
        async with self.db.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        self._started = True
        for sub in self.subscriptions:
            if sub.handler is None:
                continue  # declared: its messages wait for a consumer of the same name
            self._wake[sub.consumer] = asyncio.Event()
            self._tasks.append(
                asyncio.create_task(self._consume(sub), name=f"local-{sub.consumer}")
            )

    async def close(self) -> None:
        self._started = False
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()

    async def publish(
        self, envelopes: Sequence[Envelope], *, exchange: str | None = None
    ) -> list[bool]:
        return await self.publish_encoded([Encoded.of(e) for e in envelopes], exchange=exchange)

    async def publish_encoded(
        self, encoded: Sequence[Encoded], *, exchange: str | None = None
    ) -> list[bool]:
        """Stores the bytes as they are, once per matching consumer (parsed when delivered)."""
        if not self._started:
            raise BusUnavailable("the local bus is not running")
        now = utcnow()
        rows = [
            {
                "consumer": sub.consumer,
                "envelope": message.body.decode(),
                "attempts": 0,
                "available_at": now,
                "dead": False,
            }
            for message in encoded
            for sub in self.subscriptions
            if sub.exchange == exchange
            and any(topic_matches(p, message.routing_key) for p in sub.patterns)
        ]
        if rows:
            async with self.db.unit_of_work() as session:
                await session.execute(insert(messages), rows)
            for consumer in {r["consumer"] for r in rows}:
                if consumer in self._wake:
                    self._wake[consumer].set()
        return [True] * len(encoded)

    async def ping(self) -> None:
        if not self._started:
            raise BusUnavailable("the local bus is not running")
        await self.db.ping()

    async def _consume(self, sub: Subscription) -> None:
        wake = self._wake[sub.consumer]
        while True:
            wake.clear()  # before the pass: a publish during it wakes the next pass
            try:
                taken = await self._deliver_once(sub)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("local_bus_delivery_failed", consumer=sub.consumer, error=repr(exc))
                taken = 0
            if taken:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), timeout=self.idle_interval)

    async def _deliver_once(self, sub: Subscription) -> int:
        async with self.db.read_only() as session:
            rows = (
                await session.execute(
                    select(messages.c.id, messages.c.envelope, messages.c.attempts)
                    .where(
                        messages.c.consumer == sub.consumer,
                        messages.c.dead.is_(False),
                        messages.c.available_at <= utcnow(),
                    )
                    .order_by(messages.c.id)
                    .limit(self.batch_size)
                )
            ).all()
        if not rows:
            return 0
        envelopes = [Envelope.model_validate_json(r.envelope) for r in rows]
        assert sub.handler is not None
        try:
            outcomes = list(await sub.handler(envelopes))
        except Exception as exc:
            outcomes = [exc] * len(rows)
        done = [r.id for r, o in zip(rows, outcomes, strict=True) if o is None]
        async with self.db.unit_of_work() as session:
            if done:
                await session.execute(delete(messages).where(messages.c.id.in_(done)))
            for row, outcome in zip(rows, outcomes, strict=True):
                if outcome is None:
                    continue
                attempt = row.attempts + 1
                dead = attempt >= self.max_attempts
                delay = dt.timedelta(milliseconds=retry_delay_ms(self.retry_delays, attempt))
                await session.execute(
                    update(messages)
                    .where(messages.c.id == row.id)
                    .values(
                        attempts=attempt,
                        dead=dead,
                        error=repr(outcome)[:1000],
                        failed_at=utcnow(),
                        available_at=utcnow() + delay,
                    )
                )
                if dead:
                    log.error("event_dead_lettered", consumer=sub.consumer, message_id=row.id)
        return len(rows)

    async def dead_letters(self, consumer: str, limit: int = 100) -> list[DeadLetter]:
        async with self.db.read_only() as session:
            rows = (
                await session.execute(
                    select(messages)
                    .where(messages.c.consumer == consumer, messages.c.dead.is_(True))
                    .order_by(messages.c.id)
                    .limit(limit)
                )
            ).all()
        return [
            DeadLetter(
                consumer=consumer,
                envelope=Envelope.model_validate_json(r.envelope),
                error=r.error or "",
                attempts=r.attempts,
                failed_at=r.failed_at,
            )
            for r in rows
        ]

    async def replay_dead_letters(self, consumer: str, limit: int | None = None) -> int:
        async with self.db.unit_of_work() as session:
            ids = (
                select(messages.c.id)
                .where(messages.c.consumer == consumer, messages.c.dead.is_(True))
                .order_by(messages.c.id)
            )
            if limit is not None:
                ids = ids.limit(limit)
            chosen = list((await session.execute(ids)).scalars().all())
            if chosen:
                await session.execute(
                    update(messages)
                    .where(messages.c.id.in_(chosen))
                    .values(dead=False, attempts=0, available_at=utcnow(), error=None)
                )
        if chosen and consumer in self._wake:
            self._wake[consumer].set()
        return len(chosen)

    async def queue_depths(self) -> dict[str, tuple[int, int]]:
        async with self.db.read_only() as session:
            rows = (
                await session.execute(
                    select(messages.c.consumer, messages.c.dead, func.count()).group_by(
                        messages.c.consumer, messages.c.dead
                    )
                )
            ).all()
        depths = {s.consumer: (0, 0) for s in self.subscriptions}
        for consumer, dead, count in rows:
            waiting, dlq = depths.get(consumer, (0, 0))
            depths[consumer] = (waiting, dlq + count) if dead else (waiting + count, dlq)
        return depths
