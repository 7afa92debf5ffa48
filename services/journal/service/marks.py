"""Marks (R-MRK-1…5, R-MRK-8, R-LES-2): a lesson's marks in bulk, corrections, cancellations.

A lesson's marks cost a fixed handful of statements whatever their number: one read for all
the rules need, one INSERT for the marks, one for their outbox rows, and, right before the
commit, the chain's head and the history links (ARCHITECTURE "Known traps";
`tests/test_write_path.py` counts them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from contracts.journal import MarkCancelled, MarkCorrected, MarkRecorded
from kit.clock import school_not_known
from kit.db import new_id, table_of
from kit.errors import Conflict, Invalid, NotFound
from services.journal import policy
from services.journal.models import Lesson, Mark, SchoolClass, SchoolYear
from services.journal.repository import enrolments, groups, mark_entry, school_rows
from services.journal.rules import bells, cut_off, entry_window, school_year, work_types
from services.journal.service import history
from services.journal.service.context import Ctx
from services.journal.service.loading import lesson_with_class, load
from services.journal.service.school_settings import SERVICE, school_today

MARK_PERIOD_KINDS = ("quarter", "trimester", "half")


@dataclass(frozen=True)
class MarkEntry:
    student_id: str
    value: int
    work_type: str
    weight: float | None = None
    comment: str | None = None
    document: str | None = None


def mark_state(mark: Mark | dict[str, Any]) -> dict[str, Any]:
    get = mark.get if isinstance(mark, dict) else lambda k: getattr(mark, k)
    return {"value": get("value"), "status": get("status"), "work_type": get("work_type")}


def recorded_event(mark: Mark | dict[str, Any]) -> MarkRecorded:
    get = mark.get if isinstance(mark, dict) else lambda k: getattr(mark, k)
    return MarkRecorded(
        **{
            k: get(k)
            for k in (
                "lesson_id",
                "student_id",
                "class_id",
                "subject_id",
                "period_id",
                "value",
                "work_type",
                "weight",
                "date",
                "teacher_id",
                "comment",
                "document",
                "entered_late",
            )
        },
        mark_id=get("id"),
        recorded_at=get("created_at"),
    )


async def writable_lesson(ctx: Ctx, lesson_id: str) -> tuple[Lesson, SchoolClass, SchoolYear]:
    """The lesson, if the asker writes in it (R-REC-3, R-REC-7) and its window is open."""
    lesson, school_class, year = await lesson_with_class(ctx, lesson_id)
    school_year.check_open(year)
    policy.may_write_lesson(ctx.actor, lesson.teacher_id, lesson.substitute_id)
    entry_window.check_entry(lesson.date, await school_today(ctx, school_class.school_id))
    return lesson, school_class, year


async def record_marks(ctx: Ctx, lesson_id: str, entries: list[MarkEntry]) -> list[dict[str, Any]]:
    """R-MRK-1…3, R-LES-2, R-MRK-8: all of a lesson's new marks, or none of them.

    One read gathers everything the rules judge by (`repository.mark_entry`); the rules are
    asked in the order `writable_lesson` and the checks below ask them, so a refusal names
    the same first reason. The marks and their events are written next; the history links go
    last (`history.record_last`), so the chain's lock is held for the commit alone."""
    students = [e.student_id for e in entries]
    facts = await mark_entry.mark_entry_facts(
        ctx.session, lesson_id, ctx.scope, students, MARK_PERIOD_KINDS
    )
    if facts is None:
        raise NotFound("no such lesson", code="lesson_not_found")
    school_year.check_open(facts.year)
    policy.may_write_lesson(ctx.actor, facts.teacher_id, facts.substitute_id)
    if facts.timezone is None or facts.mark_cutoff is None:
        raise school_not_known(facts.class_school_id, SERVICE)
    entry_window.check_entry(facts.date, ctx.today(facts.timezone))
    table = work_types.with_school_types(facts.work_types)
    _check_entries(entries, table)
    _check_membership(facts.date, set(students), facts.enrolled, facts.group_id, facts.in_group)
    keys = [(e.student_id, e.work_type) for e in entries]
    work_types.check_no_duplicates(keys)
    work_types.check_no_clash(keys, facts.marked)
    ends = bells.lesson_end(facts.number, facts.bell_ends_at)
    late = cut_off.entered_late(ctx.now, facts.date, facts.mark_cutoff, ends, facts.timezone)
    school_id = facts.class_school_id
    teacher = ctx.actor.person_id or ctx.actor.account_id
    rows = [
        {
            "id": new_id(),
            "school_id": school_id,
            "lesson_id": facts.lesson_id,
            "student_id": e.student_id,
            "class_id": facts.class_id,
            "subject_id": facts.subject_id,
            "period_id": facts.period_id,
            "date": facts.date,
            "value": e.value,
            "work_type": e.work_type,
            "weight": work_types.weight(e.weight, e.work_type, table),
            "comment": e.comment,
            "document": e.document,
            "teacher_id": teacher,
            "status": "active",
            "created_at": ctx.now,
            "entered_late": late,
        }
        for e in entries
    ]
    if not rows:
        return []
    # the table, not the mapped class: a Core INSERT skips the ORM's per-row bulk bookkeeping
    await school_rows.insert_rows(ctx.session, table_of(Mark), rows)
    await ctx.publish(school_id, [recorded_event(r) for r in rows])
    await history.record_last(
        ctx,
        school_id,
        [history.Change("mark", r["id"], "recorded", None, mark_state(r)) for r in rows],
    )
    return rows


