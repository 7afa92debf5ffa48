"""Marks (R-MRK-1…5, R-MRK-8, R-LES-2): a lesson's marks in bulk, corrections, cancellations.

A lesson's marks cost a fixed handful of statements whatever their number: one INSERT for the
marks, one for their outbox rows, one for their history links (ARCHITECTURE "Known traps").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contracts.journal import MarkCancelled, MarkCorrected, MarkRecorded
from kit.db import new_id
from kit.errors import Conflict, Invalid
from services.journal import policy
from services.journal.models import Lesson, Mark, SchoolClass, SchoolYear
from services.journal.repository import bells as bells_repo
from services.journal.repository import enrolments, groups, periods, school_rows
from services.journal.repository import marks as marks_repo
from services.journal.rules import bells, cut_off, entry_window, school_year, work_types
from services.journal.service import history
from services.journal.service.context import Ctx
from services.journal.service.loading import lesson_with_class, load
from services.journal.service.school_settings import school_settings, school_today
from services.journal.service.year import work_type_table

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
    """R-MRK-1…3, R-LES-2, R-MRK-8: all of a lesson's new marks, or none of them."""
    lesson, school_class, year = await writable_lesson(ctx, lesson_id)
    table = await _check_work_types(ctx, school_class.school_id, entries)
    await check_students(ctx, lesson, [e.student_id for e in entries])
    await _check_duplicates(ctx, lesson, entries)
    period = await periods.period_containing(ctx.session, year.id, lesson.date, MARK_PERIOD_KINDS)
    late = await entered_late(ctx, lesson)
    rows = [
        {
            "id": new_id(),
            "school_id": school_class.school_id,
            "lesson_id": lesson.id,
            "student_id": e.student_id,
            "class_id": school_class.id,
            "subject_id": lesson.subject_id,
            "period_id": period.id if period else None,
            "date": lesson.date,
            "value": e.value,
            "work_type": e.work_type,
            "weight": work_types.weight(e.weight, e.work_type, table),
            "comment": e.comment,
            "document": e.document,
            "teacher_id": ctx.actor.person_id or ctx.actor.account_id,
            "status": "active",
            "created_at": ctx.now,
            "entered_late": late,
        }
        for e in entries
    ]
    if not rows:
        return []
    await school_rows.insert_rows(ctx.session, Mark, rows)
    await ctx.publish(school_class.school_id, [recorded_event(r) for r in rows])
    await history.record(
        ctx,
        school_class.school_id,
        [history.Change("mark", r["id"], "recorded", None, mark_state(r)) for r in rows],
    )
    return rows


async def entered_late(ctx: Ctx, lesson: Lesson) -> bool:
    """R-MRK-2 (`rules.cut_off`): loads the school's cut-off and the lesson's bell, and asks
    the rule whether a mark entered now is late."""
    school = await school_settings(ctx, lesson.school_id)
    bell = await bells_repo.bell(ctx.session, lesson.school_id, lesson.number)
    ends = bells.lesson_end(lesson.number, bell.ends_at if bell else None)
    return cut_off.entered_late(ctx.now, lesson.date, school.mark_cutoff, ends, school.timezone)


async def _check_work_types(
    ctx: Ctx, school_id: str, entries: list[MarkEntry]
) -> dict[str, tuple[str, float]]:
    """R-LES-2, R-MRK-8 (`rules.work_types`): the school's table, every type known, every
    external mark with its document."""
    table = await work_type_table(ctx, school_id)
    work_types.check_known((e.work_type for e in entries), table)
    for entry in entries:
        work_types.check_document(entry.work_type, entry.document)
    return table


async def check_students(ctx: Ctx, lesson: Lesson, students: list[str]) -> None:
    """Every student is in the lesson's class on its day, and in its group if it has one."""
    wanted = set(students)
    enrolled = await enrolments.enrolled_ids(ctx.session, lesson.class_id, lesson.date, wanted)
    missing = sorted(wanted - enrolled)
    if missing:
        raise Invalid(
            f"not in the class on {lesson.date.isoformat()}: {', '.join(missing)}",
            code="student_not_in_class",
            student_ids=missing,
        )
    if lesson.group_id is not None:
        outside = sorted(wanted - await groups.group_members(ctx.session, lesson.group_id))
        if outside:
            raise Invalid(
                f"not in the lesson's group: {', '.join(outside)}",
                code="student_not_in_group",
                student_ids=outside,
            )


async def _check_duplicates(ctx: Ctx, lesson: Lesson, entries: list[MarkEntry]) -> None:
    """Several marks per student per lesson, but one per work type (R-LES-2)."""
    keys = [(e.student_id, e.work_type) for e in entries]
    work_types.check_no_duplicates(keys)
    existing = await marks_repo.active_mark_keys(ctx.session, lesson.id)
    work_types.check_no_clash(keys, existing)


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
