"""Consent to the processing of personal data (R-SEC-3), and its withdrawal.

The administrator records each parent's consent: who recorded it, when, on what document.
A withdrawal keeps the consent's history; the list of parents without consent is what the
administrator still has to collect.
"""

from __future__ import annotations

import datetime as dt

from contracts.identity import ConsentChanged
from kit.errors import Conflict, Invalid
from kit.usecase import UseCase
from services.identity.models import Consent, Person
from services.identity.policy import Action, Target, authorize
from services.identity.repository import consents as consent_rows
from services.identity.service import audit, relations, schools
from services.identity.service.audit import LogAction


async def _parent(uc: UseCase, person_id: str, action: Action) -> Person:
    person = await relations.person_for(uc, person_id)
    authorize(uc.actor, action, await relations.to_person(uc, person))
    if person.kind != "parent":
        raise Conflict("consent is recorded for parents (legal guardians)", code="not_a_parent")
    return person


async def record(
    uc: UseCase,
    person_id: str,
    document: str,
    given_on: dt.date | None,
) -> Consent:
    person = await _parent(uc, person_id, Action.record_consent)
    if await consent_rows.active(uc.session, person.school_id, person.id) is not None:
        raise Conflict("this parent's consent is already recorded", code="consent_already_given")
    today = uc.today(await audit.school_timezone(uc, person.school_id))
    if given_on is not None and given_on > today:
        raise Invalid("given_on cannot be in the future", code="invalid_given_on")
    now = uc.now
    consent = Consent(
        school_id=person.school_id,
        person_id=person.id,
        document=document.strip(),
        given_on=given_on or today,
        recorded_by=uc.actor.account_id,
        recorded_at=now,
    )
    consent_rows.add(uc.session, consent)
    await _changed(uc, person, consent, given=True)
    return consent


async def withdraw(
    uc: UseCase,
    person_id: str,
    document: str | None,
    note: str | None,
) -> Consent:
    person = await _parent(uc, person_id, Action.record_consent)
    consent = await consent_rows.active(uc.session, person.school_id, person.id)
    if consent is None:
        raise Conflict("this parent has no consent on record", code="no_consent")
    consent.withdrawn_at = uc.now
    consent.withdrawn_by = uc.actor.account_id
    consent.withdrawal_document = document
    consent.withdrawal_note = note
    await _changed(uc, person, consent, given=False)
    return consent


async def _changed(
    uc: UseCase,
    person: Person,
    consent: Consent,
    *,
    given: bool,
) -> None:
    await uc.session.flush()
    at = consent.recorded_at if given else consent.withdrawn_at
    assert at is not None
    audit.record(
        uc,
        LogAction.consent_recorded if given else LogAction.consent_withdrawn,
        school_id=person.school_id,
        actor=uc.actor,
        subject_person_id=person.id,
        detail=consent.document if given else consent.withdrawal_document,
    )
    await uc.publish(
        person.school_id, [ConsentChanged(person_id=person.id, given=given, changed_at=at)]
    )


async def history(uc: UseCase, person_id: str) -> tuple[Person, list[Consent]]:
    person = await _parent(uc, person_id, Action.read_consent)
    return person, await consent_rows.history(uc.session, person.school_id, person.id)


async def parents_without_consent(
    uc: UseCase, school_id: str, limit: int, offset: int
) -> list[Person]:
    school = await schools.school_for(uc, school_id)
    authorize(uc.actor, Action.list_missing_consents, Target(school.id))
    return await consent_rows.parents_without_consent(uc.session, school.id, limit, offset)
