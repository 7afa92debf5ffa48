"""An event consumer that applies a batch's events of one type with one statement.

The kit's `EventConsumer` calls one handler per event inside the batch's unit of work; a read
model fed by the whole city's marks needs one bulk statement per event type per batch instead
(see ARCHITECTURE "Known traps": ~3 ms per statement). This keeps everything else of the kit's
consumer: the inbox claim in the same transaction, the per-envelope fallback when a batch
fails, the metrics. (A candidate for `kit/`: `EventConsumer.on_batch`.)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.ext.asyncio import AsyncSession

from kit.consumer import EventConsumer
from kit.db import Database, utcnow
from kit.events import Envelope, Event
from kit.inbox import claim
from kit.metrics import EVENT_LAG, EVENTS_APPLIED

Item = tuple[Any, Envelope]
"""An event (its contract model) and the envelope it came in."""

BatchHandler = Callable[[AsyncSession, list[Item]], Awaitable[None]]


class BatchConsumer(EventConsumer):
    """Handlers take every event of their type in the batch, in order of registration."""

    def __init__(self, name: str, db: Database, inbox: Table) -> None:
        super().__init__(name, db, inbox)
        self.batch_handlers: dict[str, BatchHandler] = {}

    def on_batch(self, *event_types: type[Event]) -> Callable[[BatchHandler], BatchHandler]:
        def register(handler: BatchHandler) -> BatchHandler:
            for event_type in event_types:
                ce_type = event_type.ce_type()
                if ce_type in self.batch_handlers:
                    raise ValueError(f"{self.name}: two handlers for {ce_type}")
                self.batch_handlers[ce_type] = handler
                self.handlers[ce_type] = _unused
            return handler

        return register

    async def apply(self, session: AsyncSession, envelopes: Sequence[Envelope]) -> None:
        """Apply envelopes inside the caller's session, without the inbox (rebuild, tests)."""
        groups: dict[str, list[Item]] = {t: [] for t in self.batch_handlers}
        for envelope in envelopes:
            if envelope.type in groups:
                groups[envelope.type].append((envelope.event(), envelope))
        for ce_type, items in groups.items():
            if items:
                await self.batch_handlers[ce_type](session, items)

    async def _apply(self, envelopes: Sequence[Envelope]) -> None:
        known = [e for e in envelopes if e.type in self.batch_handlers]
        if not known:
            return
        async with self.db.unit_of_work() as session:
            fresh = await claim_fresh(session, self.inbox, self.name, [e.id for e in known])
            seen: set[str] = set()
            chosen = []
            for envelope in known:
                if envelope.id in fresh and envelope.id not in seen:
                    seen.add(envelope.id)
                    chosen.append(envelope)
            await self.apply(session, chosen)
        now = utcnow()
        lag = EVENT_LAG.labels(self.name)
        for event_type, count in Counter(e.event_type for e in chosen).items():
            EVENTS_APPLIED.labels(self.name, event_type).inc(count)
        for envelope in chosen:
            lag.observe(max(0.0, (now - envelope.time).total_seconds()))


_CLAIM = text(
    "INSERT INTO inbox (consumer, event_id, received_at) "
    "SELECT :consumer, e, :now FROM unnest(CAST(:ids AS varchar[])) AS e "
    "ON CONFLICT DO NOTHING RETURNING event_id"
)


async def claim_fresh(
    session: AsyncSession, inbox: Table, consumer: str, event_ids: list[str]
) -> set[str]:
    """`kit.inbox.claim` in one small statement on PostgreSQL: the ids travel as one array,
    where the kit's multi-row VALUES is compiled anew for every batch (a third of the cost of
    applying a batch of marks). Elsewhere (SQLite) the kit's own."""
    if not event_ids:
        return set()
    if session.bind is None or session.bind.dialect.name != "postgresql":
        return await claim(session, inbox, consumer, event_ids)
    rows = await session.execute(_CLAIM, {"consumer": consumer, "now": utcnow(), "ids": event_ids})
    return set(rows.scalars().all())


async def _unused(session: AsyncSession, event: Any, envelope: Envelope) -> None:
    raise AssertionError("batch handlers are called by BatchConsumer._apply")
