"""Queries of the packages and their copies (`package`, `package_copy`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.archive.models import Package, PackageCopy, PackageView
from services.archive.rules.packaging import PackageStatus

AUDITED_STATUSES = (PackageStatus.stored.value, PackageStatus.lost.value)


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


async def last_stored_runs(session: AsyncSession) -> dict[tuple[str, str], dt.datetime]:
    """(year, kind) → when its latest stored package was made."""
    rows = await session.execute(
        select(Package.year_id, Package.kind, func.max(Package.created_at))
        .where(Package.status == PackageStatus.stored.value)
        .group_by(Package.year_id, Package.kind)
    )
    return {(year_id, kind): at for year_id, kind, at in rows.all()}


async def package_with_copies(session: AsyncSession, package_id: str) -> PackageView | None:
    found = await package(session, package_id)
    if found is None:
        return None
    return PackageView(found, (await copies_of(session, [found.id])).get(found.id, []))
