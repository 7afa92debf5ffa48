"""Queries of identity's copy of the journal's classes and enrolments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import insert_for
from services.identity.models import Enrolment, SchoolClass

PRESENT = "enrolled"


async def save_class(session: AsyncSession, row: SchoolClass) -> None:
    values = {
        "id": row.id,
        "school_id": row.school_id,
        "year_id": row.year_id,
        "name": row.name,
        "grade": row.grade,
        "class_teacher_id": row.class_teacher_id,
    }
    stmt = insert_for(session, SchoolClass).values(values)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[SchoolClass.id],
            set_={k: stmt.excluded[k] for k in values if k != "id"},
        )
    )


async def save_enrolment(
    session: AsyncSession,
    school_id: str,
    student_id: str,
    class_id: str,
    change: str,
    date: dt.date,
    sequence: int | None,
) -> None:
    """Keep the latest change per (student, class): by sequence, else by date."""
    stmt = insert_for(session, Enrolment).values(
        school_id=school_id,
        student_id=student_id,
        class_id=class_id,
        change=change,
        date=date,
        sequence=sequence,
    )
    if sequence is None:
        newer = stmt.excluded.date >= Enrolment.date
    else:
        newer = Enrolment.sequence.is_(None) | (Enrolment.sequence < sequence)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[Enrolment.student_id, Enrolment.class_id],
            set_={"change": change, "date": date, "sequence": sequence},
            where=newer,
        )
    )


async def get_class(session: AsyncSession, school_id: str, class_id: str) -> SchoolClass | None:
    rows = await session.execute(
        select(SchoolClass).where(SchoolClass.school_id == school_id, SchoolClass.id == class_id)
    )
    return rows.scalar_one_or_none()


async def get_class_any_school(session: AsyncSession, class_id: str) -> SchoolClass | None:
    """For the city operator only, who acts across schools."""
    return await session.get(SchoolClass, class_id)


async def leads_any_class(session: AsyncSession, school_id: str, teacher_id: str) -> bool:
    rows = await session.execute(
        select(SchoolClass.id).where(
            SchoolClass.school_id == school_id, SchoolClass.class_teacher_id == teacher_id
        )
    )
    return rows.first() is not None


async def leads_class_of(
    session: AsyncSession, school_id: str, teacher_id: str, student_ids: Collection[str]
) -> bool:
    """Is `teacher_id` the class teacher of a class one of these students is now in?"""
    if not student_ids:
        return False
    rows = await session.execute(
        select(Enrolment.student_id)
        .join(SchoolClass, SchoolClass.id == Enrolment.class_id)
        .where(
            Enrolment.school_id == school_id,
            SchoolClass.school_id == school_id,
            SchoolClass.class_teacher_id == teacher_id,
            Enrolment.change == PRESENT,
            Enrolment.student_id.in_(list(student_ids)),
        )
        .limit(1)
    )
    return rows.first() is not None


async def students_of(session: AsyncSession, school_id: str, class_id: str) -> list[str]:
    rows = await session.execute(
        select(Enrolment.student_id).where(
            Enrolment.school_id == school_id,
            Enrolment.class_id == class_id,
            Enrolment.change == PRESENT,
        )
    )
    return list(rows.scalars().all())
