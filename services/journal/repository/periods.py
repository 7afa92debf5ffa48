"""Queries of a year's periods (quarters, trimesters, halves, the year)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.journal.models import Period
from services.journal.repository.school_rows import listed


async def periods_of(session: AsyncSession, year_id: str) -> list[Period]:
    return await listed(session, Period, Period.year_id == year_id, order=Period.starts_on)


async def period_containing(
    session: AsyncSession, year_id: str, day: dt.date, kinds: Sequence[str]
) -> Period | None:
    rows = await session.execute(
        select(Period)
        .where(
            Period.year_id == year_id,
            Period.kind.in_(kinds),
            Period.starts_on <= day,
            Period.ends_on >= day,
        )
        .order_by(Period.starts_on)
        .limit(1)
    )
    return rows.scalar_one_or_none()


async def add(session: AsyncSession, period: Period) -> bool:
    """False if the year already has this kind and number (the unit of work is then spent:
    the use case refuses, the edge rolls back)."""
    session.add(period)
    try:
        await session.flush()
    except IntegrityError:
        return False
    return True
