"""Outbox, inbox, retries and dead letters: one suite, run against both buses.

`rabbit`: PostgreSQL + RabbitMQ (the broker reached through a TCP proxy the test can cut).
`local`: SQLite + the embedded mode's in-process bus (an outage is the bus being stopped).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from kit.bus.local import LocalBus
from kit.bus.rabbit import RabbitBus
from kit.db import Database, new_id
from kit.outbox import OutboxRelay
from kit.testing.tcpproxy import TcpProxy
from tests.kit.harness import Harness, ProbeHappened, chain_key, create_tables, sqlite_url

FAST_RETRIES = {"max_attempts": 3, "retry_delays_ms": (50, 100)}


@pytest.fixture(params=[pytest.param("rabbit", marks=pytest.mark.infra), "local"])
def harness(request: pytest.FixtureRequest) -> Harness:
    return request.getfixturevalue(f"{request.param}_harness")  # type: ignore[no-any-return]


@pytest.fixture
async def local_harness(tmp_path: Path) -> AsyncIterator[Harness]:
    db = Database(sqlite_url(tmp_path, "service.db"))
    await create_tables(db)
    bus = LocalBus(Database(sqlite_url(tmp_path, "bus.db")), idle_interval=0.1, **FAST_RETRIES)
    h = Harness(db=db, bus=bus, outage=bus.close, recover=bus.start)
    await bus.start()
    yield h
    await h.relay.stop()
    await bus.close()
    await db.dispose()


@pytest.fixture
async def rabbit_harness(
    amqp_url: str, make_database: Any, rabbit_cleanup: list[str], run_id: str
) -> AsyncIterator[Harness]:
    db = Database(await make_database("kit", None))
    await create_tables(db)
    target = urlparse(amqp_url)
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 5672)
    await proxy.start()
    prefix = f"{run_id}.{new_id()[-8:]}."
    proxied = target._replace(netloc=f"{target.username}:{target.password}@127.0.0.1:{proxy.port}")
    bus = RabbitBus(
        proxied.geturl(),
        exchange=f"edu.events.{run_id}",
        queue_prefix=prefix,
        prefetch=32,
        batch_size=16,
        **FAST_RETRIES,
    )
    h = Harness(db=db, bus=bus, outage=proxy.cut, recover=proxy.restore)
    rabbit_cleanup.extend(f"{prefix}probe{s}" for s in ("", ".dlq", ".retry.0", ".retry.1"))
    await bus.start()
    await bus.wait_connected()
    yield h
    await h.relay.stop()
    await bus.close()
    await proxy.close()
    await db.dispose()


async def record(h: Harness, key: str, *, fail: bool = False, step: int | None = None) -> None:
    async with h.db.unit_of_work() as session:
        await h.outbox.add(
            session,
            ProbeHappened(probe_id=new_id(), key=key, fail=fail, step=step),
            school_id="s1",
        )


async def test_state_change_commits_while_broker_is_down_and_is_published_when_it_returns(
    harness: Harness,
) -> None:
    await harness.outage()
    await record(harness, "during-outage")  # the commit does not need the broker
    assert await harness.unsent() == 1
    try:
        published = await harness.relay.publish_pending()
    except Exception:  # the bus may raise or report the messages unconfirmed
        published = 0
    assert published == 0
    assert await harness.unsent() == 1, "nothing is marked sent without the broker's ack"
    await harness.recover()
    harness.relay.start()

    async def applied() -> bool:
        return await harness.count("during-outage") == 1

    await harness.wait_for(applied, timeout=30)
    assert await harness.unsent() == 0


async def test_rolled_back_transaction_publishes_nothing(harness: Harness) -> None:
    harness.relay.start()
    with pytest.raises(RuntimeError):
        async with harness.db.unit_of_work() as session:
            await harness.outbox.add(
                session, ProbeHappened(probe_id=new_id(), key="rolled-back"), school_id="s1"
            )
            raise RuntimeError("the change fails after its event was written")
    await record(harness, "committed-after")

    async def later_one_applied() -> bool:
        return await harness.count("committed-after") == 1

    await harness.wait_for(later_one_applied)
    assert await harness.count("rolled-back") == 0
    assert await harness.unsent() == 0


async def test_same_event_delivered_twice_changes_state_once(harness: Harness) -> None:
    async with harness.db.unit_of_work() as session:
        envelope = await harness.outbox.add(
            session, ProbeHappened(probe_id=new_id(), key="twice"), school_id="s1"
        )
    await harness.bus.publish([envelope])
    await harness.bus.publish([envelope])  # a redelivery, as after a lost ack

    async def both_delivered() -> bool:
        return harness.deliveries.count(envelope.id) >= 2

    await harness.wait_for(both_delivered)
    assert await harness.count("twice") == 1


async def test_failing_handler_ends_in_dead_letters_and_replay_delivers_it_again(
    harness: Harness,
) -> None:
    harness.relay.start()
    await record(harness, "poison", fail=True)
    await record(harness, "healthy")

    async def dead() -> bool:
        return len(await harness.bus.dead_letters("probe")) == 1

    await harness.wait_for(dead, timeout=30)
    [letter] = await harness.bus.dead_letters("probe")
    assert letter.envelope.data["key"] == "poison"
    assert "fails on purpose" in letter.error
    assert letter.attempts >= 2

    async def healthy_applied() -> bool:  # one poison message does not stop the others
        return await harness.count("healthy") == 1

    await harness.wait_for(healthy_applied)
    assert await harness.count("poison") == 0
    # listing does not consume
    assert len(await harness.bus.dead_letters("probe")) == 1

    harness.healed = True
    assert await harness.bus.replay_dead_letters("probe") == 1

    async def replayed() -> bool:
        return await harness.count("poison") == 1

    await harness.wait_for(replayed)
    assert await harness.bus.dead_letters("probe") == []


async def test_batch_of_events_is_applied_in_order(harness: Harness) -> None:
    """50 steps committed one after another, published by the relay in batches: each step
    extends the chain only after its predecessor, so any reordering leaves it short."""
    for step in range(1, 51):
        await record(harness, "burst", step=step)
    harness.relay.start()

    async def all_applied() -> bool:
        return await harness.count("burst") == 50

    await harness.wait_for(all_applied)
    assert await harness.count(chain_key("burst")) == 50


async def test_two_relays_share_the_outbox_and_publish_each_event_once(
    rabbit_harness: Harness,
) -> None:
    """FOR UPDATE SKIP LOCKED: relays of several replicas never publish the same row twice."""
    h = rabbit_harness
    async with h.db.unit_of_work() as session:
        await h.outbox.add_many(
            session,
            [ProbeHappened(probe_id=new_id(), key="shared") for _ in range(300)],
            school_id="s1",
        )
    second = OutboxRelay(h.db, h.outbox.table, h.bus, batch=20, idle_interval=0.1)
    h.relay.batch = 20
    h.relay.start()
    second.start()
    try:

        async def all_applied() -> bool:
            return await h.count("shared") == 300

        await h.wait_for(all_applied, timeout=30)
    finally:
        await second.stop()
    assert len(h.deliveries) == len(set(h.deliveries)) == 300
    assert await h.unsent() == 0
