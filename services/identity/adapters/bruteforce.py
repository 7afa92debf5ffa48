"""Brute-force protection of password checks, in Redis: per login and per address.

Per login: after `failures_before_lock` wrong passwords within the failure window the login
is refused for `lock_seconds`, doubling with each further failure up to `lock_max_seconds`
(minutes, never hours), so an attacker guessing a real user's password cannot keep that user
out for long; a correct password afterwards clears the count. Per address: more than
`address_limit` failures in `address_window` from one address refuse every login from it
until the window passes. A refused attempt does not even check the password, so a locked
login gives no oracle. Redis only ever holds counters here: losing them loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from kit.errors import RateLimited

PREFIX = "ej:identity:bruteforce"


@dataclass(frozen=True)
class Limits:
    failures_before_lock: int = 5
    lock_seconds: int = 30
    lock_max_seconds: int = 300
    failure_window: int = 900
    address_limit: int = 30
    address_window: int = 600


class BruteForceGuard:
    def __init__(self, redis: Redis, limits: Limits) -> None:
        self.redis, self.limits = redis, limits

    async def check(self, login: str, address: str | None) -> None:
        """Raise 429 with Retry-After when this login or this address must wait."""
        lock_ttl = await self.redis.ttl(self._key("lock", login))
        if lock_ttl and lock_ttl > 0:
            raise RateLimited(
                "too many failed attempts for this login: try again later",
                retry_after=int(lock_ttl),
                code="too_many_attempts",
            )
        if address is None:
            return
        address_key = self._key("address", address)
        failures = int(await self.redis.get(address_key) or 0)
        if failures >= self.limits.address_limit:
            ttl = await self.redis.ttl(address_key)
            raise RateLimited(
                "too many failed attempts from this address: try again later",
                retry_after=max(1, int(ttl or 1)),
                code="too_many_attempts",
            )

    async def failed(self, login: str, address: str | None) -> None:
        """Count a wrong password; lock the login once it has failed too often."""
        limits = self.limits
        fails_key = self._key("fails", login)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(fails_key)
            pipe.expire(fails_key, limits.failure_window)
            if address is not None:
                address_key = self._key("address", address)
                pipe.incr(address_key)
                pipe.expire(address_key, limits.address_window, nx=True)
            results = await pipe.execute()
        failures = int(results[0])
        over = failures - limits.failures_before_lock
        if over >= 0:
            lock = min(limits.lock_seconds * 2 ** min(over, 16), limits.lock_max_seconds)
            await self.redis.set(self._key("lock", login), "1", ex=lock)

    async def succeeded(self, login: str) -> None:
        await self.redis.delete(self._key("fails", login), self._key("lock", login))

    @staticmethod
    def _key(kind: str, value: str) -> str:
        return f"{PREFIX}:{kind}:{value.casefold()}"
