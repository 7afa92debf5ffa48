"""Reading the journal: a class's grid (ClassJournal), a student's diary (Diary, R-REC-1) and a
mark's history. The grid and the diary read in two statements each (`repository.reads`:
what the access decision needs, then every row), whatever the class size; the policy decides
on those facts as it always did."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from kit.clock import school_not_known
from kit.errors import Forbidden, Invalid, NotFound
from services.journal import policy
from services.journal.models import Lesson, Mark, PeriodMark, SchoolClass
from services.journal.repository import assignments as assignments_repo
from services.journal.repository import enrolments as enrolments_repo
from services.journal.repository import guardianships, reads
from services.journal.repository import history as history_repo
from services.journal.service.context import Ctx
from services.journal.service.history import loads
from services.journal.service.loading import load
from services.journal.service.school_settings import SERVICE, school_today
from services.journal.service.teaching import teaching

MAX_DIARY_DAYS = 92


async def readable_subjects(ctx: Ctx, school_class: SchoolClass) -> set[str] | None:
    """R-REC-3, R-REC-4: the class's subjects the asker reads (None: all); a leader's
    answer needs no lookup of what they teach."""
    if policy.reads_whole_school(ctx.actor):
        return None
    return policy.readable_subjects(ctx.actor, await teaching(ctx, school_class))


def _facts(rows: Any) -> dict[str, list[Any]]:
    """The first statement's rows by kind."""
    by_kind: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        by_kind[row[0]].append(row)
    return by_kind


def _one(facts: dict[str, list[Any]], kind: str) -> Any:
    found = facts.get(kind)
    return found[0] if found else None


def _zone(facts: dict[str, list[Any]], school_id: str) -> str:
    school = _one(facts, "school")
    if school is None:
        raise school_not_known(school_id, SERVICE)
    return str(school.s1)


def _current_period(periods: list[Any], today: dt.date) -> Any:
    """The quarter (trimester, half) containing today: the earliest to start, a quarter before
    a trimester before a half starting the same day."""
    containing = [p for p in periods if p.d1 <= today <= p.d2]
    if not containing:
        return None
    return min(containing, key=lambda p: (p.d1, reads.PERIOD_KINDS.index(p.s1), p.id))


async def class_journal(
    ctx: Ctx, class_id: str, subject_id: str | None, period_id: str | None
) -> dict[str, Any]:
    """Lessons as columns, students as rows, marks and attendance in cells, period marks last.
    Two statements: what the decision needs (the class, the asker's assignments in it, the
    period or the year, the school's zone), then every row of the grid."""
    actor = ctx.actor
    leader = policy.reads_whole_school(actor)
    facts = _facts(
        await reads.grid_context(
            ctx.session,
            class_id=class_id,
            scope=ctx.scope,
            person_id=None if leader else actor.person_id,
            period_id=period_id,
        )
    )
    klass = _one(facts, "class")
    if klass is None:
        raise NotFound("no such class", code="class_not_found")
    class_name, school_id, year_id, class_teacher = klass.s1, klass.s2, klass.s3, klass.s4
    readable = None
    if not leader:  # R-REC-3, R-REC-4: what the asker teaches here, or the class they lead
        teaching = policy.Teaching(
            frozenset((r.s1, r.s2) for r in facts.get("teach", ())),
            is_class_teacher=actor.person_id is not None and class_teacher == actor.person_id,
        )
        readable = policy.readable_subjects(actor, teaching)
    if subject_id is not None and readable is not None and subject_id not in readable:
        raise Forbidden("you do not teach this subject in this class", code="not_your_class")
    subjects = [subject_id] if subject_id is not None else readable
    period, start, end = _grid_range(ctx, facts, period_id, school_id, year_id)
    rows = await reads.grid_rows(
        ctx.session,
        class_id=class_id,
        school_id=school_id,
        start=start,
        end=end,
        subjects=subjects,
        period_id=period,
    )
    return _grid(klass.id, class_name, subject_id, period, start, end, rows)


def _grid_range(
    ctx: Ctx, facts: dict[str, list[Any]], period_id: str | None, school_id: str, year_id: str
) -> tuple[str | None, dt.date, dt.date]:
    """The period asked for (of the class's year), else the one containing the school's today,
    else the whole year."""
    if period_id is not None:
        period = _one(facts, "period")
        if period is None:
            raise NotFound("no such period", code="period_not_found")
        if period.s1 != year_id:
            raise Invalid("the period is not of the class's year", code="period_mismatch")
        return period.id, period.d1, period.d2
    year = _one(facts, "year")
    if year is None:
        raise NotFound("no such year", code="year_not_found")
    current = _current_period(facts.get("periods", []), ctx.today(_zone(facts, school_id)))
    if current is not None:
        return current.id, current.d1, current.d2
    return None, year.d1, year.d2


