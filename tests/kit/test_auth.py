"""Token verification in every service: tampering, algorithms, keys, expiry, revocation."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kit.auth import CallableKeySource, Revocations, TokenVerifier
from kit.errors import Unauthorized, Unavailable
from kit.kv import connect_redis
from kit.testing.tokens import TestTokens
from kit.tokens import public_jwk, sign_access_token


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


@pytest.fixture
def tokens() -> TestTokens:
    return TestTokens()


async def test_valid_token_gives_the_user(tokens: TestTokens) -> None:
    token = tokens.token(roles=["teacher"], school_id="s1", person_id="p1", login="t1")
    user = await TokenVerifier(tokens.keys, None).verify(token)
    assert (user.school_id, user.person_id, user.login) == ("s1", "p1", "t1")
    assert user.roles == frozenset({"teacher"})


async def test_changed_payload_is_refused(tokens: TestTokens) -> None:
    token = tokens.token(roles=["teacher"], school_id="s1")
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["roles"] = ["director"]
    forged = ".".join([header, _b64(claims), signature])
    with pytest.raises(Unauthorized) as err:
        await TokenVerifier(tokens.keys, None).verify(forged)
    assert err.value.code == "invalid_token"


async def test_alg_none_is_refused(tokens: TestTokens) -> None:
    claims = {
        "sub": "a",
        "roles": ["operator"],
        "typ": "access",
        "iat": int(time.time()),
        "exp": int(time.time()) + 60,
        "jti": "x",
        "iss": "ej-identity",
        "aud": "ej",
    }
    unsigned = f"{_b64({'alg': 'none', 'kid': tokens.kid})}.{_b64(claims)}."
    with pytest.raises(Unauthorized):
        await TokenVerifier(tokens.keys, None).verify(unsigned)


async def test_token_signed_by_another_key_with_the_same_kid_is_refused(tokens: TestTokens) -> None:
    intruder = Ed25519PrivateKey.generate()
    token, _ = sign_access_token(
        intruder,
        tokens.kid,
        account_id="a",
        person_id=None,
        school_id="s1",
        roles=["operator"],
        login="x",
    )
    with pytest.raises(Unauthorized):
        await TokenVerifier(tokens.keys, None).verify(token)


async def test_expired_token_is_refused(tokens: TestTokens) -> None:
    token = tokens.token(roles=["teacher"], school_id="s1", now=time.time() - 3600, ttl_seconds=60)
    with pytest.raises(Unauthorized) as err:
        await TokenVerifier(tokens.keys, None).verify(token)
    assert err.value.code == "token_expired"


async def test_hs256_token_made_with_the_public_key_is_refused(tokens: TestTokens) -> None:
    jwk = (await tokens.keys.jwks())["keys"][0]
    token = jwt.encode(
        {
            "sub": "a",
            "typ": "access",
            "iat": int(time.time()),
            "exp": int(time.time()) + 60,
            "jti": "x",
            "iss": "ej-identity",
            "aud": "ej",
        },
        jwk["x"],
        algorithm="HS256",
        headers={"kid": tokens.kid},
    )
    with pytest.raises(Unauthorized):
        await TokenVerifier(tokens.keys, None).verify(token)


async def test_new_key_is_fetched_when_a_token_names_an_unknown_kid() -> None:
    """Key rotation without downtime: a verifier refetches the JWKS for a new key id."""
    ring: list[tuple[Ed25519PrivateKey, str]] = [(Ed25519PrivateKey.generate(), "k1")]

    async def jwks() -> dict[str, Any]:
        return {"keys": [public_jwk(k, kid) for k, kid in ring]}

    verifier = TokenVerifier(CallableKeySource(jwks), None, refresh_interval=0)
    old, _ = sign_access_token(
        ring[0][0], "k1", account_id="a", person_id=None, school_id="s", roles=[], login="x"
    )
    await verifier.verify(old)
    ring.append((Ed25519PrivateKey.generate(), "k2"))
    new, _ = sign_access_token(
        ring[1][0], "k2", account_id="a", person_id=None, school_id="s", roles=[], login="x"
    )
    assert (await verifier.verify(new)).account_id == "a"
    assert (await verifier.verify(old)).account_id == "a"


async def test_tokens_issued_before_a_compromise_are_refused_R_SEC_4(
    tokens: TestTokens, redis_url: str
) -> None:
    redis = connect_redis(redis_url)
    revocations = Revocations(redis)
    verifier = TokenVerifier(tokens.keys, revocations)
    account = f"acc-{time.time_ns()}"
    before = tokens.token(roles=["teacher"], school_id="s1", account_id=account)
    await verifier.verify(before)
    await revocations.revoke_account(account, time.time())
    with pytest.raises(Unauthorized) as err:
        await verifier.verify(before)
    assert err.value.code == "token_revoked"
    after = tokens.token(roles=["teacher"], school_id="s1", account_id=account, now=time.time() + 2)
    assert (await verifier.verify(after)).account_id == account
    await redis.aclose()


async def test_a_verified_token_is_checked_once_and_still_expires(
    tokens: TestTokens, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The signature is verified once per token (the same token asks for up to 15 minutes);
    a kept token still expires on time and is still asked about revocation (test above)."""
    verifier = TokenVerifier(tokens.keys, None)
    token = tokens.token(roles=["teacher"], school_id="s1", ttl_seconds=60)
    first = await verifier.verify(token)
    decoded: list[str] = []
    monkeypatch.setattr(jwt, "decode", lambda *a, **k: decoded.append("x"))
    assert await verifier.verify(token) == first and decoded == []
    later = time.time() + 60 + verifier.leeway + 1
    monkeypatch.setattr("kit.auth.time.time", lambda: later)
    with pytest.raises(Unauthorized) as err:
        await verifier.verify(token)
    assert err.value.code == "token_expired"


async def test_a_redis_that_cannot_answer_is_a_503_not_a_500(tokens: TestTokens) -> None:
    """Issue 16: the revocation check on an unreachable Redis answered 500."""
    dead = connect_redis("redis://127.0.0.1:9/0")  # the discard port: nothing listens
    verifier = TokenVerifier(tokens.keys, Revocations(dead))
    with pytest.raises(Unavailable) as err:
        await verifier.verify(tokens.token(roles=["teacher"], school_id="s1"))
    assert err.value.code == "revocations_unavailable" and err.value.retry_after == 5
    await dead.aclose()
