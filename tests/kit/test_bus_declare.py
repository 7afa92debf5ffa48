"""The bus's `declare` verb and its private exchanges, on both buses.

`declare` makes a consumer's queue and bindings without consuming it: what is published to it
waits there for a consumer of that name, however late it starts. A queue bound on a service's
private exchange receives only what is published there, never what goes to the public one
(and the other way round).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kit.bus.base import BatchHandler, Bus, private_exchange
from kit.bus.local import LocalBus
from kit.bus.rabbit import RabbitBus
from kit.db import Database, new_id
from kit.events import Envelope
from kit.testing.services import eventually, queue_names
from tests.kit.harness import ProbeHappened, sqlite_url

PRIVATE = private_exchange("kittest")
PATTERNS = [ProbeHappened.binding()]


def probe(key: str) -> Envelope:
    return Envelope.wrap(ProbeHappened(probe_id=new_id(), key=key), school_id="s1")


@dataclass
class Buses:
    """Makes buses on the same broker (or local database) and names; starts and closes them."""

    make: Callable[[], Bus]
    started: list[Bus] = field(default_factory=list)

    async def start(self, bus: Bus) -> Bus:
        await bus.start()
        self.started.append(bus)
        if isinstance(bus, RabbitBus):
            await bus.wait_connected()
        return bus

    async def stop(self, bus: Bus) -> None:
        self.started.remove(bus)
        await bus.close()


@pytest.fixture(params=[pytest.param("rabbit", marks=pytest.mark.infra), "local"])
def buses(request: pytest.FixtureRequest) -> Buses:
    return request.getfixturevalue(f"{request.param}_buses")  # type: ignore[no-any-return]


@pytest.fixture
async def local_buses(tmp_path: Path) -> AsyncIterator[Buses]:
    db = Database(sqlite_url(tmp_path, "bus.db"))
    made = Buses(lambda: LocalBus(db, idle_interval=0.05, max_attempts=3))
    yield made
    for bus in list(made.started):
        await made.stop(bus)
    await db.dispose()


@pytest.fixture
async def rabbit_buses(
    amqp_url: str, run_id: str, rabbit_cleanup: list[str]
) -> AsyncIterator[Buses]:
    prefix = f"{run_id}.{new_id()[-8:]}."

    def make() -> RabbitBus:
        return RabbitBus(
            amqp_url,
            exchange=f"edu.events.{run_id}",
            queue_prefix=prefix,
            max_attempts=3,
            retry_delays_ms=(100, 500),
        )

    made = Buses(make)
    yield made
    for bus in list(made.started):
        await made.stop(bus)
    names = make()
    rabbit_cleanup.extend(queue_names(names, ["held", "public", "private"]))
    await names.delete_queues(["held", "public", "private"])


def collecting(received: list[Envelope]) -> BatchHandler:
    async def handler(envelopes: Sequence[Envelope]) -> list[BaseException | None]:
        received.extend(envelopes)
        return [None] * len(envelopes)

    return handler


async def waiting(bus: Bus, consumer: str) -> int:
    return (await bus.queue_depths())[consumer][0]


async def test_a_declared_queue_holds_messages_until_its_consumer_starts(buses: Buses) -> None:
    declaring = buses.make()
    declaring.declare("held", PATTERNS, exchange=PRIVATE)
    await buses.start(declaring)
    sent = [probe("first"), probe("second")]
    assert await declaring.publish(sent, exchange=PRIVATE) == [True, True]

    async def both_waiting() -> bool:
        return await waiting(declaring, "held") == 2

    await eventually(both_waiting)
    await asyncio.sleep(0.3)  # the declaring bus consumes nothing, however long it runs
    assert await waiting(declaring, "held") == 2
    await buses.stop(declaring)

    received: list[Envelope] = []
    consumer = buses.make()
    consumer.subscribe("held", PATTERNS, collecting(received), exchange=PRIVATE)
    await buses.start(consumer)

    async def both_received() -> bool:
        return len(received) == 2

    await eventually(both_received)
    assert [e.id for e in received] == [e.id for e in sent]

    async def acked() -> bool:
        return await waiting(consumer, "held") == 0

    await eventually(acked)


async def test_private_and_public_exchanges_never_see_each_others_messages(
    buses: Buses,
) -> None:
    bus = buses.make()
    bus.declare("public", ["#"])
    bus.declare("private", ["#"], exchange=PRIVATE)
    await buses.start(bus)
    public, internal = probe("public"), probe("internal")
    assert await bus.publish([public]) == [True]
    assert await bus.publish([internal], exchange=PRIVATE) == [True]

    async def one_each() -> bool:
        depths = await bus.queue_depths()
        return depths["public"][0] == 1 and depths["private"][0] == 1

    await eventually(one_each)
    await asyncio.sleep(0.2)
    depths = await bus.queue_depths()
    assert (depths["public"], depths["private"]) == ((1, 0), (1, 0))


def test_a_consumer_is_declared_or_subscribed_once_per_bus(buses: Buses) -> None:
    bus = buses.make()
    bus.declare("held", PATTERNS, exchange=PRIVATE)
    with pytest.raises(ValueError, match="already on this bus"):
        bus.subscribe("held", PATTERNS, lambda envelopes: None)  # type: ignore[arg-type,return-value]


def test_private_exchanges_are_named_for_the_run_like_the_public_one() -> None:
    run = RabbitBus("amqp://unused", exchange="edu.events.t1a2b3")
    assert run.exchange_of(None) == "edu.events.t1a2b3"
    assert run.exchange_of(private_exchange("reports")) == "reports.internal.t1a2b3"
    production = RabbitBus("amqp://unused")
    assert production.exchange_of(private_exchange("reports")) == "reports.internal"
