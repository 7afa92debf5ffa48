"""Queries on internal mail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.notify.models import Message, MessageRecipient


async def add(session: AsyncSession, message: Message, recipient_ids: Sequence[str]) -> None:
    session.add(message)
    await session.flush()  # the message row first: recipients refer to it
    session.add_all(
        MessageRecipient(message_id=message.id, recipient_id=r, school_id=message.school_id)
        for r in recipient_ids
    )


async def inbox(
    session: AsyncSession, school_id: str, person_id: str, *, unread_only: bool, limit: int
) -> list[tuple[Message, MessageRecipient]]:
    query = (
        select(Message, MessageRecipient)
        .join(MessageRecipient, MessageRecipient.message_id == Message.id)
        .where(MessageRecipient.school_id == school_id, MessageRecipient.recipient_id == person_id)
    )
    if unread_only:
        query = query.where(MessageRecipient.read_at.is_(None))
    rows = await session.execute(
        query.order_by(Message.sent_at.desc(), Message.id.desc()).limit(limit)
    )
    return [(m, r) for m, r in rows.tuples()]


async def sent(
    session: AsyncSession, school_id: str, person_id: str, *, limit: int
) -> list[Message]:
    rows = await session.execute(
        select(Message)
        .where(Message.school_id == school_id, Message.sender_id == person_id)
        .order_by(Message.sent_at.desc(), Message.id.desc())
        .limit(limit)
    )
    return list(rows.scalars())


async def recipients_of(
    session: AsyncSession, school_id: str, message_ids: Sequence[str]
) -> dict[str, list[MessageRecipient]]:
    found: dict[str, list[MessageRecipient]] = {m: [] for m in message_ids}
    if not message_ids:
        return found
    rows = await session.execute(
        select(MessageRecipient)
        .where(
            MessageRecipient.school_id == school_id,
            MessageRecipient.message_id.in_(message_ids),
        )
        .order_by(MessageRecipient.recipient_id)
    )
    for row in rows.scalars():
        found[row.message_id].append(row)
    return found


async def message(session: AsyncSession, school_id: str, message_id: str) -> Message | None:
    return (
        await session.execute(
            select(Message).where(Message.school_id == school_id, Message.id == message_id)
        )
    ).scalar_one_or_none()


async def unread_count(session: AsyncSession, school_id: str, person_id: str) -> int:
    return int(
        (
            await session.execute(
                select(func.count()).where(
                    MessageRecipient.school_id == school_id,
                    MessageRecipient.recipient_id == person_id,
                    MessageRecipient.read_at.is_(None),
                )
            )
        ).scalar_one()
    )


async def mark_read(
    session: AsyncSession, school_id: str, message_id: str, person_id: str, at: dt.datetime
) -> None:
    await session.execute(
        update(MessageRecipient)
        .where(
            MessageRecipient.school_id == school_id,
            MessageRecipient.message_id == message_id,
            MessageRecipient.recipient_id == person_id,
            MessageRecipient.read_at.is_(None),
        )
        .values(read_at=at)
    )
