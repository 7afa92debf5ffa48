"""Test data for notify: events as the other services publish them, and ways to wait."""

from __future__ import annotations

import datetime as dt
from typing import Any

from contracts.identity import GuardianLinked, PersonKind, PersonRegistered, SchoolRegistered
from contracts.journal import MarkRecorded, SubjectDefined
from kit.db import new_id
from kit.events import Envelope, Event
from kit.inbox import was_applied
from kit.testing.events import build, envelope
from kit.testing.services import eventually
from services.notify.models import inbox

LESSON_DAY = dt.date(2026, 11, 27)


async def publish(client: Any, *events: Event, school_id: str | None) -> list[Envelope]:
    """Publish on the real bus and wait until notify applied every one of them."""
    envelopes = [envelope(e, school_id=school_id) for e in events]
    await publish_envelopes(client, envelopes)
    return envelopes


async def publish_envelopes(client: Any, envelopes: list[Envelope]) -> None:
    runtime = client.app_runtime
    assert all(await runtime.bus.publish(envelopes))

    async def applied() -> bool:
        async with runtime.db.read_only() as session:
            for e in envelopes:
                if not await was_applied(session, inbox, "notify", e.id):
                    return False
        return True

    await eventually(applied, timeout=20)


def person(
    school_id: str,
    kind: PersonKind,
    last_name: str,
    first_name: str,
    roles: list[str] | None = None,
    person_id: str | None = None,
) -> PersonRegistered:
    return build(
        PersonRegistered,
        person_id=person_id or new_id(),
        school_id=school_id,
        kind=kind,
        last_name=last_name,
        first_name=first_name,
        roles=roles or [],
    )


def mark(student_id: str, subject_id: str, value: int = 5, **extra: Any) -> MarkRecorded:
    """A control work's mark (weight 3) on `LESSON_DAY`; `extra` names any other field."""
    fields: dict[str, Any] = {"work_type": "control", "weight": 3, "date": LESSON_DAY}
    return build(
        MarkRecorded, student_id=student_id, subject_id=subject_id, value=value, **fields | extra
    )


class Family:
    """A school (in `timezone`) with a student, their parent and a subject, known to notify."""

    def __init__(self, timezone: str = "Europe/Moscow") -> None:
        self.school = new_id()
        self.timezone = timezone
        self.student = person(self.school, "student", "Иванов", "Пётр")
        self.parent = person(self.school, "parent", "Иванова", "Мария")
        self.subject = build(SubjectDefined, name="Математика")

    @property
    def parent_id(self) -> str:
        return self.parent.person_id

    @property
    def student_id(self) -> str:
        return self.student.person_id

    async def introduce(self, client: Any) -> Family:
        await publish(
            client,
            build(SchoolRegistered, school_id=self.school, name="Школа", timezone=self.timezone),
            self.student,
            self.parent,
            build(GuardianLinked, parent_id=self.parent_id, student_id=self.student_id),
            self.subject,
            school_id=self.school,
        )
        return self

    def mark(self, value: int = 5, **extra: Any) -> MarkRecorded:
        return mark(self.student_id, self.subject.subject_id, value, **extra)
