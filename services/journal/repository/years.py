"""Queries of the school years."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.journal.models import SchoolYear
from services.journal.repository.school_rows import listed


async def years_of_school(session: AsyncSession, school_id: str) -> list[SchoolYear]:
    return await listed(
        session, SchoolYear, SchoolYear.school_id == school_id, order=SchoolYear.starts_on
    )


async def year_by_name(session: AsyncSession, school_id: str, name: str) -> SchoolYear | None:
    rows = await session.execute(
        select(SchoolYear).where(SchoolYear.school_id == school_id, SchoolYear.name == name)
    )
    return rows.scalar_one_or_none()
