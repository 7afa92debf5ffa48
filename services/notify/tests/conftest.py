from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from kit.testing.services import in_process, rabbit_shared
from kit.testing.tokens import TestTokens
from services.notify.app import MIGRATIONS, build
from services.notify.settings import NotifySettings


@pytest.fixture(scope="module")
def tokens() -> TestTokens:
    return TestTokens()


@pytest.fixture
async def notify(
    make_database: Any,
    amqp_url: str,
    redis_url: str,
    run_id: str,
    rabbit_cleanup: list[str],
    tokens: TestTokens,
) -> AsyncIterator[Any]:
    url = await make_database("notify", MIGRATIONS)
    shared = rabbit_shared(amqp_url, redis_url, run_id, tokens, rabbit_cleanup)
    app = build(NotifySettings(mode="distributed", database_url=url), shared=shared)
    async with in_process([app], shared.bus) as [client]:
        client.app_runtime = app.state.runtime
        yield client
