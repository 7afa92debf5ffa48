"""Queries of the school's bell schedule."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.journal.models import Bell


async def bell(session: AsyncSession, school_id: str, number: int) -> Bell | None:
    return await session.get(Bell, (school_id, number))


async def bells(session: AsyncSession, school_id: str) -> list[Bell]:
    rows = await session.execute(
        select(Bell).where(Bell.school_id == school_id).order_by(Bell.number)
    )
    return list(rows.scalars())


async def replace_bells(
    session: AsyncSession, school_id: str, rows: Sequence[dict[str, Any]]
) -> None:
    await session.execute(delete(Bell).where(Bell.school_id == school_id))
    if rows:
        await session.execute(insert(Bell), list(rows))
