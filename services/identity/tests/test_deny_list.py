"""The deny-list survives a Redis that lost its data (R-SEC-4, R-SEC-5; issue 16).

Logouts, reused refresh tokens, role changes and password changes end tokens before they
expire. Redis answers every service's check; identity's database keeps the same entries, and
identity writes them to Redis again within a check interval of Redis losing them.
"""

from __future__ import annotations

from typing import Any

import jwt

from kit.testing.services import eventually
from services.identity.service.deny_list import ASSERTED
from services.identity.tests.factories import PASSWORD, Harness


async def _me(identity: Harness, token: str) -> tuple[int, str]:
    response = await identity.client.get(
        "/identity/v1/me", headers={"Authorization": f"Bearer {token}"}
    )
    return response.status_code, response.json().get("code", "")


async def _lose_redis(identity: Harness, *keys: str) -> None:
    """What a Redis restarted without its data looks like to these tokens."""
    await identity.collaborators.revocations.redis.delete(*keys, ASSERTED)


async def test_a_logout_and_a_password_change_outlive_a_redis_loss_R_SEC_5(
    make_identity: Any,
) -> None:
    async with make_identity(deny_list_check_seconds=0.2) as identity:
        school = await identity.school()
        teacher = await identity.member(school.id, "staff", "teacher")
        other = await identity.member(school.id, "staff", "teacher")

        logged_out = (await identity.login(teacher.account.login, PASSWORD)).json()
        await identity.client.post(
            "/identity/v1/logout",
            json={},
            headers={"Authorization": f"Bearer {logged_out['access_token']}"},
        )
        changed = (await identity.login(other.account.login, PASSWORD)).json()
        answer = await identity.client.post(
            "/identity/v1/me/password",
            json={"old_password": PASSWORD, "new_password": "a long new passphrase"},
            headers={"Authorization": f"Bearer {changed['access_token']}"},
        )
        assert answer.status_code in (200, 204), answer.text
        for token in (logged_out["access_token"], changed["access_token"]):
            assert await _me(identity, token) == (401, "token_revoked")

        jti = jwt.decode(logged_out["access_token"], options={"verify_signature": False})["jti"]
        await _lose_redis(
            identity, f"ej:revoked:token:{jti}", f"ej:revoked:account:{other.account.id}"
        )
        # the moment of the loss: both tokens open /me again ...
        assert (await _me(identity, logged_out["access_token"]))[0] == 200
        assert (await _me(identity, changed["access_token"]))[0] == 200

        # ... until identity notices the lost marker and writes the deny-list again
        async def refused() -> bool:
            answers = [
                await _me(identity, token)
                for token in (logged_out["access_token"], changed["access_token"])
            ]
            return answers == [(401, "token_revoked")] * 2

        assert await eventually(refused, timeout=10)
