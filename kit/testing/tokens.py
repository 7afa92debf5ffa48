"""Sign tokens in tests without the identity service (same format, a test key)."""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kit.auth import CallableKeySource
from kit.db import new_id
from kit.tokens import public_jwk, sign_access_token


class TestTokens:
    """A key ring of one Ed25519 key; `keys` is what a service under test verifies against."""

    __test__ = False

    def __init__(self) -> None:
        self.private_key = Ed25519PrivateKey.generate()
        self.kid = f"test-{new_id()[-8:]}"

        async def jwks() -> dict[str, Any]:
            return {"keys": [public_jwk(self.private_key, self.kid)]}

        self.keys = CallableKeySource(jwks)

    def token(
        self,
        *,
        roles: list[str],
        school_id: str | None,
        account_id: str | None = None,
        person_id: str | None = None,
        login: str = "tester",
        **kwargs: Any,
    ) -> str:
        token, _ = sign_access_token(
            self.private_key,
            self.kid,
            account_id=account_id or new_id(),
            person_id=person_id,
            school_id=school_id,
            roles=roles,
            login=login,
            **kwargs,
        )
        return token

    def headers(self, **kwargs: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(**kwargs)}"}
