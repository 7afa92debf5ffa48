"""Bodies of what is read: the grid, the diary, the history audit (the export's pages are
`contracts.journal.ExportPage`, shared with the rebuild that reads them)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

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
