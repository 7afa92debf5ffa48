"""Consumed events → notify's service calls, registered in one visible place.

The kit's consumer takes one handler per event type, so each type gets one composed handler
that runs its reactions in order, in the same transaction: e.g. `journal.mark.recorded`
tells the student's parents, then queues the event for the school's webhooks. Every event
integrators may subscribe to (journal.*, reports.*, archive.*) is consumed for the webhooks,
even when notify has nothing else to do with it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.identity import (
    GuardianLinked,
    PersonRegistered,
    PersonUpdated,
    SchoolRegistered,
    SchoolUpdated,
)
from contracts.journal import (
    MarkCancelled,
    MarkCorrected,
    MarkRecorded,
    PeriodDefined,
    PeriodMarkCorrected,
    PeriodMarkSet,
    SubjectDefined,
)
from kit.consumer import EventConsumer
from kit.events import Envelope, Event
from kit.runtime import Runtime
from kit.usecase import Actor, UseCase
from services.notify.service import copies, grades, webhooks

Reaction = Callable[[UseCase, Any, Envelope], Awaitable[Any]]


async def _to_webhooks(uc: UseCase, _: Event, envelope: Envelope) -> None:
    await webhooks.fan_out(uc, envelope)


REACTIONS: dict[type[Event], list[Reaction]] = {
    SchoolRegistered: [copies.remember_school],
    SchoolUpdated: [copies.remember_school],
    PersonRegistered: [copies.remember_person],
    PersonUpdated: [copies.remember_person],
    GuardianLinked: [copies.link_guardian],
    SubjectDefined: [copies.remember_subject],
    PeriodDefined: [copies.remember_period],
    MarkRecorded: [grades.mark_recorded],
    MarkCorrected: [grades.mark_corrected],
    MarkCancelled: [grades.mark_cancelled],
    PeriodMarkSet: [grades.period_mark],
    PeriodMarkCorrected: [grades.period_mark],
}


def reactions() -> dict[type[Event], list[Reaction]]:
    """Each consumed event type and what notify does with it, in order."""
    table = {event: list(steps) for event, steps in REACTIONS.items()}
    for event in webhooks.subscribable_events():
        table.setdefault(event, []).append(_to_webhooks)
    return table


def register(consumer: EventConsumer, runtime: Runtime) -> None:
    for event_type, steps in reactions().items():
        consumer.on(event_type)(_composed(steps, runtime))


def _composed(
    steps: Sequence[Reaction], runtime: Runtime
) -> Callable[[AsyncSession, Any, Envelope], Awaitable[None]]:
    """One handler: every reaction in the consumer's unit of work, as the platform acting for
    the event's school, at one instant of the runtime's clock."""

    async def handle(session: AsyncSession, event: Any, envelope: Envelope) -> None:
        uc = UseCase(session, runtime.outbox, Actor.system(envelope.schoolid), runtime.clock)
        for step in steps:
            await step(uc, event, envelope)

    return handle
