"""Queries of lessons: one with its class and year, a range of a class's lessons, the slots
they take, and whether anything was written on one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.journal.models import Attendance, Lesson, Mark, SchoolClass, SchoolYear


async def lesson_context(
    session: AsyncSession, lesson_id: str, scope: str | None
) -> tuple[Lesson, SchoolClass, SchoolYear] | None:
    """A lesson with its class and year in one query."""
    query = (
        select(Lesson, SchoolClass, SchoolYear)
        .join(SchoolClass, SchoolClass.id == Lesson.class_id)
        .join(SchoolYear, SchoolYear.id == SchoolClass.year_id)
        .where(Lesson.id == lesson_id)
    )
    if scope is not None:
        query = query.where(Lesson.school_id == scope)
    row = (await session.execute(query)).first()
    return None if row is None else (row[0], row[1], row[2])


async def lessons_between(
    session: AsyncSession,
    class_ids: Sequence[str],
    start: dt.date,
    end: dt.date,
    subject_ids: Iterable[str] | None = None,
) -> list[Any]:
    """Plain rows, not ORM objects: the grid and the diary read a quarter's lessons."""
    query = select(Lesson.__table__).where(
        Lesson.class_id.in_(list(class_ids)), Lesson.date >= start, Lesson.date <= end
    )
    if subject_ids is not None:
        query = query.where(Lesson.subject_id.in_(set(subject_ids)))
    rows = await session.execute(query.order_by(Lesson.date, Lesson.number))
    return list(rows.all())


async def lessons_of_subject(
    session: AsyncSession, class_id: str, subject_id: str, group_id: str | None = None
) -> list[Lesson]:
    query = select(Lesson).where(Lesson.class_id == class_id, Lesson.subject_id == subject_id)
    if group_id is not None:
        query = query.where(Lesson.group_id == group_id)
    rows = await session.execute(query.order_by(Lesson.date, Lesson.number))
    return list(rows.scalars())


async def slot_taken(
    session: AsyncSession,
    class_id: str,
    day: dt.date,
    number: int,
    group_id: str | None,
    besides: str | None = None,
) -> bool:
    """A slot is taken by a whole-class lesson, or by a lesson of the same group (other than
    the lesson `besides`, which is moving)."""
    query = select(Lesson.id).where(
        Lesson.class_id == class_id, Lesson.date == day, Lesson.number == number
    )
    if group_id is not None:
        query = query.where(or_(Lesson.group_id.is_(None), Lesson.group_id == group_id))
    if besides is not None:
        query = query.where(Lesson.id != besides)
    return (await session.execute(query.limit(1))).first() is not None


async def taken_slots(
    session: AsyncSession, class_id: str, start: dt.date, end: dt.date
) -> set[tuple[dt.date, int, str | None]]:
    rows = await session.execute(
        select(Lesson.date, Lesson.number, Lesson.group_id).where(
            Lesson.class_id == class_id, Lesson.date >= start, Lesson.date <= end
        )
    )
    return {(r.date, r.number, r.group_id) for r in rows}


async def last_lesson_number(session: AsyncSession, class_id: str, day: dt.date) -> int | None:
    row = await session.execute(
        select(func.max(Lesson.number)).where(Lesson.class_id == class_id, Lesson.date == day)
    )
    value = row.scalar_one_or_none()
    return int(value) if value is not None else None


async def lesson_has_records(session: AsyncSession, lesson_id: str) -> bool:
    """Any mark (cancelled ones too) or attendance entry written on the lesson."""
    for model in (Mark, Attendance):
        found = await session.execute(select(model.id).where(model.lesson_id == lesson_id).limit(1))
        if found.first() is not None:
            return True
    return False
