"""Who may read which report (one place, tested as a matrix).

- the school's leaders (school_admin, director, deputy) read every report of their school;
- a teacher reads the summary sheets of the classes they teach (lessons or marks with their
  id) or lead as class teacher (R-REC-3, R-REC-4); the class teacher also reads the class's
  preliminary report and risk group (R-RPT-4, R-RPT-5);
- the city operator runs and reads report jobs for any school or the whole city;
- students and parents read none: their data is the journal's diary.
Another school's objects answer 404 (the caller checks the school before the relation).
"""

from __future__ import annotations

from enum import StrEnum

from contracts.identity import Role
from kit.errors import Forbidden, NotFound
from kit.usecase import Actor

LEADERS = frozenset({Role.school_admin, Role.director, Role.deputy})


class ClassReport(StrEnum):
    summary_sheet = "summary_sheet"
    preliminary = "preliminary"
    risk_group = "risk_group"


def reader_school(actor: Actor) -> str:
    """The school whose reports the actor may read at all (leaders and teachers only)."""
    if not actor.has_any(*LEADERS, Role.teacher):
        raise Forbidden("reports are read by the school's staff", code="reports_not_for_role")
    if actor.school_id is None:
        raise Forbidden("reports belong to a school", code="school_required")
    return actor.school_id


def same_school(user_school: str, object_school: str | None, what: str) -> None:
    """Another school's object is reported as missing, never as forbidden."""
    if object_school != user_school:
        raise NotFound(f"{what} not found", code=f"{what.replace(' ', '_')}_not_found")


def may_read_class(
    actor: Actor,
    report: ClassReport,
    *,
    class_teacher_id: str | None,
    teaches: bool,
) -> None:
    if actor.has_any(*LEADERS):
        return
    is_class_teacher = actor.person_id is not None and actor.person_id == class_teacher_id
    if actor.has_any(Role.teacher):
        if is_class_teacher:
            return
        if report is ClassReport.summary_sheet and teaches:
            return
    raise Forbidden(
        "only the class's teachers, its class teacher and the school's leaders read this",
        code="not_your_class",
    )


def needs_teaching_check(actor: Actor, class_teacher_id: str | None) -> bool:
    """Whether deciding needs the read model (a teacher who is not the class teacher)."""
    return not actor.has_any(*LEADERS) and actor.person_id != class_teacher_id


def may_read_school(actor: Actor, school_id: str) -> None:
    """Monitoring and performance tables of a whole school: its leaders."""
    school = reader_school(actor)
    same_school(school, school_id, "school")
    if not actor.has_any(*LEADERS):
        raise Forbidden("school-wide reports are for the school's leaders", code="leaders_only")


def may_request_job(actor: Actor, kind: str, school_id: str | None) -> None:
    """School jobs: the school's leaders or the operator; city jobs: the operator."""
    if actor.is_operator:
        return
    if kind == "city":
        raise Forbidden("the city's jobs are run by the operator", code="operator_only")
    may_read_school(actor, school_id or "")


def may_read_job(actor: Actor, job_school_id: str | None, requested_by: str) -> None:
    if actor.is_operator or actor.account_id == requested_by:
        return
    if actor.school_id is None or job_school_id != actor.school_id:
        raise NotFound("job not found", code="job_not_found")
    if not actor.has_any(*LEADERS):
        raise NotFound("job not found", code="job_not_found")
