"""Transactional outbox: events written with the change, published by a relay.

`Outbox.add` writes envelope rows through the caller's session, in the caller's transaction:
a rolled-back change publishes nothing, a committed one is published even if the broker was
down at the time. `OutboxRelay` leases a batch of unsent rows in one short transaction
(`claimed_until`, picked `FOR UPDATE SKIP LOCKED`, so several relays may run), publishes the
stored bytes with publisher confirms while no transaction is open, and marks sent only what the
broker acknowledged. The row id is the envelope's `sequence` (spliced into the stored JSON): it
grows with every event of the service, so it grows per aggregate too.

The relay runs inside the API process (`EJ_OUTBOX_RELAY=inline`, the default: the embedded
mode, tests) or as its own process, `python -m services.<name> relay`, with the API processes
started with `EJ_OUTBOX_RELAY=off` (`make up`).

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
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from kit.bus.base import Bus, Encoded
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


_SEQUENCE_SLOT = b'"sequence":null'
_TIME_KEY = b'"time":"'


def encode_row(
    row_id: int,
    stored: str,
    *,
    event_id: str,
    event_type: str,
    school_id: str | None,
    created_at: dt.datetime,
) -> Encoded:
    """The message of an outbox row, from its stored bytes: the row id spliced in as the
    envelope's `sequence`, nothing parsed or re-serialised.

    `Outbox.add_many` stores `Envelope.model_dump_json()`, whose `"sequence":null` comes
    before `data`, and a JSON string cannot hold an unescaped quote, so the first
    `"sequence":null` is the envelope's own: the result is byte for byte what
    `envelope.model_copy(update={"sequence": row_id}).model_dump_json()` writes. A row in
    another shape (none is written so) takes the parsing path."""
    body = stored.encode()
    at = body.find(_SEQUENCE_SLOT)
    if at < 0:
        envelope = Envelope.model_validate_json(body).model_copy(update={"sequence": row_id})
        return Encoded.of(envelope)
    body = b'%s"sequence":%d%s' % (body[:at], row_id, body[at + len(_SEQUENCE_SLOT) :])
    return Encoded(
        body=body,
        id=event_id,
        type=event_type,
        routing_key=f"{event_type.rsplit('.v', 1)[0]}.{school_id or 'city'}",
        schoolid=school_id,
        time=_stored_time(body) or created_at,
    )


def _stored_time(body: bytes) -> dt.datetime | None:
    """The envelope's `time` (the first `"time":"` is its own, as for the sequence)."""
    at = body.find(_TIME_KEY)
    if at < 0:
        return None
    start = at + len(_TIME_KEY)
    stop = body.find(b'"', start)
    try:
        return dt.datetime.fromisoformat(body[start:stop].decode())
    except ValueError:
        return None


class OutboxRelay:
    """Publishes unsent outbox rows; woken after commits, polling as a fallback.

    A pass claims a batch in one short transaction (a lease: `claimed_until`), publishes it
    with no transaction open while the broker confirms, then marks sent what was confirmed
    and releases the rest in a second short transaction. Several relays may run at once
    (`FOR UPDATE SKIP LOCKED` on PostgreSQL, and the lease); a relay that dies leaves its
    claims to expire after `lease` seconds, and another relay (or itself, restarted)
    publishes them then: at least once, never lost."""

    def __init__(
        self,
        db: Database,
        table: Table,
        bus: Bus,
        *,
        batch: int = 500,
        idle_interval: float = 1.0,
        lease: float = 30.0,
        retention: dt.timedelta = dt.timedelta(days=7),
    ) -> None:
        self.db, self.table, self.bus = db, table, bus
        self.batch, self.idle_interval, self.retention = batch, idle_interval, retention
        self.lease = dt.timedelta(seconds=lease)
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._last_purge = 0.0
        db.after_commit(self._after_commit)

    def _after_commit(self, session: AsyncSession) -> None:
        if session.info.pop(OUTBOX_FLAG, False):
            self._wake.set()

    def wake(self) -> None:
        self._wake.set()

    async def claim(self) -> list[Row[Any]]:
        """Lease up to `batch` unsent, unclaimed (or expired) rows, in one short transaction;
        returns them in id order."""
        t = self.table
        now = utcnow()
        pick = (
            select(t.c.id)
            .where(
                t.c.sent_at.is_(None),
                or_(t.c.claimed_until.is_(None), t.c.claimed_until < now),
            )
            .order_by(t.c.id)
            .limit(self.batch)
        )
        if not self.db.is_sqlite:  # SQLite has no row locks: its writers queue instead
            pick = pick.with_for_update(skip_locked=True)
        routed = "exchange" in t.c
        claimed = (
            update(t)
            .where(t.c.id.in_(pick.scalar_subquery()))
            .values(claimed_until=now + self.lease)
            .returning(
                t.c.id,
                t.c.envelope,
                t.c.event_id,
                t.c.event_type,
                t.c.school_id,
                t.c.created_at,
                *([t.c.exchange] if routed else []),
            )
        )
        async with self.db.unit_of_work() as session:
            rows = list((await session.execute(claimed)).all())
        rows.sort(key=lambda r: r.id)
        return rows

    async def settle(
        self, sent: Sequence[int], failed: Sequence[int], error: str | None = None
    ) -> None:
        """Mark sent what the broker confirmed; release the rest for a later pass."""
        if not sent and not failed:
            return
        t = self.table
        async with self.db.unit_of_work() as session:
            if sent:
                await session.execute(
                    update(t).where(t.c.id.in_(sent)).values(sent_at=utcnow(), claimed_until=None)
                )
            if failed:
                await session.execute(
                    update(t)
                    .where(t.c.id.in_(failed))
                    .values(
                        claimed_until=None,
                        attempts=t.c.attempts + 1,
                        last_error=(error or "not confirmed by the broker")[:1000],
                    )
                )

    async def publish_pending(self) -> int:
        """One pass: claim, publish, settle; returns how many the broker confirmed."""
        rows = await self.claim()
        if not rows:
            return 0
        routed = "exchange" in self.table.c
        by_exchange: dict[str | None, list[Row[Any]]] = {}
        for row in rows:
            by_exchange.setdefault(row.exchange if routed else None, []).append(row)
        sent: list[int] = []
        failed: list[int] = []
        try:
            for exchange, group in by_exchange.items():
                encoded = [
                    encode_row(
                        r.id,
                        r.envelope,
                        event_id=r.event_id,
                        event_type=r.event_type,
                        school_id=r.school_id,
                        created_at=r.created_at,
                    )
                    for r in group
                ]
                confirmed = await self.bus.publish_encoded(encoded, exchange=exchange)
                for r, ok in zip(group, confirmed, strict=True):
                    (sent if ok else failed).append(r.id)
        except BaseException as exc:
            # the broker went away mid-pass (or we are stopping): what was confirmed is sent,
            # the rest goes back now rather than when the lease runs out
            done = set(sent) | set(failed)
            failed += [r.id for r in rows if r.id not in done]
            with contextlib.suppress(Exception):
                await asyncio.shield(
                    self.settle(sent, failed, error=str(exc) or type(exc).__name__)
                )
            raise
        await self.settle(sent, failed)
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
                if published:  # what was committed during the pass goes now, not after a wait
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
