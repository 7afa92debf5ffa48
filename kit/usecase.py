"""What every use case is given, the same in every service: who acts, for which school, the
unit of work, the clock's instant and the outbox.

The edge opens the unit of work (an HTTP request through `kit.app.UseCaseDep`, a consumed
batch, a worker's item, a CLI command) and builds one `UseCase`; use cases take it, never
open or commit a session themselves, and never read the time from anywhere else. `now` is
taken once from the runtime's clock when the context is built, so everything one use case
decides (a mark entered late, today's date at the school) and the time on the envelopes it
publishes are the same instant.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from kit.auth import OPERATOR, CurrentUser
from kit.clock import Clock, school_today
from kit.events import Envelope, Event
from kit.outbox import Outbox

SYSTEM = "system"
"""The account id of changes the platform makes by itself (a consumed event, a schedule)."""

__all__ = ["OPERATOR", "SYSTEM", "Actor", "UseCase"]


@dataclass(frozen=True)
class Actor:
    """Who makes a change: an account (for R-SEC-4) and its person (teacher, deputy…)."""

    account_id: str
    person_id: str | None
    school_id: str | None
    roles: frozenset[str] = field(default_factory=frozenset)
    token_id: str | None = None
    """The access token the actor asked with (None for the system and the CLI)."""
    issued_at: int | None = None
    """When that token was issued (seconds since the epoch)."""

    @classmethod
    def of(cls, user: CurrentUser) -> Actor:
        return cls(
            user.account_id,
            user.person_id,
            user.school_id,
            user.roles,
            token_id=user.token_id,
            issued_at=user.issued_at,
        )

    @classmethod
    def system(cls, school_id: str | None) -> Actor:
        return cls(SYSTEM, None, school_id, frozenset())

    @property
    def is_operator(self) -> bool:
        return OPERATOR in self.roles

    @property
    def is_system(self) -> bool:
        return self.account_id == SYSTEM

    def has_any(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


@dataclass
class UseCase:
    """A use case's surroundings; the edge commits, use cases never do."""

    session: AsyncSession
    outbox: Outbox
    actor: Actor
    clock: Clock
    now: dt.datetime = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.now is None:
            self.now = self.clock.now()

    @property
    def school_id(self) -> str | None:
        """The school the actor belongs to (None for the city operator and the system)."""
        return self.actor.school_id

    @property
    def scope(self) -> str | None:
        """The school every query is limited to (None only for the city operator)."""
        return None if self.actor.is_operator else self.actor.school_id

    async def publish(self, school_id: str | None, events: Sequence[Event]) -> list[Envelope]:
        """Write the events to the outbox in this unit of work, stamped with `now`."""
        return await self.outbox.add_many(
            self.session, list(events), school_id=school_id, at=self.now
        )

    def today(self, timezone: str) -> dt.date:
        """The calendar date at a school in `timezone` (an IANA name) at this use case's instant."""
        return school_today(self.now, timezone)
