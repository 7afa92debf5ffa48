"""Queries of a year's periods (quarters, trimesters, halves, the year)."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.journal.models import Period
from services.journal.repository.school_rows import listed


async def periods_of(session: AsyncSession, year_id: str) -> list[Period]:
    return await listed(session, Period, Period.year_id == year_id, order=Period.starts_on)


async def add(session: AsyncSession, period: Period) -> bool:
    """False if the year already has this kind and number (the unit of work is then spent:
    the use case refuses, the edge rolls back)."""
    session.add(period)
    try:
        await session.flush()
    except IntegrityError:
        return False
    return True
