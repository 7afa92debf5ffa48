from __future__ import annotations

import random
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import httpx
import pytest

from kit.testing.services import in_process, rabbit_shared
from kit.testing.tokens import TestTokens
from services.identity.app import MIGRATIONS, build
from services.identity.settings import IdentitySettings
from services.identity.tests.factories import Harness

TEST_KEY_SECRET = "identity-tests-key-secret-0123456789abcdef"


def settings_for_tests(database_url: str, **overrides: Any) -> IdentitySettings:
    """Cheap argon2 (the cost is a setting, the algorithm the same) and generous limits."""
    values: dict[str, Any] = {
        "mode": "distributed",
        "database_url": database_url,
        "identity_key_secret": TEST_KEY_SECRET,
        "argon2_time_cost": 1,
        "argon2_memory_kib": 1024,
        "argon2_parallelism": 1,
        "address_failures_limit": 1000,
        "key_activation_delay_seconds": 0,
    }
    values.update(overrides)
    return IdentitySettings(**values)


def random_address() -> str:
    """Each client its own address: per-address brute-force counters never meet."""
    return f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


def client_for(app: Any, address: str | None = None) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address or random_address(), 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=30)


@asynccontextmanager
async def running_identity(
    make_database: Any,
    amqp_url: str,
    redis_url: str,
    run_id: str,
    rabbit_cleanup: list[str],
    **overrides: Any,
) -> AsyncIterator[Harness]:
    """The identity service on a database of its own, with these settings."""
    url = await make_database("identity", MIGRATIONS)
    shared = rabbit_shared(amqp_url, redis_url, run_id, TestTokens(), rabbit_cleanup)
    app = build(settings_for_tests(url, **overrides), shared=shared)
    async with in_process([app], shared.bus), client_for(app) as client:
        harness = Harness(app, client)
        await harness.prepare()
        yield harness


@pytest.fixture(scope="module")
async def identity(
    make_database: Any, amqp_url: str, redis_url: str, run_id: str, rabbit_cleanup: list[str]
) -> AsyncIterator[Harness]:
    """One identity service per test module: each test makes its own school and people."""
    async with running_identity(
        make_database, amqp_url, redis_url, run_id, rabbit_cleanup
    ) as harness:
        yield harness


@pytest.fixture
def make_identity(
    make_database: Any, amqp_url: str, redis_url: str, run_id: str, rabbit_cleanup: list[str]
) -> Callable[..., AbstractAsyncContextManager[Harness]]:
    """For a test that needs its own settings or a key ring nobody else touches."""

    def make(**overrides: Any) -> AbstractAsyncContextManager[Harness]:
        return running_identity(
            make_database, amqp_url, redis_url, run_id, rabbit_cleanup, **overrides
        )

    return make
