"""Attendance (R-LES-4) and the reasons of absences (R-LES-5)."""

from __future__ import annotations

from typing import Any

from contracts.journal import AttendanceMarked
from kit.db import new_id
from kit.errors import Conflict
from services.journal import policy
from services.journal.models import Attendance, Lesson, SchoolClass
from services.journal.repository import attendance, school_rows
from services.journal.rules import entry_window
from services.journal.service import history
from services.journal.service.context import Ctx
from services.journal.service.loading import load
from services.journal.service.marks import check_students, writable_lesson
from services.journal.service.school_settings import school_today


def attendance_state(row: Attendance | dict[str, Any]) -> dict[str, Any]:
    get = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
    return {"status": get("status"), "reason": get("reason")}


def marked_event(lesson_id: str, row: Attendance | dict[str, Any]) -> AttendanceMarked:
    get = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
    return AttendanceMarked(
        lesson_id=lesson_id,
        student_id=get("student_id"),
        status=get("status"),
        reason=get("reason"),
    )


async def set_attendance(
    ctx: Ctx, lesson_id: str, entries: list[tuple[str, str]]
) -> list[dict[str, Any]]:
    """R-LES-4: the students listed are set, the others untouched: the new entries in one
    statement, the changed ones in one flush."""
    lesson, school_class, _ = await writable_lesson(ctx, lesson_id)
    wanted = dict(entries)
    await check_students(ctx, lesson, list(wanted))
    existing = await attendance.attendance_for(ctx.session, lesson.id, wanted)
    new_rows, changed, changes = [], [], []
    for student_id, status in wanted.items():
        row = existing.get(student_id)
        if row is None:
            values = {
                "id": new_id(),
                "school_id": school_class.school_id,
                "lesson_id": lesson.id,
                "student_id": student_id,
                "status": status,
                "reason": None,
            }
            new_rows.append(values)
            changes.append(
                history.Change("attendance", values["id"], "marked", None, attendance_state(values))
            )
        elif row.status != status:
            before = attendance_state(row)
            row.status, row.reason = status, (row.reason if status != "present" else None)
            changed.append(row)
            changes.append(
                history.Change("attendance", row.id, "marked", before, attendance_state(row))
            )
    await school_rows.insert_rows(ctx.session, Attendance, new_rows)
    await school_rows.save(ctx.session, *changed)
    await ctx.publish(
        school_class.school_id,
        [marked_event(lesson.id, r) for r in new_rows]
        + [marked_event(lesson.id, r) for r in changed],
    )
    await history.record(ctx, school_class.school_id, changes)
    result = {s: _out(a) for s, a in existing.items()}
    result.update({r["student_id"]: r for r in new_rows})
    return [result[s] for s in wanted]


def _out(row: Attendance) -> dict[str, Any]:
    return {
        "id": row.id,
        "student_id": row.student_id,
        "status": row.status,
        "reason": row.reason,
    }


async def set_reason(ctx: Ctx, attendance_id: str, reason: str) -> dict[str, Any]:
    """R-LES-5: the class teacher sets the reason (УП / НП) and corrects the week's reasons."""
    row = await load(ctx, Attendance, attendance_id, "attendance")
    lesson = await load(ctx, Lesson, row.lesson_id, "lesson")
    school_class = await load(ctx, SchoolClass, lesson.class_id, "class")
    policy.may_set_reasons(ctx.actor, school_class.class_teacher_id)
    entry_window.check_entry(lesson.date, await school_today(ctx, school_class.school_id))
    if row.status == "present":
        raise Conflict("the student was present: there is no absence to explain", code="not_absent")
    before = attendance_state(row)
    row.reason = reason
    await school_rows.save(ctx.session, row)
    await ctx.publish(school_class.school_id, [marked_event(lesson.id, row)])
    await history.record(
        ctx,
        school_class.school_id,
        [history.Change("attendance", row.id, "reason", before, attendance_state(row))],
    )
    return _out(row)
