"""The deputy's monitoring (R-RPT-2) with the risk group (R-RPT-5), and the performance tables (R-RPT-3)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from services.reports.schemas.sheets import Counts


class PerformanceRowOut(BaseModel):
    """One row of a performance table (R-RPT-3): figures by marks and by students."""

    key: str = Field(description="class id, grade, subject id or school id")
    name: str | None
    counts: Counts
    performance_pct: float | None = Field(description="(n5 + n4 + n3) × 100 ÷ N")
    quality_pct: float | None = Field(description="(n5 + n4) × 100 ÷ N")
    sou_pct: float | None
    average: float | None
    students: int = Field(description="enrolled at the period's end")
    students_with_period_marks: int
    students_performing: int
    students_good: int
    students_performance_pct: float | None = Field(
        description="students whose every period mark is 3, 4, 5 or «ОСВ», of those with one"
    )
    students_quality_pct: float | None


class PerformanceOut(BaseModel):
    school_id: str
    period_id: str
    by: Literal["class", "grade", "subject", "school"]
    generated_at: dt.datetime
    rows: list[PerformanceRowOut]


class MonitoringRowOut(BaseModel):
    """A class's subject: lessons, homework, marks and attendance (R-RPT-2)."""

    class_id: str
    class_name: str | None
    subject_id: str
    subject_name: str | None
    teacher_ids: list[str] = Field(description="the regular teacher of each group")
    teacher_names: list[str | None]
    lessons_planned: int = Field(description="lessons of the period in the calendar plan")
    lessons_held: int = Field(description="of those, up to the report's day")
    plan_progress_pct: float | None
    lessons_with_topic: int
    topic_pct: float | None
    lessons_with_homework: int
    homework_pct: float | None
    replaced_lessons: int = Field(description="given by someone else than the regular teacher")
    marks: int
    marks_on_time: int = Field(description="entered on the lesson's day")
    marks_late: int = Field(description="entered after the lesson's day")
    students: int
    students_without_marks: int
    students_with_one_mark: int
    mark_accumulation: float | None = Field(description="marks per student (накопляемость)")
    absences: int
    absences_respected: int
    absences_unrespected: int
    absences_unexplained: int = Field(description="no reason set yet")
    lates: int


class TeacherMonitoringOut(BaseModel):
    teacher_id: str
    teacher_name: str | None
    lessons_held: int
    lessons_with_topic: int
    topic_pct: float | None
    lessons_with_homework: int
    homework_pct: float | None
    lessons_as_substitute: int
    marks: int
    marks_on_time: int
    marks_late: int
    late_pct: float | None


class RiskSubjectOut(BaseModel):
    subject_id: str
    subject_name: str | None
    weighted_average: float | None


class RiskStudentOut(BaseModel):
    """A student of the risk group (группа риска, R-RPT-5) and why."""

    student_id: str
    name: str | None
    low_subjects: list[RiskSubjectOut] = Field(description="current weighted average a «2»")
    unexcused_absences: int


class ClassMonitoringOut(BaseModel):
    class_id: str
    class_name: str | None
    class_teacher_id: str | None
    class_teacher_name: str | None
    students: int
    absences: int
    absences_respected: int
    absences_unrespected: int
    absences_unexplained: int
    lates: int
    risk_group: list[RiskStudentOut]


class ParticipationOut(BaseModel):
    teachers: int = Field(description="staff with the teacher role known to the school")
    teachers_active: int = Field(description="of those, with lessons or marks in the period")
    teachers_active_pct: float | None


class MonitoringOut(BaseModel):
    """The deputy's monitoring of the journal (R-RPT-2) with the risk group (R-RPT-5)."""

    school_id: str
    period_id: str
    as_of: dt.date
    generated_at: dt.datetime
    participation: ParticipationOut
    rows: list[MonitoringRowOut]
    teachers: list[TeacherMonitoringOut]
    classes: list[ClassMonitoringOut]
