"""The class teacher's reports: the risk group (R-RPT-5) and the preliminary report (R-RPT-4)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from services.reports.schemas.monitoring import RiskStudentOut


class RiskGroupOut(BaseModel):
    class_id: str
    class_name: str | None
    period_id: str
    as_of: dt.date
    unexcused_absences_threshold: int
    students: list[RiskStudentOut]


class AttendanceOut(BaseModel):
    absences: int
    absences_respected: int
    absences_unrespected: int
    absences_unexplained: int
    lates: int


class SuggestionOut(BaseModel):
    weighted_average: float | None
    count: int
    suggested_mark: str = Field(description="the weighted average rounded half up; na if none")


class SubjectNameOut(BaseModel):
    id: str
    name: str | None


class PreliminaryStudentOut(BaseModel):
    id: str
    name: str | None
    subjects: dict[str, SuggestionOut]
    attendance: AttendanceOut


class PreliminaryOut(BaseModel):
    """Предварительный отчёт of a class (R-RPT-4), due two weeks before the period ends."""

    class_id: str
    class_name: str | None
    period_id: str
    as_of: dt.date
    due_on: dt.date
    subjects: list[SubjectNameOut]
    students: list[PreliminaryStudentOut]
