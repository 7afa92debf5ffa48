"""The e-mail queue: pending rows are taken, sent, and settled.

Nothing is lost when the SMTP server is down: a row stays `pending` and is tried again
later, with growing delays, for as long as it takes. Only a message the server refuses for
good (5xx) is given up after the bounded attempts, as `failed`. A row taken by a sender
that dies mid-way is due again when its lease ends (at least once).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from kit.usecase import UseCase
from services.notify.repository import deliveries
from services.notify.settings import NotifySettings

LEASE = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class OutgoingEmail:
    id: str
    address: str
    subject: str
    text: str
    attempt: int


@dataclass(frozen=True)
class MailOutcome:
    id: str
    ok: bool
    error: str | None = None
    permanent: bool = False
    """The server refused this message itself (5xx), not a connection problem."""


async def claim(uc: UseCase, settings: NotifySettings) -> list[OutgoingEmail]:
    """Lease a batch of the e-mails due at `uc.now`."""
    now = uc.now
    rows = await deliveries.claim_due_emails(uc.session, now, now + LEASE, settings.mail_batch)
    return [
        OutgoingEmail(r.id, r.address or "", r.subject or "", r.text, r.attempts + 1) for r in rows
    ]


async def settle(
    uc: UseCase,
    sent: Sequence[OutgoingEmail],
    outcomes: Sequence[MailOutcome],
    settings: NotifySettings,
) -> None:
    """Sent at `uc.now`, given up (5xx, attempts spent), or due again after a delay."""
    session, now = uc.session, uc.now
    await deliveries.mark_sent(session, [o.id for o in outcomes if o.ok], now)
    attempts = {m.id: m.attempt for m in sent}
    for outcome in outcomes:
        if outcome.ok:
            continue
        error = (outcome.error or "unknown error")[:1000]
        attempt = attempts[outcome.id]
        if outcome.permanent and attempt >= settings.mail_max_attempts:
            await deliveries.mark_failed(session, outcome.id, error)
        else:
            delay = retry_delay(settings.mail_retry_delays_ms, attempt)
            await deliveries.retry_later(session, outcome.id, now + delay, error)


def retry_delay(delays_ms: Sequence[int], attempt: int) -> dt.timedelta:
    """Back-off after the given failed attempt (1-based), the last delay repeating."""
    return dt.timedelta(milliseconds=delays_ms[min(attempt, len(delays_ms)) - 1])
