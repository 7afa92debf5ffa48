"""Queries of consents to personal-data processing (R-SEC-3)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.identity.models import Consent, Person


async def active(session: AsyncSession, school_id: str, person_id: str) -> Consent | None:
    rows = await session.execute(
        select(Consent).where(
            Consent.school_id == school_id,
            Consent.person_id == person_id,
            Consent.withdrawn_at.is_(None),
        )
    )
    return rows.scalars().first()


async def history(session: AsyncSession, school_id: str, person_id: str) -> list[Consent]:
    rows = await session.execute(
        select(Consent)
        .where(Consent.school_id == school_id, Consent.person_id == person_id)
        .order_by(Consent.recorded_at.desc())
    )
    return list(rows.scalars().all())


def add(session: AsyncSession, consent: Consent) -> None:
    session.add(consent)


async def parents_without_consent(
    session: AsyncSession, school_id: str, limit: int, offset: int
) -> list[Person]:
    given = select(Consent.person_id).where(
        Consent.school_id == school_id, Consent.withdrawn_at.is_(None)
    )
    rows = await session.execute(
        select(Person)
        .where(Person.school_id == school_id, Person.kind == "parent", Person.id.not_in(given))
        .order_by(Person.last_name, Person.first_name, Person.id)
        .limit(limit)
        .offset(offset)
    )
    return list(rows.scalars().all())
