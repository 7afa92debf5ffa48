"""Guardianship: a parent (legal guardian) linked to a student of the same school."""

from __future__ import annotations

from contracts.identity import GuardianLinked
from kit.errors import Invalid
from kit.usecase import UseCase
from services.identity.policy import Action, authorize
from services.identity.repository import guardianships as guardian_rows
from services.identity.service import relations


async def link(uc: UseCase, parent_id: str, student_id: str) -> bool:
    """Link them; False when they already were (nothing changes, nothing is announced)."""
    student = await relations.person_for(uc, student_id)
    parent = await relations.person_for(uc, parent_id)
    authorize(uc.actor, Action.link_guardian, await relations.to_person(uc, student))
    if student.kind != "student":
        raise Invalid("student_id does not name a student", code="not_a_student")
    if parent.kind != "parent" or parent.school_id != student.school_id:
        raise Invalid("parent_id does not name a parent", code="not_a_parent")
    created = await guardian_rows.link(
        uc.session, student.school_id, [(parent.id, student.id)], uc.now, uc.actor.account_id
    )
    if created:
        await uc.publish(
            student.school_id, [GuardianLinked(parent_id=parent.id, student_id=student.id)]
        )
    return bool(created)
