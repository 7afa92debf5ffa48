import structlog

from kit.context import current_context, update_context, use_context


def test_context_of_a_request_does_not_leak_after_it() -> None:
    structlog.contextvars.clear_contextvars()
    with use_context(correlation_id="c1"):
        update_context(school_id="s1", actor_id="a1")
        assert current_context().actor_id == "a1"
        assert structlog.contextvars.get_contextvars()["actor_id"] == "a1"
    assert "actor_id" not in structlog.contextvars.get_contextvars()
    assert "correlation_id" not in structlog.contextvars.get_contextvars()


def test_nested_contexts_restore_the_outer_one() -> None:
    with use_context(correlation_id="outer", school_id="s0"):
        with use_context(correlation_id="inner"):
            assert current_context().correlation_id == "inner"
        assert current_context().correlation_id == "outer"
        assert structlog.contextvars.get_contextvars()["school_id"] == "s0"


async def test_travelling_to_is_seen_only_inside_its_own_task() -> None:
    import asyncio
    import datetime as dt

    from kit.clock import Clock, travelling_to

    past = dt.datetime(2026, 9, 1, 12, tzinfo=dt.UTC)
    seen_elsewhere: list[dt.datetime] = []
    started = asyncio.Event()

    async def someone_else() -> None:
        await started.wait()
        seen_elsewhere.append(Clock().now())

    other = asyncio.create_task(someone_else())
    with travelling_to(past):
        started.set()
        await asyncio.sleep(0)
        assert Clock().now() == past
        await other
    assert seen_elsewhere[0] > past + dt.timedelta(days=30)
    assert Clock().now() > past
