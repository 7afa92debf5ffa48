"""The webhook queue: at least once, in event order per webhook, with bounded retries.

Each pass takes the oldest pending delivery of every webhook that is due (its head); the
next event of a webhook waits until the head is delivered (2xx) or given up (`failed`
after `webhook_max_attempts`), so an integrator sees a school's events in the order notify
consumed them. A head taken by a dispatcher that dies is due again when its lease ends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from kit.usecase import UseCase
from services.notify.repository import webhooks
from services.notify.service.mail_queue import retry_delay
from services.notify.settings import NotifySettings


@dataclass(frozen=True)
class Outbound:
    """One signed POST to make."""

    seq: int
    delivery_id: str
    event_id: str
    url: str
    secret: str
    body: str
    attempt: int


@dataclass(frozen=True)
class Attempt:
    seq: int
    ok: bool
    status_code: int | None = None
    error: str | None = None


def lease(settings: NotifySettings) -> dt.timedelta:
    """Longer than one POST can take, so a live dispatcher never loses its head."""
    return dt.timedelta(seconds=settings.webhook_timeout_seconds * 2 + 30)


async def claim(uc: UseCase, settings: NotifySettings) -> list[Outbound]:
    """Lease the head of every webhook that is due at `uc.now`."""
    now = uc.now
    heads = await webhooks.claim_heads(
        uc.session, now, now + lease(settings), settings.webhook_batch
    )
    return [
        Outbound(
            seq=d.seq,
            delivery_id=d.id,
            event_id=d.event_id,
            url=w.url,
            secret=w.secret,
            body=d.body,
            attempt=d.attempts + 1,
        )
        for d, w in heads
    ]


async def settle(
    uc: UseCase,
    sent: Sequence[Outbound],
    attempts: Sequence[Attempt],
    settings: NotifySettings,
) -> None:
    """Delivered at `uc.now`, given up (attempts spent), or due again after a delay."""
    session, now = uc.session, uc.now
    tries = {o.seq: o.attempt for o in sent}
    for attempt in attempts:
        values: dict[str, object] = {"last_status_code": attempt.status_code}
        if attempt.ok:
            values.update(status="delivered", delivered_at=now, last_error=None)
        elif tries[attempt.seq] >= settings.webhook_max_attempts:
            values.update(status="failed", last_error=attempt.error)
        else:
            delay = retry_delay(settings.webhook_retry_delays_ms, tries[attempt.seq])
            values.update(next_attempt_at=now + delay, last_error=attempt.error)
        await webhooks.record_attempt(session, attempt.seq, values)
