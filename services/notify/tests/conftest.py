from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import pytest

from kit.testing.services import in_process, rabbit_shared
from kit.testing.tokens import TestTokens
from services.notify.app import MIGRATIONS, build
from services.notify.settings import NotifySettings

FAST: dict[str, Any] = {
    "mail_tick_seconds": 0.1,
    "mail_retry_delays_ms": [50, 100],
    "webhook_tick_seconds": 0.05,
    "webhook_retry_delays_ms": [50, 100],
    "webhook_timeout_seconds": 5.0,
}
"""Short ticks and back-offs, so the background tasks act within a test's patience."""

StartNotify = Callable[..., AbstractAsyncContextManager[Any]]


@pytest.fixture(scope="module")
def tokens() -> TestTokens:
    return TestTokens()


@pytest.fixture(scope="module")
def start_notify(
    make_database: Any,
    amqp_url: str,
    redis_url: str,
    run_id: str,
    rabbit_cleanup: list[str],
    tokens: TestTokens,
) -> StartNotify:
    """`async with start_notify(smtp_port=…) as client`: notify on a fresh database and its
    own queues, started like in production (lifespan, consumer, background tasks)."""

    @asynccontextmanager
    async def start(**overrides: Any) -> AsyncIterator[Any]:
        url = await make_database("notify", MIGRATIONS)
        shared = rabbit_shared(amqp_url, redis_url, run_id, tokens, rabbit_cleanup)
        settings = NotifySettings(mode="distributed", database_url=url, **{**FAST, **overrides})
        app = build(settings, shared=shared)
        async with in_process([app], shared.bus) as [client]:
            client.app_runtime = app.state.runtime  # type: ignore[attr-defined]
            client.app = app  # type: ignore[attr-defined]
            yield client
        await shared.redis.aclose()

    return start


@pytest.fixture(scope="module")
async def notify(start_notify: StartNotify) -> AsyncIterator[Any]:
    """One notify per test module; tests keep apart by using schools of their own."""
    async with start_notify() as client:
        yield client
