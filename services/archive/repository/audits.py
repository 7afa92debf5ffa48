"""Queries of the fixity audits (`fixity_audit`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.archive.models import FixityAudit


def add_audit(session: AsyncSession, audit: FixityAudit) -> None:
    session.add(audit)


async def last_audit_started(session: AsyncSession, trigger: str) -> dt.datetime | None:
    return (
        await session.execute(
            select(func.max(FixityAudit.started_at)).where(FixityAudit.trigger == trigger)
        )
    ).scalar_one_or_none()
