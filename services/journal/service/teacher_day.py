"""A teacher's day ("my day"): the lessons they give on a date, across all classes (their own,
unless handed to a substitute, and those they substitute, R-REC-7), each with what its record
still lacks: the daily filling of the journal (R-LES-1 topic, R-LES-3 homework, R-LES-4
attendance, R-MRK-2 marks the same day). Two statements: the school's zone with the teacher,
then the lessons with their counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kit.clock import school_not_known
from kit.errors import NotFound
from services.journal import policy
from services.journal.repository import reads
from services.journal.service.context import Ctx
from services.journal.service.school_settings import SERVICE


async def teacher_day(ctx: Ctx, teacher_id: str | None, day: dt.date | None) -> dict[str, Any]:
    """`teacher_id` None: the asker's own day. `day` None: the school's today."""
    actor = ctx.actor
    if teacher_id is None:
        policy.may_read_own_day(actor)
        teacher_id = str(actor.person_id)
    school_id = actor.school_id
    if school_id is None:
        raise NotFound("no such teacher", code="teacher_not_found")
    facts = {r.kind: r for r in await reads.teacher_day_context(
        ctx.session, school_id=school_id, teacher_id=teacher_id
    )}  # fmt: skip
    teacher = facts.get("teacher")
    if teacher is None or teacher.s1 != "staff":
        raise NotFound("no such teacher", code="teacher_not_found")
    policy.may_read_teacher_day(actor, teacher_id)
    if day is None:
        school = facts.get("school")
        if school is None:
            raise school_not_known(school_id, SERVICE)
        day = ctx.today(school.s1)
    rows = await reads.teacher_day(ctx.session, school_id=school_id, teacher_id=teacher_id, day=day)
    return {
        "teacher_id": teacher_id,
        "date": day,
        "lessons": [_lesson(day, row) for row in rows],
    }


def missing(
    topic: str | None, homework: str | None, students: int, attended: int, marked: int
) -> list[str]:
    """What a lesson's record still lacks: a topic or homework that is none or blank, the
    attendance when no expected student has an entry, the marks when none has an active mark
    (an empty class lacks neither)."""
    lacks = []
    if not (topic or "").strip():
        lacks.append("topic")
    if not (homework or "").strip():
        lacks.append("homework")
    if students and not attended:
        lacks.append("attendance")
    if students and not marked:
        lacks.append("marks")
    return lacks


def _lesson(day: dt.date, row: Any) -> dict[str, Any]:
    students, attended, marked = row.expected or 0, row.attendance or 0, row.marks or 0
    return {
        "lesson_id": row.id,
        "date": day,
        "number": row.number,
        "starts_at": row.starts_at,
        "ends_at": row.ends_at,
        "class_id": row.class_id,
        "class_name": row.class_name,
        "subject_id": row.subject_id,
        "subject": row.subject or "",
        "group_id": row.group_id,
        "teacher_id": row.teacher_id,
        "substitute_id": row.substitute_id,
        "topic": row.topic,
        "homework": row.homework,
        "students": students,
        "without_attendance": students - attended,
        "without_marks": students - marked,
        "missing": missing(row.topic, row.homework, students, attended, marked),
    }
