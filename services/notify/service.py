"""Notify's rules: who is told what (R-REC-1, R-REC-2, R-NTF-1)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.journal import MarkRecorded
from kit.db import utcnow
from kit.events import Envelope
from services.notify import repository
from services.notify.models import Delivery


async def notify_guardians_of_mark(
    session: AsyncSession, event: MarkRecorded, envelope: Envelope
) -> list[Delivery]:
    """R-REC-2: each parent of the student finds the new mark in their diary feed."""
    school_id = envelope.schoolid or ""
    parents = await repository.guardians_of(session, school_id, event.student_id)
    deliveries = [
        Delivery(
            school_id=school_id,
            recipient_id=parent_id,
            channel="feed",
            source_event_id=envelope.id,
            source_event_type=envelope.type,
            text=f"Новая отметка {event.value} ({event.work_type}) за {event.date.isoformat()}",
            created_at=utcnow(),
        )
        for parent_id in parents
    ]
    repository.add_deliveries(session, deliveries)
    return deliveries
