"""Queries of accounts (logins are unique in the whole city, so some queries span schools)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.identity.models import Account


async def get(session: AsyncSession, account_id: str) -> Account | None:
    return await session.get(Account, account_id)


async def by_login(session: AsyncSession, login: str, *, shared: bool = False) -> Account | None:
    """`shared`: read it FOR SHARE, so a change being committed to the account (a compromise
    report) is waited for and seen, never read around."""
    query = select(Account).where(Account.login == login.lower())
    if shared:
        query = query.with_for_update(read=True)
    rows = await session.execute(query)
    return rows.scalar_one_or_none()


async def of_person(session: AsyncSession, school_id: str, person_id: str) -> Account | None:
    rows = await session.execute(
        select(Account).where(Account.school_id == school_id, Account.person_id == person_id)
    )
    return rows.scalar_one_or_none()


async def of_people(
    session: AsyncSession, school_id: str, person_ids: Collection[str]
) -> dict[str, Account]:
    if not person_ids:
        return {}
    rows = await session.execute(
        select(Account).where(
            Account.school_id == school_id, Account.person_id.in_(list(person_ids))
        )
    )
    return {a.person_id: a for a in rows.scalars().all() if a.person_id is not None}


async def of_school(session: AsyncSession, school_id: str) -> list[Account]:
    rows = await session.execute(select(Account).where(Account.school_id == school_id))
    return list(rows.scalars().all())


async def logins_starting_with(session: AsyncSession, base: str) -> set[str]:
    """Every login that is `base` or extends it (`base2`, `base3`…), city-wide."""
    rows = await session.execute(select(Account.login).where(Account.login.like(f"{base}%")))
    return set(rows.scalars().all())


async def compromised_since(session: AsyncSession, since: dt.datetime) -> list[Account]:
    rows = await session.execute(
        select(Account).where(Account.status == "compromised", Account.compromised_at >= since)
    )
    return list(rows.scalars().all())


def add(session: AsyncSession, account: Account) -> None:
    session.add(account)
