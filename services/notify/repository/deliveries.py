"""Queries on deliveries: the diary feed, e-mails waiting to go, notices waiting for a digest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.notify.models import Delivery, School


def add(session: AsyncSession, deliveries: Sequence[Delivery]) -> None:
    session.add_all(deliveries)


async def for_recipient(
    session: AsyncSession,
    school_id: str,
    recipient_id: str | None,
    channel: str | None,
    limit: int,
) -> list[Delivery]:
    query = select(Delivery).where(Delivery.school_id == school_id)
    if recipient_id is not None:
        query = query.where(Delivery.recipient_id == recipient_id)
    if channel is not None:
        query = query.where(Delivery.channel == channel)
    rows = await session.execute(
        query.order_by(Delivery.created_at.desc(), Delivery.id.desc()).limit(limit)
    )
    return list(rows.scalars().all())


async def claim_due_emails(
    session: AsyncSession, now: dt.datetime, lease_until: dt.datetime, limit: int
) -> list[Delivery]:
    """Take the e-mails due now; they stay `pending` but are not due again until the lease
    ends, so a sender that dies mid-way leaves them for the next one (at least once)."""
    rows = list(
        (
            await session.execute(
                select(Delivery)
                .where(Delivery.status == "pending", Delivery.next_attempt_at <= now)
                .order_by(Delivery.next_attempt_at, Delivery.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        ).scalars()
    )
    if rows:
        await session.execute(
            update(Delivery)
            .where(Delivery.id.in_([r.id for r in rows]))
            .values(next_attempt_at=lease_until, attempts=Delivery.attempts + 1)
            .execution_options(synchronize_session=False)
        )
    return rows


async def mark_sent(session: AsyncSession, ids: Sequence[str], at: dt.datetime) -> None:
    if ids:
        await session.execute(
            update(Delivery)
            .where(Delivery.id.in_(ids), Delivery.status == "pending")
            .values(status="sent", sent_at=at, next_attempt_at=None, last_error=None)
            .execution_options(synchronize_session=False)
        )


async def retry_later(session: AsyncSession, delivery_id: str, at: dt.datetime, error: str) -> None:
    await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == "pending")
        .values(next_attempt_at=at, last_error=error)
        .execution_options(synchronize_session=False)
    )


async def mark_failed(session: AsyncSession, delivery_id: str, error: str) -> None:
    await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == "pending")
        .values(status="failed", next_attempt_at=None, last_error=error)
        .execution_options(synchronize_session=False)
    )


async def collected_before(
    session: AsyncSession, digest: str, boundaries: Mapping[str, dt.datetime], limit: int
) -> list[tuple[Delivery, str]]:
    """Notices collected for this kind of digest before its last boundary in their school's
    time zone (`boundaries`: zone → that boundary), oldest first, each with that zone."""
    if not boundaries:
        return []
    due = or_(
        *(
            and_(School.timezone == zone, Delivery.created_at < boundary)
            for zone, boundary in sorted(boundaries.items())
        )
    )
    rows = await session.execute(
        select(Delivery, School.timezone)
        .join(School, School.school_id == Delivery.school_id)
        .where(Delivery.status == "collected", Delivery.digest == digest, due)
        .order_by(Delivery.school_id, Delivery.recipient_id, Delivery.created_at, Delivery.id)
        .limit(limit)
        .with_for_update(of=Delivery, skip_locked=True)
    )
    return [(delivery, zone) for delivery, zone in rows.tuples()]


async def settle_collected(
    session: AsyncSession, ids: Sequence[str], status: str, digest_id: str | None
) -> None:
    if ids:
        await session.execute(
            update(Delivery)
            .where(Delivery.id.in_(ids), Delivery.status == "collected")
            .values(status=status, digest_id=digest_id)
            .execution_options(synchronize_session=False)
        )
