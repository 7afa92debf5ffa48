"""RabbitMQ bus on aio-pika.

Exchanges: the public topic exchange `edu.events` (the `exchange` given, e.g. `edu.events.<run>`
in tests) and the services' private topic exchanges, `<service>.internal` plus the same suffix
(`reports.internal.<run>`), declared when first bound or published to.

Topology per consuming service `<c>` (names get the optional `queue_prefix`):
- `<c>`: durable quorum queue bound to its exchange (public or private) by the consumer's
  patterns; rejected messages dead-letter at least once into `<c>.dlq`;
- `<c>.retry.<i>`: one quorum queue per back-off delay; a failed message waits there (queue
  TTL) and dead-letters back into `<c>`, so delays never block each other;
- `<c>.dlq`: dead letters, listed and replayed by operators (`ej dlq …`).

`declare(...)` makes that topology without consuming: a process that publishes work for others
(the reports service for its workers) has the queue before the first worker starts.

Delivery: prefetch-bounded; messages are handed to the consumer in batches, in arrival order,
and acked only after the consumer committed. A failure is republished (with confirms) to the
retry queue of its attempt, or to the DLQ after the last attempt, then the original is acked.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import aio_pika
from aio_pika.abc import (
    AbstractChannel,
    AbstractExchange,
    AbstractIncomingMessage,
    AbstractRobustConnection,
)
from pamqp.commands import Basic

from kit.bus.base import Bus, BusUnavailable, DeadLetter, Encoded, Subscription
from kit.events import Envelope
from kit.logging import get_logger

log = get_logger("kit.bus.rabbit")

CONTENT_TYPE = "application/cloudevents+json"
ATTEMPT = "x-ej-attempt"
ERROR = "x-ej-error"


class RabbitBus(Bus):
    def __init__(
        self,
        url: str,
        *,
        exchange: str = "edu.events",
        queue_prefix: str = "",
        prefetch: int = 256,
        batch_size: int = 128,
        max_attempts: int = 5,
        retry_delays_ms: Sequence[int] = (200, 1000, 5000, 30000),
        publish_timeout: float = 10.0,
        consume: bool = True,
        private_suffix: str | None = None,
    ) -> None:
        super().__init__()
        self.url, self.exchange_name, self.prefix = url, exchange, queue_prefix
        self.private_suffix = private_suffix if private_suffix is not None else _suffix_of(exchange)
        self.prefetch, self.batch_size = prefetch, batch_size
        self.max_attempts, self.retry_delays = max_attempts, list(retry_delays_ms)
        self.publish_timeout = publish_timeout
        self.consume_enabled = consume
        self._connection: AbstractRobustConnection | None = None
        self._publish_channel: AbstractChannel | None = None
        self._exchanges: dict[str, AbstractExchange] = {}
        self._connected = asyncio.Event()
        self._tasks: list[asyncio.Task[Any]] = []
        self._closing = False

    # -- names ---------------------------------------------------------------------------
    def queue_name(self, consumer: str) -> str:
        return f"{self.prefix}{consumer}"

    def dlq_name(self, consumer: str) -> str:
        return f"{self.queue_name(consumer)}.dlq"

    def retry_name(self, consumer: str, index: int) -> str:
        return f"{self.queue_name(consumer)}.retry.{index}"

    def exchange_of(self, exchange: str | None) -> str:
        """The broker's name of a logical exchange (None: the public one)."""
        return self.exchange_name if exchange is None else f"{exchange}{self.private_suffix}"

    # -- lifecycle -----------------------------------------------------------------------
    async def start(self) -> None:
        self._tasks.append(asyncio.create_task(self._connect_forever(), name="rabbit-connect"))

    async def wait_connected(self, timeout: float = 30.0) -> None:
        await asyncio.wait_for(self._connected.wait(), timeout)

    async def _connect_forever(self) -> None:
        delay = 0.5
        while not self._closing:
            try:
                connection = await aio_pika.connect_robust(
                    self.url, timeout=10, reconnect_interval=1
                )
            except Exception as exc:
                log.warning("rabbit_connect_failed", error=str(exc) or type(exc).__name__)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            self._connection = connection
            try:
                await self._setup(connection)
            except Exception as exc:
                log.error("rabbit_setup_failed", error=repr(exc))
                await connection.close()
                self._connection = None
                await asyncio.sleep(delay)
                continue
            self._connected.set()
            log.info("rabbit_connected", consumers=[s.consumer for s in self.subscriptions])
            return

    async def _setup(self, connection: AbstractRobustConnection) -> None:
        channel = await connection.channel(publisher_confirms=True)
        self._publish_channel = channel
        self._exchanges.clear()
        await self._exchange(None)
        for sub in self.subscriptions:
            await self._declare_consumer(channel, sub)
        if self.consume_enabled:
            for sub in self.subscriptions:
                if sub.handler is not None:
                    await self._start_consumer(connection, sub)

    async def _exchange(self, exchange: str | None) -> AbstractExchange:
        """The exchange on the publishing channel, declared the first time (a robust channel
        declares it again after a reconnect)."""
        name = self.exchange_of(exchange)
        found = self._exchanges.get(name)
        if found is None:
            channel = self._publish_channel
            if channel is None:
                raise BusUnavailable("not connected to RabbitMQ")
            found = await channel.declare_exchange(name, aio_pika.ExchangeType.TOPIC, durable=True)
            self._exchanges[name] = found
        return found

    async def _declare_consumer(self, channel: AbstractChannel, sub: Subscription) -> None:
        name = self.queue_name(sub.consumer)
        quorum: dict[str, Any] = {"x-queue-type": "quorum"}
        await channel.declare_queue(self.dlq_name(sub.consumer), durable=True, arguments=quorum)
        queue = await channel.declare_queue(
            name, durable=True, arguments=self._main_queue_arguments(sub.consumer)
        )
        exchange = await self._exchange(sub.exchange)
        for pattern in sub.patterns:
            await queue.bind(exchange, routing_key=pattern)
        for index, delay in enumerate(self.retry_delays):
            await channel.declare_queue(
                self.retry_name(sub.consumer, index),
                durable=True,
                arguments={
                    **quorum,
                    "x-message-ttl": delay,
                    "x-dead-letter-exchange": "",
                    "x-dead-letter-routing-key": name,
                    "x-dead-letter-strategy": "at-least-once",
                    "x-overflow": "reject-publish",
                },
            )

    def _main_queue_arguments(self, consumer: str) -> dict[str, Any]:
        return {
            "x-queue-type": "quorum",
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": self.dlq_name(consumer),
            "x-dead-letter-strategy": "at-least-once",
            "x-overflow": "reject-publish",
        }

    async def _start_consumer(
        self, connection: AbstractRobustConnection, sub: Subscription
    ) -> None:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=self.prefetch)
        # declared (not just looked up) on this channel, so a reconnect restores the consumer
        queue = await channel.declare_queue(
            self.queue_name(sub.consumer),
            durable=True,
            arguments=self._main_queue_arguments(sub.consumer),
        )
        inbox: asyncio.Queue[AbstractIncomingMessage] = asyncio.Queue()

        async def on_message(message: AbstractIncomingMessage) -> None:
            inbox.put_nowait(message)

        await queue.consume(on_message)
        self._tasks.append(
            asyncio.create_task(self._drain(sub, inbox), name=f"consume-{sub.consumer}")
        )

    async def close(self) -> None:
        self._closing = True
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    # -- publishing ----------------------------------------------------------------------
    async def publish(
        self, envelopes: Sequence[Envelope], *, exchange: str | None = None
    ) -> list[bool]:
        return await self.publish_encoded([Encoded.of(e) for e in envelopes], exchange=exchange)

    async def publish_encoded(
        self, encoded: Sequence[Encoded], *, exchange: str | None = None
    ) -> list[bool]:
        """Batched confirms: every message of the batch is in flight at once on the confirming
        channel, then all the confirms are awaited together. The frames go straight to the
        channel (aiormq), with the properties `_message` would give: no `aio_pika.Message`
        per event."""
        if self._connection is None or self._connection.is_closed:
            raise BusUnavailable("not connected to RabbitMQ")
        await self._exchange(exchange)  # declared the first time
        name = self.exchange_of(exchange)
        publishing = self._publish_channel
        if publishing is None or publishing.is_closed:
            raise BusUnavailable("not connected to RabbitMQ")
        try:  # a robust channel waits here for its connection: not longer than a publish
            channel = await asyncio.wait_for(
                publishing.get_underlay_channel(), timeout=self.publish_timeout
            )
        except (TimeoutError, aio_pika.exceptions.AMQPError) as exc:
            raise BusUnavailable(f"the publishing channel is closed: {exc!r}") from exc
        results = await asyncio.gather(
            *(
                channel.basic_publish(
                    m.body,
                    exchange=name,
                    routing_key=m.routing_key,
                    properties=_properties(m),
                    mandatory=False,
                    timeout=self.publish_timeout,
                )
                for m in encoded
            ),
            return_exceptions=True,
        )
        return [isinstance(r, Basic.Ack) for r in results]

    async def _publish_to_queue(self, queue: str, message: aio_pika.Message) -> None:
        channel = self._publish_channel
        if channel is None:
            raise BusUnavailable("not connected to RabbitMQ")
        confirm = await channel.default_exchange.publish(
            message, routing_key=queue, timeout=self.publish_timeout
        )
        if not isinstance(confirm, Basic.Ack):
            raise BusUnavailable(f"broker did not confirm a message to {queue}")

    # -- consuming -----------------------------------------------------------------------
    async def _drain(
        self, sub: Subscription, inbox: asyncio.Queue[AbstractIncomingMessage]
    ) -> None:
        while True:
            batch = [await inbox.get()]
            while len(batch) < self.batch_size and not inbox.empty():
                batch.append(inbox.get_nowait())
            try:
                await self._deliver(sub, batch)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the channel broke under us: the broker redelivers
                log.warning("rabbit_delivery_failed", consumer=sub.consumer, error=repr(exc))

    async def _deliver(self, sub: Subscription, batch: list[AbstractIncomingMessage]) -> None:
        envelopes: list[Envelope] = []
        parsed: list[AbstractIncomingMessage] = []
        for message in batch:
            try:
                envelopes.append(Envelope.model_validate_json(message.body))
                parsed.append(message)
            except ValueError as exc:
                log.error("rabbit_unparseable_message", consumer=sub.consumer, error=str(exc))
                await message.reject(requeue=False)  # dead-letters into <c>.dlq
        if not envelopes:
            return
        assert sub.handler is not None  # only consumed subscriptions reach here
        try:
            outcomes = await sub.handler(envelopes)
        except Exception as exc:
            outcomes = [exc] * len(envelopes)
        for message, outcome in zip(parsed, outcomes, strict=True):
            if outcome is None:
                await message.ack()
            else:
                await self._fail(sub, message, outcome)

    async def _fail(
        self, sub: Subscription, message: AbstractIncomingMessage, error: BaseException
    ) -> None:
        attempt = _attempts(message.headers) + 1
        headers = {**(message.headers or {}), ATTEMPT: attempt, ERROR: repr(error)[:1000]}
        copy = aio_pika.Message(
            message.body,
            headers=headers,
            content_type=message.content_type,
            message_id=message.message_id,
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        )
        if attempt < self.max_attempts:
            target = self.retry_name(sub.consumer, min(attempt, len(self.retry_delays)) - 1)
        else:
            target = self.dlq_name(sub.consumer)
            log.error("event_dead_lettered", consumer=sub.consumer, message_id=message.message_id)
        try:
            await self._publish_to_queue(target, copy)
        except Exception:
            await message.nack(requeue=True)
            raise
        await message.ack()

    # -- operations ----------------------------------------------------------------------
    async def ping(self) -> None:
        if self._connection is None or self._connection.is_closed or not self._connected.is_set():
            raise BusUnavailable("not connected to RabbitMQ")

    async def _ops_channel(self) -> AbstractChannel:
        if self._connection is None:
            raise BusUnavailable("not connected to RabbitMQ")
        return await self._connection.channel(publisher_confirms=True)

    async def dead_letters(self, consumer: str, limit: int = 100) -> list[DeadLetter]:
        channel = await self._ops_channel()
        try:
            queue = await channel.declare_queue(
                self.dlq_name(consumer), durable=True, arguments={"x-queue-type": "quorum"}
            )
            held: list[AbstractIncomingMessage] = []
            letters: list[DeadLetter] = []
            while len(held) < limit:
                message = await queue.get(fail=False, timeout=5)
                if message is None:
                    break
                held.append(message)
                letters.append(_dead_letter(consumer, message))
            for message in held:
                await message.nack(requeue=True)
            return letters
        finally:
            await channel.close()

    async def replay_dead_letters(self, consumer: str, limit: int | None = None) -> int:
        channel = await self._ops_channel()
        replayed = 0
        try:
            queue = await channel.declare_queue(
                self.dlq_name(consumer), durable=True, arguments={"x-queue-type": "quorum"}
            )
            while limit is None or replayed < limit:
                message = await queue.get(fail=False, timeout=5)
                if message is None:
                    break
                headers = {
                    k: v for k, v in (message.headers or {}).items() if k not in (ATTEMPT, ERROR)
                }
                confirm = await channel.default_exchange.publish(
                    aio_pika.Message(
                        message.body,
                        headers=headers,
                        content_type=message.content_type,
                        message_id=message.message_id,
                        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                    ),
                    routing_key=self.queue_name(consumer),
                    timeout=self.publish_timeout,
                )
                if not isinstance(confirm, Basic.Ack):
                    await message.nack(requeue=True)
                    break
                await message.ack()
                replayed += 1
            return replayed
        finally:
            await channel.close()

    async def queue_depths(self) -> dict[str, tuple[int, int]]:
        channel = await self._ops_channel()
        depths: dict[str, tuple[int, int]] = {}
        try:
            for sub in self.subscriptions:
                main = await channel.declare_queue(self.queue_name(sub.consumer), passive=True)
                dlq = await channel.declare_queue(self.dlq_name(sub.consumer), passive=True)
                depths[sub.consumer] = (
                    int(main.declaration_result.message_count or 0),
                    int(dlq.declaration_result.message_count or 0),
                )
        finally:
            await channel.close()
        return depths

    async def delete_queues(self, consumers: Iterable[str]) -> None:
        """Remove the named consumers' queues (main, dead letters, retries), if they exist, on
        a connection of their own: the bus may be closed already (tests' teardown)."""
        connection = await aio_pika.connect(self.url)
        try:
            channel = await connection.channel()
            for consumer in consumers:
                names = [self.queue_name(consumer), self.dlq_name(consumer)]
                names += [self.retry_name(consumer, i) for i in range(len(self.retry_delays))]
                for name in names:
                    try:
                        await channel.queue_delete(name)
                    except aio_pika.exceptions.AMQPError:  # older brokers: 404 closes the channel
                        channel = await connection.channel()
        finally:
            await connection.close()

    async def delete_topology(self) -> None:
        """Remove this bus's queues and exchanges (tests and teardown only); the
        production names (`edu.events`, `<service>.internal`) are never removed."""
        channel = await self._ops_channel()
        try:
            for sub in self.subscriptions:
                names = [self.queue_name(sub.consumer), self.dlq_name(sub.consumer)]
                names += [self.retry_name(sub.consumer, i) for i in range(len(self.retry_delays))]
                for name in names:
                    await channel.queue_delete(name)
            if self.exchange_name != "edu.events":
                await channel.exchange_delete(self.exchange_name)
            if self.private_suffix:
                for exchange in {s.exchange for s in self.subscriptions} - {None}:
                    await channel.exchange_delete(self.exchange_of(exchange))
        finally:
            await channel.close()


