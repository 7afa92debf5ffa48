"""What every journal endpoint is given: a use case context for the asking user."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from kit.app import SessionDep, runtime_of
from kit.auth import CurrentUserDep
from kit.clock import Clock
from services.journal.service.context import Actor, Ctx


def clock_of(request: Request) -> Clock:
    return request.app.state.clock  # type: ignore[no-any-return]


async def _ctx(request: Request, user: CurrentUserDep, session: SessionDep) -> Ctx:
    return Ctx(session, runtime_of(request).outbox, Actor.of(user), clock_of(request).now())


CtxDep = Annotated[Ctx, Depends(_ctx)]
"""The asker, their unit of work, the outbox and the instant (from the injectable clock)."""
