"""Consumed events → the archive's ledger."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from kit.consumer import EventConsumer
from kit.events import Envelope, Event
from services.archive import ledger


def register(consumer: EventConsumer) -> None:
    @consumer.on(*ledger.journal_events())
    async def journal_event(session: AsyncSession, event: Event, envelope: Envelope) -> None:
        await ledger.record(session, event, envelope)
