"""Queries of attendance: a lesson's entries, written in bulk, read as plain rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.journal.models import Attendance


async def attendance_for(
    session: AsyncSession, lesson_id: str, students: Iterable[str]
) -> dict[str, Attendance]:
    rows = await session.execute(
        select(Attendance).where(
            Attendance.lesson_id == lesson_id, Attendance.student_id.in_(set(students))
        )
    )
    return {a.student_id: a for a in rows.scalars()}


async def attendance_of_lessons(
    session: AsyncSession, lesson_ids: Sequence[str], student_id: str | None = None
) -> list[Any]:
    if not lesson_ids:
        return []
    query = select(Attendance.__table__).where(Attendance.lesson_id.in_(list(lesson_ids)))
    if student_id is not None:
        query = query.where(Attendance.student_id == student_id)
    return list((await session.execute(query)).all())
