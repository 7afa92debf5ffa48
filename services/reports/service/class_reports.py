"""The class teacher's reports on their class up to the school's today: the risk group
(R-RPT-5) and the preliminary report (R-RPT-4)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kit.usecase import UseCase
from services.reports.models import Period, SchoolClass
from services.reports.policy import ClassReport
from services.reports.service import access, school_day, watch


@dataclass
class ClassView:
    """A class teacher's report: the class, the period, and what they see of it so far."""

    school_class: SchoolClass
    period: Period
    seen: watch.ClassWatch


@dataclass
class RiskGroup(ClassView):
    threshold: int
    students: list[watch.RiskStudent]


@dataclass
class PreliminaryStudent:
    student_id: str
    suggestions: dict[str, watch.Suggestion]
    attendance: watch.AttendanceTally


@dataclass
class Preliminary(ClassView):
    due_on: dt.date
    students: list[PreliminaryStudent]


async def _watch(
    uc: UseCase, class_id: str, period_id: str, report: ClassReport
) -> tuple[SchoolClass, Period, watch.ClassWatch]:
    school_class = await access.readable_class(uc, class_id, report)
    period = await access.period_of_class(uc, school_class, period_id)
    today = await school_day.today(uc, school_class.school_id)
    return school_class, period, await watch.class_watch(uc, school_class, period, today)


async def risk_group(uc: UseCase, class_id: str, period_id: str, threshold: int) -> RiskGroup:
    """R-RPT-5: the class's students at risk, as of the school's today."""
    school_class, period, seen = await _watch(uc, class_id, period_id, ClassReport.risk_group)
    found = watch.risk_group(
        class_id, seen.members, seen.day, seen.marks, seen.attendance, threshold
    )
    return RiskGroup(school_class, period, seen, threshold, found)


async def preliminary(
    uc: UseCase, class_id: str, period_id: str, days_before_end: int
) -> Preliminary:
    """R-RPT-4: each student's suggested marks and attendance so far."""
    school_class, period, seen = await _watch(uc, class_id, period_id, ClassReport.preliminary)
    students = [
        PreliminaryStudent(
            student,
            watch.suggestions(seen.subjects, seen.marks.get((class_id, student), {})),
            seen.attendance.get((class_id, student), watch.AttendanceTally()),
        )
        for student in seen.students
    ]
    due = watch.due_on(period.ends_on, days_before_end)
    return Preliminary(school_class, period, seen, due, students)
