"""Journal and identity events → the reports read model (R-RPT-1: in real time).

Every event of one type in a batch becomes a row, and the rows are written with one
statement (`STEPS`: how each type lands, in the order of application inside a batch:
definitions first, then facts, then corrections and cancellations, for events that carry no
sequence). The envelope's `sequence` (monotonic per aggregate) travels into each row, so an
event older than what a row already holds changes nothing: events may arrive out of order
across and within aggregates. Facts about a class, subject or person whose defining event
has not arrived yet are stored anyway; their names fill in when it comes.

What a producer decided is stored as it said (ARCHITECTURE "One owner per fact"): a mark's
lateness is the journal's `entered_late`, its time of entry the journal's `recorded_at`;
this service never judges either again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.identity import PersonRegistered, PersonUpdated, SchoolRegistered, SchoolUpdated
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
from kit.events import Envelope, Event
from kit.usecase import UseCase
from services.reports.repository import facts

Row = dict[str, Any]
Step = Callable[[UseCase, list[Item]], Awaitable[None]]
"""Applies every event of one type in a batch."""


class MissingSchool(ValueError):
    """A school's fact arrived without the school it belongs to: it cannot be placed."""


def school_of(envelope: Envelope) -> str:
    if not envelope.schoolid:
        raise MissingSchool(f"{envelope.type} {envelope.id} carries no schoolid")
    return envelope.schoolid


def seq_of(envelope: Envelope) -> int:
    """The event's place in its aggregate's history; 0 when the producer gave none."""
    return envelope.sequence or 0


def rows_into(
    write: Callable[[AsyncSession, list[Row]], Awaitable[None]],
    row_of: Callable[[Any, Envelope], Row],
    *,
    places_classes: bool = False,
) -> Step:
    """A step writing each event's row with `write`; `places_classes`: the rows name classes
    that may not be known yet, so those are placed in their school first."""

    async def step(uc: UseCase, items: list[Item]) -> None:
        rows = [row_of(event, envelope) for event, envelope in items]
        if places_classes:
            await facts.class_stubs(uc.session, facts.distinct(rows, "class_id", "school_id"))
        await write(uc.session, rows)

    return step


def school_row(e: SchoolRegistered | SchoolUpdated, env: Envelope) -> Row:
    return {"school_id": e.school_id, "name": e.name, "timezone": e.timezone, "seq": seq_of(env)}


def person_row(e: PersonRegistered | PersonUpdated, env: Envelope) -> Row:
    return {
        "person_id": e.person_id,
        "school_id": e.school_id,
        "kind": e.kind,
        "last_name": e.last_name,
        "first_name": e.first_name,
        "middle_name": e.middle_name,
        "roles": ",".join(sorted(e.roles)),
        "seq": seq_of(env),
    }


def year_row(e: YearOpened, env: Envelope) -> Row:
    return {
        "year_id": e.year_id,
        "school_id": e.school_id,
        "name": e.name,
        "starts_on": e.starts_on,
        "ends_on": e.ends_on,
        "seq": seq_of(env),
    }


def period_row(e: PeriodDefined, env: Envelope) -> Row:
    return {
        "period_id": e.period_id,
        "school_id": school_of(env),
        "year_id": e.year_id,
        "kind": e.kind,
        "number": e.number,
        "starts_on": e.starts_on,
        "ends_on": e.ends_on,
        "seq": seq_of(env),
    }


def subject_row(e: SubjectDefined, env: Envelope) -> Row:
    return {
        "subject_id": e.subject_id,
        "school_id": school_of(env),
        "name": e.name,
        "seq": seq_of(env),
    }


def class_row(e: ClassOpened, env: Envelope) -> Row:
    return {
        "class_id": e.class_id,
        "school_id": school_of(env),
        "year_id": e.year_id,
        "name": e.name,
        "grade": e.grade,
        "class_teacher_id": e.class_teacher_id,
        "seq": seq_of(env),
    }


