"""Journal and identity events → the reports read model (R-RPT-1: in real time).

Each function takes every event of one type from a batch and writes them with one
statement. The envelope's `sequence` (monotonic per aggregate) travels into each row, so an
event older than what a row already holds changes nothing: events may arrive out of order
across and within aggregates. Facts about a class, subject or person whose defining event
has not arrived yet are stored anyway; their names fill in when it comes.

What a producer decided is stored as it said (ARCHITECTURE "One owner per fact"): a mark's
lateness is the journal's `entered_late`, its time of entry the journal's `recorded_at`;
this service never judges either again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.identity import PersonRegistered, PersonUpdated, SchoolRegistered
from contracts.journal import (
    AttendanceMarked,
    ClassOpened,
    EnrolmentChanged,
    LessonCancelled,
    LessonRecorded,
    LessonSlot,
    MarkCancelled,
    MarkCorrected,
    MarkRecorded,
    PeriodDefined,
    PeriodMarkCorrected,
    PeriodMarkSet,
    SubjectDefined,
    YearOpened,
)
from kit.consumer import Item
from kit.events import Envelope
from services.reports.repository import facts

Row = dict[str, Any]


class MissingSchool(ValueError):
    """A school's fact arrived without the school it belongs to: it cannot be placed."""


def school_of(envelope: Envelope) -> str:
    if not envelope.schoolid:
        raise MissingSchool(f"{envelope.type} {envelope.id} carries no schoolid")
    return envelope.schoolid


def seq_of(envelope: Envelope) -> int:
    """The event's place in its aggregate's history; 0 when the producer gave none."""
    return envelope.sequence or 0


async def schools(session: AsyncSession, items: list[Item]) -> None:
    rows = [
        {"school_id": e.school_id, "name": e.name, "timezone": e.timezone, "seq": seq_of(env)}
        for e, env in items
        if isinstance(e, SchoolRegistered)
    ]
    await facts.schools(session, rows)


async def people(session: AsyncSession, items: list[Item]) -> None:
    rows = [
        {
            "person_id": e.person_id,
            "school_id": e.school_id,
            "kind": e.kind,
            "last_name": e.last_name,
            "first_name": e.first_name,
            "middle_name": e.middle_name,
            "roles": ",".join(sorted(e.roles)),
            "seq": seq_of(env),
        }
        for e, env in items
        if isinstance(e, PersonRegistered | PersonUpdated)
    ]
    await facts.people(session, rows)


async def years(session: AsyncSession, items: list[Item]) -> None:
    rows = [
        {
            "year_id": e.year_id,
            "school_id": e.school_id,
            "name": e.name,
            "starts_on": e.starts_on,
            "ends_on": e.ends_on,
            "seq": seq_of(env),
        }
        for e, env in items
        if isinstance(e, YearOpened)
    ]
    await facts.years(session, rows)


async def periods(session: AsyncSession, items: list[Item]) -> None:
    rows = [
        {
            "period_id": e.period_id,
            "school_id": school_of(env),
            "year_id": e.year_id,
            "kind": e.kind,
            "number": e.number,
            "starts_on": e.starts_on,
            "ends_on": e.ends_on,
            "seq": seq_of(env),
        }
        for e, env in items
        if isinstance(e, PeriodDefined)
    ]
    await facts.periods(session, rows)


async def subjects(session: AsyncSession, items: list[Item]) -> None:
    rows = [
        {
            "subject_id": e.subject_id,
            "school_id": school_of(env),
            "name": e.name,
            "seq": seq_of(env),
        }
        for e, env in items
        if isinstance(e, SubjectDefined)
    ]
    await facts.subjects(session, rows)


async def classes(session: AsyncSession, items: list[Item]) -> None:
    rows = [
        {
            "class_id": e.class_id,
            "school_id": school_of(env),
            "year_id": e.year_id,
            "name": e.name,
            "grade": e.grade,
            "class_teacher_id": e.class_teacher_id,
            "seq": seq_of(env),
        }
        for e, env in items
        if isinstance(e, ClassOpened)
    ]
    await facts.classes(session, rows)


async def enrolments(session: AsyncSession, items: list[Item]) -> None:
    rows = [
        {
            "student_id": e.student_id,
            "class_id": e.class_id,
            "date": e.date,
            "change": e.change,
            "school_id": school_of(env),
            "seq": seq_of(env),
        }
        for e, env in items
        if isinstance(e, EnrolmentChanged)
    ]
    await facts.class_stubs(session, facts.distinct(rows, "class_id", "school_id"))
    await facts.enrolments(session, rows)


