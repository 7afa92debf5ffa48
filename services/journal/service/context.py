"""What every use case is given: the session, the outbox, who acts and when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import CurrentUser
from kit.events import Event
from kit.outbox import Outbox

SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    """Who makes a change: an account (for R-SEC-4) and its person (teacher, deputy…)."""

    account_id: str
    person_id: str | None
    school_id: str | None
    roles: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, user: CurrentUser) -> Actor:
        return cls(user.account_id, user.person_id, user.school_id, user.roles)

    @classmethod
    def system(cls, school_id: str) -> Actor:
        return cls(SYSTEM, None, school_id, frozenset())

    @property
    def is_operator(self) -> bool:
        return "operator" in self.roles

    def has_any(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


@dataclass
class Ctx:
    """A use case's surroundings; the edge commits, use cases never do."""

    session: AsyncSession
    outbox: Outbox
    actor: Actor
    now: dt.datetime

    @property
    def scope(self) -> str | None:
        """The school every query is limited to (None only for the city operator)."""
        return None if self.actor.is_operator else self.actor.school_id

    async def publish(self, school_id: str, events: Sequence[Event]) -> None:
        await self.outbox.add_many(self.session, list(events), school_id=school_id)

    def today(self, timezone: str) -> dt.date:
        return self.now.astimezone(ZoneInfo(timezone)).date()
