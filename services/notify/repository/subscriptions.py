"""Queries on subscriptions."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.notify.models import Subscription


async def of_person(session: AsyncSession, school_id: str, person_id: str) -> Subscription | None:
    return (
        await session.execute(
            select(Subscription).where(
                Subscription.school_id == school_id, Subscription.person_id == person_id
            )
        )
    ).scalar_one_or_none()


async def of_people(
    session: AsyncSession, school_id: str, person_ids: Sequence[str]
) -> dict[str, Subscription]:
    if not person_ids:
        return {}
    rows = await session.execute(
        select(Subscription).where(
            Subscription.school_id == school_id, Subscription.person_id.in_(person_ids)
        )
    )
    return {s.person_id: s for s in rows.scalars()}


def add(session: AsyncSession, subscription: Subscription) -> None:
    session.add(subscription)
