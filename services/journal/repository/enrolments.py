"""Queries of enrolments: which student is in which class from when until when (the end day
excluded)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.journal.models import Enrolment, SchoolClass
from services.journal.repository.school_rows import listed


def _active_on(day: dt.date) -> Any:
    return and_(
        Enrolment.from_on <= day, or_(Enrolment.until_on.is_(None), Enrolment.until_on > day)
    )


def _active_between(start: dt.date, end: dt.date) -> Any:
    return and_(
        Enrolment.from_on <= end, or_(Enrolment.until_on.is_(None), Enrolment.until_on > start)
    )


async def enrolled_on(
    session: AsyncSession, class_id: str, day: dt.date, students: Iterable[str] | None = None
) -> list[Enrolment]:
    conditions = [Enrolment.class_id == class_id, _active_on(day)]
    if students is not None:
        conditions.append(Enrolment.student_id.in_(set(students)))
    return await listed(session, Enrolment, *conditions)


async def enrolled_ids(
    session: AsyncSession, class_id: str, day: dt.date, students: Iterable[str]
) -> set[str]:
    rows = await session.execute(
        select(Enrolment.student_id).where(
            Enrolment.class_id == class_id,
            _active_on(day),
            Enrolment.student_id.in_(set(students)),
        )
    )
    return set(rows.scalars())


async def enrolled_between(
    session: AsyncSession, class_id: str, start: dt.date, end: dt.date
) -> list[Any]:
    """Plain rows (no ORM identity map): the grid reads them for every class it shows."""
    rows = await session.execute(
        select(Enrolment.__table__)
        .where(Enrolment.class_id == class_id, _active_between(start, end))
        .order_by(Enrolment.from_on)
    )
    return list(rows.all())


async def open_enrolment(session: AsyncSession, class_id: str, student_id: str) -> Enrolment | None:
    rows = await session.execute(
        select(Enrolment).where(
            Enrolment.class_id == class_id,
            Enrolment.student_id == student_id,
            Enrolment.until_on.is_(None),
        )
    )
    return rows.scalars().first()


async def enrolments_of_student(
    session: AsyncSession, school_id: str, student_id: str, start: dt.date, end: dt.date
) -> list[Enrolment]:
    return await listed(
        session,
        Enrolment,
        Enrolment.school_id == school_id,
        Enrolment.student_id == student_id,
        _active_between(start, end),
    )


async def open_enrolments_in_year(
    session: AsyncSession, school_id: str, year_id: str, student_ids: Iterable[str]
) -> list[Enrolment]:
    rows = await session.execute(
        select(Enrolment)
        .join(SchoolClass, SchoolClass.id == Enrolment.class_id)
        .where(
            Enrolment.school_id == school_id,
            SchoolClass.year_id == year_id,
            Enrolment.student_id.in_(set(student_ids)),
            Enrolment.until_on.is_(None),
        )
    )
    return list(rows.scalars())
