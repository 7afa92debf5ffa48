"""A service process's runtime: its database, bus, outbox relay, consumer, keys and checks.

Built once per service by its `app.py`; started and stopped by the app's lifespan. In the
embedded mode the composition root hands every service the same `Shared` parts (one local
bus, one in-memory Redis, the identity service's keys in-process).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redis.asyncio import Redis
from sqlalchemy import Table

from kit.auth import HttpKeySource, KeySource, Revocations, TokenVerifier
from kit.bus.base import Bus
from kit.bus.local import LocalBus
from kit.bus.rabbit import RabbitBus
from kit.clock import Clock
from kit.consumer import EventConsumer
from kit.db import Database
from kit.kv import connect_redis
from kit.logging import get_logger
from kit.metrics import DLQ_DEPTH, OUTBOX_DEPTH, QUEUE_DEPTH
from kit.migrations import ensure_migrated
from kit.outbox import Outbox, OutboxRelay
from kit.settings import Mode, OutboxRelayMode, ServiceSettings
from kit.usecase import Actor, UseCase

log = get_logger("kit.runtime")

Check = Callable[[], Awaitable[None]]


@dataclass
class Shared:
    """Parts every service of one embedded process shares."""

    bus: Bus
    redis: Redis
    keys: KeySource


@dataclass
class Runtime:
    name: str
    settings: ServiceSettings
    db: Database
    bus: Bus
    redis: Redis
    outbox: Outbox
    relay: OutboxRelay
    verifier: TokenVerifier
    migrations: Path
    owns_bus: bool
    clock: Clock = field(default_factory=Clock)
    """The one clock of the service: use cases, envelopes and background passes all read it
    (tests replace it with a `kit.clock.FixedClock`)."""
    consumer: EventConsumer | None = None
    checks: dict[str, Check] = field(default_factory=dict)
    background: list[Callable[[], Coroutine[Any, Any, None]]] = field(default_factory=list)
    startup: list[Callable[[], Coroutine[Any, Any, None]]] = field(default_factory=list)
    """Run once the database is known to be migrated, before the first request."""
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    @asynccontextmanager
    async def use_case(self, actor: Actor, *, read_only: bool = False) -> AsyncIterator[UseCase]:
        """A use case's context outside a request (a background pass's step, a schedule, a
        start-up task), in its own unit of work: committed on leaving, rolled back if
        `read_only`; the instant is this runtime's clock's at entry."""
        async with self.db.read_only() if read_only else self.db.unit_of_work() as session:
            yield UseCase(session, self.outbox, actor, self.clock)

    @classmethod
    def create(
        cls,
        name: str,
        settings: ServiceSettings,
        outbox: Table,
        migrations: Path,
        shared: Shared | None = None,
    ) -> Runtime:
        db = Database(settings.database_url_for(name))
        if shared is not None:
            bus, redis, keys, owns_bus = shared.bus, shared.redis, shared.keys, False
        else:
            bus = build_bus(settings)
            redis = connect_redis(settings.redis_url)
            keys = HttpKeySource(
                f"{settings.identity_url.rstrip('/')}/identity/.well-known/jwks.json"
            )
            owns_bus = True
        relay = OutboxRelay(
            db, outbox, bus, batch=settings.outbox_batch, lease=settings.outbox_lease_s
        )
        runtime = cls(
            name=name,
            settings=settings,
            db=db,
            bus=bus,
            redis=redis,
            outbox=Outbox(outbox),
            relay=relay,
            verifier=TokenVerifier(keys, Revocations(redis)),
            migrations=migrations,
            owns_bus=owns_bus,
        )
        runtime.checks = {"database": db.ping, "broker": bus.ping, "redis": runtime._ping_redis}
        return runtime

    async def _ping_redis(self) -> None:
        await self.redis.ping()

    def attach_consumer(self, consumer: EventConsumer) -> None:
        """Subscribe the service's consumer to the bus (before the bus starts)."""
        self.consumer = consumer
        self.bus.subscribe(consumer.name, consumer.patterns, consumer.handle_batch)

    @property
    def migrate_command(self) -> str:
        return f"python -m services.{self.name} migrate"

    async def start(self) -> None:
        await ensure_migrated(self.db, self.migrations, self.migrate_command)
        for hook in self.startup:
            await hook()
        if self.owns_bus:
            await self.bus.start()
        if self.settings.outbox_relay is OutboxRelayMode.inline:
            self.relay.start()
        for job in self.background:
            self._tasks.append(asyncio.create_task(job(), name=f"{self.name}-background"))
        log.info(
            "service_started",
            service=self.name,
            mode=self.settings.mode.value,
            outbox_relay=self.settings.outbox_relay.value,
        )

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        await self.relay.stop()
        if self.owns_bus:
            await self.bus.close()
            await self.redis.aclose()
        await self.db.dispose()

    async def refresh_gauges(self) -> None:
        """Before /metrics is scraped: outbox depth, queue and dead-letter depths."""
        try:
            OUTBOX_DEPTH.labels(self.name).set(await self.relay.depth())
            if self.consumer is not None:
                depths = await self.bus.queue_depths()
                waiting, dead = depths.get(self.consumer.name, (0, 0))
                QUEUE_DEPTH.labels(self.consumer.name).set(waiting)
                DLQ_DEPTH.labels(self.consumer.name).set(dead)
        except Exception as exc:  # metrics must not fail because a dependency is down
            log.warning("metrics_refresh_failed", error=repr(exc))


def build_bus(settings: ServiceSettings) -> Bus:
    if settings.mode is Mode.embedded:
        return LocalBus(
            Database(f"sqlite+aiosqlite:///{(settings.data_dir / 'bus.db').resolve()}"),
            max_attempts=settings.consumer_max_attempts,
            retry_delays_ms=settings.retry_delays_ms,
        )
    return RabbitBus(
        settings.amqp_url,
        exchange=settings.exchange,
        queue_prefix=settings.queue_prefix,
        prefetch=max(settings.consumer_prefetch, 1),
        batch_size=max(1, min(settings.consumer_prefetch, 128)),
        max_attempts=settings.consumer_max_attempts,
        retry_delays_ms=settings.retry_delays_ms,
    )
