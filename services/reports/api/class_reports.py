"""The class teacher's reports on their class over HTTP: the risk group (R-RPT-5) and the
preliminary report (R-RPT-4), both asked the same way (`ClassPeriodDep`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends

from kit.app import UseCaseDep
from kit.errors import problem_responses
from kit.params import Id
from kit.usecase import UseCase
from services.reports.api.deps import SettingsDep
from services.reports.api.monitoring import PeriodQuery, attendance_out, risk_out
from services.reports.schemas.class_reports import (
    PreliminaryOut,
    PreliminaryStudentOut,
    RiskGroupOut,
    SubjectNameOut,
    SuggestionOut,
)
from services.reports.service import class_reports
from services.reports.settings import ReportsSettings

router = APIRouter(prefix="/reports/v1", tags=["monitoring"])


@dataclass(frozen=True)
class ClassPeriod:
    """A report on one class for one period, asked in `uc` (whose actor decides who may read it)."""

    class_id: str
    period_id: str
    uc: UseCase
    settings: ReportsSettings

    def heading(self, found: class_reports.ClassView) -> dict[str, Any]:
        """What every class report opens with: the class, the period and the day it shows."""
        return {
            "class_id": self.class_id,
            "class_name": found.school_class.name,
            "period_id": self.period_id,
            "as_of": found.seen.day,
        }


def class_period(
    class_id: Id,
    period_id: PeriodQuery,
    uc: UseCaseDep,
    settings: SettingsDep,
) -> ClassPeriod:
    return ClassPeriod(class_id, period_id, uc, settings)


ClassPeriodDep = Annotated[ClassPeriod, Depends(class_period)]


@router.get(
    "/classes/{class_id}/risk-group",
    response_model=RiskGroupOut,
    summary="The class's risk group, for its class teacher (R-RPT-5)",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def risk_group(asked: ClassPeriodDep) -> RiskGroupOut:
    threshold = asked.settings.risk_unexcused_absences
    found = await class_reports.risk_group(asked.uc, asked.class_id, asked.period_id, threshold)
    seen = found.seen
    return RiskGroupOut(
        **asked.heading(found),
        unexcused_absences_threshold=found.threshold,
        students=[risk_out(r, seen.names, seen.subject_names) for r in found.students],
    )


@router.get(
    "/classes/{class_id}/preliminary",
    response_model=PreliminaryOut,
    summary="Preliminary performance and attendance of a class (R-RPT-4)",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def preliminary(asked: ClassPeriodDep) -> PreliminaryOut:
    days = asked.settings.preliminary_days_before_end
    found = await class_reports.preliminary(asked.uc, asked.class_id, asked.period_id, days)
    seen = found.seen
    return PreliminaryOut(
        **asked.heading(found),
        due_on=found.due_on,
        subjects=[SubjectNameOut(id=s, name=seen.subject_names.get(s)) for s in seen.subjects],
        students=[
            PreliminaryStudentOut(
                id=student.student_id,
                name=seen.names[student.student_id],
                subjects={
                    sid: SuggestionOut(
                        weighted_average=s.weighted_average, count=s.count, suggested_mark=s.mark
                    )
                    for sid, s in student.suggestions.items()
                },
                attendance=attendance_out(student.attendance),
            )
            for student in found.students
        ],
    )
