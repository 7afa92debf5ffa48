"""Compromise (R-SEC-4): from the report on, the credentials open nothing, anywhere."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import httpx
from fastapi import FastAPI

from kit.auth import CurrentUserDep, KeySource, Revocations, TokenVerifier
from kit.errors import install_problem_handlers
from kit.kv import connect_redis
from kit.testing.services import eventually
from kit.usecase import Actor, UseCase
from services.identity.service import compromise
from services.identity.tests.factories import PASSWORD, Harness, published


def journal_like_app(redis_url: str, identity_client: httpx.AsyncClient) -> FastAPI:
    """Another service as the kit builds it: JWKS over HTTP, the deny-list in the same Redis."""

    class IdentityJwks(KeySource):
        async def jwks(self) -> dict[str, Any]:
            response = await identity_client.get("/identity/.well-known/jwks.json")
            return response.json()  # type: ignore[no-any-return]

    app = FastAPI()
    install_problem_handlers(app)
    app.state.verifier = TokenVerifier(IdentityJwks(), Revocations(connect_redis(redis_url)))

    @app.get("/journal/v1/probe")
    async def probe(user: CurrentUserDep) -> dict[str, str]:
        return {"account_id": user.account_id}

    return app


async def test_compromise_kills_access_in_identity_and_in_another_service_at_once_R_SEC_4(
    identity: Harness, redis_url: str
) -> None:
    school = await identity.school()
    admin = await identity.member(school.id, "staff", "school_admin")
    teacher = await identity.member(school.id, "staff", "teacher")
    pair = (await identity.login(teacher.account.login, PASSWORD)).json()
    stolen = {"Authorization": f"Bearer {pair['access_token']}"}
    journal = journal_like_app(redis_url, identity.client)
    transport = httpx.ASGITransport(app=journal)
    async with httpx.AsyncClient(transport=transport, base_url="http://journal") as other:
        assert (await other.get("/journal/v1/probe", headers=stolen)).status_code == 200
        assert (await identity.client.get("/identity/v1/me", headers=stolen)).status_code == 200

        reported = await identity.client.post(
            f"/identity/v1/accounts/{teacher.account.id}/compromise",
            json={"note": "пароль видели посторонние"},
            headers=admin.headers,
        )
        assert reported.status_code == 200, reported.text

        # No waiting: the very next request is refused, here and in the other service.
        in_identity = await identity.client.get("/identity/v1/me", headers=stolen)
        in_journal = await other.get("/journal/v1/probe", headers=stolen)
    assert (in_identity.status_code, in_identity.json()["code"]) == (401, "token_revoked")
    assert (in_journal.status_code, in_journal.json()["code"]) == (401, "token_revoked")
    refreshed = await identity.client.post(
        "/identity/v1/token/refresh", json={"refresh_token": pair["refresh_token"]}
    )
    assert refreshed.status_code == 401


async def test_compromised_credentials_cannot_log_in_until_new_ones_are_issued_R_SEC_4(
    identity: Harness,
) -> None:
    school = await identity.school()
    admin = await identity.member(school.id, "staff", "school_admin")
    teacher = await identity.member(school.id, "staff", "teacher")
    response = await identity.client.post(
        f"/identity/v1/accounts/{teacher.account.id}/compromise",
        json={"note": "сообщил сам по телефону"},
        headers=admin.headers,
    )
    assert response.status_code == 200
    refused = await identity.login(teacher.account.login, PASSWORD)
    assert (refused.status_code, refused.json()["code"]) == (403, "account_compromised")

    issued = await identity.client.post(
        f"/identity/v1/people/{teacher.person_id}/credentials", headers=admin.headers
    )
    assert issued.status_code == 201, issued.text
    assert issued.json()["login"] == teacher.account.login
    again = await identity.login(teacher.account.login, issued.json()["password"])
    assert again.status_code == 200 and again.json()["password_change_required"] is True


async def test_the_compromise_is_announced_with_the_instant_of_the_report_R_SEC_4(
    identity: Harness,
) -> None:
    school = await identity.school()
    director = await identity.member(school.id, "staff", "director")
    parent = await identity.member(school.id, "parent")
    reported_at = identity.now() - dt.timedelta(hours=2)
    response = await identity.client.post(
        f"/identity/v1/accounts/{parent.account.id}/compromise",
        json={"note": "письмо родителя", "reported_at": reported_at.isoformat()},
        headers=director.headers,
    )
    assert response.status_code == 200, response.text

    async def announced() -> list[dict[str, Any]]:
        found = [
            e
            for e in await published(identity, "identity.account.compromised.v1")
            if e["data"]["account_id"] == parent.account.id
        ]
        assert found and found[0]["sent"]
        return found

    [event] = await eventually(announced)
    assert event["schoolid"] == school.id
    assert event["data"]["person_id"] == parent.person_id
    assert dt.datetime.fromisoformat(event["data"]["reported_at"]) == reported_at
    # The tokens of the last two hours die too: the deny-list takes the instant of entry.
    assert (await identity.client.get("/identity/v1/me", headers=parent.headers)).status_code == 401


async def test_the_owner_reports_their_own_compromise_R_SEC_4(identity: Harness) -> None:
    school = await identity.school()
    student = await identity.member(school.id, "student")
    response = await identity.client.post(
        f"/identity/v1/accounts/{student.account.id}/compromise",
        json={"note": "забыл выйти в компьютерном классе"},
        headers=student.headers,
    )
    assert response.status_code == 200
    assert (
        await identity.client.get("/identity/v1/me", headers=student.headers)
    ).status_code == 401


async def test_a_report_time_in_the_future_or_long_ago_is_refused(identity: Harness) -> None:
    school = await identity.school()
    admin = await identity.member(school.id, "staff", "school_admin")
    teacher = await identity.member(school.id, "staff", "teacher")
    for when in (dt.timedelta(hours=1), -dt.timedelta(days=10)):
        response = await identity.client.post(
            f"/identity/v1/accounts/{teacher.account.id}/compromise",
            json={"note": "x", "reported_at": (identity.now() + when).isoformat()},
            headers=admin.headers,
        )
        assert (response.status_code, response.json()["code"]) == (422, "invalid_reported_at")
    assert (
        await identity.client.get("/identity/v1/me", headers=teacher.headers)
    ).status_code == 200


async def test_the_deny_list_is_rewritten_from_the_database_after_redis_loses_it_R_SEC_4(
    identity: Harness,
) -> None:
    """Redis is never the only copy: at start identity writes recent compromises again."""
    school = await identity.school()
    admin = await identity.member(school.id, "staff", "school_admin")
    teacher = await identity.member(school.id, "staff", "teacher")
    await identity.client.post(
        f"/identity/v1/accounts/{teacher.account.id}/compromise",
        json={"note": "x"},
        headers=admin.headers,
    )
    await identity.collaborators.revocations.redis.delete(
        f"ej:revoked:account:{teacher.account.id}"
    )
    assert (
        await identity.client.get("/identity/v1/me", headers=teacher.headers)
    ).status_code == 200
    async with identity.db.unit_of_work() as session:
        assert (
            await compromise.reassert_deny_list(identity.use_case(session), identity.collaborators)
            >= 1
        )
    assert (
        await identity.client.get("/identity/v1/me", headers=teacher.headers)
    ).status_code == 401


async def test_a_login_racing_a_compromise_report_mints_nothing_that_outlives_it_R_SEC_4(
    identity: Harness,
) -> None:
    """Issue 16: the deny-list instant is taken inside the report's transaction; a login
    that read the account before the report committed minted a token issued after that
    instant, which the deny-list then let through. A login now reads the account with a
    share lock: it waits for the report's commit and sees the account closed."""
    school = await identity.school()
    admin = await identity.member(school.id, "staff", "school_admin")
    teacher = await identity.member(school.id, "staff", "teacher")
    async with identity.db.unit_of_work() as session:
        actor = Actor(admin.account.id, admin.person.id, school.id, frozenset({"school_admin"}))
        uc = UseCase(session, identity.runtime.outbox, actor, identity.runtime.clock)
        await compromise.report(uc, identity.collaborators, teacher.account.id, "stolen phone")
        racing = asyncio.create_task(identity.login(teacher.account.login, PASSWORD))
        await asyncio.sleep(1.0)  # the login runs now, while the report is not committed
    answer = await racing
    if answer.status_code == 200:  # whatever it was given must not open anything
        probe = await identity.client.get(
            "/identity/v1/me", headers={"Authorization": f"Bearer {answer.json()['access_token']}"}
        )
        assert probe.status_code == 401, "a token minted during the report outlives it"
    assert answer.status_code in (401, 403), answer.text
