"""Finding the class and period a request names, and deciding whether the actor may read it.

The school is checked before anything else, so another school's class or period answers
404 exactly like one that does not exist.
"""

from __future__ import annotations

from kit.errors import NotFound
from kit.usecase import UseCase
from services.reports import policy
from services.reports.models import Period, SchoolClass
from services.reports.policy import ClassReport
from services.reports.repository import reads


async def readable_class(uc: UseCase, class_id: str, report: ClassReport) -> SchoolClass:
    school_id = policy.reader_school(uc.actor)
    school_class = await reads.school_class(uc.session, class_id)
    policy.same_school(school_id, school_class.school_id if school_class else None, "class")
    assert school_class is not None
    teaches = False
    if report is ClassReport.summary_sheet and policy.needs_teaching_check(
        uc.actor, school_class.class_teacher_id
    ):
        teaches = uc.actor.person_id is not None and await reads.teaches(
            uc.session, class_id, uc.actor.person_id
        )
    policy.may_read_class(
        uc.actor, report, class_teacher_id=school_class.class_teacher_id, teaches=teaches
    )
    return school_class


async def period_of_class(uc: UseCase, school_class: SchoolClass, period_id: str) -> Period:
    """A period of the class's school and year; any other answers 404."""
    period = await reads.period(uc.session, period_id)
    if (
        period is None
        or period.school_id != school_class.school_id
        or (school_class.year_id is not None and school_class.year_id != period.year_id)
    ):
        raise NotFound("period not found", code="period_not_found")
    return period


async def period_of_school(uc: UseCase, school_id: str, period_id: str) -> Period:
    period = await reads.period(uc.session, period_id)
    if period is None or period.school_id != school_id:
        raise NotFound("period not found", code="period_not_found")
    return period
