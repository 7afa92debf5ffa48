"""What every journal endpoint is given: a use case context for the asking user."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from kit.app import SessionDep, runtime_of
from kit.auth import CurrentUserDep
from services.journal.service.context import Actor, Ctx


async def _ctx(request: Request, user: CurrentUserDep, session: SessionDep) -> Ctx:
    runtime = runtime_of(request)
    return Ctx(session, runtime.outbox, Actor.of(user), runtime.clock)


CtxDep = Annotated[Ctx, Depends(_ctx)]
"""The asker, their unit of work, the outbox and the instant (from the injectable clock)."""
