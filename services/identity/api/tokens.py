"""Tokens and the asker: log in, refresh, log out, the JWKS, who am I, my password.

Logging in, refreshing and changing a password open their own unit of work: a refusal there
(a failed login, a reused refresh token) must still commit its trace before it is answered.
There the caller has no (usable) access token yet, so the endpoint names the actor itself
(`kit.app.use_case_for`): the platform for a login or a refresh, the account of a one-time
password's token for its change.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from kit.app import RuntimeDep, SessionDep, UseCaseDep, use_case_for
from kit.auth import PasswordChangeUserDep
from kit.errors import problem_responses
from kit.usecase import Actor
from services.identity.api.deps import AddressDep, IdentityDep
from services.identity.schemas.tokens import (
    Jwks,
    LogoutIn,
    MeOut,
    PasswordChangeIn,
    RefreshIn,
    TokenOut,
)
from services.identity.service import sessions
from services.identity.service.sessions import TokenPair

router = APIRouter(prefix="/identity", tags=["tokens"])


def token_out(pair: TokenPair) -> TokenOut:
    return TokenOut(
        access_token=pair.access_token,
        expires_in=pair.expires_in,
        refresh_token=pair.refresh_token,
        password_change_required=pair.password_change_required,
    )


@router.post(
    "/v1/token",
    response_model=TokenOut,
    summary="Log in (OAuth2 password grant): an access and a refresh token",
    responses=problem_responses(401, 403, 422, 429),
)
async def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    request: Request,
    runtime: RuntimeDep,
    identity: IdentityDep,
    address: AddressDep,
) -> TokenOut:
    async with runtime.db.unit_of_work() as session:
        uc = use_case_for(request, session, Actor.system(None))
        outcome = await sessions.login(uc, identity, form.username, form.password, address)
    return token_out(outcome.result())


@router.post(
    "/v1/token/refresh",
    response_model=TokenOut,
    summary="Trade a refresh token for new tokens (a reused one revokes its whole session)",
    responses=problem_responses(401, 422),
)
async def refresh(
    body: RefreshIn, request: Request, runtime: RuntimeDep, identity: IdentityDep
) -> TokenOut:
    async with runtime.db.unit_of_work() as session:
        uc = use_case_for(request, session, Actor.system(None))
        outcome = await sessions.refresh(uc, identity, body.refresh_token)
    return token_out(outcome.result())


@router.post(
    "/v1/logout",
    status_code=204,
    response_class=Response,
    summary="End this session: the access token now, the refresh token's family if given",
    responses=problem_responses(401, 403, 422),
)
async def logout(uc: UseCaseDep, identity: IdentityDep, body: LogoutIn | None = None) -> Response:
    await sessions.logout(uc, identity, body.refresh_token if body else None)
    return Response(status_code=204)


@router.get(
    "/.well-known/jwks.json",
    response_model=Jwks,
    summary="The public keys that verify identity's access tokens (several during rotation)",
)
async def jwks(identity: IdentityDep) -> Jwks:
    return Jwks(**await identity.keyring.jwks())


@router.get(
    "/v1/me",
    response_model=MeOut,
    summary="Who am I (also with a one-time password's token)",
    responses=problem_responses(401),
)
async def me(user: PasswordChangeUserDep, request: Request, session: SessionDep) -> MeOut:
    found = await sessions.me(use_case_for(request, session, Actor.of(user)))
    person = found.person
    return MeOut(
        account_id=found.account.id,
        person_id=found.account.person_id,
        school_id=found.account.school_id,
        roles=found.roles,
        login=found.account.login,
        password_change_required=found.account.password_change_required,
        kind=person.kind if person else None,
        last_name=person.last_name if person else None,
        first_name=person.first_name if person else None,
        middle_name=person.middle_name if person else None,
    )


@router.post(
    "/v1/me/password",
    response_model=TokenOut,
    summary="Change my password (the one-time one at first login); answers fresh tokens",
    responses=problem_responses(401, 403, 422, 429),
)
async def change_password(
    body: PasswordChangeIn,
    user: PasswordChangeUserDep,
    request: Request,
    runtime: RuntimeDep,
    identity: IdentityDep,
    address: AddressDep,
) -> TokenOut:
    async with runtime.db.unit_of_work() as session:
        uc = use_case_for(request, session, Actor.of(user))
        outcome = await sessions.change_password(
            uc, identity, body.old_password, body.new_password, address
        )
    return token_out(outcome.result())
