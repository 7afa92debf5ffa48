"""Queries of the schools as identity announced them, with the journal's own settings
(homework limit, the day's cut-off for marks)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import insert_for
from services.journal.models import School


async def school(session: AsyncSession, school_id: str) -> School | None:
    return await session.get(School, school_id)


async def upsert_school(session: AsyncSession, values: dict[str, Any]) -> None:
    stmt = insert_for(session, School).values(**values)
    await session.execute(stmt.on_conflict_do_update(index_elements=[School.id], set_=dict(values)))
