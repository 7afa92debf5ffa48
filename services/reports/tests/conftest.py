from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import anyio
import httpx
import pytest
from fastapi import FastAPI

from kit.bus.rabbit import RabbitBus
from kit.consumer import BatchConsumer
from kit.events import Envelope
from kit.runtime import Runtime
from kit.storage import ObjectStore, S3Store
from kit.testing.infra import S3Endpoint
from kit.testing.services import in_process, rabbit_shared
from kit.testing.tokens import TestTokens
from services.reports.adapters.work_queue import PATTERNS, WORK_EXCHANGE, WORK_QUEUE, worker_bus
from services.reports.app import MIGRATIONS, build
from services.reports.settings import ReportsSettings
from services.reports.worker import ReportWorker


@dataclass
class Reports:
    """The reports service running in the test's process against the real infrastructure."""

    client: httpx.AsyncClient
    app: FastAPI
    tokens: TestTokens
    settings: ReportsSettings
    bus: RabbitBus
    redis_url: str

    @property
    def store(self) -> ObjectStore:
        store = self.app.state.report_store
        assert store is not None
        return store  # type: ignore[no-any-return]

    @asynccontextmanager
    async def worker(self, worker_id: str = "in-test") -> AsyncIterator[ReportWorker]:
        """A report worker in the test's process, on the service's queue."""
        bus = worker_bus(self.bus, prefetch=1)
        worker = ReportWorker(self.runtime, self.store, worker_id=worker_id)
        bus.subscribe(WORK_QUEUE, PATTERNS, worker.handle, exchange=WORK_EXCHANGE)
        await bus.start()
        await bus.wait_connected()
        try:
            yield worker
        finally:
            await bus.close()

    def worker_env(self, **extra: str) -> dict[str, str]:
        """The environment of a worker process of this test run."""
        s = self.settings
        env = {
            "EJ_MODE": "distributed",
            "EJ_DATABASE_URL": s.database_url or "",
            "EJ_AMQP_URL": self.bus.url,
            "EJ_EXCHANGE": self.bus.exchange_name,
            "EJ_QUEUE_PREFIX": self.bus.prefix,
            "EJ_RETRY_DELAYS_MS": json.dumps(self.bus.retry_delays),
            "EJ_CONSUMER_MAX_ATTEMPTS": str(self.bus.max_attempts),
            "EJ_REDIS_URL": self.redis_url,
            "EJ_REPORTS_S3_ENDPOINT": s.reports_s3_endpoint or "",
            "EJ_REPORTS_S3_ACCESS_KEY": s.reports_s3_access_key,
            "EJ_REPORTS_S3_SECRET_KEY": s.reports_s3_secret_key,
            "EJ_REPORTS_S3_BUCKET": s.reports_s3_bucket,
            "EJ_LOG_FORMAT": "console",
        }
        return {**os.environ, **env, **extra}

    @property
    def runtime(self) -> Runtime:
        return self.app.state.runtime  # type: ignore[no-any-return]

    @property
    def consumer(self) -> BatchConsumer:
        consumer = self.runtime.consumer
        assert isinstance(consumer, BatchConsumer)
        return consumer

    async def feed(self, envelopes: Sequence[Envelope]) -> None:
        """Hand events to the consumer as the bus would (inbox included), and check them."""
        outcomes = await self.consumer.handle_batch(list(envelopes))
        failed = [o for o in outcomes if o is not None]
        assert not failed, failed

    def headers(self, roles: list[str], school_id: str | None, **kw: Any) -> dict[str, str]:
        return self.tokens.headers(roles=roles, school_id=school_id, **kw)

    async def sheet(
        self, class_id: str, period_id: str, headers: dict[str, str], **params: str
    ) -> httpx.Response:
        return await self.client.get(
            f"/reports/v1/classes/{class_id}/summary-sheet",
            params={"period_id": period_id, **params},
            headers=headers,
        )

    async def printed_sheet(self, printed: dict[str, Any], fmt: str) -> bytes:
        """The sheet of `printed` ("school", "class", "period") in `fmt` (pdf, xlsx) as its
        school's director downloads it."""
        response = await self.sheet(
            printed["class"],
            printed["period"],
            self.headers(["director"], printed["school"]),
            format=fmt,
        )
        assert response.status_code == 200, response.text
        return response.content


@pytest.fixture(scope="module")
def tokens() -> TestTokens:
    return TestTokens()


def reports_settings(url: str, store: S3Endpoint, run_id: str, **extra: Any) -> ReportsSettings:
    return ReportsSettings(
        mode="distributed",
        database_url=url,
        reports_s3_endpoint=store.endpoint,
        reports_s3_access_key=store.access_key,
        reports_s3_secret_key=store.secret_key,
        reports_s3_bucket=f"ej-reports-{run_id}",
        **extra,
    )


@pytest.fixture(scope="module")
async def reports(
    make_database: Any,
    amqp_url: str,
    redis_url: str,
    run_id: str,
    rabbit_cleanup: list[str],
    tokens: TestTokens,
    s3_endpoints: tuple[S3Endpoint, S3Endpoint],
) -> AsyncIterator[Reports]:
    url = await make_database("reports", MIGRATIONS)
    shared = rabbit_shared(
        amqp_url, redis_url, run_id, tokens, rabbit_cleanup, consumers=[WORK_QUEUE]
    )
    assert isinstance(shared.bus, RabbitBus)
    settings = reports_settings(url, s3_endpoints[0], run_id)
    app = build(settings, shared=shared)
    async with in_process([app], shared.bus) as [client]:
        reports = Reports(client, app, tokens, settings, shared.bus, redis_url)
        yield reports
        await empty_store(reports.store)


async def empty_store(store: ObjectStore) -> None:
    """Leave nothing of the run in the S3 store."""
    for item in await store.list():
        await store.delete(item.key)
    if isinstance(store, S3Store):
        await anyio.to_thread.run_sync(lambda: store.client.remove_bucket(store.bucket))
