"""Bodies of what is entered: lessons, marks, attendance, period marks."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from kit.params import PlatformDate
from services.journal.schemas.base import Body, Id, Out, PeriodMarkValue


class LessonIn(Body):
    class_id: Id
    subject_id: Id
    group_id: Id | None = None
    teacher_id: Id
    date: PlatformDate
    number: int = Field(ge=1, le=12)
    topic: str | None = Field(default=None, max_length=500)
    room_id: Id | None = None


class LessonPatch(Body):
    topic: str | None = Field(default=None, max_length=500)
    homework: str | None = Field(default=None, max_length=4000)


class SubstitutionIn(Body):
    substitute_id: Id


class LessonMoveIn(Body):
    """A one-off change of the timetable: the lesson's new day, slot and room."""

    date: PlatformDate
    number: int = Field(ge=1, le=12)
    room_id: Id | None = None


class LessonCancelled(BaseModel):
    id: Id
    date: dt.date
    number: int
    reason: str


class LessonOut(Out):
    id: Id
    class_id: Id
    subject_id: Id
    group_id: Id | None
    teacher_id: Id
    substitute_id: Id | None
    date: dt.date
    number: int
    topic: str | None
    homework: str | None
    homework_late: bool


class MarkIn(Body):
    student_id: Id
    value: int = Field(ge=1, le=5, description="R-MRK-1: 1–5")
    work_type: str = Field(min_length=1, max_length=40)
    weight: float | None = Field(default=None, gt=0, le=10)
    comment: str | None = Field(default=None, max_length=500)
    document: str | None = Field(
        default=None, max_length=500, description="R-MRK-8: the document a brought mark rests on"
    )


class MarksIn(Body):
    marks: list[MarkIn] = Field(min_length=1, max_length=200)


class MarkOut(Out):
    id: Id
    lesson_id: Id
    student_id: Id
    value: int
    work_type: str
    weight: float
    comment: str | None = None
    document: str | None = None
    status: str = "active"
    entered_late: bool = Field(
        False, description="R-MRK-2: entered after the school's cut-off on the lesson's day"
    )


class MarksOut(BaseModel):
    marks: list[MarkOut]


class MarkPatch(Body):
    value: int = Field(ge=1, le=5)
    reason: str = Field(min_length=1, max_length=500)


class ReasonIn(Body):
    reason: str = Field(min_length=1, max_length=500)


class MarkHistoryEntry(BaseModel):
    at: dt.datetime
    by: str | None
    action: str
    old_value: Any
    new_value: Any
    reason: str | None
    invalid: bool


class MarkHistory(BaseModel):
    mark_id: Id
    value: int
    status: str
    history: list[MarkHistoryEntry]


class AttendanceEntryIn(Body):
    student_id: Id
    status: Literal["present", "absent", "late"]


class AttendanceIn(Body):
    entries: list[AttendanceEntryIn] = Field(min_length=1, max_length=200)


class AttendanceOut(BaseModel):
    id: Id
    student_id: Id
    status: str
    reason: str | None


class AttendanceList(BaseModel):
    entries: list[AttendanceOut]


class AttendanceReasonIn(Body):
    reason: Literal["respected", "unrespected"]


class PeriodMarkEntry(Body):
    student_id: Id
    value: PeriodMarkValue


class PeriodMarksIn(Body):
    period_id: Id
    class_id: Id
    subject_id: Id
    marks: list[PeriodMarkEntry] = Field(min_length=1, max_length=200)


class PeriodMarkOut(BaseModel):
    id: Id
    student_id: Id
    value: str


class PeriodMarksOut(BaseModel):
    marks: list[PeriodMarkOut]


class CorrectionNote(Body):
    """Объяснительная: what R-MRK-6 requires the teacher's note to state."""

    teacher: str = Field(min_length=1, max_length=200, description="surname and initials")
    class_name: str = Field(min_length=1, max_length=20)
    date: PlatformDate
    subject: str = Field(min_length=1, max_length=200)
    changes: str = Field(min_length=1, max_length=2000)
    reasons: str = Field(min_length=1, max_length=2000)


class PeriodMarkCorrectionIn(Body):
    value: PeriodMarkValue
    note: CorrectionNote


class PeriodMarkCorrectedOut(BaseModel):
    id: Id
    student_id: Id
    class_id: Id
    subject_id: Id
    period_id: Id
    value: str


class PeriodMarkHistoryEntry(MarkHistoryEntry):
    note: dict[str, Any] | None


class PeriodMarkHistory(BaseModel):
    period_mark_id: Id
    value: str
    history: list[PeriodMarkHistoryEntry]


class Suggestion(BaseModel):
    student_id: Id
    count: int
    weighted_average: float | None
    suggested: str | None


class SuggestionList(BaseModel):
    suggestions: list[Suggestion]
