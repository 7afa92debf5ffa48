"""Sessions: logging in, refreshing with rotation, logging out, changing one's password.

Access tokens are short (≤ 15 min) EdDSA JWTs (`kit.tokens`); refresh tokens are opaque,
kept only as digests, and rotate on every use. Each login starts a family of refresh tokens;
presenting a link that was already used means it was stolen or replayed, and revokes the
whole family, access tokens included.

A refusal that must leave a trace (a failed login in the access log, a revoked family) is
returned as an `Outcome` instead of raised, so the edge commits the trace, then refuses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from contracts.identity import Role
from kit.db import new_id
from kit.errors import DomainError, Forbidden, Invalid, Unauthorized
from kit.usecase import UseCase
from services.identity.models import Account, Person, RefreshToken
from services.identity.repository import accounts as account_rows
from services.identity.repository import people as people_rows
from services.identity.repository import tokens as token_rows
from services.identity.rules.passwords import check_policy
from services.identity.service import audit, deny_list
from services.identity.service.audit import LogAction
from services.identity.service.collaborators import Identity


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    expires_in: int
    refresh_token: str
    password_change_required: bool


@dataclass(frozen=True)
class Outcome:
    pair: TokenPair | None = None
    refusal: DomainError | None = None

    def result(self) -> TokenPair:
        """The tokens, or the refusal raised (call after the unit of work committed)."""
        if self.refusal is not None:
            raise self.refusal
        assert self.pair is not None
        return self.pair


INVALID_CREDENTIALS = "wrong login or password"


async def login(
    uc: UseCase, identity: Identity, login_name: str, password: str, address: str | None
) -> Outcome:
    if "\x00" in login_name:
        raise Invalid("the login contains a NUL character", code="invalid_character")
    name = login_name.strip().lower()[:64]
    await identity.guard.check(name, address)
    # shared: a compromise report being committed is waited for, so no token issued here
    # can postdate the report's deny-list instant while the account still reads active
    account = await account_rows.by_login(uc.session, name, shared=True) if name else None
    correct = await identity.passwords.verify(account.password_hash if account else None, password)
    attempt = _Attempt(name, address, account, await roles_of(uc, account) if account else [])
    if account is None or not correct:
        await identity.guard.failed(name, address)
        attempt.log(uc, LogAction.login_failed)
        return Outcome(refusal=Unauthorized(INVALID_CREDENTIALS, code="invalid_credentials"))
    if account.status != "active":
        await identity.guard.failed(name, address)
        attempt.log(uc, LogAction.login_refused, detail="compromised")
        return Outcome(
            refusal=Forbidden(
                "these credentials were reported compromised: ask for new ones",
                code="account_compromised",
            )
        )
    await identity.guard.succeeded(name)
    await _rehash_if_needed(identity, account, password)
    account.last_login_at = uc.now
    attempt.log(uc, LogAction.login)
    if account.school_id:
        await audit.record_activity(
            uc,
            school_id=account.school_id,
            account_id=account.id,
            roles=attempt.roles,
            login=True,
        )
    return Outcome(pair=await issue_pair(uc, identity, account, attempt.roles, family_id=new_id()))


@dataclass(frozen=True)
class _Attempt:
    """A login attempt, as the access log keeps it (the roles are the account's own)."""

    login: str
    address: str | None
    account: Account | None
    roles: list[str]

    def log(self, uc: UseCase, action: LogAction, detail: str | None = None) -> None:
        account = self.account
        audit.record(
            uc,
            action,
            school_id=account.school_id if account else None,
            subject_account_id=account.id if account else None,
            subject_person_id=account.person_id if account else None,
            actor_account_id=account.id if account and action is LogAction.login else None,
            actor_roles=self.roles,
            login=self.login,
            address=self.address,
            detail=detail,
        )


async def _rehash_if_needed(identity: Identity, account: Account, password: str) -> None:
    if identity.passwords.needs_rehash(account.password_hash):
        account.password_hash = await identity.passwords.hash(password)


async def roles_of(uc: UseCase, account: Account) -> list[str]:
    if account.operator:
        return [Role.operator.value]
    person = await _person_of(uc, account)
    return list(person.roles) if person else []


async def _person_of(uc: UseCase, account: Account) -> Person | None:
    if account.person_id is None or account.school_id is None:
        return None
    return await people_rows.get(uc.session, account.school_id, account.person_id)


async def issue_pair(
    uc: UseCase, identity: Identity, account: Account, roles: list[str], *, family_id: str
) -> TokenPair:
    ttl = int(identity.access_ttl.total_seconds())
    access, claims = await identity.keyring.sign(
        account_id=account.id,
        person_id=account.person_id,
        school_id=account.school_id,
        roles=roles,
        login=account.login,
        ttl_seconds=ttl,
        password_change_required=account.password_change_required,
    )
    secret = secrets.token_urlsafe(32)
    now = uc.now
    link = RefreshToken(
        id=new_id(),
        family_id=family_id,
        account_id=account.id,
        school_id=account.school_id,
        token_hash=_digest(secret),
        issued_at=now,
        expires_at=now + identity.refresh_ttl,
        access_jti=claims["jti"],
        access_expires_at=dt.datetime.fromtimestamp(claims["exp"], dt.UTC),
    )
    token_rows.add(uc.session, link)
    await uc.session.flush()
    return TokenPair(access, ttl, f"{link.id}.{secret}", account.password_change_required)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def refresh(uc: UseCase, identity: Identity, raw: str) -> Outcome:
    link_id, _, secret = raw.strip().partition(".")
    readable = link_id and secret and "\x00" not in raw
    link = await token_rows.get(uc.session, link_id) if readable else None
    if link is None or not hmac.compare_digest(link.token_hash, _digest(secret)):
        return Outcome(refusal=Unauthorized("unknown refresh token", code="invalid_refresh_token"))
    now = uc.now
    if link.revoked_at is not None:
        return Outcome(refusal=Unauthorized("session ended", code="refresh_token_revoked"))
    if link.used_at is not None or not await token_rows.claim(uc.session, link.id, now):
        await revoke_family(uc, identity, link.family_id)
        return Outcome(
            refusal=Unauthorized(
                "this refresh token was already used: the session is revoked",
                code="refresh_token_reused",
            )
        )
    account = await account_rows.get(uc.session, link.account_id)
    if account is None or account.status != "active":
        await revoke_family(uc, identity, link.family_id)
        return Outcome(refusal=Unauthorized("session ended", code="refresh_token_revoked"))
    if link.expires_at <= now:
        await revoke_family(uc, identity, link.family_id)
        return Outcome(refusal=Unauthorized("session expired", code="refresh_token_expired"))
    roles = await roles_of(uc, account)
    if account.school_id:
        await audit.record_activity(
            uc,
            school_id=account.school_id,
            account_id=account.id,
            roles=roles,
            login=False,
        )
    return Outcome(pair=await issue_pair(uc, identity, account, roles, family_id=link.family_id))


async def revoke_family(uc: UseCase, identity: Identity, family_id: str) -> None:
    """Every refresh token of the family, and every access token they produced that lives."""
    for link in await token_rows.revoke_family(uc.session, family_id, uc.now):
        remaining = int(link.access_expires_at.timestamp() - time.time()) + 5
        if remaining > 0:
            await deny_list.deny_token(uc, identity, link.access_jti, remaining)


async def end_access_token(uc: UseCase, identity: Identity) -> None:
    """Deny the access token the actor asked with until it would have expired anyway."""
    actor = uc.actor
    if actor.token_id is None or actor.issued_at is None:  # the platform asks with no token
        return
    remaining = actor.issued_at + int(identity.access_ttl.total_seconds()) - int(time.time()) + 5
    await deny_list.deny_token(uc, identity, actor.token_id, remaining)


async def end_every_session(uc: UseCase, identity: Identity, account: Account) -> None:
    """Every refresh token of the account revoked, every access token issued until now refused.

    The deny-list instant is 2 ms early so that the tokens answered right after (their
    `iat_ms` is truncated to the millisecond) are never caught by it.
    """
    await token_rows.revoke_account(uc.session, account.id, uc.now)
    await deny_list.deny_account(
        uc,
        identity,
        account.id,
        time.time() - 0.002,
        int(identity.access_ttl.total_seconds()) + 300,
    )


async def logout(uc: UseCase, identity: Identity, refresh_token: str | None) -> None:
    """End this session: its access token now, its refresh family if presented."""
    await end_access_token(uc, identity)
    if refresh_token:
        link = await token_rows.get(uc.session, refresh_token.partition(".")[0])
        if link is not None and link.account_id == uc.actor.account_id:
            await revoke_family(uc, identity, link.family_id)
    audit.record(
        uc,
        LogAction.logout,
        school_id=uc.actor.school_id,
        actor=uc.actor,
        subject_account_id=uc.actor.account_id,
    )


async def change_password(
    uc: UseCase,
    identity: Identity,
    old_password: str,
    new_password: str,
    address: str | None,
) -> Outcome:
    """Replace the password (the one-time one at first login); every other session ends."""
    account = await account_rows.get(uc.session, uc.actor.account_id)
    if account is None:
        raise Unauthorized("the account no longer exists", code="invalid_token")
    await identity.guard.check(account.login, address)
    if not await identity.passwords.verify(account.password_hash, old_password):
        await identity.guard.failed(account.login, address)
        return Outcome(refusal=Forbidden("the current password is wrong", code="wrong_password"))
    check_policy(new_password, login=account.login)
    if new_password == old_password:
        raise Invalid("choose a password different from the current one", code="password_reused")
    now = uc.now
    account.password_hash = await identity.passwords.hash(new_password)
    account.password_change_required = False
    account.pending_password = None
    account.password_changed_at = now
    await end_every_session(uc, identity, account)
    audit.record(
        uc,
        LogAction.password_changed,
        school_id=account.school_id,
        actor=uc.actor,
        subject_account_id=account.id,
    )
    roles = await roles_of(uc, account)
    return Outcome(pair=await issue_pair(uc, identity, account, roles, family_id=new_id()))


@dataclass(frozen=True)
class Me:
    account: Account
    person: Person | None
    roles: list[str]


async def me(uc: UseCase) -> Me:
    account = await account_rows.get(uc.session, uc.actor.account_id)
    if account is None:
        raise Unauthorized("the account no longer exists", code="invalid_token")
    return Me(account, await _person_of(uc, account), await roles_of(uc, account))
