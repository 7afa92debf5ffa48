"""The deny-list (R-SEC-4, R-SEC-5): what identity ends before it expires, in Redis for every
service's token check and in identity's database so that a Redis that lost its data is
written again.

Every entry is written to both in the use case's unit of work (Redis first, so it works at
once; a rolled-back change leaves at most an entry that denies a little more). A marker key
says Redis still holds what was written: when it is missing (Redis restarted empty, or was
flushed), `reassert_if_lost` writes every living entry again, within one check interval.
"""

from __future__ import annotations

import datetime as dt
import time

from kit.usecase import UseCase
from services.identity.models import Denial
from services.identity.repository import accounts as account_rows
from services.identity.repository import denials as denial_rows
from services.identity.service.collaborators import Identity

ASSERTED = "ej:revoked:asserted"
"""Present while Redis holds the deny-list identity wrote."""


async def deny_token(uc: UseCase, identity: Identity, token_id: str, ttl_seconds: int) -> None:
    """This access token is refused until it would have expired anyway."""
    ttl = max(1, ttl_seconds)
    denial_rows.add(
        uc.session,
        Denial(kind="token", subject=token_id, expires_at=uc.now + dt.timedelta(seconds=ttl)),
    )
    await identity.revocations.revoke_token(token_id, ttl)


async def deny_account(
    uc: UseCase, identity: Identity, account_id: str, issued_before: float, ttl_seconds: int
) -> None:
    """Every token of the account issued at or before `issued_before` is refused."""
    denial_rows.add(
        uc.session,
        Denial(
            kind="account",
            subject=account_id,
            issued_before=issued_before,
            expires_at=uc.now + dt.timedelta(seconds=ttl_seconds),
        ),
    )
    await identity.revocations.revoke_account(account_id, issued_before, ttl_seconds=ttl_seconds)


async def reassert(uc: UseCase, identity: Identity, *, compromise_since: dt.datetime) -> int:
    """Write every living entry to Redis again, and the accounts closed by a compromise
    reported since `compromise_since` (every token issued until now dies); set the marker."""
    written = 0
    for denial in await denial_rows.living(uc.session, uc.now):
        ttl = max(1, int((denial.expires_at - uc.now).total_seconds()))
        if denial.kind == "token":
            await identity.revocations.revoke_token(denial.subject, ttl)
        elif denial.issued_before is not None:
            await identity.revocations.revoke_account(
                denial.subject, denial.issued_before, ttl_seconds=ttl
            )
        written += 1
    for account in await account_rows.compromised_since(uc.session, compromise_since):
        await identity.revocations.revoke_account(account.id, time.time(), ttl_seconds=86400)
        written += 1
    await identity.revocations.redis.set(ASSERTED, "1")
    return written


async def lost(identity: Identity) -> bool:
    """Redis no longer holds what identity wrote (its marker is gone)."""
    return not await identity.revocations.redis.exists(ASSERTED)


async def purge(uc: UseCase) -> int:
    return await denial_rows.purge(uc.session, uc.now)
