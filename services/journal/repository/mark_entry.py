"""The one read behind a lesson's marks: everything the rules judge them by, in one statement.

The lesson with its class and year, the school's zone and cut-off, the lesson's bell, the
quarter (trimester, half) its day falls in, the school's work types, and — among the students
a request names — those enrolled in the class on the lesson's day, those in the lesson's
group, and the marks they already have in the lesson. Plain values, no ORM objects: this is
the hot path of every lesson. The sets come back as JSON arrays (`json_agg` on PostgreSQL,
`json_group_array` on the embedded SQLite), so the statement is the same on both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Select, and_, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.journal.models import (
    Bell,
    Enrolment,
    GroupMember,
    Lesson,
    Mark,
    Period,
    School,
    SchoolClass,
    SchoolYear,
    WorkType,
)


@dataclass(frozen=True)
class YearState:
    """What the year rules read (`rules.school_year.YearBounds`)."""

    id: str
    name: str
    starts_on: dt.date
    ends_on: dt.date
    closed_on: dt.date | None


@dataclass(frozen=True)
class MarkEntryFacts:
    """A lesson and everything its new marks are judged by."""

    lesson_id: str
    school_id: str
    class_id: str
    class_school_id: str
    subject_id: str
    group_id: str | None
    teacher_id: str
    substitute_id: str | None
    date: dt.date
    number: int
    year: YearState
    timezone: str | None
    """None while identity's registration of the school has not arrived."""
    mark_cutoff: dt.time | None
    bell_ends_at: dt.time | None
    period_id: str | None
    work_types: list[tuple[str, str, float]]
    enrolled: set[str]
    in_group: set[str]
    marked: set[tuple[str, str]]
    """(student, work type) of the active marks the named students have in the lesson."""


def _agg(dialect: str, *values: Any) -> Any:
    """A JSON array of the rows' values (of one value, or of arrays of several)."""
    if dialect == "postgresql":
        item = values[0] if len(values) == 1 else func.json_build_array(*values)
        return func.json_agg(item, type_=JSON)
    item = values[0] if len(values) == 1 else func.json_array(*values)
    return func.json_group_array(item, type_=JSON)


_STATEMENTS: dict[tuple[str, bool], Select[Any]] = {}
"""The statement per dialect and scoping, built once: building its dozen subqueries anew on
every lesson's marks cost more CPU than running it (the values are bound parameters)."""


def _statement(dialect: str, scoped: bool) -> Select[Any]:
    found = _STATEMENTS.get((dialect, scoped))
    if found is None:
        found = _STATEMENTS[(dialect, scoped)] = _build(dialect, scoped)
    return found


def _build(dialect: str, scoped: bool) -> Select[Any]:
    wanted = bindparam("students", expanding=True)
    enrolled = (
        select(_agg(dialect, Enrolment.student_id))
        .where(
            Enrolment.class_id == Lesson.class_id,
            Enrolment.from_on <= Lesson.date,
            or_(Enrolment.until_on.is_(None), Enrolment.until_on > Lesson.date),
            Enrolment.student_id.in_(wanted),
        )
        .scalar_subquery()
    )
    in_group = (
        select(_agg(dialect, GroupMember.student_id))
        .where(GroupMember.group_id == Lesson.group_id, GroupMember.student_id.in_(wanted))
        .scalar_subquery()
    )
    marked = (
        select(_agg(dialect, Mark.student_id, Mark.work_type))
        .where(
            Mark.lesson_id == Lesson.id,
            Mark.status == "active",
            Mark.student_id.in_(wanted),
        )
        .scalar_subquery()
    )
    work_types = (
        select(_agg(dialect, WorkType.code, WorkType.name, WorkType.weight))
        .where(WorkType.school_id == SchoolClass.school_id)
        .scalar_subquery()
    )
    period = (
        select(Period.id)
        .where(
            Period.year_id == SchoolClass.year_id,
            Period.kind.in_(bindparam("kinds", expanding=True)),
            Period.starts_on <= Lesson.date,
            Period.ends_on >= Lesson.date,
        )
        .order_by(Period.starts_on)
        .limit(1)
        .scalar_subquery()
    )
    query = (
        select(
            Lesson.id,
            Lesson.school_id,
            Lesson.class_id,
            SchoolClass.school_id.label("class_school_id"),
            Lesson.subject_id,
            Lesson.group_id,
            Lesson.teacher_id,
            Lesson.substitute_id,
            Lesson.date,
            Lesson.number,
            SchoolYear.id.label("year_id"),
            SchoolYear.name.label("year_name"),
            SchoolYear.starts_on,
            SchoolYear.ends_on,
            SchoolYear.closed_on,
            School.timezone,
            School.mark_cutoff,
            Bell.ends_at,
            period.label("period_id"),
            work_types.label("work_types"),
            enrolled.label("enrolled"),
            in_group.label("in_group"),
            marked.label("marked"),
        )
        .select_from(Lesson)
        .join(SchoolClass, SchoolClass.id == Lesson.class_id)
        .join(SchoolYear, SchoolYear.id == SchoolClass.year_id)
        .outerjoin(School, School.id == SchoolClass.school_id)
        .outerjoin(Bell, and_(Bell.school_id == Lesson.school_id, Bell.number == Lesson.number))
        .where(Lesson.id == bindparam("lesson_id"))
    )
    if scoped:
        query = query.where(Lesson.school_id == bindparam("scope"))
    return query


async def mark_entry_facts(
    session: AsyncSession,
    lesson_id: str,
    scope: str | None,
    students: Iterable[str],
    period_kinds: Sequence[str],
) -> MarkEntryFacts | None:
    """The lesson (within `scope`, None = any school) and its facts; None if there is none."""
    bind = session.bind
    dialect = bind.dialect.name if bind is not None else "postgresql"
    params: dict[str, Any] = {
        "lesson_id": lesson_id,
        "students": sorted(set(students)),
        "kinds": list(period_kinds),
    }
    if scope is not None:
        params["scope"] = scope
    row = (await session.execute(_statement(dialect, scope is not None), params)).first()
    if row is None:
        return None
    return MarkEntryFacts(
        lesson_id=row.id,
        school_id=row.school_id,
        class_id=row.class_id,
        class_school_id=row.class_school_id,
        subject_id=row.subject_id,
        group_id=row.group_id,
        teacher_id=row.teacher_id,
        substitute_id=row.substitute_id,
        date=row.date,
        number=row.number,
        year=YearState(row.year_id, row.year_name, row.starts_on, row.ends_on, row.closed_on),
        timezone=row.timezone,
        mark_cutoff=row.mark_cutoff,
        bell_ends_at=row.ends_at,
        period_id=row.period_id,
        work_types=[(c, n, w) for c, n, w in row.work_types or ()],
        enrolled=set(row.enrolled or ()),
        in_group=set(row.in_group or ()),
        marked={(s, w) for s, w in row.marked or ()},
    )
