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
