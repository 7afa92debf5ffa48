"""Every query of the archive service (scoped by school wherever a school is given)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from kit.db import insert_for
from services.archive.models import (
    FixityAudit,
    LedgerEntry,
    Package,
    PackageCopy,
    PackageStatus,
    SchoolYear,
)
from services.archive.packaging import LedgerRecord

AUDITED_STATUSES = (PackageStatus.stored.value, PackageStatus.lost.value)


# -- years -----------------------------------------------------------------------------------
async def save_year(session: AsyncSession, values: dict[str, Any]) -> None:
    stmt = insert_for(session, SchoolYear).values(**values)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[SchoolYear.id],
            set_={k: stmt.excluded[k] for k in ("name", "starts_on", "ends_on")},
        )
    )


async def close_year(
    session: AsyncSession, school_id: str, year_id: str, closed_on: dt.date, closed_at: dt.datetime
) -> None:
    await session.execute(
        update(SchoolYear)
        .where(SchoolYear.id == year_id, SchoolYear.school_id == school_id)
        .values(closed_on=closed_on, closed_at=closed_at)
    )


async def year(session: AsyncSession, school_id: str, year_id: str) -> SchoolYear | None:
    return (
        await session.execute(
            select(SchoolYear).where(SchoolYear.id == year_id, SchoolYear.school_id == school_id)
        )
    ).scalar_one_or_none()


async def years(session: AsyncSession, school_id: str | None) -> list[SchoolYear]:
    query = select(SchoolYear).order_by(SchoolYear.school_id, SchoolYear.starts_on)
    if school_id is not None:
        query = query.where(SchoolYear.school_id == school_id)
    return list((await session.execute(query)).scalars().all())


# -- ledger ----------------------------------------------------------------------------------
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


# -- packages --------------------------------------------------------------------------------
def add_package(session: AsyncSession, package: Package, copies: Sequence[PackageCopy]) -> None:
    session.add(package)
    session.add_all(copies)


async def package(session: AsyncSession, package_id: str) -> Package | None:
    return await session.get(Package, package_id)


async def copies_of(
    session: AsyncSession, package_ids: Sequence[str]
) -> dict[str, list[PackageCopy]]:
    if not package_ids:
        return {}
    rows = await session.execute(
        select(PackageCopy)
        .where(PackageCopy.package_id.in_(package_ids))
        .order_by(PackageCopy.package_id, PackageCopy.store)
    )
    found: dict[str, list[PackageCopy]] = defaultdict(list)
    for copy in rows.scalars().all():
        found[copy.package_id].append(copy)
    return found


async def packages(
    session: AsyncSession,
    school_id: str | None,
    *,
    year_id: str | None = None,
    kind: str | None = None,
    limit: int = 100,
) -> list[Package]:
    query = select(Package).order_by(Package.created_at.desc(), Package.id.desc()).limit(limit)
    if school_id is not None:
        query = query.where(Package.school_id == school_id)
    if year_id is not None:
        query = query.where(Package.year_id == year_id)
    if kind is not None:
        query = query.where(Package.kind == kind)
    return list((await session.execute(query)).scalars().all())


async def package_ids_to_audit(session: AsyncSession, school_id: str | None) -> list[str]:
    query = select(Package.id).where(Package.status.in_(AUDITED_STATUSES)).order_by(Package.id)
    if school_id is not None:
        query = query.where(Package.school_id == school_id)
    return list((await session.execute(query)).scalars().all())


async def latest_stored(
    session: AsyncSession, school_id: str, year_id: str, kind: str
) -> Package | None:
    return (
        await session.execute(
            select(Package)
            .where(
                Package.school_id == school_id,
                Package.year_id == year_id,
                Package.kind == kind,
                Package.status == PackageStatus.stored.value,
            )
            .order_by(Package.created_at.desc())
            .limit(1)
        )
    ).scalar_one_or_none()


# -- audits ----------------------------------------------------------------------------------
def add_audit(session: AsyncSession, audit: FixityAudit) -> None:
    session.add(audit)


async def last_audit_started(session: AsyncSession, trigger: str) -> dt.datetime | None:
    return (
        await session.execute(
            select(func.max(FixityAudit.started_at)).where(FixityAudit.trigger == trigger)
        )
    ).scalar_one_or_none()


async def last_stored_runs(session: AsyncSession) -> dict[tuple[str, str], dt.datetime]:
    """(year, kind) → when its latest stored package was made."""
    rows = await session.execute(
        select(Package.year_id, Package.kind, func.max(Package.created_at))
        .where(Package.status == PackageStatus.stored.value)
        .group_by(Package.year_id, Package.kind)
    )
    return {(year_id, kind): at for year_id, kind, at in rows.all()}
