"""Telling people: a notice becomes a feed delivery and, by subscription, an e-mail.

R-REC-2: parents find what concerns their child in their own account (the feed) and may
subscribe to e-mail: at once (digest `none`, one pending e-mail per notice) or collected
into a daily or weekly digest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from kit.usecase import UseCase
from services.notify.models import Delivery, Subscription
from services.notify.repository import deliveries, subscriptions
from services.notify.service import notices
from services.notify.service.notices import Notice

MAIL_FLAG = "notify_mail_pending"
"""Set on a session that queued e-mails: the sender is woken after its commit."""


@dataclass(frozen=True)
class Source:
    """What a notice comes from (an event, or an internal message), for the record."""

    id: str
    type: str


async def tell(
    uc: UseCase,
    school_id: str,
    recipient_ids: Sequence[str],
    notice: Notice,
    source: Source,
    *,
    feed: bool = True,
) -> list[Delivery]:
    """The feed delivery of each recipient, and the e-mail their subscription asks for, made
    at `uc.now`."""
    session, now = uc.session, uc.now
    subs = await subscriptions.of_people(session, school_id, recipient_ids)
    rows: list[Delivery] = []
    for recipient_id in recipient_ids:
        if feed:
            rows.append(_feed(school_id, recipient_id, notice, source, now))
        sub = subs.get(recipient_id)
        if sub is not None and sub.email and sub.email_address:
            rows.append(_email(sub, notice, source, now))
    deliveries.add(session, rows)
    if any(r.status == "pending" for r in rows):
        session.info[MAIL_FLAG] = True
    return rows


def _feed(
    school_id: str, recipient_id: str, notice: Notice, source: Source, now: dt.datetime
) -> Delivery:
    return Delivery(
        school_id=school_id,
        recipient_id=recipient_id,
        channel="feed",
        status="delivered",
        source_event_id=source.id,
        source_event_type=source.type,
        subject=notice.title,
        text=notice.text,
        created_at=now,
        attempts=0,
    )


def _email(sub: Subscription, notice: Notice, source: Source, now: dt.datetime) -> Delivery:
    """Pending at once, or collected for the subscriber's digest."""
    immediate = sub.digest == "none"
    return Delivery(
        school_id=sub.school_id,
        recipient_id=sub.person_id,
        channel="email",
        status="pending" if immediate else "collected",
        digest=sub.digest,
        address=sub.email_address if immediate else None,
        source_event_id=source.id,
        source_event_type=source.type,
        subject=notice.title,
        text=notices.email_body(notice) if immediate else notice.text,
        created_at=now,
        next_attempt_at=now if immediate else None,
        attempts=0,
    )


async def feed(
    uc: UseCase,
    school_id: str,
    recipient_id: str | None,
    channel: str | None,
    limit: int,
) -> list[Delivery]:
    """What was delivered: one person's (`recipient_id`), or the school's, newest first."""
    return await deliveries.for_recipient(uc.session, school_id, recipient_id, channel, limit)
