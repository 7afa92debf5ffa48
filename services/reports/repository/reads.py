"""Queries behind the summary sheet, the performance tables and the monitoring.

Every query is scoped by `school_id`; the class filter is optional so one statement can
serve a single class (an HTTP request) or a whole school (a job, the city summary).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.reports.models import (
    Attendance,
    Enrolment,
    Lesson,
    Mark,
    Period,
    PeriodMark,
    Person,
    School,
    SchoolClass,
    SchoolYear,
    Subject,
)


async def school(session: AsyncSession, school_id: str) -> School | None:
    return await session.get(School, school_id)


async def school_class(session: AsyncSession, class_id: str) -> SchoolClass | None:
    return await session.get(SchoolClass, class_id)


async def period(session: AsyncSession, period_id: str) -> Period | None:
    return await session.get(Period, period_id)


async def year(session: AsyncSession, year_id: str) -> SchoolYear | None:
    return await session.get(SchoolYear, year_id)


async def classes_of_school(
    session: AsyncSession, school_id: str, year_id: str | None = None
) -> list[SchoolClass]:
    query = select(SchoolClass).where(SchoolClass.school_id == school_id)
    if year_id is not None:
        query = query.where(or_(SchoolClass.year_id == year_id, SchoolClass.year_id.is_(None)))
    return list((await session.execute(query.order_by(SchoolClass.class_id))).scalars())


async def periods_like(
    session: AsyncSession, year_name: str, kind: str, number: int
) -> list[tuple[str, Period]]:
    """Each school's period with this year name, kind and number: (school_id, period)."""
    rows = await session.execute(
        select(Period)
        .join(SchoolYear, SchoolYear.year_id == Period.year_id)
        .where(SchoolYear.name == year_name, Period.kind == kind, Period.number == number)
        .order_by(Period.school_id)
    )
    return [(p.school_id, p) for p in rows.scalars()]


async def periods_of_school(session: AsyncSession, school_id: str) -> list[Period]:
    rows = await session.execute(
        select(Period).where(Period.school_id == school_id).order_by(Period.starts_on)
    )
    return list(rows.scalars())


async def enrolments(session: AsyncSession, school_id: str, class_id: str | None) -> Sequence[Any]:
    query = select(
        Enrolment.class_id, Enrolment.student_id, Enrolment.date, Enrolment.change, Enrolment.seq
    ).where(Enrolment.school_id == school_id)
    if class_id is not None:
        query = query.where(Enrolment.class_id == class_id)
    return (await session.execute(query)).all()


async def bulk_rows(session: AsyncSession, statement: Select[*tuple[Any, ...]]) -> Sequence[Any]:
    """Rows of a big read as plain tuples: straight from asyncpg on PostgreSQL (a school's
    cells are tens of thousands of rows; the ORM's row handling would cost more than the
    query), through the session elsewhere."""
    connection = await session.connection()
    if connection.dialect.driver != "asyncpg":
        return (await session.execute(statement)).all()
    compiled = statement.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    values = compiled.construct_params()
    arguments = [values[name] for name in compiled.positiontup or ()]
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    assert driver is not None
    rows: Sequence[Any] = await driver.fetch(str(compiled), *arguments)
    return rows


async def mark_cells(
    session: AsyncSession,
    school_id: str,
    class_id: str | None,
    starts_on: dt.date,
    ends_on: dt.date,
) -> Sequence[Any]:
    """Per class, subject and student: (class, subject, student, count, Σ value,
    Σ value × weight, Σ weight)."""
    query = (
        select(
            Mark.class_id,
            Mark.subject_id,
            Mark.student_id,
            func.count(),
            func.sum(Mark.value),
            func.sum(Mark.value * Mark.weight),
            func.sum(Mark.weight),
        )
        .where(
            Mark.school_id == school_id,
            Mark.date >= starts_on,
            Mark.date <= ends_on,
            Mark.cancelled.is_(False),
            Mark.value.is_not(None),
        )
        .group_by(Mark.class_id, Mark.subject_id, Mark.student_id)
    )
    if class_id is not None:
        query = query.where(Mark.class_id == class_id)
    else:
        query = query.where(Mark.class_id.is_not(None))
    return await bulk_rows(session, query)


async def period_marks(
    session: AsyncSession, school_id: str, period_id: str, class_id: str | None
) -> Sequence[Any]:
    """(class, subject, student, value) of the period's marks."""
    query = select(
        PeriodMark.class_id, PeriodMark.subject_id, PeriodMark.student_id, PeriodMark.value
    ).where(PeriodMark.school_id == school_id, PeriodMark.period_id == period_id)
    if class_id is not None:
        query = query.where(PeriodMark.class_id == class_id)
    return await bulk_rows(session, query)


