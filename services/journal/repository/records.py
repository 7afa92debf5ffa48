"""Queries of what is entered in the journal: lessons, marks, attendance, period marks. The grid
and the diary read with a few indexed queries, never one per cell."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.journal.models import Attendance, Lesson, Mark, PeriodMark, Subject


async def active_mark_keys(session: AsyncSession, lesson_id: str) -> set[tuple[str, str]]:
    rows = await session.execute(
        select(Mark.student_id, Mark.work_type).where(
            Mark.lesson_id == lesson_id, Mark.status == "active"
        )
    )
    return {(r.student_id, r.work_type) for r in rows}


async def lesson_has_records(session: AsyncSession, lesson_id: str) -> bool:
    """Any mark (cancelled ones too) or attendance entry written on the lesson."""
    for model in (Mark, Attendance):
        found = await session.execute(select(model.id).where(model.lesson_id == lesson_id).limit(1))
        if found.first() is not None:
            return True
    return False


async def lessons_between(
    session: AsyncSession,
    class_ids: Sequence[str],
    start: dt.date,
    end: dt.date,
    subject_ids: Iterable[str] | None = None,
) -> list[Any]:
    query = select(Lesson.__table__).where(
        Lesson.class_id.in_(list(class_ids)), Lesson.date >= start, Lesson.date <= end
    )
    if subject_ids is not None:
        query = query.where(Lesson.subject_id.in_(set(subject_ids)))
    rows = await session.execute(query.order_by(Lesson.date, Lesson.number))
    return list(rows.all())


async def marks_of_lessons(
    session: AsyncSession, lesson_ids: Sequence[str], student_id: str | None = None
) -> list[Any]:
    """Plain rows, not ORM objects: a quarter's grid holds hundreds of them."""
    if not lesson_ids:
        return []
    query = select(Mark.__table__).where(
        Mark.lesson_id.in_(list(lesson_ids)), Mark.status == "active"
    )
    if student_id is not None:
        query = query.where(Mark.student_id == student_id)
    rows = await session.execute(query.order_by(Mark.created_at))
    return list(rows.all())


async def attendance_of_lessons(
    session: AsyncSession, lesson_ids: Sequence[str], student_id: str | None = None
) -> list[Any]:
    if not lesson_ids:
        return []
    query = select(Attendance.__table__).where(Attendance.lesson_id.in_(list(lesson_ids)))
    if student_id is not None:
        query = query.where(Attendance.student_id == student_id)
    return list((await session.execute(query)).all())


async def attendance_for(
    session: AsyncSession, lesson_id: str, students: Iterable[str]
) -> dict[str, Attendance]:
    rows = await session.execute(
        select(Attendance).where(
            Attendance.lesson_id == lesson_id, Attendance.student_id.in_(set(students))
        )
    )
    return {a.student_id: a for a in rows.scalars()}


async def insert_rows(session: AsyncSession, model: Any, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await session.execute(insert(model), list(rows))


async def period_marks(
    session: AsyncSession,
    period_ids: Sequence[str],
    class_id: str | None = None,
    subject_ids: Iterable[str] | None = None,
    student_id: str | None = None,
) -> list[PeriodMark]:
    if not period_ids:
        return []
    query = select(PeriodMark).where(PeriodMark.period_id.in_(list(period_ids)))
    if class_id is not None:
        query = query.where(PeriodMark.class_id == class_id)
    if subject_ids is not None:
        query = query.where(PeriodMark.subject_id.in_(set(subject_ids)))
    if student_id is not None:
        query = query.where(PeriodMark.student_id == student_id)
    return list((await session.execute(query)).scalars())


async def marks_for_average(
    session: AsyncSession, class_id: str, subject_id: str, start: dt.date, end: dt.date
) -> list[Mark]:
    rows = await session.execute(
        select(Mark).where(
            Mark.class_id == class_id,
            Mark.subject_id == subject_id,
            Mark.date >= start,
            Mark.date <= end,
            Mark.status == "active",
        )
    )
    return list(rows.scalars())


async def subject_names(session: AsyncSession, ids: Iterable[str]) -> dict[str, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = await session.execute(select(Subject.id, Subject.name).where(Subject.id.in_(wanted)))
    return {r.id: r.name for r in rows}


async def page(
    session: AsyncSession, model: Any, school_id: str, cursor: str | None, limit: int
) -> list[Any]:
    """A page of one table in id order: ids are time-ordered and never reused (stable cursor)."""
    query = select(model).where(model.school_id == school_id)
    if cursor:
        query = query.where(model.id > cursor)
    rows = await session.execute(query.order_by(model.id).limit(limit))
    return list(rows.scalars())


async def lessons_by_ids(session: AsyncSession, ids: Iterable[str]) -> dict[str, Lesson]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = await session.execute(select(Lesson).where(Lesson.id.in_(wanted)))
    return {lesson.id: lesson for lesson in rows.scalars()}
