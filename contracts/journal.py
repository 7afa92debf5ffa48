"""Events the journal publishes."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict

from contracts.grading import PeriodMarkValue
from kit.events import Event


class YearOpened(Event):
    event_type = "journal.year.opened"
    aggregate = "year_id"
    summary = "A school year was opened (R-YR-1)."

    year_id: str
    school_id: str
    name: str
    starts_on: dt.date
    ends_on: dt.date


class PeriodDefined(Event):
    event_type = "journal.period.defined"
    aggregate = "period_id"
    summary = "A period (quarter, trimester, half, year) of a school year was defined."

    period_id: str
    year_id: str
    kind: Literal["quarter", "trimester", "half", "year"]
    number: int
    starts_on: dt.date
    ends_on: dt.date


class SubjectDefined(Event):
    event_type = "journal.subject.defined"
    aggregate = "subject_id"
    summary = "A subject of the school's curriculum was defined."

    subject_id: str
    name: str


class ClassCard(Event):
    """A class of a year: its name, grade and class teacher."""

    aggregate = "class_id"

    class_id: str
    year_id: str
    name: str
    grade: int
    class_teacher_id: str | None


class ClassOpened(ClassCard):
    event_type = "journal.class.opened"
    summary = "A class was opened in a year, with its class teacher."


class ClassUpdated(ClassCard):
    event_type = "journal.class.updated"
    summary = "A class's name or class teacher changed (same fields as journal.class.opened)."


class YearClosed(Event):
    event_type = "journal.year.closed"
    aggregate = "year_id"
    summary = "R-YR-2: a school year was closed; its records are read-only from now on."

    year_id: str
    school_id: str
    closed_on: dt.date
    next_year_id: str | None


class EnrolmentChanged(Event):
    event_type = "journal.enrolment.changed"
    aggregate = "student_id"
    summary = "A student entered, left or was promoted from a class."

    student_id: str
    class_id: str
    change: Literal["enrolled", "left", "promoted"]
    date: dt.date


class LessonSlot(Event):
    """A lesson's place: the class (or group), subject, teacher, day and number."""

    aggregate = "lesson_id"

    lesson_id: str
    class_id: str
    group_id: str | None
    subject_id: str
    teacher_id: str
    date: dt.date
    number: int


class LessonRecorded(LessonSlot):
    event_type = "journal.lesson.recorded"
    summary = "A lesson was created or its record (topic, homework) changed."

    topic: str | None
    homework: str | None
    substitute_id: str | None = None
    homework_late: bool = False


class LessonCancelled(LessonSlot):
    event_type = "journal.lesson.cancelled"
    summary = (
        "A one-off timetable change: a lesson that had no records yet will not take place "
        "(a moved lesson is a journal.lesson.recorded with its new date and number)."
    )

    reason: str


class MarkRecorded(Event):
    event_type = "journal.mark.recorded"
    aggregate = "mark_id"
    summary = "A teacher recorded a mark (1-5) for a student on a lesson."

    mark_id: str
    lesson_id: str
    student_id: str
    class_id: str
    subject_id: str
    period_id: str | None
    value: int
    work_type: str
    weight: float
    date: dt.date
    teacher_id: str
    comment: str | None = None
    document: str | None = None
    entered_late: bool = False  # R-MRK-2: after the school's cut-off on the lesson's day
    recorded_at: dt.datetime | None = None
    """When the mark was entered: the journal's instant, the one `entered_late` was judged
    by (None only in events published before the field existed)."""


class MarkCorrected(Event):
    event_type = "journal.mark.corrected"
    aggregate = "mark_id"
    summary = "R-MRK-5: a mark was corrected inside its window; the old value is kept."

    mark_id: str
    old_value: int
    new_value: int
    reason: str
    corrected_by: str


class MarkCancelled(Event):
    event_type = "journal.mark.cancelled"
    aggregate = "mark_id"
    summary = "A mark was cancelled (entered in error), with a reason."

    mark_id: str
    reason: str
    cancelled_by: str


class AttendanceMarked(Event):
    event_type = "journal.attendance.marked"
    aggregate = "lesson_id"
    summary = "R-LES-4/5: a student's attendance of a lesson, and the reason of an absence."

    lesson_id: str
    student_id: str
    status: Literal["present", "absent", "late"]
    reason: Literal["respected", "unrespected"] | None


class PeriodMarkChange(Event):
    """A period mark's new value (and the one it replaced)."""

    aggregate = "period_mark_id"

    period_mark_id: str
    student_id: str
    class_id: str
    subject_id: str
    period_id: str
    value: PeriodMarkValue
    old_value: PeriodMarkValue | None = None


class PeriodMarkSet(PeriodMarkChange):
    event_type = "journal.period_mark.set"
    summary = "R-MRK-7: a subject teacher set a period mark."


class PeriodMarkCorrected(PeriodMarkChange):
    event_type = "journal.period_mark.corrected"
    summary = "R-MRK-6: the deputy corrected a period mark on an explanatory note."


class ChangeInvalidated(Event):
    event_type = "journal.change.invalidated"
    aggregate = "entity_id"
    summary = (
        "R-SEC-4: a journal change made with compromised credentials was declared invalid "
        "and reverted; listed for the deputy."
    )

    history_id: int
    entity: Literal["mark", "attendance", "lesson", "period_mark"]
    entity_id: str
    account_id: str
    person_id: str | None
    changed_at: dt.datetime
    reported_at: dt.datetime


ExportKind = Literal[
    "years",
    "periods",
    "subjects",
    "classes",
    "enrolments",
    "lessons",
    "marks",
    "attendance",
    "period_marks",
]
"""The kinds of record the journal's export pages through, in the order a rebuild applies
them (definitions before the facts that name them)."""

EXPORT_KINDS: tuple[ExportKind, ...] = get_args(ExportKind)


class ExportItem(BaseModel):
    """One record of the export as the event that would build it: `type` is the event type
    without its version (`journal.mark.recorded`), `data` exactly that event's data."""

    model_config = ConfigDict(frozen=True)

    type: str
    data: dict[str, Any]
    sequence: int | None = None


class ExportPage(BaseModel):
    """A page of `GET /journal/v1/schools/{school_id}/export?kind=&cursor=&limit=`: the
    current state of one kind, paged by `next_cursor` (None on the last page)."""

    model_config = ConfigDict(frozen=True)

    kind: ExportKind
    items: list[ExportItem]
    next_cursor: str | None
