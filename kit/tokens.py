"""The access token's format, in one place: the identity service signs, `kit.auth` verifies.

Claims: `sub` account id, `pid` person id, `sch` school id (absent for the city operator),
`roles`, `login`, `pcr` (a one-time password must be changed first), `typ` = "access",
`iat`/`iat_ms`/`exp`, `jti`, `iss` = "ej-identity", `aud` = "ej".
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

from kit.auth import ALGORITHM, AUDIENCE, ISSUER
from kit.db import new_id


def sign_access_token(
    private_key: Ed25519PrivateKey,
    kid: str,
    *,
    account_id: str,
    person_id: str | None,
    school_id: str | None,
    roles: Iterable[str],
    login: str,
    ttl_seconds: int = 900,
    password_change_required: bool = False,
    now: float | None = None,
) -> tuple[str, dict[str, Any]]:
    issued = time.time() if now is None else now
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": account_id,
        "pid": person_id,
        "roles": sorted(set(roles)),
        "login": login,
        "typ": "access",
        "iat": int(issued),
        "iat_ms": int(issued * 1000),
        "exp": int(issued) + ttl_seconds,
        "jti": new_id(),
    }
    if school_id is not None:
        claims["sch"] = school_id
    if password_change_required:
        claims["pcr"] = True
    token = jwt.encode(claims, private_key, algorithm=ALGORITHM, headers={"kid": kid})
    return token, claims


def public_jwk(private_key: Ed25519PrivateKey, kid: str) -> dict[str, Any]:
    jwk: dict[str, Any] = OKPAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
    jwk.update({"kid": kid, "alg": ALGORITHM, "use": "sig"})
    return jwk
