"""Consumed events → the journal's service calls: people, guardianships, schools, compromises."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.identity import (
    AccountCompromised,
    GuardianLinked,
    PersonRegistered,
    PersonUpdated,
    SchoolRegistered,
)
from kit.consumer import EventConsumer
from kit.events import Envelope
from kit.runtime import Runtime
from services.journal.service import compromise, people
from services.journal.service.context import Actor, Ctx


def register(consumer: EventConsumer, runtime: Runtime) -> None:
    @consumer.on(PersonRegistered, PersonUpdated)
    async def person(
        session: AsyncSession, event: PersonRegistered | PersonUpdated, envelope: Envelope
    ) -> None:
        await people.remember_person(session, event)

    @consumer.on(SchoolRegistered)
    async def school(session: AsyncSession, event: SchoolRegistered, envelope: Envelope) -> None:
        await people.remember_school(session, event)

    @consumer.on(GuardianLinked)
    async def guardian(session: AsyncSession, event: GuardianLinked, envelope: Envelope) -> None:
        await people.link_guardian(
            session, envelope.schoolid or "", event.parent_id, event.student_id
        )

    @consumer.on(AccountCompromised)
    async def compromised(
        session: AsyncSession, event: AccountCompromised, envelope: Envelope
    ) -> None:
        """R-SEC-4: the journal's part of a reported compromise."""
        school_id = envelope.schoolid
        if not school_id:
            return  # the city operator's account: no school journal to invalidate
        ctx = Ctx(session, runtime.outbox, Actor.system(school_id), runtime.clock)
        await compromise.invalidate_account(
            ctx, school_id, event.account_id, event.person_id, event.reported_at
        )
