"""Digests (R-REC-2): notices collected for a daily or weekly e-mail, sent at the boundary.

A daily digest goes out at `digest_hour` in the school's own time zone (from
`identity.school.registered`), a weekly one at that hour on `digest_weekday`; a school whose
registration has not reached notify yet keeps its notices collected until it does. At each
pass (one query per kind, every zone's boundary in it), the notices collected before the last
boundary of their kind become one pending e-mail per person; a person who switched e-mail off
meanwhile gets nothing (the notices are `dropped`; the feed still has them).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import new_id
from kit.usecase import UseCase
from services.notify.models import Delivery
from services.notify.repository import deliveries, schools, subscriptions
from services.notify.service import notices
from services.notify.service.telling import MAIL_FLAG
from services.notify.settings import NotifySettings

DIGEST_SOURCE = "notify.digest"
BATCH = 5000


def last_boundary(
    now: dt.datetime, kind: str, settings: NotifySettings, timezone: str
) -> dt.datetime:
    """The latest instant at or before `now` when a digest of this kind was due at a school
    in `timezone`."""
    local = now.astimezone(ZoneInfo(timezone))
    at = local.replace(hour=settings.digest_hour, minute=0, second=0, microsecond=0)
    if kind == "weekly":
        at -= dt.timedelta(days=(local.weekday() - settings.digest_weekday) % 7)
        step = dt.timedelta(days=7)
    else:
        step = dt.timedelta(days=1)
    return at - step if at > local else at


async def compose_due(uc: UseCase, settings: NotifySettings) -> int:
    """Turn the notices collected before the last boundary at `uc.now` into digest e-mails;
    returns how many digests were made."""
    session, now = uc.session, uc.now
    made = 0
    zones = await schools.zones(session)
    for kind in ("daily", "weekly"):
        boundaries = {zone: last_boundary(now, kind, settings, zone) for zone in zones}
        rows = await deliveries.collected_before(session, kind, boundaries, BATCH)
        groups: dict[tuple[str, str, str], list[Delivery]] = defaultdict(list)
        for row, zone in rows:
            groups[(row.school_id, row.recipient_id, zone)].append(row)
        for (school_id, recipient_id, zone), items in groups.items():
            boundary = boundaries[zone]
            made += await _compose(session, school_id, recipient_id, kind, boundary, items, now)
    if made:
        session.info[MAIL_FLAG] = True
    return made


async def _compose(
    session: AsyncSession,
    school_id: str,
    recipient_id: str,
    kind: str,
    boundary: dt.datetime,
    items: list[Delivery],
    now: dt.datetime,
) -> int:
    sub = (await subscriptions.of_people(session, school_id, [recipient_id])).get(recipient_id)
    ids = [i.id for i in items]
    if sub is None or not sub.email or not sub.email_address:
        await deliveries.settle_collected(session, ids, "dropped", None)
        return 0
    notice = notices.digest(kind, boundary.date(), [i.text for i in items])
    digest_id = new_id()
    deliveries.add(
        session,
        [
            Delivery(
                id=digest_id,
                school_id=school_id,
                recipient_id=recipient_id,
                channel="email",
                status="pending",
                digest=kind,
                address=sub.email_address,
                source_event_id=digest_id,
                source_event_type=DIGEST_SOURCE,
                subject=notice.title,
                text=notices.email_body(notice),
                created_at=now,
                next_attempt_at=now,
                attempts=0,
            )
        ],
    )
    await session.flush()
    await deliveries.settle_collected(session, ids, "digested", digest_id)
    return 1
