"""Queries of the archive's ledger of the journal (`ledger_entry`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from kit.db import insert_for
from services.archive.models import LedgerEntry
from services.archive.rules.packaging import LedgerRecord


async def add_entry(session: AsyncSession, values: dict[str, Any]) -> None:
    """Append one event; an id already in the ledger changes nothing (append-only)."""
    await session.execute(
        insert_for(session, LedgerEntry).values(**values).on_conflict_do_nothing()
    )


async def year_of_subject(session: AsyncSession, school_id: str, subject: str) -> str | None:
    """The year of a class, lesson or mark, from the entries about it that know their year."""
    return (
        await session.execute(
            select(LedgerEntry.year_id)
            .where(
                LedgerEntry.school_id == school_id,
                LedgerEntry.subject == subject,
                LedgerEntry.year_id.is_not(None),
            )
            .limit(1)
        )
    ).scalar_one_or_none()


async def resolve_pending_years(session: AsyncSession, school_id: str) -> int:
    """Give entries that arrived before the object they name that object's year, now known.

    Chains (an attendance names a lesson that names a class) resolve over repeated passes.
    """
    known = aliased(LedgerEntry)
    source = (
        select(known.year_id)
        .where(
            known.school_id == LedgerEntry.school_id,
            known.subject == LedgerEntry.year_ref,
            known.year_id.is_not(None),
        )
        .limit(1)
        .scalar_subquery()
    )
    found = exists(
        select(known.event_id).where(
            known.school_id == LedgerEntry.school_id,
            known.subject == LedgerEntry.year_ref,
            known.year_id.is_not(None),
        )
    )
    total = 0
    for _ in range(4):
        result = await session.execute(
            update(LedgerEntry)
            .where(
                LedgerEntry.school_id == school_id,
                LedgerEntry.year_id.is_(None),
                LedgerEntry.year_ref.is_not(None),
                found,
            )
            .values(year_id=source)
            .execution_options(synchronize_session=False)
        )
        changed = int(getattr(result, "rowcount", 0) or 0)
        total += changed
        if not changed:
            break
    return total


async def year_ledger(session: AsyncSession, school_id: str, year_id: str) -> list[LedgerRecord]:
    """The year's entries plus those of no known year, in the order they happened."""
    rows = await session.execute(
        select(
            LedgerEntry.event_id,
            LedgerEntry.event_type,
            LedgerEntry.occurred_at,
            LedgerEntry.subject,
            LedgerEntry.actor_id,
            LedgerEntry.data,
        )
        .where(
            LedgerEntry.school_id == school_id,
            (LedgerEntry.year_id == year_id) | LedgerEntry.year_id.is_(None),
        )
        .order_by(LedgerEntry.occurred_at, LedgerEntry.event_id)
    )
    return [LedgerRecord(*row) for row in rows.all()]


async def count_entries(session: AsyncSession, school_id: str) -> int:
    return int(
        (
            await session.execute(select(func.count()).where(LedgerEntry.school_id == school_id))
        ).scalar_one()
    )
