"""A pooled connection the database (or a proxy on the way) closed is never handed to a unit of
work: without a ping before every unit of work (`pool_pre_ping`), the pool replaces a
connection the driver knows closed at checkout, and the first unit of work after the database
comes back succeeds."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest
from sqlalchemy import event, text

from kit.db import Database
from kit.testing.tcpproxy import TcpProxy

pytestmark = pytest.mark.infra


async def test_units_of_work_after_the_database_dropped_every_connection(
    make_database: Any,
) -> None:
    url = urlparse(await make_database("kit", None))
    proxy = TcpProxy(url.hostname or "127.0.0.1", url.port or 5432)
    await proxy.start()
    proxied = url._replace(netloc=f"{url.username}:{url.password}@127.0.0.1:{proxy.port}")
    db = Database(proxied.geturl(), pool_size=3)
    assert not db.engine.pool._pre_ping, "no round trip before every unit of work"
    pings: list[str] = []
    try:
        for _ in range(3):  # the pool holds connections that will be dropped
            async with db.unit_of_work() as session:
                assert (await session.execute(text("SELECT 1"))).scalar_one() == 1
        await proxy.cut()  # every open connection dropped, as by a restart
        await proxy.restore()

        def record(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
            pings.append(sql)

        event.listen(db.engine.sync_engine, "before_cursor_execute", record)
        for n in range(3):
            async with db.unit_of_work() as session:
                assert (await session.execute(text(f"SELECT {n}"))).scalar_one() == n
        assert pings == ["SELECT 0", "SELECT 1", "SELECT 2"], "no statement besides the work"
    finally:
        await db.dispose()
        await proxy.close()
