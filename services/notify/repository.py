"""Every query of the notify service."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from services.notify.models import Delivery, Guardianship


async def link_guardian(
    session: AsyncSession, school_id: str, parent_id: str, student_id: str
) -> None:
    insert = postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert
    await session.execute(
        insert(Guardianship)
        .values(school_id=school_id, parent_id=parent_id, student_id=student_id)
        .on_conflict_do_nothing()
    )


async def guardians_of(session: AsyncSession, school_id: str, student_id: str) -> list[str]:
    rows = await session.execute(
        select(Guardianship.parent_id).where(
            Guardianship.school_id == school_id, Guardianship.student_id == student_id
        )
    )
    return list(rows.scalars().all())


def add_deliveries(session: AsyncSession, deliveries: list[Delivery]) -> None:
    session.add_all(deliveries)


async def deliveries_for(
    session: AsyncSession, school_id: str, recipient_id: str | None, limit: int
) -> list[Delivery]:
    query = select(Delivery).where(Delivery.school_id == school_id)
    if recipient_id is not None:
        query = query.where(Delivery.recipient_id == recipient_id)
    rows = await session.execute(query.order_by(Delivery.created_at.desc()).limit(limit))
    return list(rows.scalars().all())
