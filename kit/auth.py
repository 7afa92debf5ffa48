"""Verifying the identity service's JWT access tokens, locally, in every service.

Tokens are EdDSA-signed; the public keys come from the identity service's JWKS, cached and
refetched when a token names a key id we do not know (key rotation without downtime). A
token is refused when it is expired, tampered, signed with another key or algorithm, or when
its account was compromised after it was issued (the deny-list in Redis, fed by identity).
"""

from __future__ import annotations

import abc
import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

import httpx
import jwt
from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from redis.asyncio import Redis
from redis.exceptions import RedisError

from kit.context import update_context
from kit.errors import Forbidden, Unauthorized, Unavailable

ALGORITHM = "EdDSA"
ISSUER = "ej-identity"
AUDIENCE = "ej"
OPERATOR = "operator"
"""The city operator's role: the one role that sees every school."""

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/identity/v1/token", auto_error=False)


@dataclass(frozen=True)
class CurrentUser:
    """Who is asking: an account, its person, its school (None for the city operator), roles."""

    account_id: str
    person_id: str | None
    school_id: str | None
    roles: frozenset[str]
    login: str
    token_id: str
    issued_at: int
    password_change_required: bool = False

    def has_any(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_operator(self) -> bool:
        return OPERATOR in self.roles


class KeySource(abc.ABC):
    @abc.abstractmethod
    async def jwks(self) -> dict[str, Any]: ...


class HttpKeySource(KeySource):
    """The identity service's published JWKS, over HTTP."""

    def __init__(self, url: str, *, timeout: float = 5.0) -> None:
        self.url, self.timeout = url, timeout

    async def jwks(self) -> dict[str, Any]:
        async with httpx.AsyncClient(timeout=self.timeout) as client:
            response = await client.get(self.url)
            response.raise_for_status()
            return response.json()  # type: ignore[no-any-return]


class CallableKeySource(KeySource):
    """The JWKS straight from the identity service's key ring (embedded mode, one process)."""

    def __init__(self, provider: Callable[[], Awaitable[dict[str, Any]]]) -> None:
        self.provider = provider

    async def jwks(self) -> dict[str, Any]:
        return await self.provider()


class Revocations:
    """The deny-list: accounts compromised at an instant, tokens logged out before expiry."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    async def revoke_account(self, account_id: str, at: float, ttl_seconds: int = 86400) -> None:
        """Every token of the account issued at or before `at` is refused from now on."""
        await self.redis.set(f"ej:revoked:account:{account_id}", str(at), ex=ttl_seconds)

    async def revoke_token(self, token_id: str, ttl_seconds: int) -> None:
        await self.redis.set(f"ej:revoked:token:{token_id}", "1", ex=max(1, ttl_seconds))

    async def is_revoked(self, account_id: str, token_id: str, issued_at: float) -> bool:
        revoked_at, token = await self.redis.mget(
            f"ej:revoked:account:{account_id}", f"ej:revoked:token:{token_id}"
        )
        if token is not None:
            return True
        return revoked_at is not None and issued_at <= float(revoked_at)


class TokenVerifier:
    def __init__(
        self,
        keys: KeySource,
        revocations: Revocations | None,
        *,
        refresh_interval: float = 10.0,
        leeway: int = 5,
    ) -> None:
        self.keys, self.revocations = keys, revocations
        self.refresh_interval, self.leeway = refresh_interval, leeway
        self._cache: dict[str, jwt.PyJWK] = {}
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()
        self._verified: OrderedDict[str, tuple[CurrentUser, float, float]] = OrderedDict()

    async def _key(self, kid: str) -> jwt.PyJWK:
        if kid in self._cache:
            return self._cache[kid]
        async with self._lock:
            if (
                kid not in self._cache
                and time.monotonic() - self._fetched_at > self.refresh_interval
            ):
                try:
                    document = await self.keys.jwks()
                except Exception as exc:
                    raise Unauthorized(
                        "cannot verify the token now", code="keys_unavailable"
                    ) from exc
                self._fetched_at = time.monotonic()
                self._verified.clear()  # a key taken out of the set takes its tokens with it
                self._cache = {
                    k["kid"]: jwt.PyJWK(k) for k in document.get("keys", []) if "kid" in k
                }
        if kid not in self._cache:
            raise Unauthorized("token signed with an unknown key", code="invalid_token")
        return self._cache[kid]

    VERIFIED_CACHE = 4096
    """Tokens whose signature and claims were checked, kept until they expire: a client asks
    with the same token for up to 15 minutes, and the check (base64, Ed25519, claims) is most
    of authenticating. Revocation is still asked for on every request."""

    async def verify(self, token: str) -> CurrentUser:
        cached = self._verified.get(token)
        if cached is not None:
            user, expires, issued = cached
            if time.time() > expires + self.leeway:
                del self._verified[token]
                raise Unauthorized("token expired", code="token_expired")
        else:
            user, expires, issued = await self._check(token)
            self._verified[token] = (user, expires, issued)
            if len(self._verified) > self.VERIFIED_CACHE:
                self._verified.popitem(last=False)
        if self.revocations is not None and await self._revoked(user, issued):
            raise Unauthorized("token revoked", code="token_revoked")
        return user

    async def _revoked(self, user: CurrentUser, issued: float) -> bool:
        """Asked of Redis on every request; when Redis cannot answer, nobody is let in on
        trust: 503 `revocations_unavailable` with Retry-After (not a 500)."""
        assert self.revocations is not None
        try:
            return await self.revocations.is_revoked(user.account_id, user.token_id, issued)
        except (RedisError, OSError) as exc:
            raise Unavailable(
                "cannot check whether the token was revoked now: try again shortly",
                code="revocations_unavailable",
                retry_after=5,
            ) from exc

    async def _check(self, token: str) -> tuple[CurrentUser, float, float]:
        """Signature and claims: the user, when the token expires and when it was issued."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise Unauthorized("malformed token", code="invalid_token") from exc
        if header.get("alg") != ALGORITHM or not isinstance(header.get("kid"), str):
            raise Unauthorized("token algorithm not accepted", code="invalid_token")
        key = await self._key(header["kid"])
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                issuer=ISSUER,
                leeway=self.leeway,
                options={"require": ["exp", "iat", "sub", "jti"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("token expired", code="token_expired") from exc
        except jwt.PyJWTError as exc:
            raise Unauthorized("invalid token", code="invalid_token") from exc
        if claims.get("typ") != "access":
            raise Unauthorized("not an access token", code="invalid_token")
        user = CurrentUser(
            account_id=claims["sub"],
            person_id=claims.get("pid"),
            school_id=claims.get("sch"),
            roles=frozenset(claims.get("roles", [])),
            login=claims.get("login", ""),
            token_id=claims["jti"],
            issued_at=int(claims["iat"]),
            password_change_required=bool(claims.get("pcr", False)),
        )
        return user, float(claims["exp"]), claims.get("iat_ms", user.issued_at * 1000) / 1000


async def _authenticate(request: Request, token: str | None) -> CurrentUser:
    if not token:
        raise Unauthorized("authentication required", code="not_authenticated")
    verifier: TokenVerifier = request.app.state.verifier
    user = await verifier.verify(token)
    update_context(school_id=user.school_id, actor_id=user.account_id)
    request.state.user = user
    return user


async def current_user_allowing_password_change(
    request: Request, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> CurrentUser:
    return await _authenticate(request, token)


async def current_user(
    request: Request, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> CurrentUser:
    user = await _authenticate(request, token)
    if user.password_change_required:
        raise Forbidden(
            "change the one-time password first (POST /identity/v1/me/password)",
            code="password_change_required",
        )
    return user


CurrentUserDep = Annotated[CurrentUser, Depends(current_user)]
"""The authenticated user; a one-time-password session is refused (403)."""

PasswordChangeUserDep = Annotated[CurrentUser, Depends(current_user_allowing_password_change)]
"""The authenticated user, also while a one-time password still has to be changed."""
