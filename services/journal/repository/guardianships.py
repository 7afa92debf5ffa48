"""Queries of guardianships: which parent is the legal guardian of which student."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import insert_for
from services.journal.models import Guardianship


async def link_guardian(session: AsyncSession, school_id: str, parent: str, student: str) -> None:
    stmt = insert_for(session, Guardianship).values(
        school_id=school_id, parent_id=parent, student_id=student
    )
    await session.execute(stmt.on_conflict_do_nothing())


async def is_guardian(session: AsyncSession, school_id: str, parent: str, student: str) -> bool:
    row = await session.execute(
        select(Guardianship.parent_id).where(
            Guardianship.school_id == school_id,
            Guardianship.parent_id == parent,
            Guardianship.student_id == student,
        )
    )
    return row.first() is not None
