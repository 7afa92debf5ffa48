"""kit.ratelimit against the embedded mode's in-memory Redis and against the real one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from kit.db import new_id
from kit.errors import RateLimited
from kit.kv import connect_redis
from kit.ratelimit import OneAtATime, RateLimit, hit_all


@pytest.fixture(params=["fake", "real"])
async def redis(request: pytest.FixtureRequest) -> AsyncIterator[Redis]:
    url = None if request.param == "fake" else request.getfixturevalue("redis_url")
    client = connect_redis(url)
    try:
        yield client
    finally:
        await client.aclose()


async def test_the_hit_past_the_limit_is_refused_with_the_seconds_until_the_window_frees(
    redis: Redis,
) -> None:
    limit = RateLimit(f"test-{new_id()}", per=3, seconds=60, code="too_many_pdfs")
    assert [await limit.hit(redis, "user-1") for _ in range(3)] == [1, 2, 3]
    with pytest.raises(RateLimited) as refused:
        await limit.hit(redis, "user-1")
    assert refused.value.status == 429
    assert refused.value.code == "too_many_pdfs"
    assert refused.value.retry_after is not None and 1 <= refused.value.retry_after <= 60
    assert "at most 3 in a minute" in refused.value.detail
    assert await limit.hit(redis, "user-2") == 1  # another key has its own window
    assert 0 < await redis.ttl(limit.key("user-1")) <= 60


async def test_the_window_frees_when_its_key_expires(redis: Redis) -> None:
    limit = RateLimit(f"test-{new_id()}", per=1, seconds=60)
    await limit.hit(redis, "u")
    with pytest.raises(RateLimited):
        await limit.hit(redis, "u")
    await redis.delete(limit.key("u"))  # what the window's end does
    assert await limit.hit(redis, "u") == 1


async def test_concurrent_hits_are_counted_exactly(redis: Redis) -> None:
    limit = RateLimit(f"test-{new_id()}", per=10, seconds=60)
    outcomes = await asyncio.gather(
        *(limit.hit(redis, "school") for _ in range(25)), return_exceptions=True
    )
    assert sum(isinstance(o, int) for o in outcomes) == 10
    assert sum(isinstance(o, RateLimited) for o in outcomes) == 15


async def test_a_limit_of_zero_is_off(redis: Redis) -> None:
    limit = RateLimit(f"test-{new_id()}", per=0, seconds=60)
    for _ in range(5):
        assert await limit.hit(redis, "u") == 0
    assert await redis.exists(limit.key("u")) == 0


async def test_hit_all_stops_at_the_first_refusal(redis: Redis) -> None:
    mine = RateLimit(f"test-user-{new_id()}", per=1, seconds=60, code="user_limit")
    school = RateLimit(f"test-school-{new_id()}", per=5, seconds=60, code="school_limit")
    await hit_all(redis, (mine, ("u",)), (school, ("s",)))
    with pytest.raises(RateLimited) as refused:
        await hit_all(redis, (mine, ("u",)), (school, ("s",)))
    assert refused.value.code == "user_limit"
    assert int(await redis.get(school.key("s")) or 0) == 1  # the school's count untouched


async def test_one_at_a_time_refuses_a_second_holder_until_the_first_lets_go(
    redis: Redis,
) -> None:
    lock = OneAtATime(f"test-{new_id()}", ttl=120, code="run_in_progress")
    async with lock.hold(redis, "school-1"):
        with pytest.raises(RateLimited) as refused:
            async with lock.hold(redis, "school-1"):
                pytest.fail("a second holder got in")
        assert refused.value.code == "run_in_progress"
        assert refused.value.retry_after is not None and 1 <= refused.value.retry_after <= 120
        async with lock.hold(redis, "school-2"):  # another key is free
            pass
    async with lock.hold(redis, "school-1"):  # released after the block
        pass
    assert await redis.exists(lock.key("school-1")) == 0


async def test_one_at_a_time_is_released_when_the_block_fails(redis: Redis) -> None:
    lock = OneAtATime(f"test-{new_id()}", ttl=120)
    with pytest.raises(ValueError):
        async with lock.hold(redis, "k"):
            raise ValueError("the work failed")
    assert await redis.exists(lock.key("k")) == 0


async def test_a_holder_whose_ttl_passed_does_not_free_the_next_holders_key(
    redis: Redis,
) -> None:
    lock = OneAtATime(f"test-{new_id()}", ttl=120)
    async with lock.hold(redis, "k"):
        await redis.set(lock.key("k"), "another holder", ex=120)  # TTL passed, taken again
    assert await redis.get(lock.key("k")) == "another holder"
    await redis.delete(lock.key("k"))
