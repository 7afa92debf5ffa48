"""Monitoring (R-RPT-2) with each class's risk group (R-RPT-5), and the performance tables
(R-RPT-3), over HTTP."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from kit.app import UseCaseDep
from kit.errors import problem_responses
from kit.params import Id
from services.reports import policy
from services.reports.api.deps import SettingsDep
from services.reports.api.sheets import counts_out
from services.reports.rules.summary_sheet import ratio_half_up
from services.reports.schemas.class_reports import AttendanceOut
from services.reports.schemas.monitoring import (
    ClassMonitoringOut,
    MonitoringOut,
    MonitoringRowOut,
    ParticipationOut,
    PerformanceOut,
    PerformanceRowOut,
    RiskStudentOut,
    RiskSubjectOut,
    TeacherMonitoringOut,
)
from services.reports.service import monitoring, performance, watch
from services.reports.service.monitoring import Monitoring, pct
from services.reports.service.performance import Grouping, PerformanceRow

router = APIRouter(prefix="/reports/v1", tags=["monitoring"])
PeriodQuery = Annotated[str, Query(max_length=36)]


@router.get(
    "/schools/{school_id}/monitoring",
    response_model=MonitoringOut,
    summary="The deputy's monitoring of the journal (R-RPT-2) with risk groups (R-RPT-5)",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def school_monitoring(
    school_id: Id,
    period_id: PeriodQuery,
    uc: UseCaseDep,
    settings: SettingsDep,
) -> MonitoringOut:
    policy.may_read_school(uc.actor, school_id)
    threshold = settings.risk_unexcused_absences
    found = await monitoring.school_monitoring(uc, school_id, period_id, threshold)
    return monitoring_out(found, uc.now)


@router.get(
    "/schools/{school_id}/performance",
    response_model=PerformanceOut,
    summary="Успеваемость и качество знаний per class, grade, subject or school (R-RPT-3)",
    responses=problem_responses(401, 403, 404, 422),
)
async def school_performance(
    school_id: Id,
    period_id: PeriodQuery,
    uc: UseCaseDep,
    by: Annotated[Grouping, Query(description="class, grade, subject or school")] = "class",
) -> PerformanceOut:
    policy.may_read_school(uc.actor, school_id)
    rows = await performance.school_performance(uc, school_id, period_id, by)
    return PerformanceOut(
        school_id=school_id,
        period_id=period_id,
        by=by,
        generated_at=uc.now,
        rows=[performance_row_out(r) for r in rows],
    )


def attendance_out(tally: watch.AttendanceTally) -> AttendanceOut:
    return AttendanceOut(
        absences=tally.absences,
        absences_respected=tally.respected,
        absences_unrespected=tally.unrespected,
        absences_unexplained=tally.unexplained,
        lates=tally.lates,
    )


def risk_out(
    student: watch.RiskStudent, names: dict[str, str | None], subjects: dict[str, str]
) -> RiskStudentOut:
    return RiskStudentOut(
        student_id=student.student_id,
        name=names.get(student.student_id),
        low_subjects=[
            RiskSubjectOut(subject_id=s, subject_name=subjects.get(s), weighted_average=avg)
            for s, avg in student.low_subjects
        ],
        unexcused_absences=student.unexcused_absences,
    )


def performance_row_out(row: PerformanceRow) -> PerformanceRowOut:
    figures = row.figures
    return PerformanceRowOut(
        key=row.key,
        name=row.name,
        counts=counts_out(row.counts),
        performance_pct=figures["performance_pct"],
        quality_pct=figures["quality_pct"],
        sou_pct=figures["sou_pct"],
        average=figures["average"],
        students=row.enrolled,
        students_with_period_marks=row.students.with_marks,
        students_performing=row.students.passing,
        students_good=row.students.good,
        students_performance_pct=figures["students_performance_pct"],
        students_quality_pct=figures["students_quality_pct"],
    )


def monitoring_out(found: Monitoring, now: dt.datetime) -> MonitoringOut:
    names = {c.class_id: c.name for c in found.classes}
    rows = [
        MonitoringRowOut(
            class_id=r.class_id,
            class_name=names.get(r.class_id),
            subject_id=r.subject_id,
            subject_name=found.subject_names.get(r.subject_id),
            teacher_ids=r.teachers,
            teacher_names=[found.name(t) for t in r.teachers],
            lessons_planned=r.lessons.planned,
            lessons_held=r.lessons.held,
            plan_progress_pct=pct(r.lessons.held, r.lessons.planned),
            lessons_with_topic=r.lessons.with_topic,
            topic_pct=pct(r.lessons.with_topic, r.lessons.held),
            lessons_with_homework=r.lessons.with_homework,
            homework_pct=pct(r.lessons.with_homework, r.lessons.held),
            replaced_lessons=r.lessons.replaced,
            marks=r.marks,
            marks_on_time=r.marks - r.late,
            marks_late=r.late,
            students=r.students,
            students_without_marks=r.without_marks,
            students_with_one_mark=r.with_one_mark,
            mark_accumulation=ratio_half_up(r.marks, r.students, 2),
            absences=r.attendance.absences,
            absences_respected=r.attendance.respected,
            absences_unrespected=r.attendance.unrespected,
            absences_unexplained=r.attendance.unexplained,
            lates=r.attendance.lates,
        )
        for r in found.rows
    ]
    teachers = [
        TeacherMonitoringOut(
            teacher_id=t.teacher_id,
            teacher_name=found.name(t.teacher_id),
            lessons_held=t.lessons.held,
            lessons_with_topic=t.lessons.with_topic,
            topic_pct=pct(t.lessons.with_topic, t.lessons.held),
            lessons_with_homework=t.lessons.with_homework,
            homework_pct=pct(t.lessons.with_homework, t.lessons.held),
            lessons_as_substitute=t.lessons.replaced,
            marks=t.marks,
            marks_on_time=t.marks - t.late,
            marks_late=t.late,
            late_pct=pct(t.late, t.marks),
        )
        for t in found.teachers
    ]
    classes = []
    for school_class in found.classes:
        class_id = school_class.class_id
        tally = found.class_attendance.get(class_id, watch.AttendanceTally())
        absences = attendance_out(tally)
        classes.append(
            ClassMonitoringOut(
                class_id=class_id,
                class_name=school_class.name,
                class_teacher_id=school_class.class_teacher_id,
                class_teacher_name=found.name(school_class.class_teacher_id),
                students=found.class_students.get(class_id, 0),
                **absences.model_dump(),
                risk_group=[
                    risk_out(r, {r.student_id: found.name(r.student_id)}, found.subject_names)
                    for r in found.risk.get(class_id, [])
                ],
            )
        )
    return MonitoringOut(
        school_id=found.school_id,
        period_id=found.period.period_id,
        as_of=found.as_of,
        generated_at=now,
        participation=ParticipationOut(
            teachers=found.teachers_known,
            teachers_active=found.teachers_active,
            teachers_active_pct=pct(found.teachers_active, found.teachers_known),
        ),
        rows=rows,
        teachers=teachers,
        classes=classes,
    )