def _lesson_row(e: LessonSlot, envelope: Envelope) -> Row:
    return {
        "lesson_id": e.lesson_id,
        "school_id": school_of(envelope),
        "class_id": e.class_id,
        "group_id": e.group_id,
        "subject_id": e.subject_id,
        "teacher_id": e.teacher_id,
        "date": e.date,
        "number": e.number,
        "seq": seq_of(envelope),
    }


async def lessons(session: AsyncSession, items: list[Item]) -> None:
    rows = [
        {**_lesson_row(e, env), "topic": e.topic, "homework": e.homework, "cancelled": False}
        for e, env in items
        if isinstance(e, LessonRecorded)
    ]
    await facts.class_stubs(session, facts.distinct(rows, "class_id", "school_id"))
    await facts.lessons(session, rows)


async def lessons_cancelled(session: AsyncSession, items: list[Item]) -> None:
    """A one-off timetable change: the lesson stays as a tombstone the reads never see."""
    rows = [
        {**_lesson_row(e, env), "cancelled": True}
        for e, env in items
        if isinstance(e, LessonCancelled)
    ]
    await facts.lessons(session, rows)


def mark_rows(items: list[Item]) -> list[Row]:
    """R-RPT-2: `late` is the journal's R-MRK-2 decision, `recorded_at` its instant of entry."""
    rows = []
    for e, env in items:
        if not isinstance(e, MarkRecorded):
            continue
        seq = seq_of(env)
        rows.append(
            {
                "mark_id": e.mark_id,
                "school_id": school_of(env),
                "lesson_id": e.lesson_id,
                "student_id": e.student_id,
                "class_id": e.class_id,
                "subject_id": e.subject_id,
                "period_id": e.period_id,
                "teacher_id": e.teacher_id,
                "work_type": e.work_type,
                "date": e.date,
                "recorded_at": e.recorded_at,
                "late": e.entered_late,
                "value": e.value,
                "weight": e.weight,
                "cancelled": False,
                "value_seq": seq,
                "status_seq": seq,
            }
        )
    return rows


async def marks_recorded(session: AsyncSession, items: list[Item]) -> None:
    rows = mark_rows(items)
    await facts.class_stubs(session, facts.distinct(rows, "class_id", "school_id"))
    await facts.marks_recorded(session, rows)


async def marks_corrected(session: AsyncSession, items: list[Item]) -> None:
    """R-MRK-5: the sheet counts a corrected mark at its new value."""
    rows = [
        {
            "mark_id": e.mark_id,
            "school_id": school_of(env),
            "value": e.new_value,
            "value_seq": seq_of(env),
        }
        for e, env in items
        if isinstance(e, MarkCorrected)
    ]
    await facts.marks_corrected(session, rows)


async def marks_cancelled(session: AsyncSession, items: list[Item]) -> None:
    """A cancelled mark no longer counts anywhere."""
    rows = [
        {"mark_id": e.mark_id, "school_id": school_of(env), "status_seq": seq_of(env)}
        for e, env in items
        if isinstance(e, MarkCancelled)
    ]
    await facts.marks_cancelled(session, rows)


async def attendance(session: AsyncSession, items: list[Item]) -> None:
    rows = [
        {
            "lesson_id": e.lesson_id,
            "student_id": e.student_id,
            "school_id": school_of(env),
            "status": e.status,
            "reason": e.reason,
            "seq": seq_of(env),
        }
        for e, env in items
        if isinstance(e, AttendanceMarked)
    ]
    await facts.attendance(session, rows)


async def period_marks(session: AsyncSession, items: list[Item]) -> None:
    """R-MRK-6/7: the newest period mark of a student in a subject stands."""
    rows = [
        {
            "period_id": e.period_id,
            "class_id": e.class_id,
            "subject_id": e.subject_id,
            "student_id": e.student_id,
            "school_id": school_of(env),
            "period_mark_id": e.period_mark_id,
            "value": e.value,
            "seq": seq_of(env),
        }
        for e, env in items
        if isinstance(e, PeriodMarkSet | PeriodMarkCorrected)
    ]
    await facts.class_stubs(session, facts.distinct(rows, "class_id", "school_id"))
    await facts.period_marks(session, rows)
