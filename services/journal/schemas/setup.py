"""Bodies of the school year: years, periods, subjects, classes, enrolments (R-YR-1/2)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kit.params import LocalTime, PlatformDate
from services.journal.schemas.base import Body, Id, Out


class YearIn(Body):
    name: str = Field(pattern=r"^\d{4}/\d{4}$", examples=["2026/2027"])
    starts_on: PlatformDate
    ends_on: PlatformDate


class YearOut(Out):
    id: Id
    school_id: Id
    name: str
    starts_on: dt.date
    ends_on: dt.date
    closed_on: dt.date | None


class YearList(BaseModel):
    years: list[YearOut]


class PeriodIn(Body):
    kind: Literal["quarter", "trimester", "half", "year"]
    number: int = Field(ge=1, le=4)
    starts_on: PlatformDate
    ends_on: PlatformDate


class PeriodOut(Out):
    id: Id
    year_id: Id
    kind: str
    number: int
    starts_on: dt.date
    ends_on: dt.date


class PeriodList(BaseModel):
    periods: list[PeriodOut]


class HolidayIn(Body):
    name: str = Field(min_length=1, max_length=200)
    starts_on: PlatformDate
    ends_on: PlatformDate


class HolidayOut(Out):
    id: Id
    year_id: Id
    name: str
    starts_on: dt.date
    ends_on: dt.date


class SubjectIn(Body):
    name: str = Field(min_length=1, max_length=200)


class SubjectOut(Out):
    id: Id
    name: str


class SubjectList(BaseModel):
    subjects: list[SubjectOut]


class WorkTypeIn(Body):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,39}$")
    name: str = Field(min_length=1, max_length=200)
    weight: float = Field(gt=0, le=10)


class WorkTypeOut(Out):
    code: str
    name: str
    weight: float


class WorkTypeList(BaseModel):
    work_types: list[WorkTypeOut]


class SchoolSettingsIn(Body):
    homework_limit_minutes: int = Field(ge=0, le=24 * 60)
    mark_cutoff: LocalTime = Field(
        dt.time(16, 0),
        description="R-MRK-2: marks are entered by this time of the lesson's day (the "
        "school's local time; a lesson ending later moves it to the lesson's end); a mark "
        "entered after it is accepted inside the R-MRK-3 window and flagged entered_late",
    )


class SchoolSettingsOut(Out):
    id: Id
    timezone: str
    homework_limit_minutes: int
    mark_cutoff: LocalTime


class ClassIn(Body):
    name: str = Field(min_length=1, max_length=20, examples=["5А"])
    grade: int = Field(ge=1, le=11)
    class_teacher_id: Id | None = None


class ClassPatch(Body):
    name: str | None = Field(default=None, min_length=1, max_length=20)
    class_teacher_id: Id | None = None


class ClassOut(Out):
    id: Id
    year_id: Id
    name: str
    grade: int
    class_teacher_id: Id | None


class ClassList(BaseModel):
    classes: list[ClassOut]


class EnrolmentIn(Body):
    student_id: Id
    from_: PlatformDate | None = Field(default=None, alias="from")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class LeaveIn(Body):
    reason: str = Field(min_length=1, max_length=300)
    date: PlatformDate | None = None


class MoveIn(Body):
    to_class_id: Id
    date: PlatformDate


class EnrolmentOut(Out):
    id: Id
    class_id: Id
    student_id: Id
    from_on: dt.date
    until_on: dt.date | None
    left_reason: str | None


class StudentOut(BaseModel):
    student_id: Id
    name: str
    from_on: dt.date
    until_on: dt.date | None


class StudentList(BaseModel):
    class_id: Id
    on: dt.date
    students: list[StudentOut]


class GroupIn(Body):
    subject_id: Id
    name: str = Field(min_length=1, max_length=100)
    student_ids: list[Id] = Field(max_length=60)


class GroupOut(BaseModel):
    id: Id
    class_id: Id
    subject_id: Id
    name: str
    student_ids: list[Id]


class AssignmentIn(Body):
    subject_id: Id
    teacher_id: Id
    group_id: Id | None = None


class AssignmentOut(Out):
    id: Id
    class_id: Id
    subject_id: Id
    teacher_id: Id
    group_id: Id | None


class AssignmentList(BaseModel):
    assignments: list[AssignmentOut]


class CloseYearIn(Body):
    next_year_id: Id
    kept_back: list[Id] = Field(default=[], max_length=2000)
    leaving: list[Id] = Field(default=[], max_length=2000)
    graduating_grade: int = Field(default=11, ge=1, le=11)


class ClassMove(BaseModel):
    from_class_id: Id
    to_class_id: Id | None


class CloseYearOut(BaseModel):
    year_id: Id
    next_year_id: Id
    closed_on: dt.date
    promoted: int
    kept_back: int
    left: int
    classes: list[ClassMove]