def _message(envelope: Envelope) -> aio_pika.Message:
    """An envelope as an aio-pika message (what `publish_encoded` sends, as `_properties`)."""
    return aio_pika.Message(
        envelope.model_dump_json().encode(),
        content_type=CONTENT_TYPE,
        message_id=envelope.id,
        type=envelope.type,
        timestamp=envelope.time,
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        headers={"ce-type": envelope.type, "ce-schoolid": envelope.schoolid or ""},
    )


def _properties(message: Encoded) -> Basic.Properties:
    """What `_message(envelope).properties` holds, built directly from the encoded form."""
    return Basic.Properties(
        content_type=CONTENT_TYPE,
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT.value,
        headers={"ce-type": message.type, "ce-schoolid": message.schoolid or ""},
        message_id=message.id,
        message_type=message.type,
        timestamp=message.time,
    )


def _dead_letter(consumer: str, message: AbstractIncomingMessage) -> DeadLetter:
    headers = message.headers or {}
    try:
        envelope = Envelope.model_validate_json(message.body)
    except ValueError:
        envelope = Envelope(
            source="/unknown",
            type="unparseable",
            data={"raw": message.body[:2000].decode(errors="replace")},
        )
    failed_at = message.timestamp if isinstance(message.timestamp, dt.datetime) else None
    return DeadLetter(
        consumer=consumer,
        envelope=envelope,
        error=str(headers.get(ERROR, "rejected")),
        attempts=_attempts(headers),
        failed_at=failed_at,
    )


def _attempts(headers: Any) -> int:
    value = (headers or {}).get(ATTEMPT, 0)
    return int(value) if isinstance(value, int | str) else 0


def _suffix_of(public: str) -> str:
    """The private exchanges' suffix: what the public exchange's name adds to `edu.events`
    (`edu.events.t1a2` → `.t1a2`), so a run's private exchanges are its own as well."""
    if public == "edu.events" or public.startswith("edu.events."):
        return public.removeprefix("edu.events")
    return f".{public}"
