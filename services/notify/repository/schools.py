"""Queries on notify's copy of the schools identity registered (their time zones)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import insert_for
from services.notify.models import School


async def upsert(
    session: AsyncSession, school_id: str, name: str, timezone: str, sequence: int | None
) -> None:
    """Insert or update a school; an event older than the one applied (by sequence) changes
    nothing."""
    stmt = insert_for(session, School).values(
        school_id=school_id, name=name, timezone=timezone, sequence=sequence
    )
    newer = (
        School.sequence.is_(None)
        | stmt.excluded.sequence.is_(None)
        | (School.sequence < stmt.excluded.sequence)
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[School.school_id],
            set_={
                "name": stmt.excluded.name,
                "timezone": stmt.excluded.timezone,
                "sequence": stmt.excluded.sequence,
            },
            where=newer,
        )
    )


async def zones(session: AsyncSession) -> list[str]:
    """Every time zone a known school is in (a city has a few)."""
    rows = await session.execute(select(School.timezone).distinct().order_by(School.timezone))
    return list(rows.scalars())
