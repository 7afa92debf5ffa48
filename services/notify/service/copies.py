"""Notify's copies of other services' facts, kept from their events (never their tables).

Schools give each school's time zone (when its digests go); people let internal mail check that a recipient belongs to the sender's school and is staff;
subjects, periods and marks let a notice name the subject and the day of a mark even when
the event (a correction, a cancellation) names only the mark.
"""

from __future__ import annotations

from contracts.identity import (
    GuardianLinked,
    PersonRegistered,
    PersonUpdated,
    SchoolRegistered,
    SchoolUpdated,
)
from contracts.journal import MarkRecorded, PeriodDefined, SubjectDefined
from kit.events import Envelope
from kit.usecase import UseCase
from services.notify.repository import people, schools


async def remember_person(
    uc: UseCase, event: PersonRegistered | PersonUpdated, envelope: Envelope
) -> None:
    """Upsert; an event older than the one already applied (by sequence) changes nothing."""
    await people.upsert_person(
        uc.session,
        {
            "person_id": event.person_id,
            "school_id": event.school_id,
            "kind": event.kind,
            "last_name": event.last_name,
            "first_name": event.first_name,
            "middle_name": event.middle_name,
            "roles": sorted(set(event.roles)),
            "sequence": envelope.sequence,
        },
    )


async def link_guardian(uc: UseCase, event: GuardianLinked, envelope: Envelope) -> None:
    await people.link_guardian(
        uc.session, envelope.schoolid or "", event.parent_id, event.student_id
    )


async def remember_school(
    uc: UseCase, event: SchoolRegistered | SchoolUpdated, envelope: Envelope
) -> None:
    """A school's name and time zone (its digests go at the hour there); an event older than
    the one already applied (by sequence) changes nothing."""
    await schools.upsert(uc.session, event.school_id, event.name, event.timezone, envelope.sequence)


async def remember_subject(uc: UseCase, event: SubjectDefined, envelope: Envelope) -> None:
    await people.upsert_subject(uc.session, envelope.schoolid or "", event.subject_id, event.name)


async def remember_period(uc: UseCase, event: PeriodDefined, envelope: Envelope) -> None:
    await people.upsert_period(
        uc.session, envelope.schoolid or "", event.period_id, event.kind, event.number
    )


async def remember_mark(uc: UseCase, event: MarkRecorded, school_id: str) -> None:
    await people.remember_mark(
        uc.session,
        {
            "mark_id": event.mark_id,
            "school_id": school_id,
            "student_id": event.student_id,
            "subject_id": event.subject_id,
            "date": event.date,
            "value": event.value,
            "work_type": event.work_type,
        },
    )
