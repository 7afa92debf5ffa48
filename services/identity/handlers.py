"""Consumed events → identity's use cases: the journal's classes and enrolments.

An edge: the consumer opens the unit of work; each event's use case runs as the platform
(`Actor.system`) of the event's school, at the runtime clock's instant.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.journal import ClassOpened, ClassUpdated, EnrolmentChanged
from kit.consumer import EventConsumer
from kit.events import Envelope
from kit.runtime import Runtime
from kit.usecase import Actor, UseCase
from services.identity.service import classes


def register(consumer: EventConsumer, runtime: Runtime) -> None:
    def use_case(session: AsyncSession, envelope: Envelope) -> UseCase:
        return UseCase(session, runtime.outbox, Actor.system(envelope.schoolid), runtime.clock)

    @consumer.on(ClassOpened, ClassUpdated)  # the same fields: the class teacher may change
    async def class_opened(
        session: AsyncSession, event: ClassOpened | ClassUpdated, envelope: Envelope
    ) -> None:
        await classes.class_opened(use_case(session, envelope), event, envelope)

    @consumer.on(EnrolmentChanged)
    async def enrolment_changed(
        session: AsyncSession, event: EnrolmentChanged, envelope: Envelope
    ) -> None:
        await classes.enrolment_changed(use_case(session, envelope), event, envelope)
