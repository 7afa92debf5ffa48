"""The school's settings as the journal keeps them (its zone from identity, its homework limit
and its cut-off for marks), and the school's "today" in its own zone."""

from __future__ import annotations

import datetime as dt

from services.journal.models import School
from services.journal.repository import schools
from services.journal.service.context import Ctx

DEFAULT_TIMEZONE = "Europe/Moscow"
DEFAULT_HOMEWORK_LIMIT = 120
DEFAULT_MARK_CUTOFF = dt.time(16, 0)


async def school_settings(ctx: Ctx, school_id: str) -> School:
    """The school's row, or the defaults while identity's announcement has not arrived."""
    found = await schools.school(ctx.session, school_id)
    return found or School(
        id=school_id,
        name="",
        timezone=DEFAULT_TIMEZONE,
        homework_limit_minutes=DEFAULT_HOMEWORK_LIMIT,
        mark_cutoff=DEFAULT_MARK_CUTOFF,
    )


async def school_today(ctx: Ctx, school_id: str) -> dt.date:
    return ctx.today((await school_settings(ctx, school_id)).timezone)
