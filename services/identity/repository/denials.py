"""Queries of the deny-list's database copy."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.identity.models import Denial


def add(session: AsyncSession, denial: Denial) -> None:
    session.add(denial)


async def living(session: AsyncSession, now: dt.datetime) -> list[Denial]:
    """Entries that still matter, an account's oldest instant first (the newest is written
    last, so it is the one Redis keeps)."""
    rows = await session.execute(
        select(Denial)
        .where(Denial.expires_at > now)
        .order_by(Denial.kind, Denial.subject, Denial.issued_before)
    )
    return list(rows.scalars().all())


async def purge(session: AsyncSession, now: dt.datetime) -> int:
    result = await session.execute(delete(Denial).where(Denial.expires_at <= now))
    return int(getattr(result, "rowcount", 0) or 0)
