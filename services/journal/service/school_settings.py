"""The school as the journal keeps it: its name and zone from identity
(`identity.school.registered` / `identity.school.updated`), its homework limit and its cut-off
for marks, and the school's "today" in its own zone.

Identity decides a school's zone; the journal never guesses one. Until identity's
registration of a school arrives, a request that needs the school's zone is refused with 409
`school_not_known` (`kit.clock.school_not_known`) and a `Retry-After`.
"""

from __future__ import annotations

import datetime as dt

from contracts.identity import SchoolRegistered, SchoolUpdated
from kit.clock import school_not_known
from services.journal.models import School
from services.journal.repository import schools
from services.journal.service.context import Ctx

SERVICE = "the journal"


async def remember_school(
    ctx: Ctx, event: SchoolRegistered | SchoolUpdated, sequence: int | None
) -> None:
    """Identity's word on a school's name and zone; the newer sequence wins."""
    await schools.remember(ctx.session, event.school_id, event.name, event.timezone, sequence)


async def school_settings(ctx: Ctx, school_id: str) -> School:
    """The school's row; 409 `school_not_known` while identity's registration has not
    arrived."""
    found = await schools.school(ctx.session, school_id)
    if found is None:
        raise school_not_known(school_id, SERVICE)
    return found


async def school_today(ctx: Ctx, school_id: str) -> dt.date:
    return ctx.today((await school_settings(ctx, school_id)).timezone)
