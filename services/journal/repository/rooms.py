"""Queries of the school's rooms."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.journal.models import Room


async def room_by_name(session: AsyncSession, school_id: str, name: str) -> Room | None:
    rows = await session.execute(select(Room).where(Room.school_id == school_id, Room.name == name))
    return rows.scalar_one_or_none()