def _check_entries(entries: list[MarkEntry], table: dict[str, tuple[str, float]]) -> None:
    """R-LES-2, R-MRK-8 (`rules.work_types`): every type known to the school, every external
    mark with its document."""
    work_types.check_known((e.work_type for e in entries), table)
    for entry in entries:
        work_types.check_document(entry.work_type, entry.document)


async def check_students(ctx: Ctx, lesson: Lesson, students: list[str]) -> None:
    """Every student is in the lesson's class on its day, and in its group if it has one."""
    wanted = set(students)
    enrolled = await enrolments.enrolled_ids(ctx.session, lesson.class_id, lesson.date, wanted)
    in_group: set[str] = set()
    if lesson.group_id is not None:
        in_group = await groups.group_members(ctx.session, lesson.group_id)
    _check_membership(lesson.date, wanted, enrolled, lesson.group_id, in_group)


def _check_membership(
    day: dt.date, wanted: set[str], enrolled: set[str], group_id: str | None, in_group: set[str]
) -> None:
    """422 `student_not_in_class` / `student_not_in_group`, naming the students."""
    missing = sorted(wanted - enrolled)
    if missing:
        raise Invalid(
            f"not in the class on {day.isoformat()}: {', '.join(missing)}",
            code="student_not_in_class",
            student_ids=missing,
        )
    if group_id is not None:
        outside = sorted(wanted - in_group)
        if outside:
            raise Invalid(
                f"not in the lesson's group: {', '.join(outside)}",
                code="student_not_in_group",
                student_ids=outside,
            )


async def _writable_mark(ctx: Ctx, mark_id: str) -> tuple[Mark, SchoolClass]:
    mark = await load(ctx, Mark, mark_id, "mark")
    _, school_class, _ = await writable_lesson(ctx, mark.lesson_id)
    if mark.status != "active":
        raise Conflict("the mark was cancelled", code="mark_cancelled")
    return mark, school_class


async def correct_mark(ctx: Ctx, mark_id: str, value: int, reason: str) -> Mark:
    """R-MRK-5: the lesson's teacher corrects inside the window; the old value is kept."""
    mark, school_class = await _writable_mark(ctx, mark_id)
    if value == mark.value:
        raise Invalid("the mark already has this value", code="unchanged")
    before = mark_state(mark)
    old, mark.value = mark.value, value
    await school_rows.save(ctx.session, mark)
    by = ctx.actor.person_id or ctx.actor.account_id
    await ctx.publish(
        school_class.school_id,
        [
            MarkCorrected(
                mark_id=mark.id, old_value=old, new_value=value, reason=reason, corrected_by=by
            )
        ],
    )
    await history.record(
        ctx,
        school_class.school_id,
        [history.Change("mark", mark.id, "corrected", before, mark_state(mark), reason)],
    )
    return mark


async def cancel_mark(ctx: Ctx, mark_id: str, reason: str) -> Mark:
    """A mark entered in error is cancelled (kept, with its history), inside the window."""
    mark, school_class = await _writable_mark(ctx, mark_id)
    before = mark_state(mark)
    mark.status = "cancelled"
    await school_rows.save(ctx.session, mark)
    by = ctx.actor.person_id or ctx.actor.account_id
    await ctx.publish(
        school_class.school_id, [MarkCancelled(mark_id=mark.id, reason=reason, cancelled_by=by)]
    )
    await history.record(
        ctx,
        school_class.school_id,
        [history.Change("mark", mark.id, "cancelled", before, mark_state(mark), reason)],
    )
    return mark
