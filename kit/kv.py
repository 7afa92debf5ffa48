"""Redis, or an in-memory stand-in with the same client interface in the embedded mode.

Redis holds caches, rate limits, deny-lists and job progress: never the only copy of
anything that matters.
"""

from __future__ import annotations

from fakeredis import FakeAsyncRedis
from redis.asyncio import Redis


def connect_redis(url: str | None) -> Redis:
    if url:
        return Redis.from_url(url, decode_responses=True)
    return FakeAsyncRedis(decode_responses=True)
