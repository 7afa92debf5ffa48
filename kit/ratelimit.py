"""Limits on expensive or noisy work, the one way: counters and locks in the runtime's Redis.

`RateLimit(name, per=N, seconds=W)`: at most N hits per key in a fixed window of W seconds
that opens with the key's first hit; the N+1-th hit raises `kit.errors.RateLimited` (429,
`Retry-After` = the seconds until the window frees). `OneAtATime(name, ttl=T)`: at most one
holder per key; a second one raises `RateLimited` with the seconds the holder may still keep
it. The window's count and the lock are each one atomic Redis step (INCR + EXPIRE in a
MULTI/EXEC transaction, SET NX EX), so replicas of a service share them; the in-memory stand-in
of the embedded mode (`kit.kv`) behaves the same in one process.

Redis holds only counters here: losing them lets a little more work through, nothing else.
A limit of 0 (`per=0`) is off: every hit passes and nothing is counted.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import WatchError

from kit.errors import RateLimited

PREFIX = "ej:limit"


def _key(kind: str, name: str, parts: tuple[str | None, ...]) -> str:
    return ":".join([PREFIX, kind, name, *(p if p is not None else "-" for p in parts)])


def _seconds(ttl_ms: int | None, fallback: int) -> int:
    """Whole seconds, at least 1, from a PTTL answer (-1/-2/None: the fallback)."""
    if ttl_ms is None or ttl_ms < 0:
        return max(1, fallback)
    return max(1, math.ceil(ttl_ms / 1000))


@dataclass(frozen=True)
class RateLimit:
    """At most `per` hits per key in `seconds`; `detail` and `code` name the refusal."""

    name: str
    per: int
    seconds: int
    detail: str = "too many requests: try again later"
    code: str = "rate_limited"

    @property
    def off(self) -> bool:
        return self.per <= 0 or self.seconds <= 0

    def key(self, *parts: str | None) -> str:
        return _key(f"rate:{self.seconds}", self.name, parts)

    async def hit(self, redis: Redis, *parts: str | None) -> int:
        """Count one hit on the key made of `parts`; the count so far, or RateLimited."""
        if self.off:
            return 0
        key = self.key(*parts)
        async with redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, self.seconds, nx=True)
            pipe.pttl(key)
            count, _, ttl_ms = await pipe.execute()
        if int(count) > self.per:
            raise RateLimited(
                f"{self.detail} (at most {self.per} in {_window(self.seconds)})",
                retry_after=_seconds(ttl_ms, self.seconds),
                code=self.code,
            )
        return int(count)


async def hit_all(redis: Redis, *hits: tuple[RateLimit, tuple[str | None, ...]]) -> None:
    """Count each (limit, key parts) in order; the first refusal stops the rest, so a user
    over their own limit uses none of their school's."""
    for limit, parts in hits:
        await limit.hit(redis, *parts)


@dataclass(frozen=True)
class OneAtATime:
    """At most one holder of a key at a time, for at most `ttl` seconds (a holder that dies
    frees the key when the TTL passes)."""

    name: str
    ttl: int
    detail: str = "the same work is already running: try again when it is over"
    code: str = "already_running"

    def key(self, *parts: str | None) -> str:
        return _key("one", self.name, parts)

    @asynccontextmanager
    async def hold(self, redis: Redis, *parts: str | None) -> AsyncIterator[None]:
        """Hold the key while the block runs; RateLimited when another holds it."""
        key, token = self.key(*parts), uuid.uuid4().hex
        if not await redis.set(key, token, nx=True, ex=self.ttl):
            raise RateLimited(
                self.detail, retry_after=_seconds(await redis.pttl(key), 1), code=self.code
            )
        try:
            yield
        finally:
            await self._release(redis, key, token)

    @staticmethod
    async def _release(redis: Redis, key: str, token: str) -> None:
        """Delete the key only while it is still this holder's (its TTL may have passed and
        another may hold it now)."""
        async with redis.pipeline(transaction=True) as pipe:
            try:
                await pipe.watch(key)
                if await pipe.get(key) != token:
                    return
                pipe.multi()  # type: ignore[no-untyped-call]
                pipe.delete(key)
                await pipe.execute()
            except WatchError:  # changed hands in between: it is not ours to delete
                return


def _window(seconds: int) -> str:
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % size == 0:
            count = seconds // size
            return f"a {unit}" if count == 1 else f"{count} {unit}s"
    return f"{seconds} seconds"
