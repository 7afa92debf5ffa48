"""Reading the journal: a class's grid (ClassJournal), a student's diary (Diary, R-REC-1) and a
mark's history. Each reads with a fixed number of indexed queries, whatever the class size."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from kit.errors import Forbidden, Invalid, NotFound
from services.journal import policy
from services.journal.models import (
    Lesson,
    Mark,
    Period,
    PeriodMark,
    Person,
    SchoolClass,
    SchoolYear,
)
from services.journal.repository import assignments as assignments_repo
from services.journal.repository import attendance as attendance_repo
from services.journal.repository import enrolments as enrolments_repo
from services.journal.repository import groups as groups_repo
from services.journal.repository import guardianships, people, periods, school_rows
from services.journal.repository import history as history_repo
from services.journal.repository import lessons as lessons_repo
from services.journal.repository import marks as marks_repo
from services.journal.repository import period_marks as period_marks_repo
from services.journal.repository import subjects as subjects_repo
from services.journal.service.context import Ctx
from services.journal.service.history import loads
from services.journal.service.loading import load
from services.journal.service.people import full_name
from services.journal.service.school_settings import school_today
from services.journal.service.teaching import teaching

MAX_DIARY_DAYS = 92


def _mark_out(m: Mark) -> dict[str, Any]:
    return {
        "id": m.id,
        "value": m.value,
        "work_type": m.work_type,
        "weight": m.weight,
        "comment": m.comment,
    }


async def readable_subjects(ctx: Ctx, school_class: SchoolClass) -> set[str] | None:
    """R-REC-3, R-REC-4: the class's subjects the asker reads (None: all); a leader's
    answer needs no lookup of what they teach."""
    if policy.reads_whole_school(ctx.actor):
        return None
    return policy.readable_subjects(ctx.actor, await teaching(ctx, school_class))


async def _range(
    ctx: Ctx, school_class: SchoolClass, period_id: str | None
) -> tuple[Period | None, dt.date, dt.date]:
    if period_id is not None:
        period = await load(ctx, Period, period_id, "period")
        if period.year_id != school_class.year_id:
            raise Invalid("the period is not of the class's year", code="period_mismatch")
        return period, period.starts_on, period.ends_on
    year = await load(ctx, SchoolYear, school_class.year_id, "year")
    today = await school_today(ctx, school_class.school_id)
    current = await periods.period_containing(
        ctx.session, year.id, today, ("quarter", "trimester", "half")
    )
    if current is not None:
        return current, current.starts_on, current.ends_on
    return None, year.starts_on, year.ends_on


async def class_journal(
    ctx: Ctx, class_id: str, subject_id: str | None, period_id: str | None
) -> dict[str, Any]:
    """Lessons as columns, students as rows, marks and attendance in cells, period marks last."""
    school_class = await load(ctx, SchoolClass, class_id, "class")
    readable = await readable_subjects(ctx, school_class)
    if subject_id is not None and readable is not None and subject_id not in readable:
        raise Forbidden("you do not teach this subject in this class", code="not_your_class")
    subjects = [subject_id] if subject_id is not None else readable
    period, start, end = await _range(ctx, school_class, period_id)
    enrolments = await enrolments_repo.enrolled_between(ctx.session, school_class.id, start, end)
    student_ids = list(dict.fromkeys(e.student_id for e in enrolments))
    names = await people.people(ctx.session, school_class.school_id, student_ids)
    lessons = await lessons_repo.lessons_between(
        ctx.session, [school_class.id], start, end, subjects
    )
    lesson_ids = [x.id for x in lessons]
    cells: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for m in await marks_repo.marks_of_lessons(ctx.session, lesson_ids):
        cell = cells[m.student_id].setdefault(m.lesson_id, {"marks": [], "attendance": None})
        cell["marks"].append(_mark_out(m))
    for a in await attendance_repo.attendance_of_lessons(ctx.session, lesson_ids):
        cell = cells[a.student_id].setdefault(a.lesson_id, {"marks": [], "attendance": None})
        cell["attendance"] = {"id": a.id, "status": a.status, "reason": a.reason}
    period_marks: dict[str, dict[str, Any]] = defaultdict(dict)
    if period is not None:
        for pm in await period_marks_repo.period_marks(
            ctx.session, [period.id], school_class.id, subjects
        ):
            period_marks[pm.student_id][pm.subject_id] = {"id": pm.id, "value": pm.value}
    return {
        "class_id": school_class.id,
        "class_name": school_class.name,
        "subject_id": subject_id,
        "period_id": period.id if period else None,
        "from": start,
        "to": end,
        "lessons": [_lesson_out(x) for x in lessons],
        "students": [
            {
                "id": s,
                "name": full_name(names.get(s)),
                "cells": cells.get(s, {}),
                "period_marks": period_marks.get(s, {}),
            }
            for s in student_ids
        ],
    }


def _lesson_out(x: Any) -> dict[str, Any]:
    return {
        "id": x.id,
        "date": x.date,
        "number": x.number,
        "subject_id": x.subject_id,
        "group_id": x.group_id,
        "teacher_id": x.teacher_id,
        "substitute_id": x.substitute_id,
        "topic": x.topic,
        "homework": x.homework,
        "homework_late": x.homework_late,
    }


async def require_diary_reader(ctx: Ctx, school_id: str, student_id: str) -> None:
    """R-REC-2, R-REC-5: the student, their parents, leaders, and those who teach them."""
    actor = ctx.actor
    is_guardian = actor.person_id is not None and await guardianships.is_guardian(
        ctx.session, school_id, actor.person_id, student_id
    )
    teaches = False
    if actor.person_id is not None and actor.has_any("teacher") and not is_guardian:
        today = await school_today(ctx, school_id)
        theirs = await assignments_repo.classes_taught_by(ctx.session, school_id, actor.person_id)
        around = await enrolments_repo.enrolments_of_student(
            ctx.session, school_id, student_id, today - dt.timedelta(days=366), today
        )
        teaches = bool(theirs & {e.class_id for e in around})
    policy.may_read_diary(actor, student_id, is_guardian=is_guardian, teaches_student=teaches)


async def _student_school(ctx: Ctx, student_id: str) -> str:
    school_id = ctx.actor.school_id
    if school_id is None:  # the operator: the student's own school
        person = await school_rows.get(ctx.session, Person, student_id, None)
        if person is None:
            raise NotFound("no such student", code="student_not_found")
        return str(person.school_id)
    found = await people.people(ctx.session, school_id, [student_id])
    if student_id not in found or found[student_id].kind != "student":
        raise NotFound("no such student", code="student_not_found")
    return school_id


async def diary(
    ctx: Ctx, student_id: str, start: dt.date | None, end: dt.date | None
) -> dict[str, Any]:
    """R-REC-1: what the teachers entered, as it is now: days, lessons, topics, homework,
    marks, attendance."""
    school_id = await _student_school(ctx, student_id)
    await require_diary_reader(ctx, school_id, student_id)
    today = await school_today(ctx, school_id)
    start = start or today - dt.timedelta(days=today.weekday())
    end = end or start + dt.timedelta(days=6)
    if end < start or (end - start).days > MAX_DIARY_DAYS:
        raise Invalid(f"a diary spans 1 to {MAX_DIARY_DAYS} days", code="invalid_range")
    enrolments = await enrolments_repo.enrolments_of_student(
        ctx.session, school_id, student_id, start, end
    )
    groups = await groups_repo.groups_of_student(ctx.session, school_id, student_id)
    lessons = [
        x
        for x in await lessons_repo.lessons_between(
            ctx.session, list({e.class_id for e in enrolments}), start, end
        )
        if _attended(x, enrolments, groups)
    ]
    ids = [x.id for x in lessons]
    marks: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in await marks_repo.marks_of_lessons(ctx.session, ids, student_id):
        marks[m.lesson_id].append(_mark_out(m))
    attendance = {
        a.lesson_id: {"id": a.id, "status": a.status, "reason": a.reason}
        for a in await attendance_repo.attendance_of_lessons(ctx.session, ids, student_id)
    }
    subjects = await subjects_repo.subject_names(ctx.session, {x.subject_id for x in lessons})
    days: dict[dt.date, list[dict[str, Any]]] = defaultdict(list)
    for x in lessons:
        days[x.date].append(
            {
                "lesson_id": x.id,
                "number": x.number,
                "subject_id": x.subject_id,
                "subject": subjects.get(x.subject_id, ""),
                "topic": x.topic,
                "homework": x.homework,
                "teacher_id": x.substitute_id or x.teacher_id,
                "marks": marks.get(x.id, []),
                "attendance": attendance.get(x.id),
            }
        )
    return {
        "student_id": student_id,
        "from": start,
        "to": end,
        "days": [{"date": d, "lessons": days[d]} for d in sorted(days)],
    }


def _attended(lesson: Any, enrolments: list[Any], groups: set[str]) -> bool:
    if lesson.group_id is not None and lesson.group_id not in groups:
        return False
    return any(
        e.class_id == lesson.class_id
        and e.from_on <= lesson.date
        and (e.until_on is None or lesson.date < e.until_on)
        for e in enrolments
    )


async def mark_history(ctx: Ctx, mark_id: str) -> dict[str, Any]:
    """The mark and every change to it (R-MRK-5: the old value stays in the history)."""
    mark = await load(ctx, Mark, mark_id, "mark")
    school_class = await load(ctx, SchoolClass, mark.class_id, "class")
    try:
        readable = await readable_subjects(ctx, school_class)
        if readable is not None and mark.subject_id not in readable:
            raise Forbidden("not your subject", code="not_your_class")
    except Forbidden:
        await require_diary_reader(ctx, school_class.school_id, mark.student_id)
    links = await history_repo.of_entity(ctx.session, school_class.school_id, mark.id)
    return {
        "mark_id": mark.id,
        "value": mark.value,
        "status": mark.status,
        "history": [
            {
                "at": link.at,
                "by": link.person_id or link.account_id,
                "action": link.action,
                "old_value": (loads(link.before) or {}).get("value"),
                "new_value": (loads(link.after) or {}).get("value"),
                "reason": link.reason,
                "invalid": link.invalid,
            }
            for link in links
        ],
    }


async def period_mark_history(ctx: Ctx, period_mark_id: str) -> dict[str, Any]:
    """R-MRK-6: a period mark's changes with the explanatory notes shown."""
    row = await load(ctx, PeriodMark, period_mark_id, "period_mark")
    school_class = await load(ctx, SchoolClass, row.class_id, "class")
    try:
        await readable_subjects(ctx, school_class)
    except Forbidden:
        await require_diary_reader(ctx, school_class.school_id, row.student_id)
    links = await history_repo.of_entity(ctx.session, school_class.school_id, row.id)
    return {
        "period_mark_id": row.id,
        "value": row.value,
        "history": [
            {
                "at": link.at,
                "by": link.person_id or link.account_id,
                "action": link.action,
                "old_value": (loads(link.before) or {}).get("value"),
                "new_value": (loads(link.after) or {}).get("value"),
                "reason": link.reason,
                "note": loads(link.note),
                "invalid": link.invalid,
            }
            for link in links
        ],
    }


async def class_journal_access(ctx: Ctx, class_id: str, subject_id: str) -> None:
    """R-REC-3, R-REC-4: leaders and the class teacher read all, a subject teacher their own."""
    school_class = await load(ctx, SchoolClass, class_id, "class")
    readable = await readable_subjects(ctx, school_class)
    if readable is not None and subject_id not in readable:
        raise Forbidden("you do not teach this subject in this class", code="not_your_class")


async def lesson(ctx: Ctx, lesson_id: str) -> Lesson:
    """A lesson, for those who read its subject in its class."""
    found = await load(ctx, Lesson, lesson_id, "lesson")
    await class_journal_access(ctx, found.class_id, found.subject_id)
    return found
