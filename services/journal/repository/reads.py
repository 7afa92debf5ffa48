"""The journal's hot reads in two statements each: the class grid, the diary and a teacher's
day. The first statement returns what a request needs to decide (the object, the school's
zone, the asker's assignments or guardianship, the student's enrolments), the second every row
of the answer. Heterogeneous rows travel as one `UNION ALL` with a `kind` column and typed
slots, so both dialects (PostgreSQL, the embedded mode's SQLite) read them as plain tuples,
never ORM objects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    Integer,
    String,
    and_,
    bindparam,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import UTCDateTime
from services.journal.models import (
    Attendance,
    Bell,
    Enrolment,
    GroupMember,
    Guardianship,
    Lesson,
    Mark,
    Period,
    PeriodMark,
    Person,
    School,
    SchoolClass,
    SchoolYear,
    Subject,
    TeachingAssignment,
)

PERIOD_KINDS = ("quarter", "trimester", "half")
"""The periods a grid opens on by default (the one containing the school's today)."""

_SLOTS: dict[str, Any] = {
    "kind": String(),
    "id": String(),
    "s1": String(),
    "s2": String(),
    "s3": String(),
    "s4": String(),
    "s5": String(),
    "s6": String(),
    "s7": String(),
    "s8": String(),
    "n1": Integer(),
    "n2": Integer(),
    "w": Float(),
    "d1": Date(),
    "d2": Date(),
    "flag": Boolean(),
    "at": UTCDateTime(),
}
"""Every branch of a union fills these typed slots (the rest are typed NULLs); a row reads
`kind, id, s1…s8, n1, n2, w, d1, d2, flag, at`."""


def _branch(kind: str, **slots: Any) -> Any:
    """One SELECT of a union: `kind` and the slots given, typed NULL in the others."""
    columns = [literal(kind, String()).label("kind")]
    for name, type_ in list(_SLOTS.items())[1:]:
        value = slots.pop(name, None)
        columns.append((cast(null(), type_) if value is None else value).label(name))
    if slots:
        raise TypeError(f"unknown slots {sorted(slots)}")
    return select(*columns)


def _ordered(*branches: Any) -> Any:
    """The union, ordered by kind, then within each kind by its sort slots (date, number,
    instant, id). Kinds come in name order: a grid's `mark`s before its `presence` rows, so a
    cell is opened by the first mark in it, as the grid always did."""
    query = union_all(*branches).subquery()
    return select(query).order_by(query.c.kind, query.c.d1, query.c.n1, query.c.at, query.c.id)


def _p(name: str, type_: Any = None, *, many: bool = False) -> Any:
    """A named parameter: statements are built once per shape (`functools.cache`) and bound
    at each request, so a request pays for neither building nor compiling them."""
    return bindparam(name, type_=type_ if type_ is not None else String(), expanding=many)


def _active_between() -> Any:
    """Enrolments active at some day of [`start`, `end`] (their end day excluded)."""
    return and_(
        Enrolment.from_on <= _p("end", Date()),
        or_(Enrolment.until_on.is_(None), Enrolment.until_on > _p("start", Date())),
    )


async def _rows(session: AsyncSession, query: Any, **params: Any) -> Sequence[Any]:
    """Plain tuples through the session's connection (the Core path: no ORM result machinery,
    which costs more than the rows themselves on a quarter's grid)."""
    connection = await session.connection()
    return (await connection.execute(query, params)).all()


# ---------------------------------------------------------------- the class grid


async def grid_context(
    session: AsyncSession,
    *,
    class_id: str,
    scope: str | None,
    person_id: str | None,
    period_id: str | None,
) -> Sequence[Any]:
    """Everything the grid decides on, in one statement:
    `class` (id, s1 name, s2 school, s3 year, s4 class teacher);
    `teach` (s1 subject, s2 group): the asker's (`person_id`) assignments in the class;
    with `period_id`: `period` (id, s1 year, d1 starts, d2 ends) within `scope`;
    without: `year` (id, d1 starts, d2 ends), `school` (s1 zone) and the year's `periods`
    (id, s1 kind, d1 starts, d2 ends)."""
    query = _grid_context(scope is not None, person_id is not None, period_id is not None)
    params = {"class_id": class_id, "scope": scope, "person_id": person_id, "period_id": period_id}
    return await _rows(session, query, **{k: v for k, v in params.items() if v is not None})


@cache
def _grid_context(scoped: bool, asker: bool, period: bool) -> Any:
    klass = select(SchoolClass).where(SchoolClass.id == _p("class_id"))
    if scoped:
        klass = klass.where(SchoolClass.school_id == _p("scope"))
    c = klass.subquery()
    branches = [
        _branch("class", id=c.c.id, s1=c.c.name, s2=c.c.school_id, s3=c.c.year_id,
                s4=c.c.class_teacher_id).select_from(c)
    ]  # fmt: skip
    if asker:
        a = TeachingAssignment
        branches.append(
            _branch("teach", id=a.id, s1=a.subject_id, s2=a.group_id)
            .join_from(a, c, and_(c.c.id == a.class_id, c.c.school_id == a.school_id))
            .where(a.teacher_id == _p("person_id"))
        )
    if period:
        row = _branch(
            "period", id=Period.id, s1=Period.year_id, d1=Period.starts_on, d2=Period.ends_on
        ).where(Period.id == _p("period_id"))
        if scoped:
            row = row.where(Period.school_id == _p("scope"))
        branches.append(row)
    else:
        year = _branch(
            "year", id=SchoolYear.id, d1=SchoolYear.starts_on, d2=SchoolYear.ends_on
        ).join_from(SchoolYear, c, c.c.year_id == SchoolYear.id)
        if scoped:
            year = year.where(SchoolYear.school_id == _p("scope"))
        branches += [
            year,
            _branch("school", id=School.id, s1=School.timezone).join_from(
                School, c, c.c.school_id == School.id
            ),
            _branch("periods", id=Period.id, s1=Period.kind, d1=Period.starts_on, d2=Period.ends_on)
            .join_from(Period, c, c.c.year_id == Period.year_id)
            .where(Period.kind.in_(PERIOD_KINDS)),
        ]  # fmt: skip
    return _ordered(*branches)


async def grid_rows(
    session: AsyncSession,
    *,
    class_id: str,
    school_id: str,
    start: dt.date,
    end: dt.date,
    subjects: Iterable[str] | None,
    period_id: str | None,
) -> Sequence[Any]:
    """Every row of a grid, in one statement, each kind in its order:
    `student` (id = enrolment, s1 student, s2 last, s3 first, s4 middle name; by d1 from);
    `lesson` (see `_lesson_branch`; by d1 date, n1 number);
    `mark` (id, s1 lesson, s2 student, s3 work type, s4 comment, n2 value, w weight; by at);
    `presence` (attendance: id, s1 lesson, s2 student, s3 status, s4 reason);
    `pm` (id, s1 subject, s2 student, s3 value): the period's marks (with `period_id`)."""
    params: dict[str, Any] = {
        "class_id": class_id,
        "school_id": school_id,
        "start": start,
        "end": end,
    }
    if subjects is not None:
        params["subjects"] = sorted(set(subjects))
    if period_id is not None:
        params["period_id"] = period_id
    query = _grid_rows(subjects is not None, period_id is not None)
    return await _rows(session, query, **params)


@cache
def _grid_rows(by_subject: bool, period: bool) -> Any:
    in_class = [
        Lesson.class_id == _p("class_id"),
        Lesson.date >= _p("start", Date()),
        Lesson.date <= _p("end", Date()),
    ]
    if by_subject:
        in_class.append(Lesson.subject_id.in_(_p("subjects", many=True)))
    in_range = select(Lesson.id).where(*in_class).scalar_subquery()
    person = and_(Person.id == Enrolment.student_id, Person.school_id == _p("school_id"))
    branches = [
        _branch("student", id=Enrolment.id, s1=Enrolment.student_id, s2=Person.last_name,
                s3=Person.first_name, s4=Person.middle_name, d1=Enrolment.from_on)
        .select_from(Enrolment)
        .outerjoin(Person, person)
        .where(Enrolment.class_id == _p("class_id"), _active_between()),
        _lesson_branch().where(*in_class),
        _branch("mark", id=Mark.id, s1=Mark.lesson_id, s2=Mark.student_id, s3=Mark.work_type,
                s4=Mark.comment, n2=Mark.value, w=Mark.weight, at=Mark.created_at)
        .where(Mark.lesson_id.in_(in_range), Mark.status == "active"),
        _branch("presence", id=Attendance.id, s1=Attendance.lesson_id, s2=Attendance.student_id,
                s3=Attendance.status, s4=Attendance.reason)
        .where(Attendance.lesson_id.in_(in_range)),
    ]  # fmt: skip
    if period:
        pm = _branch(
            "pm", id=PeriodMark.id, s1=PeriodMark.subject_id, s2=PeriodMark.student_id,
            s3=PeriodMark.value,
        ).where(PeriodMark.period_id == _p("period_id"), PeriodMark.class_id == _p("class_id"))  # fmt: skip
        if by_subject:
            pm = pm.where(PeriodMark.subject_id.in_(_p("subjects", many=True)))
        branches.append(pm)
    return _ordered(*branches)


def _lesson_branch(subject: Any = None) -> Any:
    """`lesson`: id, s1 subject, s2 group, s3 teacher, s4 substitute, s5 topic, s6 homework,
    s7 class, s8 the subject's name (if `subject` is given), d1 date, n1 number, flag homework
    late."""
    return _branch(
        "lesson",
        id=Lesson.id,
        s1=Lesson.subject_id,
        s2=Lesson.group_id,
        s3=Lesson.teacher_id,
        s4=Lesson.substitute_id,
        s5=Lesson.topic,
        s6=Lesson.homework,
        s7=Lesson.class_id,
        s8=subject,
        d1=Lesson.date,
        n1=Lesson.number,
        flag=Lesson.homework_late,
    )


# ---------------------------------------------------------------- the diary


async def diary_context(
    session: AsyncSession,
    *,
    student_id: str,
    school_id: str | None,
    person_id: str | None,
    teacher: bool,
) -> Sequence[Any]:
    """Everything the diary decides on, in one statement (`school_id` None: the student's own):
    `student` (id, s1 kind, s2 school); `school` (id, s1 zone);
    `guardian` (id = student) if the asker (`person_id`) is the student's guardian;
    with `teacher`: `taught` (id = class) where the asker teaches or leads a class;
    `enrol` (id, s1 class, d1 from, d2 until): every enrolment of the student in the school;
    `group` (id = group): the student's subgroups."""
    params = {"student_id": student_id, "school_id": school_id, "person_id": person_id}
    query = _diary_context(school_id is not None, person_id is not None, teacher)
    return await _rows(session, query, **{k: v for k, v in params.items() if v is not None})


@cache
def _diary_context(school_given: bool, asker: bool, teacher: bool) -> Any:
    student_id = _p("student_id")
    school: Any = (
        _p("school_id")
        if school_given
        else select(Person.school_id).where(Person.id == student_id).scalar_subquery()
    )
    student = _branch("student", id=Person.id, s1=Person.kind, s2=Person.school_id).where(
        Person.id == student_id
    )
    if school_given:
        student = student.where(Person.school_id == school)
    branches = [
        student,
        _branch("school", id=School.id, s1=School.timezone).where(School.id == school),
        _branch("enrol", id=Enrolment.id, s1=Enrolment.class_id, d1=Enrolment.from_on,
                d2=Enrolment.until_on)
        .where(Enrolment.school_id == school, Enrolment.student_id == student_id),
        _branch("group", id=GroupMember.group_id)
        .where(GroupMember.school_id == school, GroupMember.student_id == student_id),
    ]  # fmt: skip
    if asker:
        person_id = _p("person_id")
        branches.append(
            _branch("guardian", id=Guardianship.student_id).where(
                Guardianship.school_id == school,
                Guardianship.parent_id == person_id,
                Guardianship.student_id == student_id,
            )
        )
        if teacher:
            a = TeachingAssignment
            branches += [
                _branch("taught", id=a.class_id).where(
                    a.school_id == school, a.teacher_id == person_id
                ),
                _branch("taught", id=SchoolClass.id).where(
                    SchoolClass.school_id == school, SchoolClass.class_teacher_id == person_id
                ),
            ]
    return _ordered(*branches)


async def diary_rows(
    session: AsyncSession,
    *,
    student_id: str,
    class_ids: Iterable[str],
    start: dt.date,
    end: dt.date,
) -> Sequence[Any]:
    """Every row of a diary, in one statement: the classes' `lesson`s of the range (with s8
    the subject's name), and the student's active `mark`s and `presence` (attendance) at them."""
    params = {"student_id": student_id, "classes": sorted(set(class_ids))}
    return await _rows(session, _diary_rows(), start=start, end=end, **params)


@cache
def _diary_rows() -> Any:
    student_id = _p("student_id")
    in_range = and_(
        Lesson.class_id.in_(_p("classes", many=True)),
        Lesson.date >= _p("start", Date()),
        Lesson.date <= _p("end", Date()),
    )
    lesson_ids = select(Lesson.id).where(in_range).scalar_subquery()
    lessons = (
        _lesson_branch(subject=Subject.name)
        .select_from(Lesson)
        .outerjoin(Subject, Subject.id == Lesson.subject_id)
        .where(in_range)
    )
    return _ordered(
        lessons,
        _branch("mark", id=Mark.id, s1=Mark.lesson_id, s2=Mark.student_id,
                s3=Mark.work_type, s4=Mark.comment, n2=Mark.value, w=Mark.weight,
                at=Mark.created_at)
        .where(Mark.lesson_id.in_(lesson_ids), Mark.student_id == student_id,
               Mark.status == "active"),
        _branch("presence", id=Attendance.id, s1=Attendance.lesson_id, s2=Attendance.student_id,
                s3=Attendance.status, s4=Attendance.reason)
        .where(Attendance.lesson_id.in_(lesson_ids), Attendance.student_id == student_id),
    )  # fmt: skip


# ---------------------------------------------------------------- a teacher's day


async def teacher_day_context(
    session: AsyncSession, *, school_id: str, teacher_id: str
) -> Sequence[Any]:
    """`school` (id, s1 zone) and `teacher` (id, s1 kind, s2 roles) within the school."""
    return await _rows(session, _teacher_day_context(), school_id=school_id, teacher_id=teacher_id)


@cache
def _teacher_day_context() -> Any:
    school_id = _p("school_id")
    return _ordered(
        _branch("school", id=School.id, s1=School.timezone).where(School.id == school_id),
        _branch("teacher", id=Person.id, s1=Person.kind, s2=Person.roles).where(
            Person.id == _p("teacher_id"), Person.school_id == school_id
        ),
    )


async def teacher_day(
    session: AsyncSession, *, school_id: str, teacher_id: str, day: dt.date
) -> Sequence[Any]:
    """The lessons the teacher gives on `day`, in one statement: their own (unless handed to a
    substitute) and those they substitute, each with its class, subject, bell times and three
    counts over the students expected at it (enrolled in the class that day, and in the lesson's
    group if it has one): `expected`, `with_attendance` (an attendance entry) and `with_marks`
    (an active mark). Ordered by lesson number, then class name."""
    return await _rows(session, _teacher_day(), school_id=school_id, teacher_id=teacher_id, day=day)


@cache
def _teacher_day() -> Any:
    e = Enrolment
    teacher_id = _p("teacher_id")

    def there(model: Any, *conditions: Any) -> Any:
        """A row of `model` for this lesson's student (correlated through two levels)."""
        return select(literal(1)).where(*conditions).correlate_except(model).exists()

    expected = [
        e.class_id == Lesson.class_id,
        e.from_on <= Lesson.date,
        or_(e.until_on.is_(None), e.until_on > Lesson.date),
        or_(
            Lesson.group_id.is_(None),
            there(GroupMember, GroupMember.group_id == Lesson.group_id,
                  GroupMember.student_id == e.student_id),
        ),
    ]  # fmt: skip
    attended = there(
        Attendance, Attendance.lesson_id == Lesson.id, Attendance.student_id == e.student_id
    )
    marked = there(
        Mark, Mark.lesson_id == Lesson.id, Mark.student_id == e.student_id, Mark.status == "active"
    )

    def students(*conditions: Any) -> Any:
        count = func.count(func.distinct(e.student_id))
        return select(count).where(*expected, *conditions).correlate_except(e).scalar_subquery()

    return (
        select(
            Lesson.id,
            Lesson.class_id,
            SchoolClass.name.label("class_name"),
            Lesson.subject_id,
            Subject.name.label("subject"),
            Lesson.group_id,
            Lesson.number,
            Bell.starts_at,
            Bell.ends_at,
            Lesson.teacher_id,
            Lesson.substitute_id,
            Lesson.topic,
            Lesson.homework,
            students().label("expected"),
            students(attended).label("attendance"),
            students(marked).label("marks"),
        )
        .join(SchoolClass, SchoolClass.id == Lesson.class_id)
        .outerjoin(Subject, Subject.id == Lesson.subject_id)
        .outerjoin(Bell, and_(Bell.school_id == Lesson.school_id, Bell.number == Lesson.number))
        .where(
            Lesson.school_id == _p("school_id"),
            Lesson.date == _p("day", Date()),
            or_(
                Lesson.substitute_id == teacher_id,
                and_(Lesson.teacher_id == teacher_id, Lesson.substitute_id.is_(None)),
            ),
        )
        .order_by(Lesson.number, SchoolClass.name, Lesson.id)
    )
