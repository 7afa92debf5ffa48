"""Events the identity service publishes, and the roles every service checks."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from kit.events import Event


class Role(StrEnum):
    operator = "operator"
    school_admin = "school_admin"
    director = "director"
    deputy = "deputy"
    teacher = "teacher"
    secretary = "secretary"
    scheduler = "scheduler"
    student = "student"
    parent = "parent"


PersonKind = Literal["staff", "student", "parent"]


class SchoolCard(Event):
    """What events say of a school: its name and its own IANA time zone (every "today" of
    every service is the date there)."""

    aggregate = "school_id"

    school_id: str
    name: str
    timezone: str


class SchoolRegistered(SchoolCard):
    event_type = "identity.school.registered"
    summary = "The city operator registered a school (a tenant)."


class SchoolUpdated(SchoolCard):
    event_type = "identity.school.updated"
    summary = (
        "A school's name or time zone changed (same fields as identity.school.registered; "
        "the newer sequence wins)."
    )


class PersonCard(Event):
    """What events say of a person: names, kind, roles (no birth dates or e-mails)."""

    aggregate = "person_id"

    person_id: str
    school_id: str
    kind: PersonKind
    last_name: str
    first_name: str
    middle_name: str | None = None
    roles: list[str] = []


class PersonRegistered(PersonCard):
    event_type = "identity.person.registered"
    summary = "A person was added to a school (no birth dates or e-mails in events)."


class PersonUpdated(PersonCard):
    event_type = "identity.person.updated"
    summary = "A person's name, kind or roles changed."


class GuardianLinked(Event):
    event_type = "identity.guardian.linked"
    aggregate = "student_id"
    summary = "A parent (legal guardian) was linked to a student."

    parent_id: str
    student_id: str


class AccountCompromised(Event):
    event_type = "identity.account.compromised"
    aggregate = "account_id"
    summary = "R-SEC-4: every operation of the account from `reported_at` on is invalid."

    account_id: str
    person_id: str | None
    reported_at: dt.datetime


class ConsentChanged(Event):
    event_type = "identity.consent.changed"
    aggregate = "person_id"
    summary = (
        "R-SEC-3: a parent's consent to the processing of personal data was recorded "
        "(`given` true) or withdrawn (false)."
    )

    person_id: str
    given: bool
    changed_at: dt.datetime
