"""Queries of a year's classes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.journal.models import SchoolClass
from services.journal.repository.school_rows import listed


async def class_by_name(session: AsyncSession, year_id: str, name: str) -> SchoolClass | None:
    rows = await session.execute(
        select(SchoolClass).where(SchoolClass.year_id == year_id, SchoolClass.name == name)
    )
    return rows.scalar_one_or_none()


async def classes_of_year(session: AsyncSession, year_id: str) -> list[SchoolClass]:
    return await listed(
        session, SchoolClass, SchoolClass.year_id == year_id, order=SchoolClass.name
    )
