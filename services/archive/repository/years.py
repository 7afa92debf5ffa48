"""Queries of the school years the archive heard of (`school_year`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import insert_for
from services.archive.models import SchoolYear


async def save_year(session: AsyncSession, values: dict[str, Any]) -> None:
    stmt = insert_for(session, SchoolYear).values(**values)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[SchoolYear.id],
            set_={k: stmt.excluded[k] for k in ("name", "starts_on", "ends_on")},
        )
    )


async def close_year(
    session: AsyncSession, school_id: str, year_id: str, closed_on: dt.date, closed_at: dt.datetime
) -> None:
    await session.execute(
        update(SchoolYear)
        .where(SchoolYear.id == year_id, SchoolYear.school_id == school_id)
        .values(closed_on=closed_on, closed_at=closed_at)
    )


async def year(session: AsyncSession, school_id: str, year_id: str) -> SchoolYear | None:
    return (
        await session.execute(
            select(SchoolYear).where(SchoolYear.id == year_id, SchoolYear.school_id == school_id)
        )
    ).scalar_one_or_none()


async def years(session: AsyncSession, school_id: str | None) -> list[SchoolYear]:
    """The years of a school, or of every school (None: the operator, the schedule)."""
    query = select(SchoolYear).order_by(SchoolYear.school_id, SchoolYear.starts_on)
    if school_id is not None:
        query = query.where(SchoolYear.school_id == school_id)
    return list((await session.execute(query)).scalars().all())
