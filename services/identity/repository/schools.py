"""Queries of schools (tenants)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.identity.models import School


async def get(session: AsyncSession, school_id: str) -> School | None:
    return await session.get(School, school_id)


async def by_name(session: AsyncSession, name: str) -> School | None:
    rows = await session.execute(select(School).where(School.name == name))
    return rows.scalar_one_or_none()


async def all_schools(session: AsyncSession, limit: int, offset: int) -> list[School]:
    rows = await session.execute(select(School).order_by(School.name).limit(limit).offset(offset))
    return list(rows.scalars().all())


def add(session: AsyncSession, school: School) -> None:
    session.add(school)
