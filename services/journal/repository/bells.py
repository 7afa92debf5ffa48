"""Queries of the school's bell schedule."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.journal.models import Bell


async def bell(session: AsyncSession, school_id: str, number: int) -> Bell | None:
    return await session.get(Bell, (school_id, number))


async def bells(session: AsyncSession, school_id: str) -> list[Bell]:
    rows = await session.execute(
        select(Bell).where(Bell.school_id == school_id).order_by(Bell.number)
    )
    return list(rows.scalars())
