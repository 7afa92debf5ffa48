"""Consent to the processing of personal data (R-SEC-3)."""

from __future__ import annotations

from fastapi import APIRouter

from kit.app import UseCaseDep
from kit.errors import problem_responses
from kit.params import Id, LimitUpTo, Offset
from services.identity.api.shapes import summary
from services.identity.schemas.consent import ConsentIn, ConsentOut, ConsentState, WithdrawalIn
from services.identity.schemas.people import PersonList
from services.identity.service import consent

router = APIRouter(prefix="/identity/v1", tags=["consent"])


@router.post(
    "/people/{person_id}/consent",
    status_code=201,
    response_model=ConsentOut,
    summary="Record a parent's consent: who recorded it, when, on what document (administrator)",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def record_consent(person_id: Id, body: ConsentIn, uc: UseCaseDep) -> ConsentOut:
    found = await consent.record(uc, person_id, body.document, body.given_on)
    return ConsentOut.model_validate(found)


@router.post(
    "/people/{person_id}/consent/withdrawal",
    response_model=ConsentOut,
    summary="Record that a parent withdrew their consent (administrator)",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def withdraw_consent(
    person_id: Id,
    body: WithdrawalIn,
    uc: UseCaseDep,
) -> ConsentOut:
    found = await consent.withdraw(uc, person_id, body.document, body.note)
    return ConsentOut.model_validate(found)


@router.get(
    "/people/{person_id}/consent",
    response_model=ConsentState,
    summary="A parent's consent and its history",
    responses=problem_responses(401, 403, 404, 409),
)
async def read_consent(person_id: Id, uc: UseCaseDep) -> ConsentState:
    person, history = await consent.history(uc, person_id)
    return ConsentState(
        person_id=person.id,
        given=any(c.withdrawn_at is None for c in history),
        history=[ConsentOut.model_validate(c) for c in history],
    )


@router.get(
    "/schools/{school_id}/consents/missing",
    response_model=PersonList,
    summary="Parents whose consent is not on record",
    responses=problem_responses(401, 403, 404, 422),
)
async def parents_without_consent(
    school_id: Id,
    uc: UseCaseDep,
    limit: LimitUpTo(1000) = 500,
    offset: Offset = 0,
) -> PersonList:
    found = await consent.parents_without_consent(uc, school_id, limit, offset)
    return PersonList(people=[summary(p, None) for p in found])
