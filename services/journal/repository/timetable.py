"""Queries of a class's weekly timetable."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.journal.models import TimetableEntry


async def timetable(session: AsyncSession, class_id: str) -> list[TimetableEntry]:
    rows = await session.execute(
        select(TimetableEntry)
        .where(TimetableEntry.class_id == class_id)
        .order_by(TimetableEntry.weekday, TimetableEntry.number)
    )
    return list(rows.scalars())


async def replace_timetable(
    session: AsyncSession, class_id: str, rows: Sequence[dict[str, Any]]
) -> None:
    await session.execute(delete(TimetableEntry).where(TimetableEntry.class_id == class_id))
    if rows:
        await session.execute(insert(TimetableEntry), list(rows))
