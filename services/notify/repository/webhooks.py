"""Queries on webhooks and their delivery queues."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from kit.db import insert_for
from services.notify.models import Webhook, WebhookDelivery


def add(session: AsyncSession, webhook: Webhook) -> None:
    session.add(webhook)


async def get(session: AsyncSession, webhook_id: str, school_id: str | None) -> Webhook | None:
    """A live webhook by id; `school_id` None only for the city operator (any school)."""
    query = select(Webhook).where(Webhook.id == webhook_id, Webhook.deleted_at.is_(None))
    if school_id is not None:
        query = query.where(Webhook.school_id == school_id)
    return (await session.execute(query)).scalar_one_or_none()


async def of_school(session: AsyncSession, school_id: str) -> list[Webhook]:
    rows = await session.execute(
        select(Webhook)
        .where(Webhook.school_id == school_id, Webhook.deleted_at.is_(None))
        .order_by(Webhook.created_at, Webhook.id)
    )
    return list(rows.scalars())


async def mark_deleted(session: AsyncSession, webhook_id: str, at: dt.datetime) -> None:
    await session.execute(update(Webhook).where(Webhook.id == webhook_id).values(deleted_at=at))
    await session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.webhook_id == webhook_id, WebhookDelivery.status == "pending")
        .values(status="cancelled")
    )


async def enqueue(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """One INSERT for all; an event already queued for a webhook is not queued twice."""
    if rows:
        stmt = insert_for(session, WebhookDelivery).values(list(rows))
        await session.execute(
            stmt.on_conflict_do_nothing(
                index_elements=[WebhookDelivery.webhook_id, WebhookDelivery.event_id]
            )
        )


async def deliveries_of(
    session: AsyncSession, webhook_id: str, status: str | None, limit: int
) -> list[WebhookDelivery]:
    query = select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook_id)
    if status is not None:
        query = query.where(WebhookDelivery.status == status)
    rows = await session.execute(query.order_by(WebhookDelivery.seq.desc()).limit(limit))
    return list(rows.scalars())


async def claim_heads(
    session: AsyncSession, now: dt.datetime, lease_until: dt.datetime, limit: int
) -> list[tuple[WebhookDelivery, Webhook]]:
    """The oldest pending delivery of each webhook, where it is due: event order per webhook.

    A claimed head is leased (not due again until `lease_until`), so the next event of that
    webhook waits until this one is delivered or given up (per-webhook order)."""
    queued = aliased(WebhookDelivery)
    head_seq = (
        select(func.min(queued.seq))
        .where(queued.webhook_id == WebhookDelivery.webhook_id, queued.status == "pending")
        .scalar_subquery()
    )
    rows = (
        await session.execute(
            select(WebhookDelivery, Webhook)
            .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
            .where(
                WebhookDelivery.status == "pending",
                WebhookDelivery.next_attempt_at <= now,
                WebhookDelivery.seq == head_seq,
                Webhook.deleted_at.is_(None),
            )
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.seq)
            .limit(limit)
            .with_for_update(skip_locked=True, of=WebhookDelivery)
        )
    ).tuples()
    claimed = [(d, w) for d, w in rows]
    if claimed:
        await session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.seq.in_([d.seq for d, _ in claimed]))
            .values(next_attempt_at=lease_until, attempts=WebhookDelivery.attempts + 1)
            .execution_options(synchronize_session=False)
        )
    return claimed


async def record_attempt(session: AsyncSession, seq: int, values: dict[str, Any]) -> None:
    await session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.seq == seq, WebhookDelivery.status == "pending")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
