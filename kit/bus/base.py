"""What every bus offers."""

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


@dataclass(frozen=True)
class Subscription:
    consumer: str
    patterns: tuple[str, ...]
    handler: BatchHandler


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

    def subscribe(self, consumer: str, patterns: Sequence[str], handler: BatchHandler) -> None:
        """Register before `start()`: one durable queue per consumer, bound to the patterns."""
        self.subscriptions.append(Subscription(consumer, tuple(patterns), handler))

    @abc.abstractmethod
    async def start(self) -> None:
        """Connect (in the background if the broker is down) and start consuming."""

    @abc.abstractmethod
    async def close(self) -> None: ...

    @abc.abstractmethod
    async def publish(self, envelopes: Sequence[Envelope]) -> list[bool]:
        """Publish; True for each envelope the broker confirmed. Raises BusUnavailable."""

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
