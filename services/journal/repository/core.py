"""Queries of the school year's structure: schools, people, years, periods, classes, enrolments,
groups, assignments, work types. Every query is limited to a school (`scope`; None = any, for
the city operator only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import insert_for
from services.journal.models import (
    Enrolment,
    GroupMember,
    Guardianship,
    Lesson,
    Period,
    Person,
    School,
    SchoolClass,
    SchoolYear,
    Subject,
    TeachingAssignment,
    WorkType,
)

M = TypeVar("M")


async def get_scoped(
    session: AsyncSession, model: type[M], obj_id: str, scope: str | None
) -> M | None:
    query: Select[Any] = select(model).where(model.id == obj_id)  # type: ignore[attr-defined]
    if scope is not None:
        query = query.where(model.school_id == scope)  # type: ignore[attr-defined]
    return (await session.execute(query)).scalar_one_or_none()  # type: ignore[no-any-return]


async def list_of(
    session: AsyncSession, model: type[M], *conditions: Any, order: Any = None
) -> list[M]:
    query = select(model).where(*conditions)
    if order is not None:
        query = query.order_by(order)
    return list((await session.execute(query)).scalars())


# --- schools and people ---------------------------------------------------------------------
async def school(session: AsyncSession, school_id: str) -> School | None:
    return await session.get(School, school_id)


async def upsert_school(session: AsyncSession, values: dict[str, Any]) -> None:
    stmt = insert_for(session, School).values(**values)
    await session.execute(stmt.on_conflict_do_update(index_elements=[School.id], set_=dict(values)))


async def upsert_person(session: AsyncSession, values: dict[str, Any]) -> None:
    stmt = insert_for(session, Person).values(**values)
    update = {k: v for k, v in values.items() if k != "id"}
    await session.execute(stmt.on_conflict_do_update(index_elements=[Person.id], set_=update))


async def people(session: AsyncSession, school_id: str, ids: Iterable[str]) -> dict[str, Person]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = await session.execute(
        select(Person).where(Person.school_id == school_id, Person.id.in_(wanted))
    )
    return {p.id: p for p in rows.scalars()}


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


# --- year, periods, subjects, work types ---------------------------------------------------
async def periods_of(session: AsyncSession, year_id: str) -> list[Period]:
    return await list_of(session, Period, Period.year_id == year_id, order=Period.starts_on)


async def period_containing(
    session: AsyncSession, year_id: str, day: dt.date, kinds: Sequence[str]
) -> Period | None:
    rows = await session.execute(
        select(Period)
        .where(
            Period.year_id == year_id,
            Period.kind.in_(kinds),
            Period.starts_on <= day,
            Period.ends_on >= day,
        )
        .order_by(Period.starts_on)
        .limit(1)
    )
    return rows.scalar_one_or_none()


async def subject_by_name(session: AsyncSession, school_id: str, name: str) -> Subject | None:
    rows = await session.execute(
        select(Subject).where(Subject.school_id == school_id, Subject.name == name)
    )
    return rows.scalar_one_or_none()


async def subjects(
    session: AsyncSession, school_id: str, ids: Iterable[str] | None = None
) -> list[Subject]:
    conditions = [Subject.school_id == school_id]
    if ids is not None:
        conditions.append(Subject.id.in_(set(ids)))
    return await list_of(session, Subject, *conditions, order=Subject.name)


async def work_types(session: AsyncSession, school_id: str) -> list[WorkType]:
    return await list_of(session, WorkType, WorkType.school_id == school_id, order=WorkType.code)


async def year_by_name(session: AsyncSession, school_id: str, name: str) -> SchoolYear | None:
    rows = await session.execute(
        select(SchoolYear).where(SchoolYear.school_id == school_id, SchoolYear.name == name)
    )
    return rows.scalar_one_or_none()


# --- classes, enrolments, groups, assignments ----------------------------------------------
async def class_by_name(session: AsyncSession, year_id: str, name: str) -> SchoolClass | None:
    rows = await session.execute(
        select(SchoolClass).where(SchoolClass.year_id == year_id, SchoolClass.name == name)
    )
    return rows.scalar_one_or_none()


async def classes_of_year(session: AsyncSession, year_id: str) -> list[SchoolClass]:
    return await list_of(
        session, SchoolClass, SchoolClass.year_id == year_id, order=SchoolClass.name
    )


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
    return await list_of(session, Enrolment, *conditions)


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
    return await list_of(
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


async def group_members(session: AsyncSession, group_id: str) -> set[str]:
    rows = await session.execute(
        select(GroupMember.student_id).where(GroupMember.group_id == group_id)
    )
    return set(rows.scalars())


async def groups_of_student(session: AsyncSession, school_id: str, student_id: str) -> set[str]:
    rows = await session.execute(
        select(GroupMember.group_id).where(
            GroupMember.school_id == school_id, GroupMember.student_id == student_id
        )
    )
    return set(rows.scalars())


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
    return await list_of(session, TeachingAssignment, *conditions)


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


async def lessons_on(session: AsyncSession, class_id: str, day: dt.date) -> list[Lesson]:
    return await list_of(
        session, Lesson, Lesson.class_id == class_id, Lesson.date == day, order=Lesson.number
    )


async def lesson_context(
    session: AsyncSession, lesson_id: str, scope: str | None
) -> tuple[Lesson, SchoolClass, SchoolYear] | None:
    """A lesson with its class and year in one query (the hot path of every mark)."""
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
