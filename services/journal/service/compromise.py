"""Compromised credentials (R-SEC-4): every journal change made with the account from the
reported instant on is invalid. Each is flagged in the history, the record it touched goes
back to its value before the first invalid change (a new `reverted` link, by the system),
and each is announced (`journal.change.invalidated`) and listed for the deputy.

A record the account created is taken back: a mark is cancelled, an attendance entry or a
period mark is removed (consumers learn it from `journal.change.invalidated`); a lesson the
account created stays (marks may hang on it) and is listed for the deputy.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from typing import Any

from contracts.journal import (
    AttendanceMarked,
    ChangeInvalidated,
    MarkCancelled,
    MarkCorrected,
    PeriodMarkCorrected,
)
from kit.events import Event
from services.journal.models import (
    Attendance,
    Compromise,
    History,
    Lesson,
    Mark,
    PeriodMark,
)
from services.journal.repository import history as history_repo
from services.journal.repository import school_rows
from services.journal.service import history
from services.journal.service.context import SYSTEM, Ctx
from services.journal.service.lessons import lesson_event, lesson_state
from services.journal.service.marks import mark_state, recorded_event
from services.journal.service.period_marks import as_dict, period_mark_event

REASON = "R-SEC-4: made with compromised credentials"


async def invalidate_account(
    ctx: Ctx, school_id: str, account_id: str, person_id: str | None, reported_at: dt.datetime
) -> Compromise:
    links = [
        link
        for link in await history_repo.by_account_since(ctx.session, account_id, reported_at)
        if link.school_id == school_id and not link.invalid
    ]
    compromise = Compromise(
        school_id=school_id,
        account_id=account_id,
        person_id=person_id,
        reported_at=reported_at,
        processed_at=ctx.now,
        invalidated=len(links),
    )
    await school_rows.save(ctx.session, compromise)
    if not links:
        return compromise
    await history_repo.mark_invalid(ctx.session, [link.id for link in links], compromise.id)
    first: OrderedDict[tuple[str, str], History] = OrderedDict()
    for link in links:
        first.setdefault((link.entity, link.entity_id), link)
    events: list[Event] = []
    changes: list[history.Change] = []
    for (entity, entity_id), link in first.items():
        reverted = await _REVERT[entity](ctx, school_id, entity_id, history.loads(link.before))
        if reverted is not None:
            events.extend(reverted[0])
            changes.append(reverted[1])
    events.extend(
        ChangeInvalidated(
            history_id=link.id,
            entity=link.entity,  # type: ignore[arg-type]
            entity_id=link.entity_id,
            account_id=account_id,
            person_id=person_id,
            changed_at=link.at,
            reported_at=reported_at,
        )
        for link in links
    )
    await ctx.publish(school_id, events)
    await history.record(ctx, school_id, changes)
    return compromise


Reverted = tuple[list[Event], history.Change] | None


async def _revert_mark(
    ctx: Ctx, school_id: str, mark_id: str, before: dict[str, Any] | None
) -> Reverted:
    mark = await school_rows.get(ctx.session, Mark, mark_id, school_id)
    if mark is None:
        return None
    now = mark_state(mark)
    target = before or {"value": mark.value, "status": "cancelled"}
    events: list[Event] = []
    if target["status"] == "cancelled" and mark.status != "cancelled":
        events.append(MarkCancelled(mark_id=mark.id, reason=REASON, cancelled_by=SYSTEM))
    elif target["status"] == "active" and mark.status != "active":
        mark.value = target["value"]
        events.append(recorded_event(mark))
    elif target["value"] != mark.value:
        events.append(
            MarkCorrected(
                mark_id=mark.id,
                old_value=mark.value,
                new_value=target["value"],
                reason=REASON,
                corrected_by=SYSTEM,
            )
        )
    mark.value, mark.status = target["value"], target["status"]
    await school_rows.save(ctx.session, mark)
    return events, history.Change("mark", mark.id, "reverted", now, mark_state(mark), REASON)


async def _revert_attendance(
    ctx: Ctx, school_id: str, attendance_id: str, before: dict[str, Any] | None
) -> Reverted:
    row = await school_rows.get(ctx.session, Attendance, attendance_id, school_id)
    if row is None:
        return None
    now = {"status": row.status, "reason": row.reason}
    if before is None:
        await school_rows.remove(ctx.session, row)
        return [], history.Change("attendance", row.id, "reverted", now, None, REASON)
    row.status, row.reason = before["status"], before["reason"]
    await school_rows.save(ctx.session, row)
    event = AttendanceMarked(
        lesson_id=row.lesson_id,
        student_id=row.student_id,
        status=row.status,  # type: ignore[arg-type]
        reason=row.reason,  # type: ignore[arg-type]
    )
    return [event], history.Change("attendance", row.id, "reverted", now, before, REASON)


async def _revert_lesson(
    ctx: Ctx, school_id: str, lesson_id: str, before: dict[str, Any] | None
) -> Reverted:
    if before is None:
        return None
    lesson = await school_rows.get(ctx.session, Lesson, lesson_id, school_id)
    now: dict[str, Any] | None = None
    if lesson is None:  # cancelled by the compromised account: put back where it was
        if "class_id" not in before:
            return None
        lesson = Lesson(
            id=lesson_id,
            school_id=school_id,
            class_id=before["class_id"],
            subject_id=before["subject_id"],
            group_id=before["group_id"],
            teacher_id=before["teacher_id"],
            homework_late=False,
        )
    else:
        now = lesson_state(lesson)
    lesson.topic, lesson.homework = before["topic"], before["homework"]
    lesson.substitute_id = before["substitute_id"]
    if "date" in before:  # moved by the compromised account: moved back
        lesson.date, lesson.number = dt.date.fromisoformat(before["date"]), before["number"]
        lesson.room_id = before["room_id"]
    await school_rows.save(ctx.session, lesson)
    return [lesson_event(lesson)], history.Change(
        "lesson", lesson.id, "reverted", now, lesson_state(lesson), REASON
    )


async def _revert_period_mark(
    ctx: Ctx, school_id: str, period_mark_id: str, before: dict[str, Any] | None
) -> Reverted:
    row = await school_rows.get(ctx.session, PeriodMark, period_mark_id, school_id)
    if row is None:
        return None
    now = {"value": row.value}
    if before is None:
        await school_rows.remove(ctx.session, row)
        return [], history.Change("period_mark", row.id, "reverted", now, None, REASON)
    old, row.value = row.value, before["value"]
    await school_rows.save(ctx.session, row)
    event = period_mark_event(PeriodMarkCorrected, as_dict(row), old)
    return [event], history.Change("period_mark", row.id, "reverted", now, before, REASON)


_REVERT = {
    "mark": _revert_mark,
    "attendance": _revert_attendance,
    "lesson": _revert_lesson,
    "period_mark": _revert_period_mark,
}


async def invalidated_changes(ctx: Ctx, school_id: str, limit: int) -> list[History]:
    return await history_repo.invalidated(ctx.session, school_id, limit)
