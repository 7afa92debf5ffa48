"""Credential compromise (R-SEC-4): from the report on, the credentials open nothing.

Reported by the owner, or received by the school head, the administrator or the city's
support (the operator). At once: the account is closed, its refresh tokens revoked, its
access tokens refused by every service (the deny-list in Redis that `kit.auth` checks on
every request), and `identity.account.compromised` tells the services to find what was done
with the credentials since `reported_at`. Only new credentials open the account again.
"""

from __future__ import annotations

import datetime as dt
import time

from contracts.identity import AccountCompromised
from kit.errors import Invalid
from kit.usecase import UseCase
from services.identity.models import Account
from services.identity.policy import Action, authorize
from services.identity.repository import tokens as token_rows
from services.identity.service import audit, deny_list, relations
from services.identity.service.audit import LogAction
from services.identity.service.collaborators import Identity

REPORT_MAY_PREDATE_ENTRY = dt.timedelta(days=3)
"""A report taken by phone on Friday evening may be entered on Monday (one working day)."""
DENY_LIST_SECONDS = 86400


async def report(
    uc: UseCase,
    identity: Identity,
    account_id: str,
    note: str,
    reported_at: dt.datetime | None = None,
) -> Account:
    account = await relations.account_for(uc, account_id)
    authorize(uc.actor, Action.report_compromise, relations.to_account(uc.actor, account))
    now = uc.now
    reported = _check_reported_at(reported_at, now)
    account.status = "compromised"
    account.compromised_at = reported
    account.pending_password = None
    await token_rows.revoke_account(uc.session, account.id, now)
    audit.record(
        uc,
        LogAction.compromise_reported,
        school_id=account.school_id,
        actor=uc.actor,
        subject_person_id=account.person_id,
        subject_account_id=account.id,
        detail=note,
    )
    await uc.publish(
        account.school_id,
        [
            AccountCompromised(
                account_id=account.id, person_id=account.person_id, reported_at=reported
            )
        ],
    )
    await uc.session.flush()
    # Last, so that a failure above leaves nothing half-done; the wall clock, because token
    # issue times are wall-clock instants: every token issued until now dies, whatever
    # `reported_at` says.
    await deny_list.deny_account(uc, identity, account.id, time.time(), DENY_LIST_SECONDS)
    return account


def _check_reported_at(reported_at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    if reported_at is None:
        return now
    if reported_at.tzinfo is None:
        raise Invalid("reported_at needs a time zone offset", code="invalid_reported_at")
    if reported_at > now or reported_at < now - REPORT_MAY_PREDATE_ENTRY:
        raise Invalid(
            "reported_at is the moment the report was received: not in the future, "
            "at most three days ago",
            code="invalid_reported_at",
        )
    return reported_at


async def reassert_deny_list(uc: UseCase, identity: Identity) -> int:
    """After a Redis loss, write the deny-list again from the database (`deny_list.reassert`),
    with the accounts still closed by a compromise: those entered longer ago than an access
    token lives need no entry, and `reported_at` may predate the entry by
    `REPORT_MAY_PREDATE_ENTRY`."""
    since = uc.now - REPORT_MAY_PREDATE_ENTRY - identity.access_ttl
    return await deny_list.reassert(uc, identity, compromise_since=since)
