"""Tokens: tampering refused, refresh rotation and reuse, logout, one-time-password sessions."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kit.tokens import sign_access_token
from services.identity.tests.factories import PASSWORD, Harness, Member


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _pad(text: str) -> str:
    return text + "=" * (-len(text) % 4)


def _parts(token: str) -> tuple[dict[str, object], dict[str, object], str]:
    header, payload, signature = token.split(".")
    return (
        json.loads(base64.urlsafe_b64decode(_pad(header))),
        json.loads(base64.urlsafe_b64decode(_pad(payload))),
        signature,
    )


async def _teacher(identity: Harness) -> Member:
    school = await identity.school()
    return await identity.member(school.id, "staff", "teacher")


async def _me(identity: Harness, token: str) -> tuple[int, str]:
    response = await identity.client.get(
        "/identity/v1/me", headers={"Authorization": f"Bearer {token}"}
    )
    return response.status_code, response.json().get("code", "")


async def test_a_valid_token_is_accepted(identity: Harness) -> None:
    teacher = await _teacher(identity)
    response = await identity.client.get("/identity/v1/me", headers=teacher.headers)
    assert response.status_code == 200
    assert response.json()["account_id"] == teacher.account.id


async def test_a_token_with_a_changed_payload_is_refused(identity: Harness) -> None:
    teacher = await _teacher(identity)
    token = teacher.headers["Authorization"].split()[1]
    header, claims, signature = _parts(token)
    claims["roles"] = ["school_admin"]
    forged = f"{_b64(header)}.{_b64(claims)}.{signature}"
    assert await _me(identity, forged) == (401, "invalid_token")


async def test_a_token_with_alg_none_is_refused(identity: Harness) -> None:
    teacher = await _teacher(identity)
    header, claims, _ = _parts(teacher.headers["Authorization"].split()[1])
    unsigned = f"{_b64({**header, 'alg': 'none'})}.{_b64(claims)}."
    assert await _me(identity, unsigned) == (401, "invalid_token")


async def test_a_token_signed_with_another_key_is_refused(identity: Harness) -> None:
    teacher = await _teacher(identity)
    kid = (await identity.collaborators.keyring.signing_key()).kid
    claims: dict[str, Any] = {
        "account_id": teacher.account.id,
        "person_id": teacher.person_id,
        "school_id": teacher.account.school_id,
        "roles": ["school_admin"],
        "login": "x",
    }
    same_kid, _ = sign_access_token(Ed25519PrivateKey.generate(), kid, **claims)
    unknown_kid, _ = sign_access_token(Ed25519PrivateKey.generate(), "not-ours", **claims)
    public = jwt.PyJWK((await identity.collaborators.keyring.jwks())["keys"][0]).key
    hmac_confusion = jwt.encode(
        {"sub": teacher.account.id}, str(public), algorithm="HS256", headers={"kid": kid}
    )
    for token in (same_kid, unknown_kid, hmac_confusion):
        assert await _me(identity, token) == (401, "invalid_token")


async def test_an_expired_token_is_refused(identity: Harness) -> None:
    teacher = await _teacher(identity)
    expired = await identity.headers(teacher.account, teacher.person, now=time.time() - 3600)
    response = await identity.client.get("/identity/v1/me", headers=expired)
    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"


async def test_no_token_is_401(identity: Harness) -> None:
    response = await identity.client.get("/identity/v1/me")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_login_answers_short_lived_tokens_verifiable_with_the_jwks(identity: Harness) -> None:
    teacher = await _teacher(identity)
    response = await identity.login(teacher.account.login, PASSWORD)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] <= 900
    jwks = (await identity.client.get("/identity/.well-known/jwks.json")).json()
    kid = jwt.get_unverified_header(body["access_token"])["kid"]
    key = next(k for k in jwks["keys"] if k["kid"] == kid)
    assert key["kty"] == "OKP" and key["crv"] == "Ed25519" and "d" not in key
    claims = jwt.decode(body["access_token"], jwt.PyJWK(key), algorithms=["EdDSA"], audience="ej")
    assert claims["sub"] == teacher.account.id and claims["roles"] == ["teacher"]
    assert claims["exp"] - claims["iat"] <= 900


async def test_wrong_password_is_401_with_no_hint_which_part_was_wrong(identity: Harness) -> None:
    teacher = await _teacher(identity)
    wrong_password = await identity.login(teacher.account.login, "not-the-password")
    unknown_login = await identity.login("nobody.at.all", PASSWORD)
    assert wrong_password.status_code == unknown_login.status_code == 401
    assert wrong_password.json() == unknown_login.json()


async def test_refresh_rotates_and_a_reused_refresh_token_revokes_the_family(
    identity: Harness,
) -> None:
    teacher = await _teacher(identity)
    first = (await identity.login(teacher.account.login, PASSWORD)).json()
    second = await identity.client.post(
        "/identity/v1/token/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert second.status_code == 200, second.text
    second_body = second.json()
    assert second_body["refresh_token"] != first["refresh_token"]
    assert await _me(identity, second_body["access_token"]) == (200, "")

    replay = await identity.client.post(
        "/identity/v1/token/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert replay.status_code == 401
    assert replay.json()["code"] == "refresh_token_reused"
    # The thief's and the owner's tokens of that session are dead alike.
    after = await identity.client.post(
        "/identity/v1/token/refresh", json={"refresh_token": second_body["refresh_token"]}
    )
    assert after.status_code == 401 and after.json()["code"] == "refresh_token_revoked"
    assert await _me(identity, second_body["access_token"]) == (401, "token_revoked")
    assert await _me(identity, first["access_token"]) == (401, "token_revoked")
    # Another session of the same account lives on.
    other = (await identity.login(teacher.account.login, PASSWORD)).json()
    assert await _me(identity, other["access_token"]) == (200, "")


async def test_a_forged_refresh_token_is_refused(identity: Harness) -> None:
    teacher = await _teacher(identity)
    real = (await identity.login(teacher.account.login, PASSWORD)).json()["refresh_token"]
    link_id = real.split(".")[0]
    for forged in (f"{link_id}.guessed", "nonsense", "."):
        response = await identity.client.post(
            "/identity/v1/token/refresh", json={"refresh_token": forged}
        )
        assert response.status_code == 401
        assert response.json()["code"] == "invalid_refresh_token"


async def test_logout_ends_the_access_token_and_its_refresh_family(identity: Harness) -> None:
    teacher = await _teacher(identity)
    pair = (await identity.login(teacher.account.login, PASSWORD)).json()
    headers = {"Authorization": f"Bearer {pair['access_token']}"}
    response = await identity.client.post(
        "/identity/v1/logout", json={"refresh_token": pair["refresh_token"]}, headers=headers
    )
    assert response.status_code == 204
    assert await _me(identity, pair["access_token"]) == (401, "token_revoked")
    refreshed = await identity.client.post(
        "/identity/v1/token/refresh", json={"refresh_token": pair["refresh_token"]}
    )
    assert refreshed.status_code == 401


async def test_a_one_time_password_token_opens_only_me_and_the_password_change(
    identity: Harness,
) -> None:
    school = await identity.school()
    person = await identity.person(school.id, "staff", roles=("school_admin",))
    account = await identity.account(person, pcr=True)
    pair = (await identity.login(account.login, PASSWORD)).json()
    assert pair["password_change_required"] is True
    headers = {"Authorization": f"Bearer {pair['access_token']}"}
    me = await identity.client.get("/identity/v1/me", headers=headers)
    assert me.status_code == 200 and me.json()["password_change_required"] is True
    refused = await identity.client.get(f"/identity/v1/schools/{school.id}/people", headers=headers)
    assert refused.status_code == 403
    assert refused.json()["code"] == "password_change_required"
    changed = await identity.client.post(
        "/identity/v1/me/password",
        json={"old_password": PASSWORD, "new_password": "a long new passphrase"},
        headers=headers,
    )
    assert changed.status_code == 200, changed.text
    fresh = {"Authorization": f"Bearer {changed.json()['access_token']}"}
    allowed = await identity.client.get(f"/identity/v1/schools/{school.id}/people", headers=fresh)
    assert allowed.status_code == 200
    assert (await identity.client.get("/identity/v1/me", headers=headers)).status_code == 401
    assert (await identity.login(account.login, PASSWORD)).status_code == 401
    assert (await identity.login(account.login, "a long new passphrase")).status_code == 200
