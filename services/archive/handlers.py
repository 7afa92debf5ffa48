"""Consumed events → the archive's use cases: every journal event into the ledger, and each
school's time zone from identity. An edge: the consumer's unit of work is given, the use
case's context is built here."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.identity import SchoolRegistered, SchoolUpdated
from kit.consumer import EventConsumer
from kit.events import Envelope, Event
from kit.runtime import Runtime
from kit.usecase import Actor, UseCase
from services.archive.service import ledger, schools


def register(consumer: EventConsumer, runtime: Runtime) -> None:
    def use_case(session: AsyncSession, envelope: Envelope) -> UseCase:
        return UseCase(session, runtime.outbox, Actor.system(envelope.schoolid), runtime.clock)

    @consumer.on(*ledger.journal_events())
    async def journal_event(session: AsyncSession, event: Event, envelope: Envelope) -> None:
        await ledger.record(use_case(session, envelope), event, envelope)

    @consumer.on(SchoolRegistered, SchoolUpdated)
    async def school(
        session: AsyncSession, event: SchoolRegistered | SchoolUpdated, envelope: Envelope
    ) -> None:
        await schools.remember_timezone(use_case(session, envelope), event, envelope.sequence)
