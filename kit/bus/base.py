"""What every bus offers.

Two kinds of exchange: the public one (`edu.events`, `exchange=None`), which carries only the
events of the AsyncAPI document, and one private exchange per service
(`private_exchange("reports")` = `reports.internal`) for the service's own work: work items,
their retries. A queue is bound to one of them; an envelope is published to one of them.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from kit.events import Envelope

BatchHandler = Callable[[Sequence[Envelope]], Awaitable[Sequence[BaseException | None]]]
"""Applies a batch; returns, per envelope, None when applied or the error that stopped it."""


class BusUnavailable(Exception):
    """The broker cannot be reached right now."""


def private_exchange(service: str) -> str:
    """The logical name of a service's private exchange (a bus may add its run's suffix)."""
    return f"{service}.internal"


@dataclass(frozen=True)
class Subscription:
    """A consumer's durable queue, bound by `patterns` to an exchange (None: the public one).

    Without a handler the queue is only declared (`Bus.declare`): it holds what is routed to
    it until a consumer of the same name (in this or another process) takes it."""

    consumer: str
    patterns: tuple[str, ...]
    handler: BatchHandler | None
    exchange: str | None = None


@dataclass(frozen=True, slots=True)
class Encoded:
    """An envelope already serialised: `body` is its CloudEvents JSON, as `Envelope`'s
    `model_dump_json()` writes it (the outbox relay splices the row's sequence into the stored
    bytes instead of parsing them); the other fields are what a bus needs around the body."""

    body: bytes
    id: str
    type: str
    routing_key: str
    schoolid: str | None
    time: dt.datetime

    @classmethod
    def of(cls, envelope: Envelope) -> Encoded:
        return cls(
            body=envelope.model_dump_json().encode(),
            id=envelope.id,
            type=envelope.type,
            routing_key=envelope.routing_key,
            schoolid=envelope.schoolid,
            time=envelope.time,
        )


@dataclass(frozen=True)
class DeadLetter:
    consumer: str
    envelope: Envelope
    error: str
    attempts: int
    failed_at: dt.datetime | None


class Bus(abc.ABC):
    """Publish envelopes; deliver them to subscribed consumers at least once."""

    def __init__(self) -> None:
        self.subscriptions: list[Subscription] = []

    def subscribe(
        self,
        consumer: str,
        patterns: Sequence[str],
        handler: BatchHandler,
        *,
        exchange: str | None = None,
    ) -> None:
        """Register before `start()`: one durable queue per consumer, bound to the patterns
        on `exchange` (None: the public exchange; else a `private_exchange(...)`)."""
        self._register(Subscription(consumer, tuple(patterns), handler, exchange))

    def declare(
        self, consumer: str, patterns: Sequence[str], *, exchange: str | None = None
    ) -> None:
        """Register before `start()`: declare a consumer's queue (with its dead letters and
        retries) and its bindings at start, without consuming it. What is published to it
        from then on waits there for the consumer, however late it starts."""
        self._register(Subscription(consumer, tuple(patterns), None, exchange))

    def _register(self, subscription: Subscription) -> None:
        if any(s.consumer == subscription.consumer for s in self.subscriptions):
            raise ValueError(f"consumer {subscription.consumer!r} is already on this bus")
        self.subscriptions.append(subscription)

    @abc.abstractmethod
    async def start(self) -> None:
        """Connect (in the background if the broker is down) and start consuming."""

    @abc.abstractmethod
    async def close(self) -> None: ...

    @abc.abstractmethod
    async def publish(
        self, envelopes: Sequence[Envelope], *, exchange: str | None = None
    ) -> list[bool]:
        """Publish to `exchange` (None: the public one); True for each envelope the broker
        confirmed. Raises BusUnavailable."""

    async def publish_encoded(
        self, encoded: Sequence[Encoded], *, exchange: str | None = None
    ) -> list[bool]:
        """Publish envelopes already serialised (the outbox relay's path: no parsing, no
        re-serialising per event); True for each the broker confirmed. Raises BusUnavailable.

        This default parses them and calls `publish`; a bus that can send bytes as they are
        overrides it."""
        return await self.publish(
            [Envelope.model_validate_json(m.body) for m in encoded], exchange=exchange
        )

    @abc.abstractmethod
    async def ping(self) -> None:
        """Raise when the broker does not answer."""

    @abc.abstractmethod
    async def dead_letters(self, consumer: str, limit: int = 100) -> list[DeadLetter]: ...

    @abc.abstractmethod
    async def replay_dead_letters(self, consumer: str, limit: int | None = None) -> int:
        """Move dead letters back to the consumer's queue; returns how many."""

    @abc.abstractmethod
    async def queue_depths(self) -> dict[str, tuple[int, int]]:
        """Per consumer: (messages waiting, dead letters)."""


def retry_delay_ms(delays: Sequence[int], attempt: int) -> int:
    """Back-off after the given failed attempt (1-based), the last delay repeating."""
    return delays[min(attempt, len(delays)) - 1]
