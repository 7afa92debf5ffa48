"""Who and what the current request or message is about, carried in a context variable.

The edge sets it (HTTP middleware and authentication, the consumer of a message); the outbox
reads it to fill the envelope's `correlationid` and `actorid`; logging binds the same values.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace

import structlog

from kit.db import new_id


@dataclass(frozen=True)
class RequestContext:
    correlation_id: str
    school_id: str | None = None
    actor_id: str | None = None


_current: ContextVar[RequestContext | None] = ContextVar("ej_request_context", default=None)


def current_context() -> RequestContext:
    ctx = _current.get()
    return ctx if ctx is not None else RequestContext(correlation_id=new_id())


@contextmanager
def use_context(
    *, correlation_id: str | None = None, school_id: str | None = None, actor_id: str | None = None
) -> Iterator[RequestContext]:
    ctx = RequestContext(correlation_id or new_id(), school_id, actor_id)
    token = _current.set(ctx)
    logged = structlog.contextvars.get_contextvars()
    structlog.contextvars.bind_contextvars(**{k: v for k, v in vars(ctx).items() if v is not None})
    try:
        yield ctx
    finally:
        _current.reset(token)
        # restore exactly: values bound later (the authenticated user) must not leak out
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(**logged)


def update_context(*, school_id: str | None = None, actor_id: str | None = None) -> None:
    """Add the authenticated user's school and account once they are known."""
    ctx = current_context()
    ctx = replace(ctx, school_id=school_id or ctx.school_id, actor_id=actor_id or ctx.actor_id)
    _current.set(ctx)
    structlog.contextvars.bind_contextvars(**{k: v for k, v in vars(ctx).items() if v is not None})
