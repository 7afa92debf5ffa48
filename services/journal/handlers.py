"""Consumed events → the journal's use cases: people, guardianships, schools, compromises."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.identity import (
    AccountCompromised,
    GuardianLinked,
    PersonRegistered,
    PersonUpdated,
    SchoolRegistered,
    SchoolUpdated,
)
from kit.consumer import EventConsumer
from kit.events import Envelope
from kit.runtime import Runtime
from services.journal.service import compromise, people, school_settings
from services.journal.service.context import Actor, Ctx


def register(consumer: EventConsumer, runtime: Runtime) -> None:
    def _system(session: AsyncSession, school_id: str | None) -> Ctx:
        """The use case's context for a change the platform makes on identity's word."""
        return Ctx(session, runtime.outbox, Actor.system(school_id), runtime.clock)

    @consumer.on(PersonRegistered, PersonUpdated)
    async def person(
        session: AsyncSession, event: PersonRegistered | PersonUpdated, envelope: Envelope
    ) -> None:
        await people.remember_person(_system(session, event.school_id), event)

    @consumer.on(SchoolRegistered, SchoolUpdated)
    async def school(
        session: AsyncSession, event: SchoolRegistered | SchoolUpdated, envelope: Envelope
    ) -> None:
        await school_settings.remember_school(
            _system(session, event.school_id), event, envelope.sequence
        )

    @consumer.on(GuardianLinked)
    async def guardian(session: AsyncSession, event: GuardianLinked, envelope: Envelope) -> None:
        school_id = envelope.schoolid or ""
        await people.link_guardian(
            _system(session, school_id), school_id, event.parent_id, event.student_id
        )

    @consumer.on(AccountCompromised)
    async def compromised(
        session: AsyncSession, event: AccountCompromised, envelope: Envelope
    ) -> None:
        """R-SEC-4: the journal's part of a reported compromise."""
        school_id = envelope.schoolid
        if not school_id:
            return  # the city operator's account: no school journal to invalidate
        await compromise.invalidate_account(
            _system(session, school_id),
            school_id,
            event.account_id,
            event.person_id,
            event.reported_at,
        )
