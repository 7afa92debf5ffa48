"""Queries of refresh tokens and their families."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.identity.models import RefreshToken


async def get(session: AsyncSession, token_id: str) -> RefreshToken | None:
    return await session.get(RefreshToken, token_id)


def add(session: AsyncSession, token: RefreshToken) -> None:
    session.add(token)


async def claim(session: AsyncSession, token_id: str, now: dt.datetime) -> bool:
    """Mark the token used, unless a concurrent request already did: True when we won."""
    result = await session.execute(
        update(RefreshToken)
        .where(RefreshToken.id == token_id, RefreshToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def revoke_family(
    session: AsyncSession, family_id: str, now: dt.datetime
) -> list[RefreshToken]:
    """Revoke every link of the family; return them (their access tokens may still live)."""
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    rows = await session.execute(
        select(RefreshToken)
        .where(RefreshToken.family_id == family_id)
        .execution_options(populate_existing=True)
    )
    return list(rows.scalars().all())


async def revoke_account(session: AsyncSession, account_id: str, now: dt.datetime) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.account_id == account_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
