"""Queries of a year's holidays."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.journal.models import Holiday


async def holidays(session: AsyncSession, year_id: str) -> list[Holiday]:
    rows = await session.execute(
        select(Holiday).where(Holiday.year_id == year_id).order_by(Holiday.starts_on)
    )
    return list(rows.scalars())
