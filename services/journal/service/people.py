"""People, guardianships and schools as identity announces them (event-carried state)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.identity import PersonRegistered, PersonUpdated, SchoolRegistered
from services.journal.repository import core as repo
from services.journal.service.common import DEFAULT_HOMEWORK_LIMIT


async def remember_person(session: AsyncSession, event: PersonRegistered | PersonUpdated) -> None:
    """The journal keeps names only: no birth dates or e-mails travel in events."""
    await repo.upsert_person(
        session,
        {
            "id": event.person_id,
            "school_id": event.school_id,
            "kind": event.kind,
            "last_name": event.last_name,
            "first_name": event.first_name,
            "middle_name": event.middle_name,
            "roles": ",".join(sorted(event.roles)),
        },
    )


async def remember_school(session: AsyncSession, event: SchoolRegistered) -> None:
    current = await repo.school(session, event.school_id)
    await repo.upsert_school(
        session,
        {
            "id": event.school_id,
            "name": event.name,
            "timezone": event.timezone,
            "homework_limit_minutes": (
                current.homework_limit_minutes if current else DEFAULT_HOMEWORK_LIMIT
            ),
        },
    )


async def link_guardian(session: AsyncSession, school_id: str, parent: str, student: str) -> None:
    await repo.link_guardian(session, school_id, parent, student)
