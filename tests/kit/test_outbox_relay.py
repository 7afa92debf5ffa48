"""The outbox relay: a short claim, publishing with no transaction open, a second short
settle; leases that survive a crash; stored bytes on the wire; the `relay` process.

`pg`: PostgreSQL (several relays, row locks). `sqlite`: the embedded mode's database.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import aio_pika
import pytest
from sqlalchemy import select, text, update

from kit.bus.base import Bus, DeadLetter, Encoded
from kit.bus.rabbit import RabbitBus, _message
from kit.db import Database, new_id, utcnow
from kit.events import Envelope
from kit.migrations import upgrade
from kit.outbox import Outbox, OutboxRelay
from tests.kit.harness import ProbeHappened, create_tables, outbox_t, sqlite_url

ROOT = Path(__file__).resolve().parents[2]
NOTIFY_MIGRATIONS = ROOT / "services" / "notify" / "migrations"

OnPublish = Callable[[Sequence[Encoded]], Awaitable[None]]


class RecordingBus(Bus):
    """Records what the relay hands it; `confirm(message)` says whether the broker would
    ack it; `during(messages)` runs while the publish is in flight."""

    def __init__(
        self,
        *,
        confirm: Callable[[Encoded], bool] = lambda _: True,
        during: OnPublish | None = None,
        delay: float = 0.0,
    ) -> None:
        super().__init__()
        self.confirm, self.during, self.delay = confirm, during, delay
        self.published: list[Encoded] = []
        self.fail_with: Exception | None = None

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def publish(
        self, envelopes: Sequence[Envelope], *, exchange: str | None = None
    ) -> list[bool]:
        return await self.publish_encoded([Encoded.of(e) for e in envelopes], exchange=exchange)

    async def publish_encoded(
        self, encoded: Sequence[Encoded], *, exchange: str | None = None
    ) -> list[bool]:
        if self.fail_with is not None:
            raise self.fail_with
        if self.during is not None:
            await self.during(encoded)
        if self.delay:
            await asyncio.sleep(self.delay)
        verdicts = [self.confirm(m) for m in encoded]
        self.published += [m for m, ok in zip(encoded, verdicts, strict=True) if ok]
        return verdicts

    async def ping(self) -> None:
        return None

    async def dead_letters(self, consumer: str, limit: int = 100) -> list[DeadLetter]:
        return []

    async def replay_dead_letters(self, consumer: str, limit: int | None = None) -> int:
        return 0

    async def queue_depths(self) -> dict[str, tuple[int, int]]:
        return {}


@pytest.fixture
async def pg_db(make_database: Any) -> AsyncIterator[Database]:
    db = Database(await make_database("relay", None))
    await create_tables(db)
    yield db
    await db.dispose()


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[Database]:
    db = Database(sqlite_url(tmp_path, "service.db"))
    await create_tables(db)
    yield db
    await db.dispose()


@pytest.fixture(params=[pytest.param("pg", marks=pytest.mark.infra), "sqlite"])
def db(request: pytest.FixtureRequest) -> Database:
    return request.getfixturevalue(f"{request.param}_db")  # type: ignore[no-any-return]


async def write(db: Database, count: int, *, key: str = "k") -> list[Envelope]:
    async with db.unit_of_work() as session:
        return await Outbox(outbox_t).add_many(
            session,
            [ProbeHappened(probe_id=new_id(), key=key, step=i) for i in range(count)],
            school_id="s1",
        )


async def rows(db: Database) -> list[Any]:
    async with db.read_only() as session:
        return list((await session.execute(select(outbox_t).order_by(outbox_t.c.id))).all())


async def drain(relay: OutboxRelay) -> None:
    while await relay.publish_pending():
        pass


async def test_no_transaction_is_held_while_the_broker_confirms(db: Database) -> None:
    """While the bus awaits its confirms, another session changes the claimed rows at once:
    neither a row lock nor (SQLite) the write lock is held across the publish."""
    await write(db, 5)
    seen: list[int] = []

    async def meanwhile(encoded: Sequence[Encoded]) -> None:
        ids = [int(Envelope.model_validate_json(m.body).sequence or 0) for m in encoded]
        async with db.unit_of_work() as session:
            if not db.is_sqlite:
                await session.execute(text("SET LOCAL lock_timeout = '2s'"))
                locked = await session.execute(
                    select(outbox_t.c.id).where(outbox_t.c.id.in_(ids)).with_for_update(nowait=True)
                )
                seen.extend(locked.scalars())
            await session.execute(
                update(outbox_t).where(outbox_t.c.id.in_(ids)).values(last_error="touched")
            )
        seen.extend(ids)

    relay = OutboxRelay(db, outbox_t, RecordingBus(during=meanwhile), batch=10)
    assert await asyncio.wait_for(relay.publish_pending(), timeout=10) == 5
    assert len(seen) >= 5
    assert all(r.sent_at is not None and r.last_error == "touched" for r in await rows(db))


async def test_published_bytes_are_the_stored_envelope_with_its_sequence(db: Database) -> None:
    envelopes = await write(db, 3)
    bus = RecordingBus()
    await drain(OutboxRelay(db, outbox_t, bus))
    stored = await rows(db)
    assert len(bus.published) == 3
    for message, envelope, row in zip(bus.published, envelopes, stored, strict=True):
        expected = envelope.model_copy(update={"sequence": row.id})
        assert message.body == expected.model_dump_json().encode()  # the wire as before
        assert Envelope.model_validate_json(message.body) == expected
        assert (message.id, message.type, message.schoolid, message.time) == (
            expected.id,
            expected.type,
            expected.schoolid,
            expected.time,
        )
        assert message.routing_key == expected.routing_key


async def test_an_unconfirmed_row_is_released_and_published_by_a_later_pass(
    db: Database,
) -> None:
    envelopes = await write(db, 4)
    refused = envelopes[1].id
    bus = RecordingBus(confirm=lambda m: m.id != refused)
    relay = OutboxRelay(db, outbox_t, bus)
    assert await relay.publish_pending() == 3
    state = {r.event_id: r for r in await rows(db)}
    assert state[refused].sent_at is None and state[refused].claimed_until is None
    assert state[refused].attempts == 1 and "not confirmed" in state[refused].last_error
    assert all(r.sent_at is not None for k, r in state.items() if k != refused)

    bus.confirm = lambda _: True
    assert await relay.publish_pending() == 1
    assert [m.id for m in bus.published].count(refused) == 1
    assert await relay.depth() == 0


async def test_a_broker_failure_mid_pass_releases_the_claim_at_once(db: Database) -> None:
    from kit.bus.base import BusUnavailable

    await write(db, 3)
    bus = RecordingBus()
    bus.fail_with = BusUnavailable("the broker went away")
    relay = OutboxRelay(db, outbox_t, bus)
    with pytest.raises(BusUnavailable):
        await relay.publish_pending()
    state = await rows(db)
    assert all(r.sent_at is None and r.claimed_until is None for r in state)
    assert all("went away" in (r.last_error or "") for r in state)

    bus.fail_with = None
    assert await relay.publish_pending() == 3


async def test_a_crashed_relays_claim_expires_and_is_published_then(db: Database) -> None:
    await write(db, 3)
    crashed = OutboxRelay(db, outbox_t, RecordingBus(), lease=30)
    claimed = await crashed.claim()  # ... and then the process died before publishing
    assert len(claimed) == 3

    bus = RecordingBus()
    other = OutboxRelay(db, outbox_t, bus)
    assert await other.publish_pending() == 0, "a live lease is respected"
    async with db.unit_of_work() as session:  # the lease runs out
        await session.execute(
            update(outbox_t).values(claimed_until=utcnow() - dt.timedelta(seconds=1))
        )
    assert await other.publish_pending() == 3
    assert sorted(
        int(Envelope.model_validate_json(m.body).sequence or 0) for m in bus.published
    ) == [r.id for r in claimed]
    assert await other.depth() == 0


async def test_two_relays_on_one_postgres_outbox_publish_every_row_once(
    pg_db: Database, make_database: Any
) -> None:
    """Two relays (two engines, as two processes) drain one outbox concurrently: SKIP LOCKED
    and the lease give each row to exactly one of them."""
    await write(pg_db, 600)
    second_db = Database(pg_db.url)
    buses = [RecordingBus(delay=0.01), RecordingBus(delay=0.01)]
    relays = [
        OutboxRelay(pg_db, outbox_t, buses[0], batch=25),
        OutboxRelay(second_db, outbox_t, buses[1], batch=25),
    ]
    try:
        await asyncio.wait_for(asyncio.gather(*(drain(r) for r in relays)), timeout=60)
    finally:
        await second_db.dispose()
    ids = [m.id for bus in buses for m in bus.published]
    assert len(ids) == len(set(ids)) == 600
    assert all(bus.published for bus in buses), "both relays took part"
    assert all(r.sent_at is not None for r in await rows(pg_db))


async def test_rabbit_bus_sends_the_same_message_as_before(
    pg_db: Database, amqp_url: str, run_id: str, rabbit_cleanup: list[str]
) -> None:
    """Through RabbitMQ: body, properties and headers equal what publishing the parsed
    envelope (the old path) sends."""
    [envelope] = await write(pg_db, 1)
    bus = RabbitBus(amqp_url, exchange=f"edu.events.{run_id}", consume=False)
    await bus.start()
    await bus.wait_connected()
    queue_name = f"{run_id}.relay-probe-{new_id()[-6:]}"
    rabbit_cleanup.append(queue_name)
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(
            f"edu.events.{run_id}", aio_pika.ExchangeType.TOPIC, durable=True
        )
        queue = await channel.declare_queue(queue_name, auto_delete=True)
        await queue.bind(exchange, routing_key=envelope.routing_key)
        assert await OutboxRelay(pg_db, outbox_t, bus).publish_pending() == 1
        got = await _get(queue)
        [row] = await rows(pg_db)
        before = _message(envelope.model_copy(update={"sequence": row.id}))
        assert got.body == before.body
        assert got.routing_key == envelope.routing_key
        for prop in ("content_type", "message_id", "type", "delivery_mode"):
            assert getattr(got, prop) == getattr(before, prop), prop
        assert got.timestamp == before.timestamp.replace(microsecond=0)  # AMQP: seconds
        assert got.headers == before.headers
    finally:
        await connection.close()
        await bus.close()


async def _get(queue: aio_pika.abc.AbstractQueue, timeout: float = 15) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        message = await queue.get(fail=False, no_ack=True)
        if message is not None:
            return message
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("nothing arrived on the probe queue")
        await asyncio.sleep(0.05)


async def test_the_relay_command_publishes_what_another_process_wrote(
    make_database: Any,
    distributed_settings: Callable[..., dict[str, str]],
    amqp_url: str,
    run_id: str,
    rabbit_cleanup: list[str],
) -> None:
    """`python -m services.notify relay` as its own process: it publishes a row this process
    commits to notify's outbox, then stops cleanly on SIGTERM."""
    url = await make_database("notify", NOTIFY_MIGRATIONS)
    db = Database(url)
    queue_name = f"{run_id}.relay-command-{new_id()[-6:]}"
    rabbit_cleanup.append(queue_name)
    connection = await aio_pika.connect(amqp_url)
    env = {
        **os.environ,
        **distributed_settings(EJ_DATABASE_URL=url, EJ_LOG_FORMAT="json", EJ_OUTBOX_POLL_MS="20"),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.notify",
        "relay",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(
            f"edu.events.{run_id}", aio_pika.ExchangeType.TOPIC, durable=True
        )
        queue = await channel.declare_queue(queue_name, auto_delete=True)
        await queue.bind(exchange, routing_key="kittest.probe.happened.*")
        from services.notify.models import outbox as notify_outbox

        async with db.unit_of_work() as session:
            [envelope] = await Outbox(notify_outbox).add_many(
                session, [ProbeHappened(probe_id=new_id(), key="from-afar")], school_id="s9"
            )
        got = await _get(queue, timeout=60)
        published = Envelope.model_validate_json(got.body)
        assert published.id == envelope.id and published.data == envelope.data
        assert published.sequence is not None

        async def marked_sent() -> bool:
            async with db.read_only() as session:
                sent = await session.scalar(
                    select(notify_outbox.c.sent_at).where(notify_outbox.c.event_id == envelope.id)
                )
            return sent is not None

        for _ in range(200):
            if await marked_sent():
                break
            await asyncio.sleep(0.05)
        assert await marked_sent()
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
        await connection.close()
        await db.dispose()
    log = output.decode(errors="replace")
    assert process.returncode == 0, log[-3000:]
    assert "outbox_relay_started" in log and "outbox_relay_stopped" in log
    assert "service_started" not in log, "the relay process serves no API"


@pytest.mark.parametrize("mode", ["inline", "off"])
async def test_the_api_process_publishes_its_outbox_only_when_the_relay_is_inline(
    tmp_path: Path, mode: str
) -> None:
    """EJ_OUTBOX_RELAY=inline (the default): the service publishes what it commits; off: its
    rows wait for a `relay` process, and the service is still ready."""
    from kit.runtime import Runtime
    from kit.settings import OutboxRelayMode, ServiceSettings
    from kit.usecase import Actor
    from services.notify.models import outbox as notify_outbox

    settings = ServiceSettings(data_dir=tmp_path, outbox_relay=OutboxRelayMode(mode))
    url = settings.database_url_for("notify")
    await upgrade(url, NOTIFY_MIGRATIONS)
    runtime = Runtime.create("notify", settings, notify_outbox, NOTIFY_MIGRATIONS)
    await runtime.start()
    try:
        async with runtime.use_case(Actor.system(None)) as uc:
            await uc.outbox.add(
                uc.session, ProbeHappened(probe_id=new_id(), key="api"), school_id="s1"
            )
        for _ in range(40):
            if not await runtime.relay.depth():
                break
            await asyncio.sleep(0.05)
        assert await runtime.relay.depth() == (0 if mode == "inline" else 1)
        for check in runtime.checks.values():  # readiness does not ask for a relay
            await check()
    finally:
        await runtime.stop()
