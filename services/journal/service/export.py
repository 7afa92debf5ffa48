"""The export for the reports service's rebuild: the CURRENT state of one kind of record, as
the events that would build it, paged by a stable cursor (the last id of the page; ids are
time-ordered and never reused).

A corrected mark is exported as `journal.mark.recorded` with its current value; a cancelled
mark as `journal.mark.recorded` followed by `journal.mark.cancelled`. An enrolment is
`journal.enrolment.changed` `enrolled` from its first day, followed by `left` when it ended.
Every item's data is exactly the event's, with every field the event carries (a mark's
`entered_late` and `recorded_at` as the journal decided them). The page format is
`contracts.journal.ExportPage`, which the reports service's rebuild reads with.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contracts.journal import (
    AttendanceMarked,
    ClassOpened,
    EnrolmentChanged,
    ExportItem,
    ExportKind,
    ExportPage,
    MarkCancelled,
    PeriodDefined,
    PeriodMarkSet,
    SubjectDefined,
    YearClosed,
    YearOpened,
)
from kit.events import Event
from services.journal.models import (
    Attendance,
    Enrolment,
    Lesson,
    Mark,
    Period,
    PeriodMark,
    SchoolClass,
    SchoolYear,
    Subject,
)
from services.journal.repository import history as history_repo
from services.journal.repository import school_rows
from services.journal.service.context import Ctx
from services.journal.service.lessons import lesson_event
from services.journal.service.marks import recorded_event


def _item(event: Event) -> ExportItem:
    return ExportItem(type=event.event_type, data=event.model_dump(mode="json"))


def _years(row: SchoolYear) -> list[Event]:
    out: list[Event] = [
        YearOpened(
            year_id=row.id,
            school_id=row.school_id,
            name=row.name,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
        )
    ]
    if row.closed_on is not None:
        out.append(
            YearClosed(
                year_id=row.id, school_id=row.school_id, closed_on=row.closed_on, next_year_id=None
            )
        )
    return out


def _periods(row: Period) -> list[Event]:
    return [
        PeriodDefined(
            period_id=row.id,
            year_id=row.year_id,
            kind=row.kind,  # type: ignore[arg-type]
            number=row.number,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
        )
    ]


def _classes(row: SchoolClass) -> list[Event]:
    return [
        ClassOpened(
            class_id=row.id,
            year_id=row.year_id,
            name=row.name,
            grade=row.grade,
            class_teacher_id=row.class_teacher_id,
        )
    ]


def _enrolments(row: Enrolment) -> list[Event]:
    out: list[Event] = [
        EnrolmentChanged(
            student_id=row.student_id, class_id=row.class_id, change="enrolled", date=row.from_on
        )
    ]
    if row.until_on is not None:
        out.append(
            EnrolmentChanged(
                student_id=row.student_id, class_id=row.class_id, change="left", date=row.until_on
            )
        )
    return out


def _attendance(row: Attendance) -> list[Event]:
    return [
        AttendanceMarked(
            lesson_id=row.lesson_id,
            student_id=row.student_id,
            status=row.status,  # type: ignore[arg-type]
            reason=row.reason,  # type: ignore[arg-type]
        )
    ]


def _period_marks(row: PeriodMark) -> list[Event]:
    return [
        PeriodMarkSet(
            period_mark_id=row.id,
            student_id=row.student_id,
            class_id=row.class_id,
            subject_id=row.subject_id,
            period_id=row.period_id,
            value=row.value,  # type: ignore[arg-type]
        )
    ]


KINDS: dict[ExportKind, tuple[Any, Callable[[Any], list[Event]]]] = {
    "years": (SchoolYear, _years),
    "periods": (Period, _periods),
    "subjects": (Subject, lambda r: [SubjectDefined(subject_id=r.id, name=r.name)]),
    "classes": (SchoolClass, _classes),
    "enrolments": (Enrolment, _enrolments),
    "lessons": (Lesson, lambda r: [lesson_event(r)]),
    "marks": (Mark, lambda r: [recorded_event(r)]),
    "attendance": (Attendance, _attendance),
    "period_marks": (PeriodMark, _period_marks),
}


async def export(
    ctx: Ctx, school_id: str, kind: ExportKind, cursor: str | None, limit: int
) -> ExportPage:
    model, to_events = KINDS[kind]
    rows = await school_rows.page(ctx.session, model, school_id, cursor, limit)
    reasons = await _cancel_reasons(ctx, school_id, rows) if model is Mark else {}
    items: list[ExportItem] = []
    for row in rows:
        items.extend(_item(e) for e in to_events(row))
        if model is Mark and row.status == "cancelled":
            cancel = reasons.get(row.id, ("", ""))
            items.append(
                _item(MarkCancelled(mark_id=row.id, reason=cancel[0], cancelled_by=cancel[1]))
            )
    next_cursor = rows[-1].id if len(rows) == limit else None
    return ExportPage(kind=kind, items=items, next_cursor=next_cursor)


async def _cancel_reasons(ctx: Ctx, school_id: str, rows: list[Mark]) -> dict[str, tuple[str, str]]:
    cancelled = [r.id for r in rows if r.status == "cancelled"]
    if not cancelled:
        return {}
    links = await history_repo.of_entities(ctx.session, school_id, "mark", cancelled)
    out: dict[str, tuple[str, str]] = {}
    for link in links:  # in chain order: the last cancelling link wins
        if link.action in ("cancelled", "reverted"):
            out[link.entity_id] = (link.reason or "", link.person_id or link.account_id or "")
    return out
