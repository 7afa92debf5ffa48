"""Queries on notify's copy of the schools identity registered (their time zones)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import table_of, upsert_newer
from services.notify.models import School


async def upsert(
    session: AsyncSession, school_id: str, name: str, timezone: str, sequence: int | None
) -> None:
    """Insert or update a school; an event older than the one applied (by sequence) changes
    nothing."""
    await upsert_newer(
        session,
        table_of(School),
        ["school_id"],
        [{"school_id": school_id, "name": name, "timezone": timezone, "sequence": sequence}],
        sequence="sequence",
    )


async def zones(session: AsyncSession) -> list[str]:
    """Every time zone a known school is in (a city has a few)."""
    rows = await session.execute(select(School.timezone).distinct().order_by(School.timezone))
    return list(rows.scalars())