def _grid(
    class_id: str,
    class_name: str,
    subject_id: str | None,
    period_id: str | None,
    start: dt.date,
    end: dt.date,
    rows: Any,
) -> dict[str, Any]:
    """The grid's body from the second statement's rows (each kind in its order), with the
    response model's keys in its order."""
    names: dict[str, str] = {}
    lessons: list[dict[str, Any]] = []
    cells: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    period_marks: dict[str, dict[str, Any]] = defaultdict(dict)
    for kind, id_, s1, s2, s3, s4, s5, s6, _, _, n1, n2, w, d1, _, flag, _ in rows:
        if kind == "mark":
            cell = cells[s2].get(s1)
            if cell is None:
                cell = cells[s2][s1] = {"marks": [], "attendance": None}
            cell["marks"].append(
                {"id": id_, "value": n2, "work_type": s3, "weight": float(w), "comment": s4}
            )
        elif kind == "presence":
            cell = cells[s2].get(s1)
            if cell is None:
                cell = cells[s2][s1] = {"marks": [], "attendance": None}
            cell["attendance"] = {"id": id_, "status": s3, "reason": s4}
        elif kind == "lesson":
            lessons.append(
                {
                    "id": id_,
                    "date": d1,
                    "number": n1,
                    "subject_id": s1,
                    "group_id": s2,
                    "teacher_id": s3,
                    "substitute_id": s4,
                    "topic": s5,
                    "homework": s6,
                    "homework_late": bool(flag),
                }
            )
        elif kind == "student":
            if s1 not in names:
                names[s1] = " ".join(p for p in (s2, s3, s4) if p)
        elif kind == "pm":
            period_marks[s2][s1] = {"id": id_, "value": s3}
    return {
        "class_id": class_id,
        "class_name": class_name,
        "subject_id": subject_id,
        "period_id": period_id,
        "from": start,
        "to": end,
        "lessons": lessons,
        "students": [
            {
                "id": s,
                "name": name,
                "cells": cells.get(s, {}),
                "period_marks": period_marks.get(s, {}),
            }
            for s, name in names.items()
        ],
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


def _enrolled_between(enrolments: list[Any], start: dt.date, end: dt.date) -> list[Any]:
    """Enrolment rows (`enrol`: s1 class, d1 from, d2 until, the end excluded) active at some
    day of the range."""
    return [e for e in enrolments if e.d1 <= end and (e.d2 is None or e.d2 > start)]


async def diary(
    ctx: Ctx, student_id: str, start: dt.date | None, end: dt.date | None
) -> dict[str, Any]:
    """R-REC-1: what the teachers entered, as it is now: days, lessons, topics, homework,
    marks, attendance. Two statements: the student, the school's zone, the asker's
    guardianship or teaching and the student's enrolments and groups; then the lessons of the
    range with the student's marks and attendance."""
    actor = ctx.actor
    teacher = actor.person_id is not None and actor.has_any("teacher")
    facts = _facts(
        await reads.diary_context(
            ctx.session,
            student_id=student_id,
            school_id=actor.school_id,
            person_id=actor.person_id,
            teacher=teacher,
        )
    )
    student = _one(facts, "student")
    if student is None or (actor.school_id is not None and student.s1 != "student"):
        raise NotFound("no such student", code="student_not_found")
    school_id = actor.school_id or str(student.s2)
    enrolments = facts.get("enrol", [])
    is_guardian = "guardian" in facts
    teaches = False
    if teacher and not is_guardian:  # R-REC-3: a class they teach or lead, this past year
        today = ctx.today(_zone(facts, school_id))
        around = _enrolled_between(enrolments, today - dt.timedelta(days=366), today)
        taught = {r.id for r in facts.get("taught", ())}
        teaches = bool(taught & {e.s1 for e in around})
    policy.may_read_diary(actor, student_id, is_guardian=is_guardian, teaches_student=teaches)
    today = ctx.today(_zone(facts, school_id))
    start = start or today - dt.timedelta(days=today.weekday())
    end = end or start + dt.timedelta(days=6)
    if end < start or (end - start).days > MAX_DIARY_DAYS:
        raise Invalid(f"a diary spans 1 to {MAX_DIARY_DAYS} days", code="invalid_range")
    enrolled = _enrolled_between(enrolments, start, end)
    rows: Any = ()
    if enrolled:
        rows = await reads.diary_rows(
            ctx.session,
            student_id=student_id,
            class_ids={e.s1 for e in enrolled},
            start=start,
            end=end,
        )
    groups = {r.id for r in facts.get("group", ())}
    return _diary(student_id, start, end, rows, enrolled, groups)


def _diary(
    student_id: str,
    start: dt.date,
    end: dt.date,
    rows: Any,
    enrolled: list[Any],
    groups: set[str],
) -> dict[str, Any]:
    """The diary's body: the lessons the student attends (their class that day, their group),
    by day, each with its marks and attendance."""
    marks: dict[str, list[dict[str, Any]]] = defaultdict(list)
    attendance: dict[str, dict[str, Any]] = {}
    lessons = []
    for row in rows:
        if row.kind == "mark":
            marks[row.s1].append(
                {
                    "id": row.id,
                    "value": row.n2,
                    "work_type": row.s3,
                    "weight": float(row.w),
                    "comment": row.s4,
                }
            )
        elif row.kind == "presence":
            attendance[row.s1] = {"id": row.id, "status": row.s3, "reason": row.s4}
        elif _attended(row, enrolled, groups):
            lessons.append(row)
    days: dict[dt.date, list[dict[str, Any]]] = defaultdict(list)
    for x in lessons:
        days[x.d1].append(
            {
                "lesson_id": x.id,
                "number": x.n1,
                "subject_id": x.s1,
                "subject": x.s8 or "",
                "topic": x.s5,
                "homework": x.s6,
                "teacher_id": x.s4 or x.s3,
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


def _attended(lesson: Any, enrolled: list[Any], groups: set[str]) -> bool:
    """A `lesson` row: of a group the student is in (or the whole class), on a day they were
    enrolled in its class."""
    group, class_id, day = lesson.s2, lesson.s7, lesson.d1
    if group is not None and group not in groups:
        return False
    return any(e.s1 == class_id and e.d1 <= day and (e.d2 is None or day < e.d2) for e in enrolled)


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
