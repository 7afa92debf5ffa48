"""The signing key ring: Ed25519 keys kept in identity's database, rotated without downtime.

Every key not retired is published in the JWKS. A rotated key is published first and signs
only from `signs_from` (after the verifiers of every service had time to fetch it); the
newest key whose time has come signs. A superseded key stays published until every token it
signed has expired, then it is retired and its private half erased.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import new_id
from kit.logging import get_logger
from kit.runtime import Runtime
from kit.tokens import public_jwk, sign_access_token
from services.identity.adapters.cipher import SecretBox
from services.identity.models import SigningKey
from services.identity.repository import keys as key_rows

RETIREMENT_MARGIN = dt.timedelta(minutes=1)
log = get_logger(__name__)


@dataclass(frozen=True)
class LoadedKey:
    kid: str
    signs_from: dt.datetime
    private_key: Ed25519PrivateKey
    jwk: dict[str, Any]


class Keyring:
    """What signs identity's tokens and what every verifier reads (`jwks()`).

    Keys are read from the database at start (`refresh`, which also makes the very first
    key) and then every few seconds in the background, never inside a request's
    transaction: signing and publishing answer from memory. The time is the runtime's clock. A rotation made by another
    process (the CLI) is seen within `refresh_seconds`, well before the new key signs.
    """

    def __init__(self, runtime: Runtime, box: SecretBox, *, refresh_seconds: float = 5) -> None:
        self.runtime, self.box = runtime, box
        self.refresh_seconds = refresh_seconds
        self._keys: list[LoadedKey] = []
        self._lock = asyncio.Lock()

    async def jwks(self) -> dict[str, Any]:
        """The published key set, the same document as GET /identity/.well-known/jwks.json."""
        return {"keys": [dict(k.jwk) for k in await self._loaded()]}

    async def sign(self, **claims: Any) -> tuple[str, dict[str, Any]]:
        """Sign an access token (see `kit.tokens.sign_access_token` for the claims)."""
        key = await self.signing_key()
        return sign_access_token(key.private_key, key.kid, **claims)

    async def signing_key(self) -> LoadedKey:
        """The newest key whose time has come (a rotated key waits for `signs_from`)."""
        now = self.runtime.clock.now()
        keys = await self._loaded()
        ready = [k for k in keys if k.signs_from <= now] or keys[:1]
        return max(ready, key=lambda k: (k.signs_from, k.kid))

    async def _loaded(self) -> list[LoadedKey]:
        if not self._keys:
            await self.refresh()
        return self._keys

    async def refresh(self) -> None:
        """Read the published keys; make the first one if there is none that signs yet."""
        async with self._lock:
            now = self.runtime.clock.now()
            async with self.runtime.db.unit_of_work() as session:
                rows = await key_rows.published(session)
                if not any(r.signs_from <= now for r in rows):
                    rows.append(await create_key(session, self.box, now))
                loaded = [self._load(r) for r in rows]
            self._keys = loaded

    async def keep_fresh(self) -> None:
        """Background task: re-read the key ring every `refresh_seconds`."""
        while True:
            await asyncio.sleep(self.refresh_seconds)
            try:
                await self.refresh()
            except Exception as exc:  # the database may blink: keep the keys we have
                log.warning("keyring_refresh_failed", error=repr(exc))

    def _load(self, row: SigningKey) -> LoadedKey:
        raw = self.box.open(row.private_key, purpose=row.kid)
        return LoadedKey(
            row.kid, row.signs_from, Ed25519PrivateKey.from_private_bytes(raw), row.public_jwk
        )


async def create_key(
    session: AsyncSession, box: SecretBox, now: dt.datetime, signs_from: dt.datetime | None = None
) -> SigningKey:
    private = Ed25519PrivateKey.generate()
    kid = new_id()
    row = SigningKey(
        kid=kid,
        created_at=now,
        signs_from=signs_from or now,
        retired_at=None,
        private_key=box.seal(private.private_bytes_raw(), purpose=kid),
        public_jwk=public_jwk(private, kid),
    )
    key_rows.add(session, row)
    await session.flush()
    return row


@dataclass(frozen=True)
class Rotation:
    new_kid: str
    signs_from: dt.datetime
    retired: list[str]


async def rotate(
    session: AsyncSession,
    box: SecretBox,
    now: dt.datetime,
    *,
    activation_delay: dt.timedelta,
    token_lifetime: dt.timedelta,
) -> Rotation:
    """Publish a new key that signs after `activation_delay`; retire keys nobody needs."""
    retired = await retire_superseded(session, now, token_lifetime)
    key = await create_key(session, box, now, now + activation_delay)
    return Rotation(key.kid, key.signs_from, retired)


async def retire_superseded(
    session: AsyncSession, now: dt.datetime, token_lifetime: dt.timedelta
) -> list[str]:
    """Retire every key whose last token expired: it stopped signing when a newer key began."""
    rows = sorted(await key_rows.published(session), key=lambda r: (r.signs_from, r.kid))
    retired = []
    for row, successor in _with_successors(rows):
        if (
            successor is not None
            and successor.signs_from + token_lifetime + RETIREMENT_MARGIN <= now
        ):
            row.retired_at, row.private_key = now, ""
            retired.append(row.kid)
    return retired


def _with_successors(
    rows: list[SigningKey],
) -> Iterable[tuple[SigningKey, SigningKey | None]]:
    for index, row in enumerate(rows):
        yield row, rows[index + 1] if index + 1 < len(rows) else None
