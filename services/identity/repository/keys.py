"""Queries of the signing key ring."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.identity.models import SigningKey


async def published(session: AsyncSession) -> list[SigningKey]:
    rows = await session.execute(
        select(SigningKey).where(SigningKey.retired_at.is_(None)).order_by(SigningKey.signs_from)
    )
    return list(rows.scalars().all())


async def all_keys(session: AsyncSession) -> list[SigningKey]:
    rows = await session.execute(select(SigningKey).order_by(SigningKey.signs_from))
    return list(rows.scalars().all())


def add(session: AsyncSession, row: SigningKey) -> None:
    session.add(row)
