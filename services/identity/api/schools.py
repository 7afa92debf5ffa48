"""Schools (tenants): registered by the city operator; their name and time zone changed by
the operator or the school's own administrator."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from kit.app import UseCaseDep
from kit.errors import problem_responses
from kit.idempotency import IdempotencyKey, idempotent
from kit.params import Id, Limit, Offset
from services.identity.models import idempotency
from services.identity.schemas.schools import SchoolIn, SchoolList, SchoolOut, SchoolPatch
from services.identity.service import schools

router = APIRouter(prefix="/identity/v1/schools", tags=["schools"])


@router.post(
    "",
    status_code=201,
    response_model=SchoolOut,
    summary="Register a school (city operator); its first administrator comes next",
    responses=problem_responses(401, 403, 409, 422),
)
async def register_school(
    body: SchoolIn,
    uc: UseCaseDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    async def run() -> SchoolOut:
        school = await schools.register(uc, body.name, body.timezone)
        return SchoolOut.model_validate(school)

    return await idempotent(
        uc.session, idempotency, idempotency_key, uc.actor.account_id, body, run
    )


@router.get(
    "",
    response_model=SchoolList,
    summary="Every school of the city (city operator)",
    responses=problem_responses(401, 403, 422),
)
async def list_schools(
    uc: UseCaseDep,
    limit: Limit = 100,
    offset: Offset = 0,
) -> SchoolList:
    found = await schools.list_all(uc, limit, offset)
    return SchoolList(schools=[SchoolOut.model_validate(s) for s in found])


@router.get(
    "/{school_id}",
    response_model=SchoolOut,
    summary="A school: the operator, or a member of that school",
    responses=problem_responses(401, 403, 404),
)
async def read_school(school_id: Id, uc: UseCaseDep) -> SchoolOut:
    return SchoolOut.model_validate(await schools.read(uc, school_id))


@router.patch(
    "/{school_id}",
    response_model=SchoolOut,
    summary="Change a school's name or time zone (operator, or the school's administrator)",
    description="Publishes `identity.school.updated`: every service's 'today' for the school "
    "follows the new zone. A zone must be an IANA name (422 `invalid_timezone`); a name taken "
    "by another school answers 409 `school_exists`.",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def update_school(school_id: Id, body: SchoolPatch, uc: UseCaseDep) -> SchoolOut:
    school = await schools.update(uc, school_id, body.name, body.timezone)
    return SchoolOut.model_validate(school)
