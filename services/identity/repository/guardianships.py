"""Queries of guardianships (parent ↔ student), inside one school."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import insert_for
from services.identity.models import Guardianship


async def link(
    session: AsyncSession,
    school_id: str,
    pairs: Collection[tuple[str, str]],
    now: dt.datetime,
    by: str | None,
) -> set[tuple[str, str]]:
    """Link (parent, student) pairs; return those that were new."""
    if not pairs:
        return set()
    stmt = (
        insert_for(session, Guardianship)
        .values(
            [
                {
                    "school_id": school_id,
                    "parent_id": p,
                    "student_id": s,
                    "created_at": now,
                    "created_by": by,
                }
                for p, s in pairs
            ]
        )
        .on_conflict_do_nothing()
        .returning(Guardianship.parent_id, Guardianship.student_id)
    )
    return {(r.parent_id, r.student_id) for r in (await session.execute(stmt)).all()}


async def is_guardian(
    session: AsyncSession, school_id: str, parent_id: str, student_id: str
) -> bool:
    rows = await session.execute(
        select(Guardianship.parent_id).where(
            Guardianship.school_id == school_id,
            Guardianship.parent_id == parent_id,
            Guardianship.student_id == student_id,
        )
    )
    return rows.first() is not None


async def children_of(session: AsyncSession, school_id: str, parent_id: str) -> list[str]:
    rows = await session.execute(
        select(Guardianship.student_id).where(
            Guardianship.school_id == school_id, Guardianship.parent_id == parent_id
        )
    )
    return list(rows.scalars().all())


async def guardians_of(
    session: AsyncSession, school_id: str, student_ids: Collection[str]
) -> list[Guardianship]:
    if not student_ids:
        return []
    rows = await session.execute(
        select(Guardianship).where(
            Guardianship.school_id == school_id, Guardianship.student_id.in_(list(student_ids))
        )
    )
    return list(rows.scalars().all())


async def existing(
    session: AsyncSession, school_id: str, pairs: Collection[tuple[str, str]]
) -> set[tuple[str, str]]:
    students = {s for _, s in pairs}
    return {
        (g.parent_id, g.student_id)
        for g in await guardians_of(session, school_id, students)
        if (g.parent_id, g.student_id) in pairs
    }
