"""Queries of the schools' time zones (`school`), as identity announced them."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import table_of, upsert_newer
from services.archive.models import School


async def save_timezone(
    session: AsyncSession, school_id: str, timezone: str, sequence: int | None
) -> None:
    """Insert or update a school's zone; an event older than the one applied (by sequence)
    changes nothing."""
    await upsert_newer(
        session,
        table_of(School),
        ["id"],
        [{"id": school_id, "timezone": timezone, "sequence": sequence}],
        sequence="sequence",
    )


async def timezones(session: AsyncSession, school_ids: Collection[str]) -> dict[str, str]:
    """school id → its IANA zone, for those of the schools the archive heard of."""
    if not school_ids:
        return {}
    rows = await session.execute(
        select(School.id, School.timezone).where(School.id.in_(sorted(set(school_ids))))
    )
    return {school_id: timezone for school_id, timezone in rows.all()}
