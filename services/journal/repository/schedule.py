"""Queries of the timetable, bells, holidays, thematic plans and lesson slots."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.journal.models import Bell, Holiday, Lesson, PlanItem, Room, TimetableEntry


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


async def bell(session: AsyncSession, school_id: str, number: int) -> Bell | None:
    return await session.get(Bell, (school_id, number))


async def bells(session: AsyncSession, school_id: str) -> list[Bell]:
    rows = await session.execute(
        select(Bell).where(Bell.school_id == school_id).order_by(Bell.number)
    )
    return list(rows.scalars())


async def replace_bells(session: AsyncSession, school_id: str, rows: Sequence[dict]) -> None:  # type: ignore[type-arg]
    await session.execute(delete(Bell).where(Bell.school_id == school_id))
    if rows:
        await session.execute(insert(Bell), list(rows))


async def timetable(session: AsyncSession, class_id: str) -> list[TimetableEntry]:
    rows = await session.execute(
        select(TimetableEntry)
        .where(TimetableEntry.class_id == class_id)
        .order_by(TimetableEntry.weekday, TimetableEntry.number)
    )
    return list(rows.scalars())


async def replace_timetable(session: AsyncSession, class_id: str, rows: Sequence[dict]) -> None:  # type: ignore[type-arg]
    await session.execute(delete(TimetableEntry).where(TimetableEntry.class_id == class_id))
    if rows:
        await session.execute(insert(TimetableEntry), list(rows))


async def holidays(session: AsyncSession, year_id: str) -> list[Holiday]:
    rows = await session.execute(
        select(Holiday).where(Holiday.year_id == year_id).order_by(Holiday.starts_on)
    )
    return list(rows.scalars())


async def plan(session: AsyncSession, class_id: str, subject_id: str) -> list[PlanItem]:
    rows = await session.execute(
        select(PlanItem)
        .where(PlanItem.class_id == class_id, PlanItem.subject_id == subject_id)
        .order_by(PlanItem.position)
    )
    return list(rows.scalars())


async def replace_plan(
    session: AsyncSession,
    class_id: str,
    subject_id: str,
    rows: Sequence[dict],  # type: ignore[type-arg]
) -> None:
    await session.execute(
        delete(PlanItem).where(PlanItem.class_id == class_id, PlanItem.subject_id == subject_id)
    )
    if rows:
        await session.execute(insert(PlanItem), list(rows))


async def lessons_of_subject(
    session: AsyncSession, class_id: str, subject_id: str, group_id: str | None = None
) -> list[Lesson]:
    query = select(Lesson).where(Lesson.class_id == class_id, Lesson.subject_id == subject_id)
    if group_id is not None:
        query = query.where(Lesson.group_id == group_id)
    rows = await session.execute(query.order_by(Lesson.date, Lesson.number))
    return list(rows.scalars())


async def next_plan_topic(
    session: AsyncSession, class_id: str, subject_id: str, group_id: str | None, day: dt.date
) -> str | None:
    """R-LES-1: the lesson takes the next topic of the plan, by how many lessons came before."""
    before = await session.execute(
        select(func.count())
        .select_from(Lesson)
        .where(
            Lesson.class_id == class_id,
            Lesson.subject_id == subject_id,
            Lesson.group_id.is_(None) if group_id is None else Lesson.group_id == group_id,
            Lesson.date <= day,
        )
    )
    position = int(before.scalar_one()) + 1
    row = await session.execute(
        select(PlanItem.topic).where(
            PlanItem.class_id == class_id,
            PlanItem.subject_id == subject_id,
            PlanItem.position == position,
        )
    )
    return row.scalar_one_or_none()


async def room_by_name(session: AsyncSession, school_id: str, name: str) -> Room | None:
    rows = await session.execute(select(Room).where(Room.school_id == school_id, Room.name == name))
    return rows.scalar_one_or_none()
