"""Queries of teaching assignments: who teaches which subject to which class (or group)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.journal.models import SchoolClass, TeachingAssignment
from services.journal.repository.school_rows import listed


async def assignments(
    session: AsyncSession,
    school_id: str,
    *,
    class_id: str | None = None,
    teacher_id: str | None = None,
) -> list[TeachingAssignment]:
    conditions = [TeachingAssignment.school_id == school_id]
    if class_id is not None:
        conditions.append(TeachingAssignment.class_id == class_id)
    if teacher_id is not None:
        conditions.append(TeachingAssignment.teacher_id == teacher_id)
    return await listed(session, TeachingAssignment, *conditions)


async def classes_taught_by(session: AsyncSession, school_id: str, person_id: str) -> set[str]:
    """Classes whose class teacher this person is, or where they teach a subject."""
    taught = await session.execute(
        select(TeachingAssignment.class_id).where(
            TeachingAssignment.school_id == school_id, TeachingAssignment.teacher_id == person_id
        )
    )
    led = await session.execute(
        select(SchoolClass.id).where(
            SchoolClass.school_id == school_id, SchoolClass.class_teacher_id == person_id
        )
    )
    return set(taught.scalars()) | set(led.scalars())
