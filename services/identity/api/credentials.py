"""Credentials (R-SEC-2) and their compromise (R-SEC-4)."""

from __future__ import annotations

from urllib.parse import quote

import anyio
from fastapi import APIRouter, Response

from kit.app import SessionDep
from kit.auth import CurrentUserDep
from kit.errors import problem_responses
from services.identity.api.deps import DepsDep
from services.identity.schemas import CompromiseIn, CompromiseOut, CredentialsIn, CredentialsOut
from services.identity.service import compromise, credentials, slip

router = APIRouter(prefix="/identity/v1", tags=["credentials"])


@router.post(
    "/people/{person_id}/credentials",
    status_code=201,
    response_model=CredentialsOut,
    summary="Issue credentials (or reset them): a login and a one-time password, shown once",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def issue_credentials(
    person_id: str,
    user: CurrentUserDep,
    session: SessionDep,
    deps: DepsDep,
    body: CredentialsIn | None = None,
) -> CredentialsOut:
    issued = await credentials.issue(session, deps, user, person_id, body.login if body else None)
    return CredentialsOut(
        account_id=issued.account.id,
        person_id=issued.person.id,
        login=issued.account.login,
        password=issued.password,
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
async def credential_slip(
    person_id: str, user: CurrentUserDep, session: SessionDep, deps: DepsDep
) -> Response:
    data = await credentials.slip_for(session, deps, user, person_id)
    pdf = await anyio.to_thread.run_sync(slip.render, data)
    name = quote(f"реквизиты-{data.login}.pdf")
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f"inline; filename*=UTF-8''{name}",
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
    account_id: str, body: CompromiseIn, user: CurrentUserDep, session: SessionDep, deps: DepsDep
) -> CompromiseOut:
    account = await compromise.report(session, deps, user, account_id, body.note, body.reported_at)
    assert account.compromised_at is not None
    return CompromiseOut(
        account_id=account.id,
        person_id=account.person_id,
        status="compromised",
        reported_at=account.compromised_at,
    )
