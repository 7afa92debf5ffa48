"""A job's progress in Redis: read on every poll without touching the database.

Never the only copy: the job's row holds the same counts, and is read when Redis has none.
"""

from __future__ import annotations

from redis.asyncio import Redis

TTL_SECONDS = 7 * 24 * 3600


def _key(job_id: str) -> str:
    return f"ej:reports:job:{job_id}"


async def start(redis: Redis, job_id: str, total: int) -> None:
    await redis.hset(_key(job_id), mapping={"total": total, "done": 0})
    await redis.expire(_key(job_id), TTL_SECONDS)


async def advance(redis: Redis, job_id: str) -> None:
    """One more item done (called once per item, after the database recorded it)."""
    await redis.hincrby(_key(job_id), "done", 1)


async def read(redis: Redis, job_id: str) -> tuple[int, int] | None:
    """(done, total), or None when Redis does not know the job."""
    values = await redis.hmget(_key(job_id), ["done", "total"])
    if values[0] is None or values[1] is None:
        return None
    return int(values[0]), int(values[1])
