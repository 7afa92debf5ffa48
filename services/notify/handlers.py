"""Consumed events → notify's service calls."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.identity import GuardianLinked
from contracts.journal import MarkRecorded
from kit.consumer import EventConsumer
from kit.events import Envelope
from services.notify import repository, service


def register(consumer: EventConsumer) -> None:
    @consumer.on(GuardianLinked)
    async def guardian_linked(
        session: AsyncSession, event: GuardianLinked, envelope: Envelope
    ) -> None:
        await repository.link_guardian(
            session, envelope.schoolid or "", event.parent_id, event.student_id
        )

    @consumer.on(MarkRecorded)
    async def mark_recorded(session: AsyncSession, event: MarkRecorded, envelope: Envelope) -> None:
        await service.notify_guardians_of_mark(session, event, envelope)
