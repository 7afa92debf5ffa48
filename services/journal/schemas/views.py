"""Bodies of what is read: the grid, the diary, the history audit (the export's pages are
`contracts.journal.ExportPage`, shared with the rebuild that reads them)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kit.params import LocalTime
from services.journal.schemas.base import Id, Out


class MarkCell(BaseModel):
    id: Id
    value: int
    work_type: str
    weight: float
    comment: str | None


class AttendanceCell(BaseModel):
    id: Id
    status: str
    reason: str | None


class Cell(BaseModel):
    marks: list[MarkCell]
    attendance: AttendanceCell | None


class GridLesson(BaseModel):
    id: Id
    date: dt.date
    number: int
    subject_id: Id
    group_id: Id | None
    teacher_id: Id
    substitute_id: Id | None
    topic: str | None
    homework: str | None
    homework_late: bool


class PeriodMarkCell(BaseModel):
    id: Id
    value: str


class GridRow(BaseModel):
    id: Id
    name: str
    cells: dict[str, Cell] = Field(description="by lesson id")
    period_marks: dict[str, PeriodMarkCell] = Field(description="by subject id")


class ClassJournal(BaseModel):
    """Журнал класса: lessons as columns, students as rows."""

    model_config = ConfigDict(populate_by_name=True)

    class_id: Id
    class_name: str
    subject_id: Id | None
    period_id: Id | None
    from_: dt.date = Field(alias="from")
    to: dt.date
    lessons: list[GridLesson]
    students: list[GridRow]


class DiaryLesson(BaseModel):
    lesson_id: Id
    number: int
    subject_id: Id
    subject: str
    topic: str | None
    homework: str | None
    teacher_id: Id
    marks: list[MarkCell]
    attendance: AttendanceCell | None


class DiaryDay(BaseModel):
    date: dt.date
    lessons: list[DiaryLesson]


class Diary(BaseModel):
    """Электронный дневник of one student."""

    model_config = ConfigDict(populate_by_name=True)

    student_id: Id
    from_: dt.date = Field(alias="from")
    to: dt.date
    days: list[DiaryDay]


class ChainCheck(BaseModel):
    school_id: Id
    ok: bool
    checked: int
    head_seq: int
    broken_seq: int | None
    broken_id: int | None
    problem: str | None


class InvalidatedChange(Out):
    id: int
    seq: int
    entity: str
    entity_id: Id
    action: str
    before: str | None
    after: str | None
    account_id: str | None
    person_id: str | None
    at: dt.datetime
    compromise_id: str | None


class InvalidatedList(BaseModel):
    changes: list[InvalidatedChange]


Missing = Literal["topic", "homework", "attendance", "marks"]


class DayLesson(BaseModel):
    """One lesson of a teacher's day and what its record still lacks."""

    lesson_id: Id
    date: dt.date
    number: int
    starts_at: LocalTime | None = Field(description="from the school's bells, if set")
    ends_at: LocalTime | None
    class_id: Id
    class_name: str
    subject_id: Id
    subject: str
    group_id: Id | None
    teacher_id: Id = Field(description="the lesson's own teacher")
    substitute_id: Id | None = Field(description="set when the lesson is given by a substitute")
    topic: str | None
    homework: str | None
    students: int = Field(description="students expected: enrolled that day (and in the group)")
    without_attendance: int = Field(description="expected students with no attendance entry")
    without_marks: int = Field(description="expected students with no active mark")
    missing: list[Missing] = Field(
        description="in this order: `topic` (none or blank, R-LES-1), `homework` (none or "
        "blank, R-LES-3), `attendance` (no expected student has an entry: not taken, "
        "R-LES-4), `marks` (no expected student has an active mark, R-MRK-2)"
    )


class TeacherDay(BaseModel):
    """A teacher's day: the lessons they give on a date, across all classes."""

    teacher_id: Id
    date: dt.date
    lessons: list[DayLesson]
