"""Request and response bodies of the reports API (CONTRACT.md "Reports", plus additions)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from contracts.grading import PERIOD_MARK_VALUES


class Counts(BaseModel):
    """The counts behind a subject's figures (R-RPT-3)."""

    n: int = Field(description="N: enrolled at the period's end, less «ОСВ» and no mark")
    n5: int
    n4: int
    n3: int
    n2: int
    n1: int
    na: int = Field(description="«н/а» (not certified); counted in N")
    osv: int = Field(description="«ОСВ» (released); not counted in N")
    without_mark: int = Field(description="enrolled at the period's end with no period mark")


class SubjectOut(BaseModel):
    id: str
    name: str | None
    performance_pct: float | None
    quality_pct: float | None
    sou_pct: float | None
    average: float | None
    counts: Counts


class CellOut(BaseModel):
    average: float | None
    weighted_average: float | None
    count: int
    period_mark: str | None = Field(description=f"one of {', '.join(PERIOD_MARK_VALUES)}")


class StudentOut(BaseModel):
    id: str
    name: str | None
    enrolled_at_end: bool = Field(description="counted in N and in the class's totals")
    cells: dict[str, CellOut]


class TotalsOut(BaseModel):
    performance_pct: float | None
    quality_pct: float | None
    students: int = Field(description="enrolled at the period's end")
    students_with_period_marks: int
    students_performing: int = Field(description="every period mark 3, 4, 5 or «ОСВ»")
    students_good: int = Field(description="every period mark 4, 5 or «ОСВ»")


class PeriodOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    period_id: str
    year_id: str
    kind: str
    number: int
    starts_on: dt.date
    ends_on: dt.date


class SummarySheetOut(BaseModel):
    """Сводная ведомость: rows = students, columns = subjects."""

    class_id: str
    period_id: str
    generated_at: dt.datetime
    subjects: list[SubjectOut]
    students: list[StudentOut]
    totals: TotalsOut
    class_name: str | None
    school_id: str
    period: PeriodOut


class JobRequest(BaseModel):
    kind: Literal["school", "city"] = Field(
        description="school: every class of one school; city: every class of every school"
    )
    school_id: str | None = Field(None, max_length=36, description="required for kind=school")
    period_id: str = Field(
        max_length=36,
        description="a period of the school; for the city, every school's period with the "
        "same year name, kind and number",
    )
    format: str = Field(description="pdf, xlsx or pdf+xlsx (files inside the ZIP)")


class JobCreated(BaseModel):
    job_id: str
    status: str


class JobOut(BaseModel):
    job_id: str
    status: Literal["queued", "running", "done", "failed"]
    progress: float = Field(ge=0, le=1)
    result_url: str | None = None
    kind: str
    school_id: str | None
    period_id: str
    format: str
    total: int = Field(description="work items: one per class and one per school")
    done: int
    created_at: dt.datetime
    finished_at: dt.datetime | None = None
    error: str | None = None


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
