"""Queries of the schools as identity announced them, with the journal's own settings
(homework limit, the day's cut-off for marks)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import table_of, upsert_newer
from services.journal.models import School


async def school(session: AsyncSession, school_id: str) -> School | None:
    return await session.get(School, school_id)


async def remember(
    session: AsyncSession, school_id: str, name: str, timezone: str, sequence: int | None
) -> None:
    """Insert or update a school's name and zone as identity announced them, keeping the
    journal's own settings; an event older than the one applied (by sequence) changes
    nothing."""
    await upsert_newer(
        session,
        table_of(School),
        ["id"],
        [{"id": school_id, "name": name, "timezone": timezone, "sequence": sequence}],
        sequence="sequence",
    )


async def save_settings(
    session: AsyncSession, school_id: str, homework_limit_minutes: int, mark_cutoff: dt.time
) -> None:
    await session.execute(
        update(School)
        .where(School.id == school_id)
        .values(homework_limit_minutes=homework_limit_minutes, mark_cutoff=mark_cutoff)
    )