async def lesson_subjects(
    session: AsyncSession,
    school_id: str,
    class_id: str | None,
    starts_on: dt.date,
    ends_on: dt.date,
) -> Sequence[Any]:
    """(class, subject) pairs that had lessons in the period: the sheet's columns."""
    query = (
        select(Lesson.class_id, Lesson.subject_id)
        .where(
            Lesson.school_id == school_id,
            Lesson.date >= starts_on,
            Lesson.date <= ends_on,
            Lesson.cancelled.is_(False),
        )
        .distinct()
    )
    if class_id is not None:
        query = query.where(Lesson.class_id == class_id)
    return (await session.execute(query)).all()


async def subject_names(session: AsyncSession, school_id: str) -> dict[str, str]:
    rows = await session.execute(
        select(Subject.subject_id, Subject.name).where(Subject.school_id == school_id)
    )
    return {r.subject_id: r.name for r in rows}


async def names(session: AsyncSession, person_ids: Iterable[str | None]) -> dict[str, str]:
    """People's full names («Фамилия Имя Отчество») by id; unknown ids are left out."""
    ids = sorted({p for p in person_ids if p})
    found: dict[str, str] = {}
    for start in range(0, len(ids), 5000):
        rows = await bulk_rows(
            session,
            select(Person.person_id, Person.last_name, Person.first_name, Person.middle_name).where(
                Person.person_id.in_(ids[start : start + 5000])
            ),
        )
        found.update({r[0]: " ".join(p for p in r[1:] if p) for r in rows})
    return found


async def teaches(session: AsyncSession, class_id: str, teacher_id: str) -> bool:
    """R-REC-3: the person gave a lesson or a mark in the class."""
    lesson = await session.execute(
        select(Lesson.lesson_id)
        .where(
            Lesson.class_id == class_id,
            Lesson.teacher_id == teacher_id,
            Lesson.cancelled.is_(False),
        )
        .limit(1)
    )
    if lesson.first() is not None:
        return True
    mark = await session.execute(
        select(Mark.mark_id)
        .where(Mark.class_id == class_id, Mark.teacher_id == teacher_id)
        .limit(1)
    )
    return mark.first() is not None


async def lessons(
    session: AsyncSession,
    school_id: str,
    class_id: str | None,
    starts_on: dt.date,
    ends_on: dt.date,
) -> Sequence[Any]:
    query = select(
        Lesson.lesson_id,
        Lesson.class_id,
        Lesson.group_id,
        Lesson.subject_id,
        Lesson.teacher_id,
        Lesson.date,
        Lesson.topic,
        Lesson.homework,
    ).where(
        Lesson.school_id == school_id,
        Lesson.date >= starts_on,
        Lesson.date <= ends_on,
        Lesson.cancelled.is_(False),
    )
    if class_id is not None:
        query = query.where(Lesson.class_id == class_id)
    return (await session.execute(query)).all()


async def mark_timeliness(
    session: AsyncSession, school_id: str, starts_on: dt.date, ends_on: dt.date
) -> Sequence[Any]:
    """Per teacher, class and subject: marks, and how many were entered late."""
    late = func.sum(case((Mark.late.is_(True), 1), else_=0))
    query = (
        select(Mark.teacher_id, Mark.class_id, Mark.subject_id, func.count(), late)
        .where(
            Mark.school_id == school_id,
            Mark.date >= starts_on,
            Mark.date <= ends_on,
            Mark.cancelled.is_(False),
            Mark.class_id.is_not(None),
        )
        .group_by(Mark.teacher_id, Mark.class_id, Mark.subject_id)
    )
    return list((await session.execute(query)).tuples())


async def attendance(
    session: AsyncSession,
    school_id: str,
    class_id: str | None,
    starts_on: dt.date,
    ends_on: dt.date,
) -> Sequence[Any]:
    """Attendance joined with its lesson (rows of lessons not yet known wait for them)."""
    query = (
        select(
            Lesson.class_id,
            Lesson.subject_id,
            Lesson.teacher_id,
            Attendance.student_id,
            Attendance.status,
            Attendance.reason,
        )
        .join(Lesson, Lesson.lesson_id == Attendance.lesson_id)
        .where(
            Attendance.school_id == school_id,
            Lesson.school_id == school_id,
            Lesson.date >= starts_on,
            Lesson.date <= ends_on,
        )
    )
    if class_id is not None:
        query = query.where(Lesson.class_id == class_id)
    return (await session.execute(query)).all()


async def teachers_of_school(session: AsyncSession, school_id: str) -> list[str]:
    """Staff identity announced with the teacher role."""
    rows = await session.execute(
        select(Person.person_id).where(
            Person.school_id == school_id,
            Person.kind == "staff",
            Person.roles.like("%teacher%"),
        )
    )
    return list(rows.scalars())
