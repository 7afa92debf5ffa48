"""Guardianship: a parent (legal guardian) linked to a student of the same school."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.identity import GuardianLinked
from kit.auth import CurrentUser
from kit.errors import Invalid
from services.identity.policy import Action, authorize
from services.identity.repository import guardianships as guardian_rows
from services.identity.service import relations
from services.identity.service.deps import Deps


async def link(
    session: AsyncSession, deps: Deps, user: CurrentUser, parent_id: str, student_id: str
) -> bool:
    """Link them; False when they already were (nothing changes, nothing is announced)."""
    student = await relations.person_for(session, user, student_id)
    parent = await relations.person_for(session, user, parent_id)
    authorize(user, Action.link_guardian, await relations.to_person(session, user, student))
    if student.kind != "student":
        raise Invalid("student_id does not name a student", code="not_a_student")
    if parent.kind != "parent" or parent.school_id != student.school_id:
        raise Invalid("parent_id does not name a parent", code="not_a_parent")
    created = await guardian_rows.link(
        session, student.school_id, [(parent.id, student.id)], deps.now(), user.account_id
    )
    if created:
        await deps.outbox.add(
            session,
            GuardianLinked(parent_id=parent.id, student_id=student.id),
            school_id=student.school_id,
        )
    return bool(created)
