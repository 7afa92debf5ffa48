"""Consumed events → identity's service calls: the journal's classes and enrolments."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.journal import ClassOpened, ClassUpdated, EnrolmentChanged
from kit.consumer import EventConsumer
from kit.events import Envelope
from services.identity.service import classes


def register(consumer: EventConsumer) -> None:
    @consumer.on(ClassOpened, ClassUpdated)  # the same fields: the class teacher may change
    async def class_opened(
        session: AsyncSession, event: ClassOpened | ClassUpdated, envelope: Envelope
    ) -> None:
        await classes.class_opened(session, event, envelope)

    @consumer.on(EnrolmentChanged)
    async def enrolment_changed(
        session: AsyncSession, event: EnrolmentChanged, envelope: Envelope
    ) -> None:
        await classes.enrolment_changed(session, event, envelope)
