"""Queries of the school's subjects."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.journal.models import Subject
from services.journal.repository.school_rows import listed


async def subject_by_name(session: AsyncSession, school_id: str, name: str) -> Subject | None:
    rows = await session.execute(
        select(Subject).where(Subject.school_id == school_id, Subject.name == name)
    )
    return rows.scalar_one_or_none()


async def subjects(
    session: AsyncSession, school_id: str, ids: Iterable[str] | None = None
) -> list[Subject]:
    conditions = [Subject.school_id == school_id]
    if ids is not None:
        conditions.append(Subject.id.in_(set(ids)))
    return await listed(session, Subject, *conditions, order=Subject.name)


async def subject_names(session: AsyncSession, ids: Iterable[str]) -> dict[str, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = await session.execute(select(Subject.id, Subject.name).where(Subject.id.in_(wanted)))
    return {r.id: r.name for r in rows}
