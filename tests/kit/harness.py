"""One harness, two buses: the kit's delivery guarantees are tested against both."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from kit.bus.base import Bus
from kit.consumer import EventConsumer
from kit.db import Database
from kit.events import Envelope, Event
from kit.inbox import inbox_table
from kit.outbox import Outbox, OutboxRelay, outbox_table

metadata = MetaData()
tally = Table(
    "tally",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("count", Integer, nullable=False),
)
outbox_t = outbox_table(metadata)
inbox_t = inbox_table(metadata)


class ProbeHappened(Event):
    event_type = "kittest.probe.happened"
    aggregate = "probe_id"

    probe_id: str
    key: str
    fail: bool = False
    step: int | None = None
    """Where given, the probe extends the key's chain only if it follows the last step applied."""


def chain_key(key: str) -> str:
    return f"{key}:chain"


async def extend_chain(session: AsyncSession, key: str, step: int) -> None:
    """The chain of `key` grows to `step` only from `step - 1`: probes applied out of order
    leave it short (so its length tells whether every step arrived in order)."""
    if step == 1:
        await bump(session, chain_key(key))
        return
    await session.execute(
        update(tally)
        .where(tally.c.key == chain_key(key), tally.c.count == step - 1)
        .values(count=step)
    )


async def bump(session: AsyncSession, key: str) -> None:
    dialect = session.bind.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(tally).values(key=key, count=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[tally.c.key], set_={"count": tally.c.count + 1}
    )
    await session.execute(stmt)


@dataclass
class Harness:
    """A producer (outbox + relay) and a consumer ("probe") around one bus."""

    db: Database
    bus: Bus
    outage: Callable[[], Awaitable[None]]
    recover: Callable[[], Awaitable[None]]
    outbox: Outbox = field(init=False)
    relay: OutboxRelay = field(init=False)
    consumer: EventConsumer = field(init=False)
    deliveries: list[str] = field(default_factory=list)
    healed: bool = False

    def __post_init__(self) -> None:
        self.outbox = Outbox(outbox_t)
        self.relay = OutboxRelay(self.db, outbox_t, self.bus, batch=100, idle_interval=0.2)
        self.consumer = EventConsumer("probe", self.db, inbox_t)

        @self.consumer.on(ProbeHappened)
        async def on_probe(session: AsyncSession, event: ProbeHappened, envelope: Envelope) -> None:
            if event.fail and not self.healed:
                raise RuntimeError(f"probe {event.key} fails on purpose")
            await bump(session, event.key)
            if event.step is not None:
                await extend_chain(session, event.key, event.step)

        async def counting(envelopes: Sequence[Envelope]) -> Sequence[BaseException | None]:
            self.deliveries.extend(e.id for e in envelopes)
            return await self.consumer.handle_batch(envelopes)

        self.bus.subscribe("probe", self.consumer.patterns, counting)

    async def count(self, key: str) -> int:
        async with self.db.read_only() as session:
            value = await session.scalar(select(tally.c.count).where(tally.c.key == key))
        return int(value or 0)

    async def wait_for(self, predicate: Callable[[], Awaitable[bool]], timeout: float = 20) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while not await predicate():
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError("condition not reached in time")
            await asyncio.sleep(0.05)

    async def unsent(self) -> int:
        return await self.relay.depth()


async def create_tables(db: Database) -> None:
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)


def sqlite_url(tmp: Path, name: str) -> str:
    return f"sqlite+aiosqlite:///{tmp / name}"


async def mark_all_sent(db: Database) -> None:
    async with db.unit_of_work() as session:
        await session.execute(update(outbox_t).values(sent_at=outbox_t.c.created_at))
