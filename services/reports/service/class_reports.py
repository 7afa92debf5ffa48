"""The class teacher's reports on their class up to the school's today: the risk group
(R-RPT-5) and the preliminary report (R-RPT-4)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kit.auth import CurrentUser
from kit.usecase import UseCase
from services.reports.models import Period, SchoolClass
from services.reports.policy import ClassReport
from services.reports.service import access, school_day, watch


@dataclass
class RiskGroup:
    klass: SchoolClass
    period: Period
    threshold: int
    seen: watch.ClassWatch
    students: list[watch.RiskStudent]


@dataclass
class PreliminaryStudent:
    student_id: str
    suggestions: dict[str, watch.Suggestion]
    attendance: watch.AttendanceTally


@dataclass
class Preliminary:
    klass: SchoolClass
    period: Period
    due_on: dt.date
    seen: watch.ClassWatch
    students: list[PreliminaryStudent]


async def _watch(
    uc: UseCase, user: CurrentUser, class_id: str, period_id: str, report: ClassReport
) -> tuple[SchoolClass, Period, watch.ClassWatch]:
    klass = await access.readable_class(uc.session, user, class_id, report)
    period = await access.period_of_class(uc.session, klass, period_id)
    today = await school_day.today(uc, klass.school_id)
    return klass, period, await watch.class_watch(uc.session, klass, period, today)


async def risk_group(
    uc: UseCase, user: CurrentUser, class_id: str, period_id: str, threshold: int
) -> RiskGroup:
    """R-RPT-5: the class's students at risk, as of the school's today."""
    klass, period, seen = await _watch(uc, user, class_id, period_id, ClassReport.risk_group)
    found = watch.risk_group(
        class_id, seen.members, seen.day, seen.marks, seen.attendance, threshold
    )
    return RiskGroup(klass, period, threshold, seen, found)


async def preliminary(
    uc: UseCase, user: CurrentUser, class_id: str, period_id: str, days_before_end: int
) -> Preliminary:
    """R-RPT-4: each student's suggested marks and attendance so far."""
    klass, period, seen = await _watch(uc, user, class_id, period_id, ClassReport.preliminary)
    students = [
        PreliminaryStudent(
            student,
            watch.suggestions(seen.subjects, seen.marks.get((class_id, student), {})),
            seen.attendance.get((class_id, student), watch.AttendanceTally()),
        )
        for student in seen.students
    ]
    due = watch.due_on(period.ends_on, days_before_end)
    return Preliminary(klass, period, due, seen, students)
