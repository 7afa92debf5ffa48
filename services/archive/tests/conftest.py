"""The archive under test: real PostgreSQL, RabbitMQ, Redis and the two real S3 stores."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import anyio
import httpx
import pytest
from fastapi import FastAPI
from minio import Minio
from minio.deleteobjects import DeleteObject

from kit.bus.rabbit import RabbitBus
from kit.clock import FixedClock
from kit.events import Envelope
from kit.inbox import was_applied
from kit.testing.infra import S3Endpoint
from kit.testing.services import eventually, in_process, rabbit_shared
from kit.testing.tokens import TestTokens
from services.archive.app import MIGRATIONS, build
from services.archive.models import inbox
from services.archive.repository import ledger
from services.archive.settings import ArchiveSettings

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
"""A Monday inside the test year (2026/2027), after the factories' lesson day."""


def raw_client(endpoint: S3Endpoint) -> Minio:
    """A plain minio client on a store: how a test tampers with copies behind the archive."""
    parsed = urlparse(endpoint.endpoint)
    return Minio(
        parsed.netloc,
        access_key=endpoint.access_key,
        secret_key=endpoint.secret_key,
        secure=parsed.scheme == "https",
    )


def closed_port_endpoint() -> str:
    """An address where nothing listens: a store that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@dataclass
class ArchiveUnderTest:
    client: httpx.AsyncClient
    app: FastAPI
    bus: RabbitBus
    buckets: dict[str, str]
    s3: dict[str, Minio]
    events: list[Envelope] = field(default_factory=list)

    @property
    def clock(self) -> FixedClock:
        return self.app.state.runtime.clock  # type: ignore[no-any-return]

    async def publish(self, envelopes: Sequence[Envelope]) -> None:
        assert all(await self.bus.publish(list(envelopes)))

    async def ledger_size(self, school_id: str) -> int:
        async with self.app.state.runtime.db.read_only() as session:
            return await ledger.count_entries(session, school_id)

    async def publish_and_wait(self, envelopes: Sequence[Envelope], school_id: str) -> None:
        """Publish journal events and wait until the archive's ledger holds them."""
        before = await self.ledger_size(school_id)
        await self.publish(envelopes)

        async def recorded() -> bool:
            return await self.ledger_size(school_id) >= before + len(envelopes)

        await eventually(recorded)

    async def announce_school(self, *announced: Envelope) -> None:
        """Publish identity's `identity.school.registered` / `.updated` and wait until the
        archive has applied each (its inbox holds them)."""
        await self.publish(list(announced))

        async def kept() -> bool:
            async with self.app.state.runtime.db.read_only() as session:
                return all([await was_applied(session, inbox, "archive", e.id) for e in announced])

        await eventually(kept)

    async def object(self, store: str, key: str) -> bytes:
        def read() -> bytes:
            response = self.s3[store].get_object(self.buckets[store], key)
            try:
                return response.read()
            finally:
                response.close()
                response.release_conn()

        return await anyio.to_thread.run_sync(read)

    async def overwrite(self, store: str, key: str, data: bytes) -> None:
        import io

        await anyio.to_thread.run_sync(
            lambda: self.s3[store].put_object(self.buckets[store], key, io.BytesIO(data), len(data))
        )

    async def remove(self, store: str, key: str) -> None:
        await anyio.to_thread.run_sync(
            lambda: self.s3[store].remove_object(self.buckets[store], key)
        )

    async def keys(self, store: str, prefix: str) -> list[str]:
        def listing() -> list[str]:
            return [
                o.object_name or ""
                for o in self.s3[store].list_objects(
                    self.buckets[store], prefix=prefix, recursive=True
                )
            ]

        return await anyio.to_thread.run_sync(listing)

    async def events_of(self, ce_type: str, count: int = 1) -> list[Envelope]:
        """Archive events that reached the broker (published by the outbox relay)."""

        async def arrived() -> list[Envelope]:
            found = [e for e in self.events if e.type == ce_type]
            return found if len(found) >= count else []

        return await eventually(arrived)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def tokens() -> TestTokens:
    return TestTokens()


@pytest.fixture(scope="session")
def archive_buckets(s3_endpoints: tuple[S3Endpoint, S3Endpoint], run_id: str) -> Any:
    """One bucket per store for this test run, emptied and removed at the end."""
    buckets = {e.name: f"ej-{run_id}-archive-{e.name}" for e in s3_endpoints}
    yield buckets
    for endpoint in s3_endpoints:
        client, bucket = raw_client(endpoint), buckets[endpoint.name]
        try:
            if not client.bucket_exists(bucket):
                continue
            names = [
                DeleteObject(o.object_name or "")
                for o in client.list_objects(bucket, recursive=True)
            ]
            for _ in client.remove_objects(bucket, names):
                pass
            client.remove_bucket(bucket)
        except Exception:  # leftovers of a test run must not fail the run
            pass


Start = Callable[..., Awaitable[ArchiveUnderTest]]


@pytest.fixture
async def start_archive(
    make_database: Any,
    amqp_url: str,
    redis_url: str,
    run_id: str,
    rabbit_cleanup: list[str],
    tokens: TestTokens,
    s3_endpoints: tuple[S3Endpoint, S3Endpoint],
    archive_buckets: dict[str, str],
) -> AsyncIterator[Start]:
    """`await start_archive(**settings)`: an archive app on a new database (or the one given),
    with a probe on the broker that collects the archive's own events."""
    async with AsyncExitStack() as stack:

        async def start(**overrides: Any) -> ArchiveUnderTest:
            url = overrides.pop("database_url", None) or await make_database("archive", MIGRATIONS)
            stores: dict[str, Any] = {}
            for e in s3_endpoints:
                stores |= {
                    f"archive_store_{e.name}_endpoint": e.endpoint,
                    f"archive_store_{e.name}_access_key": e.access_key,
                    f"archive_store_{e.name}_secret_key": e.secret_key,
                    f"archive_store_{e.name}_bucket": archive_buckets[e.name],
                }
            settings = ArchiveSettings(
                **{
                    "mode": "distributed",
                    "database_url": url,
                    "archive_interval_seconds": 0,
                    "archive_store_connect_timeout": 2.0,
                    "archive_store_retries": 0,
                    **stores,
                    **overrides,
                }
            )
            shared = rabbit_shared(amqp_url, redis_url, run_id, tokens, rabbit_cleanup)
            assert isinstance(shared.bus, RabbitBus)
            probe = shared.bus.queue_name("archive-probe")
            rabbit_cleanup.extend(f"{probe}{s}" for s in ("", ".dlq", ".retry.0", ".retry.1"))
            app = build(settings, shared=shared)
            app.state.runtime.clock = FixedClock(NOW)
            events: list[Envelope] = []

            async def collect(envelopes: Sequence[Envelope]) -> list[BaseException | None]:
                events.extend(envelopes)
                return [None] * len(envelopes)

            shared.bus.subscribe("archive-probe", ["archive.#"], collect)
            [client] = await stack.enter_async_context(in_process([app], shared.bus))
            under_test = ArchiveUnderTest(
                client=client,
                app=app,
                bus=shared.bus,
                buckets=archive_buckets,
                s3={e.name: raw_client(e) for e in s3_endpoints},
                events=events,
            )
            stack.push_async_callback(shared.redis.aclose)
            return under_test

        yield start


@pytest.fixture
async def archive(start_archive: Start) -> ArchiveUnderTest:
    return await start_archive()
