from __future__ import annotations

import datetime as dt
import os
from collections.abc import AsyncIterator
from typing import Any

import pytest

from kit.clock import FixedClock
from kit.migrations import upgrade
from kit.testing.services import in_process, rabbit_shared
from kit.testing.tokens import TestTokens
from services.journal.app import MIGRATIONS, build
from services.journal.settings import JournalSettings
from services.journal.tests.factories import World

START = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)  # 12:00 in Moscow, a Thursday


@pytest.fixture(scope="module")
def tokens() -> TestTokens:
    return TestTokens()


@pytest.fixture(scope="module")
async def journal(
    make_database: Any,
    amqp_url: str,
    redis_url: str,
    run_id: str,
    rabbit_cleanup: list[str],
    tokens: TestTokens,
    tmp_path_factory: Any,
) -> AsyncIterator[Any]:
    """One journal (its own database, real RabbitMQ and Redis) per test module; each test
    makes its own school, so tests never see each other's data."""
    url = await make_database("journal", MIGRATIONS)
    if os.environ.get("EJ_JOURNAL_TEST_SQLITE"):  # the embedded mode's database
        path = tmp_path_factory.mktemp("journal") / "journal.db"
        url = f"sqlite+aiosqlite:///{path}"
        await upgrade(url, MIGRATIONS)
    shared = rabbit_shared(amqp_url, redis_url, run_id, tokens, rabbit_cleanup)
    app = build(JournalSettings(mode="distributed", database_url=url), shared=shared)
    app.state.runtime.clock = FixedClock(START)
    async with in_process([app], shared.bus) as [client]:
        client.app = app
        yield client


@pytest.fixture
async def world(journal: Any, tokens: TestTokens) -> World:
    journal.app.state.runtime.clock.set(START)
    return await World.create(journal, tokens)
