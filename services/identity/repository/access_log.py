"""Queries of the access log and of monthly account activity (R-SEC-1, R-SEC-5, R-RPT-3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import insert_for
from services.identity.models import AccessLogEntry, AccountActivity


def add(session: AsyncSession, entries: list[AccessLogEntry]) -> None:
    session.add_all(entries)


@dataclass(frozen=True)
class LogFilter:
    school_id: str
    actions: Collection[str] = ()
    actor_account_id: str | None = None
    subject_person_id: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    before_id: str | None = None


async def entries(session: AsyncSession, where: LogFilter, limit: int) -> list[AccessLogEntry]:
    """Newest first; `before_id` continues a previous page (ids grow with time)."""
    query = select(AccessLogEntry).where(AccessLogEntry.school_id == where.school_id)
    if where.actions:
        query = query.where(AccessLogEntry.action.in_(list(where.actions)))
    if where.actor_account_id:
        query = query.where(AccessLogEntry.actor_account_id == where.actor_account_id)
    if where.subject_person_id:
        query = query.where(AccessLogEntry.subject_person_id == where.subject_person_id)
    if where.since:
        query = query.where(AccessLogEntry.at >= where.since)
    if where.until:
        query = query.where(AccessLogEntry.at < where.until)
    if where.before_id:
        query = query.where(AccessLogEntry.id < where.before_id)
    rows = await session.execute(query.order_by(AccessLogEntry.id.desc()).limit(limit))
    return list(rows.scalars().all())


async def count_actions(
    session: AsyncSession, school_id: str, action: str, since: dt.datetime, until: dt.datetime
) -> list[tuple[str, int]]:
    """(actor roles, how many) of one action in a time range."""
    rows = await session.execute(
        select(AccessLogEntry.actor_roles, func.count())
        .where(
            AccessLogEntry.school_id == school_id,
            AccessLogEntry.action == action,
            AccessLogEntry.at >= since,
            AccessLogEntry.at < until,
        )
        .group_by(AccessLogEntry.actor_roles)
    )
    return [(str(r[0] or ""), int(r[1])) for r in rows.all()]


async def record_activity(
    session: AsyncSession,
    *,
    school_id: str,
    account_id: str,
    roles: str,
    month: str,
    at: dt.datetime,
    login: bool,
) -> None:
    stmt = insert_for(session, AccountActivity).values(
        month=month,
        account_id=account_id,
        school_id=school_id,
        roles=roles,
        logins=1 if login else 0,
        refreshes=0 if login else 1,
        last_seen_at=at,
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[AccountActivity.month, AccountActivity.account_id],
            set_={
                "roles": stmt.excluded.roles,
                "logins": AccountActivity.logins + stmt.excluded.logins,
                "refreshes": AccountActivity.refreshes + stmt.excluded.refreshes,
                "last_seen_at": stmt.excluded.last_seen_at,
            },
        )
    )


async def activity(session: AsyncSession, school_id: str, month: str) -> list[AccountActivity]:
    rows = await session.execute(
        select(AccountActivity).where(
            AccountActivity.school_id == school_id, AccountActivity.month == month
        )
    )
    return list(rows.scalars().all())
