"""A service's event consumer: handlers per event type, applied once each, in batches.

    consumer = EventConsumer("reports", db, inbox)

    @consumer.on(MarkRecorded)
    async def mark_recorded(session, event, envelope): ...

A batch from the bus is applied in one unit of work (inbox rows and effects together, so a
redelivered event changes nothing). If the batch fails, each envelope is applied alone in its
own unit of work, so one poison message fails by itself and the others are still applied.

A read model fed by a whole city's marks wants one statement per event type per batch rather
than one per event (ARCHITECTURE "Known traps": ~3 ms a statement): `BatchConsumer.on_batch`
registers handlers that take every event of their types in the batch at once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from kit.context import use_context
from kit.db import Database, utcnow
from kit.events import Envelope, Event
from kit.inbox import claim
from kit.logging import get_logger
from kit.metrics import EVENT_LAG, EVENTS_APPLIED, EVENTS_FAILED

log = get_logger("kit.consumer")

E = TypeVar("E", bound=Event)
Handler = Callable[[AsyncSession, Any, Envelope], Awaitable[None]]
Item = tuple[Any, Envelope]
"""An event (its contract model) and the envelope it came in."""
BatchHandler = Callable[[AsyncSession, list[Item]], Awaitable[None]]


class EventConsumer:
    def __init__(self, name: str, db: Database, inbox: Table) -> None:
        self.name, self.db, self.inbox = name, db, inbox
        self.handlers: dict[str, Handler] = {}

    def on(self, *event_types: type[Event]) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            for event_type in event_types:
                if event_type.ce_type() in self.handlers:
                    raise ValueError(f"{self.name}: two handlers for {event_type.ce_type()}")
                self.handlers[event_type.ce_type()] = handler
            return handler

        return register

    @property
    def patterns(self) -> list[str]:
        """Routing patterns for the queue: every school's events of the handled types."""
        return sorted({f"{t.rsplit('.v', 1)[0]}.*" for t in self.handlers})

    async def handle_batch(self, envelopes: Sequence[Envelope]) -> list[BaseException | None]:
        try:
            await self._apply(envelopes)
            return [None] * len(envelopes)
        except Exception:
            if len(envelopes) == 1:
                raise
        outcomes: list[BaseException | None] = []
        for envelope in envelopes:
            try:
                await self._apply([envelope])
                outcomes.append(None)
            except Exception as exc:
                EVENTS_FAILED.labels(self.name).inc()
                log.warning(
                    "event_failed",
                    consumer=self.name,
                    event_id=envelope.id,
                    type=envelope.type,
                    error=repr(exc),
                )
                outcomes.append(exc)
        return outcomes

    async def _apply(self, envelopes: Sequence[Envelope]) -> None:
        known = [e for e in envelopes if e.type in self.handlers]
        if not known:
            return
        async with self.db.unit_of_work() as session:
            fresh = await claim(session, self.inbox, self.name, [e.id for e in known])
            done: set[str] = set()
            for envelope in known:
                if envelope.id not in fresh or envelope.id in done:
                    continue
                done.add(envelope.id)
                with use_context(
                    correlation_id=envelope.correlationid,
                    school_id=envelope.schoolid,
                    actor_id=envelope.actorid,
                ):
                    await self.handlers[envelope.type](session, envelope.event(), envelope)
        now = utcnow()
        for envelope in known:
            if envelope.id in done:
                EVENTS_APPLIED.labels(self.name, envelope.event_type).inc()
                EVENT_LAG.labels(self.name).observe(max(0.0, (now - envelope.time).total_seconds()))


class BatchConsumer(EventConsumer):
    """Handlers take every event of their types in the batch, in order of registration."""

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
                self.handlers[ce_type] = _called_in_batches
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
            fresh = await claim(session, self.inbox, self.name, [e.id for e in known])
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


async def _called_in_batches(session: AsyncSession, event: Any, envelope: Envelope) -> None:
    raise AssertionError("batch handlers are called by BatchConsumer._apply")
