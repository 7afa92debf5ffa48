"""Queries of the school's work types and their weights (R-LES-2)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import insert_for
from services.journal.models import WorkType
from services.journal.repository.school_rows import listed


async def work_types(session: AsyncSession, school_id: str) -> list[WorkType]:
    return await listed(session, WorkType, WorkType.school_id == school_id, order=WorkType.code)


async def upsert_work_type(
    session: AsyncSession, school_id: str, code: str, name: str, weight: float
) -> None:
    """A new code is added, a known one renamed and re-weighed."""
    stmt = insert_for(session, WorkType).values(
        school_id=school_id, code=code, name=name, weight=weight
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[WorkType.school_id, WorkType.code],
            set_={"name": name, "weight": weight},
        )
    )
