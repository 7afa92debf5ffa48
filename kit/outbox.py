"""Transactional outbox: events written with the change, published by a relay.

`Outbox.add` writes envelope rows through the caller's session, in the caller's transaction:
a rolled-back change publishes nothing, a committed one is published even if the broker was
down at the time. `OutboxRelay` selects unsent rows `FOR UPDATE SKIP LOCKED` (so several relays
may run), publishes them with publisher confirms, and marks sent only what the broker
acknowledged. The row id is the envelope's `sequence`: it grows with every event of the
service, so it grows per aggregate too.

A service that also sends itself internal messages (work items for its workers) keeps, on
each row, the exchange to publish it to (`outbox_table(..., with_exchange=True)`): the relay
publishes those rows to that private exchange, with the same confirms, and the others to the
public one.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    Row,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from kit.bus.base import Bus
from kit.context import current_context
from kit.db import Database, UTCDateTime, utcnow
from kit.events import Envelope, Event
from kit.logging import get_logger
from kit.metrics import OUTBOX_PUBLISHED

log = get_logger("kit.outbox")

OUTBOX_FLAG = "ej_outbox_written"


def outbox_table(metadata: MetaData, *, with_exchange: bool = False) -> Table:
    """The outbox; `with_exchange` adds the `exchange` column (NULL: the public exchange) for
    a service whose rows may go to its private exchange."""
    routed = [Column("exchange", String(120))] if with_exchange else []
    table = Table(
        "outbox",
        metadata,
        Column(
            "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("event_type", String(120), nullable=False),
        Column("school_id", String(36)),
        Column("aggregate_id", String(64)),
        Column("envelope", Text, nullable=False),
        Column("created_at", UTCDateTime(), nullable=False),
        Column("sent_at", UTCDateTime()),
        Column("attempts", Integer, nullable=False, default=0),
        Column("last_error", Text),
        Column("claimed_until", UTCDateTime()),
        *routed,
    )
    Index(
        "ix_outbox_unsent",
        table.c.id,
        postgresql_where=table.c.sent_at.is_(None),
        sqlite_where=table.c.sent_at.is_(None),
    )
    return table


class Outbox:
    """Writes a service's events into its outbox table, inside the caller's transaction."""

    def __init__(self, table: Table) -> None:
        self.table = table

    async def add(self, session: AsyncSession, event: Event, *, school_id: str | None) -> Envelope:
        return (await self.add_many(session, [event], school_id=school_id))[0]

    def _exchange_column(self, exchange: str | None) -> dict[str, str | None]:
        if "exchange" in self.table.c:
            return {"exchange": exchange}
        if exchange is not None:
            raise ValueError(
                f"outbox {self.table.name} has no exchange column: "
                "build it with outbox_table(..., with_exchange=True)"
            )
        return {}

    async def add_many(
        self,
        session: AsyncSession,
        events: Sequence[Event],
        *,
        school_id: str | None,
        at: dt.datetime | None = None,
        exchange: str | None = None,
    ) -> list[Envelope]:
        """One INSERT for all the events: a lesson's marks cost one statement, not thirty.

        `at` is the envelopes' `time`: the instant the service judged the change by (its
        clock, `kit.usecase.UseCase.now`), so a consumer reads the producer's time, not the
        relay's; the wall clock when not given. `exchange`: where the relay publishes them
        (None: the public exchange; a `kit.bus.base.private_exchange(...)` for internal
        messages, which never reach the public one)."""
        if not events:
            return []
        ctx = current_context()
        now = utcnow()
        stamped = now if at is None else at.astimezone(dt.UTC)
        envelopes = [
            Envelope.wrap(
                e, school_id=school_id, actor_id=ctx.actor_id, correlation_id=ctx.correlation_id
            ).model_copy(update={"time": stamped})
            for e in events
        ]
        routing = self._exchange_column(exchange)
        await session.execute(
            insert(self.table),
            [
                {
                    "event_id": env.id,
                    "event_type": env.type,
                    "school_id": school_id,
                    "aggregate_id": env.subject,
                    "envelope": env.model_dump_json(),
                    "created_at": now,
                    "attempts": 0,
                    **routing,
                }
                for env in envelopes
            ],
        )
        session.info[OUTBOX_FLAG] = True
        return envelopes


class OutboxRelay:
    """Publishes unsent outbox rows; woken after commits, polling as a fallback."""

    def __init__(
        self,
        db: Database,
        table: Table,
        bus: Bus,
        *,
        batch: int = 500,
        idle_interval: float = 1.0,
        retention: dt.timedelta = dt.timedelta(days=7),
    ) -> None:
        self.db, self.table, self.bus = db, table, bus
        self.batch, self.idle_interval, self.retention = batch, idle_interval, retention
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._last_purge = 0.0
        db.after_commit(self._after_commit)

    def _after_commit(self, session: AsyncSession) -> None:
        if session.info.pop(OUTBOX_FLAG, False):
            self._wake.set()

    def wake(self) -> None:
        self._wake.set()

    async def publish_pending(self) -> int:
        """One pass: publish up to `batch` unsent rows; returns how many the broker confirmed."""
        t = self.table
        routed = "exchange" in t.c
        columns = [t.c.id, t.c.envelope, *([t.c.exchange] if routed else [])]
        async with self.db.unit_of_work() as session:
            rows = (
                await session.execute(
                    select(*columns)
                    .where(t.c.sent_at.is_(None))
                    .order_by(t.c.id)
                    .limit(self.batch)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            if not rows:
                return 0
            by_exchange: dict[str | None, list[Row[Any]]] = {}
            for row in rows:
                by_exchange.setdefault(row.exchange if routed else None, []).append(row)
            sent: list[int] = []
            failed: list[int] = []
            for exchange, group in by_exchange.items():
                envelopes = [
                    Envelope.model_validate_json(r.envelope).model_copy(update={"sequence": r.id})
                    for r in group
                ]
                confirmed = await self.bus.publish(envelopes, exchange=exchange)
                sent += [r.id for r, ok in zip(group, confirmed, strict=True) if ok]
                failed += [r.id for r, ok in zip(group, confirmed, strict=True) if not ok]
            if sent:
                await session.execute(update(t).where(t.c.id.in_(sent)).values(sent_at=utcnow()))
            if failed:
                await session.execute(
                    update(t)
                    .where(t.c.id.in_(failed))
                    .values(attempts=t.c.attempts + 1, last_error="not confirmed by the broker")
                )
        OUTBOX_PUBLISHED.inc(len(sent))
        return len(sent)

    async def depth(self) -> int:
        t = self.table
        async with self.db.read_only() as session:
            return int(
                (
                    await session.execute(select(func.count()).where(t.c.sent_at.is_(None)))
                ).scalar_one()
            )

    async def purge_sent(self) -> int:
        t = self.table
        async with self.db.unit_of_work() as session:
            result = await session.execute(
                delete(t).where(t.c.sent_at.is_not(None), t.c.sent_at < utcnow() - self.retention)
            )
        return int(getattr(result, "rowcount", 0) or 0)

    async def run(self) -> None:
        backoff = 0.2
        while True:
            # cleared before the pass, so a commit during the pass wakes the next one
            self._wake.clear()
            try:
                published = await self.publish_pending()
                backoff = 0.2
                if published >= self.batch:
                    continue
                await self._maybe_purge()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # broker down, database blip: wait and try again
                log.warning("outbox_publish_failed", error=str(exc) or type(exc).__name__)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.idle_interval)

    async def _maybe_purge(self) -> None:
        loop = asyncio.get_running_loop()
        if loop.time() - self._last_purge > 3600:
            self._last_purge = loop.time()
            await self.purge_sent()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self.run(), name="outbox-relay")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
