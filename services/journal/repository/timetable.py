"""Queries of a class's weekly timetable."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.journal.models import TimetableEntry


async def timetable(session: AsyncSession, class_id: str) -> list[TimetableEntry]:
    rows = await session.execute(
        select(TimetableEntry)
        .where(TimetableEntry.class_id == class_id)
        .order_by(TimetableEntry.weekday, TimetableEntry.number)
    )
    return list(rows.scalars())
