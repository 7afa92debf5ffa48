"""What a teacher teaches in a class, from the teaching assignments (R-REC-3 rests on it)."""

from __future__ import annotations

from kit.errors import Invalid
from services.journal import policy
from services.journal.models import SchoolClass
from services.journal.repository import assignments
from services.journal.service.context import Ctx


async def teaching(ctx: Ctx, school_class: SchoolClass) -> policy.Teaching:
    """What the asker teaches in this class (for the policy)."""
    person = ctx.actor.person_id
    if person is None:
        return policy.Teaching(frozenset())
    rows = await assignments.assignments(
        ctx.session, school_class.school_id, class_id=school_class.id, teacher_id=person
    )
    return policy.Teaching(
        frozenset((a.subject_id, a.group_id) for a in rows),
        is_class_teacher=school_class.class_teacher_id == person,
    )


async def check_assigned(
    ctx: Ctx, school_class: SchoolClass, subject_id: str, group_id: str | None, teacher_id: str
) -> None:
    """The teacher is assigned to the subject in this class (or to this group of it)."""
    rows = await assignments.assignments(
        ctx.session, school_class.school_id, class_id=school_class.id, teacher_id=teacher_id
    )
    covered = policy.Teaching(frozenset((a.subject_id, a.group_id) for a in rows))
    if not covered.covers(subject_id, group_id):
        raise Invalid(
            "this teacher is not assigned to this subject in this class (or group)",
            code="teacher_not_assigned",
        )