def enrolment_row(e: EnrolmentChanged, env: Envelope) -> Row:
    return {
        "student_id": e.student_id,
        "class_id": e.class_id,
        "date": e.date,
        "change": e.change,
        "school_id": school_of(env),
        "seq": seq_of(env),
    }


def slot_row(e: LessonSlot, env: Envelope) -> Row:
    return {
        "lesson_id": e.lesson_id,
        "school_id": school_of(env),
        "class_id": e.class_id,
        "group_id": e.group_id,
        "subject_id": e.subject_id,
        "teacher_id": e.teacher_id,
        "date": e.date,
        "number": e.number,
        "seq": seq_of(env),
    }


def lesson_row(e: LessonRecorded, env: Envelope) -> Row:
    return {**slot_row(e, env), "topic": e.topic, "homework": e.homework, "cancelled": False}


def cancelled_lesson_row(e: LessonCancelled, env: Envelope) -> Row:
    """A one-off timetable change: the lesson stays as a tombstone the reads never see."""
    return {**slot_row(e, env), "cancelled": True}


def mark_row(e: MarkRecorded, env: Envelope) -> Row:
    """R-RPT-2: `late` is the journal's R-MRK-2 decision, `recorded_at` its instant of entry."""
    seq = seq_of(env)
    return {
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


def corrected_mark_row(e: MarkCorrected, env: Envelope) -> Row:
    """R-MRK-5: the sheet counts a corrected mark at its new value."""
    return {
        "mark_id": e.mark_id,
        "school_id": school_of(env),
        "value": e.new_value,
        "value_seq": seq_of(env),
    }


def cancelled_mark_row(e: MarkCancelled, env: Envelope) -> Row:
    """A cancelled mark no longer counts anywhere."""
    return {"mark_id": e.mark_id, "school_id": school_of(env), "status_seq": seq_of(env)}


def attendance_row(e: AttendanceMarked, env: Envelope) -> Row:
    return {
        "lesson_id": e.lesson_id,
        "student_id": e.student_id,
        "school_id": school_of(env),
        "status": e.status,
        "reason": e.reason,
        "seq": seq_of(env),
    }


def period_mark_row(e: PeriodMarkSet | PeriodMarkCorrected, env: Envelope) -> Row:
    """R-MRK-6/7: the newest period mark of a student in a subject stands."""
    return {
        "period_id": e.period_id,
        "class_id": e.class_id,
        "subject_id": e.subject_id,
        "student_id": e.student_id,
        "school_id": school_of(env),
        "period_mark_id": e.period_mark_id,
        "value": e.value,
        "seq": seq_of(env),
    }


people = rows_into(facts.people, person_row)
period_marks = rows_into(facts.period_marks, period_mark_row, places_classes=True)

STEPS: dict[type[Event], Step] = {
    SchoolRegistered: rows_into(facts.schools, school_row),
    SchoolUpdated: rows_into(facts.schools, school_row),  # the newer sequence wins
    PersonRegistered: people,
    PersonUpdated: people,
    YearOpened: rows_into(facts.years, year_row),
    PeriodDefined: rows_into(facts.periods, period_row),
    SubjectDefined: rows_into(facts.subjects, subject_row),
    ClassOpened: rows_into(facts.classes, class_row),
    EnrolmentChanged: rows_into(facts.enrolments, enrolment_row, places_classes=True),
    LessonRecorded: rows_into(facts.lessons, lesson_row, places_classes=True),
    LessonCancelled: rows_into(facts.lessons, cancelled_lesson_row),
    MarkRecorded: rows_into(facts.marks_recorded, mark_row, places_classes=True),
    AttendanceMarked: rows_into(facts.attendance, attendance_row),
    PeriodMarkSet: period_marks,
    MarkCorrected: rows_into(facts.marks_corrected, corrected_mark_row),
    PeriodMarkCorrected: period_marks,
    MarkCancelled: rows_into(facts.marks_cancelled, cancelled_mark_row),
}
"""How each consumed event type lands in the read model, in the order of application."""
