"""Credentials (R-SEC-2) and their compromise (R-SEC-4)."""

from __future__ import annotations

from urllib.parse import quote

import anyio
from fastapi import APIRouter, Query, Response

from kit.app import UseCaseDep
from kit.errors import problem_responses
from kit.params import Id
from services.identity.adapters import slip
from services.identity.api.deps import IdentityDep
from services.identity.schemas.credentials import (
    ClassCredentialsIn,
    ClassCredentialsOut,
    CompromiseIn,
    CompromiseOut,
    CredentialsIn,
    CredentialsOut,
)
from services.identity.service import compromise, credentials

router = APIRouter(prefix="/identity/v1", tags=["credentials"])


@router.post(
    "/people/{person_id}/credentials",
    status_code=201,
    response_model=CredentialsOut,
    summary="Issue credentials (or reset them): a login and a one-time password, shown once",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def issue_credentials(
    person_id: Id,
    uc: UseCaseDep,
    identity: IdentityDep,
    body: CredentialsIn | None = None,
) -> CredentialsOut:
    issued = await credentials.issue(uc, identity, person_id, body.login if body else None)
    return _out(issued)


def _out(issued: credentials.Issued) -> CredentialsOut:
    return CredentialsOut(
        account_id=issued.account.id,
        person_id=issued.person.id,
        login=issued.account.login,
        password=issued.password,
    )


@router.post(
    "/classes/{class_id}/credentials",
    status_code=201,
    response_model=ClassCredentialsOut,
    summary="Issue credentials to a whole class's students and/or parents at once (the class "
    "teacher or the administrator, R-SEC-2); one-time passwords shown once",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def issue_class_credentials(
    class_id: Id,
    uc: UseCaseDep,
    identity: IdentityDep,
    body: ClassCredentialsIn | None = None,
) -> ClassCredentialsOut:
    body = body or ClassCredentialsIn()
    found = await credentials.issue_for_class(uc, identity, class_id, body.who, body.only_new)
    return ClassCredentialsOut(
        class_id=class_id, issued=[_out(i) for i in found.issued], skipped=found.skipped
    )


@router.get(
    "/people/{person_id}/credential-slip.pdf",
    response_class=Response,
    summary="The credential slip to print and sign (the one-time password until it is changed)",
    responses={
        200: {"content": {"application/pdf": {}}, "description": "the slip, PDF"},
        **problem_responses(401, 403, 404),
    },
)
async def credential_slip(person_id: Id, uc: UseCaseDep, identity: IdentityDep) -> Response:
    data = await credentials.slip_for(uc, identity, person_id)
    return _pdf(await anyio.to_thread.run_sync(slip.render, data), f"реквизиты-{data.login}.pdf")


@router.get(
    "/classes/{class_id}/credential-slips.pdf",
    response_class=Response,
    summary="Every slip of a class's students and/or parents with credentials, one per page, "
    "to print and sign (R-SEC-2)",
    responses={
        200: {"content": {"application/pdf": {}}, "description": "the slips, PDF"},
        **problem_responses(401, 403, 404, 422),
    },
)
async def class_credential_slips(
    class_id: Id,
    uc: UseCaseDep,
    identity: IdentityDep,
    who: credentials.Household = Query("both", description="students, parents or both"),
) -> Response:
    slips = await credentials.slips_for_class(uc, identity, class_id, who)
    pdf = await anyio.to_thread.run_sync(slip.render_many, slips)
    return _pdf(pdf, f"реквизиты-класса-{class_id}.pdf")


def _pdf(body: bytes, filename: str) -> Response:
    return Response(
        body,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f"inline; filename*=UTF-8''{quote(filename)}",
            "Cache-Control": "no-store",
        },
    )


@router.post(
    "/accounts/{account_id}/compromise",
    response_model=CompromiseOut,
    summary="Report credentials compromised: every session dies now, in every service",
    responses=problem_responses(401, 403, 404, 422),
)
async def report_compromise(
    account_id: Id, body: CompromiseIn, uc: UseCaseDep, identity: IdentityDep
) -> CompromiseOut:
    account = await compromise.report(uc, identity, account_id, body.note, body.reported_at)
    assert account.compromised_at is not None
    return CompromiseOut(
        account_id=account.id,
        person_id=account.person_id,
        status="compromised",
        reported_at=account.compromised_at,
    )
