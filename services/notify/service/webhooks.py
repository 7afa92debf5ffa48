"""Webhooks for integrators: a school's events, signed, POSTed to the integrator's URL.

A webhook names the event types it wants (`journal.mark.recorded`) or topic patterns
(`journal.mark.*`, `journal.#`), checked against the event registry. Each matching event of
that school becomes a delivery row in the transaction that consumes the event, so none is
lost; the dispatcher (`webhook_queue`) sends them in event order, at least once.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import contracts
from kit.bus.topics import topic_matches
from kit.db import new_id
from kit.errors import Invalid, NotFound
from kit.events import Envelope, Event, registry
from kit.usecase import UseCase
from services.notify.models import Webhook, WebhookDelivery
from services.notify.repository import webhooks

SUBSCRIBABLE_PRODUCERS = ("journal", "reports", "archive")
"""Integrators get the journal's facts, report and archive news; not identity's personal data
nor notify's own mail."""

WEBHOOK_FLAG = "notify_webhook_pending"
"""Set on a session that queued webhook deliveries: the dispatcher is woken after commit."""


def subscribable_events() -> list[type[Event]]:
    """Every published event an integrator may subscribe to, from the contracts."""
    assert contracts.__all__  # the import registers every event model
    return sorted(
        (
            model
            for model in registry().values()
            if model.__module__.startswith("contracts.")
            and model.producer() in SUBSCRIBABLE_PRODUCERS
        ),
        key=lambda m: m.ce_type(),
    )


def check_event_types(patterns: Sequence[str]) -> list[str]:
    """Each type or pattern must select at least one subscribable event (422 otherwise)."""
    known = [m.event_type for m in subscribable_events()]
    for pattern in patterns:
        if not any(topic_matches(pattern, event_type) for event_type in known):
            raise Invalid(
                f"{pattern!r} selects no event integrators may subscribe to "
                f"(journal.*, reports.*, archive.*; see /notify/asyncapi.json)",
                code="unknown_event_type",
            )
    return list(dict.fromkeys(patterns))


async def register(
    uc: UseCase, school_id: str, url: str, event_types: Sequence[str], created_by: str
) -> tuple[Webhook, str]:
    """A new webhook and its signing secret (shown to the caller once)."""
    session, now = uc.session, uc.now
    secret = f"whsec_{secrets.token_urlsafe(32)}"
    webhook = Webhook(
        school_id=school_id,
        url=url,
        event_types=check_event_types(event_types),
        secret=secret,
        created_by=created_by,
        created_at=now,
    )
    webhooks.add(session, webhook)
    await session.flush()
    return webhook, secret


async def of_school(uc: UseCase, school_id: str) -> list[Webhook]:
    """The school's live webhooks."""
    return await webhooks.of_school(uc.session, school_id)


async def find(uc: UseCase, webhook_id: str, scope: str | None) -> Webhook:
    """A live webhook the caller may see (`scope` None: any school); 404 otherwise."""
    webhook = await webhooks.get(uc.session, webhook_id, scope)
    if webhook is None:
        raise NotFound("no such webhook", code="webhook_not_found")
    return webhook


async def remove(uc: UseCase, webhook_id: str, scope: str | None) -> None:
    """Stop sending: the webhook goes, its pending deliveries are cancelled."""
    webhook = await find(uc, webhook_id, scope)
    await webhooks.mark_deleted(uc.session, webhook.id, uc.now)


async def deliveries(
    uc: UseCase, webhook_id: str, scope: str | None, status: str | None, limit: int
) -> list[WebhookDelivery]:
    """What was sent to a webhook the caller may see, newest first."""
    webhook = await find(uc, webhook_id, scope)
    return await webhooks.deliveries_of(uc.session, webhook.id, status, limit)


async def fan_out(uc: UseCase, envelope: Envelope) -> int:
    """Queue the event for every live webhook of its school that asked for its type."""
    session, now = uc.session, uc.now
    if not envelope.schoolid:
        return 0  # a city-wide event belongs to no school's integrators
    hooks = await webhooks.of_school(session, envelope.schoolid)
    wanted = [h for h in hooks if any(topic_matches(p, envelope.event_type) for p in h.event_types)]
    if not wanted:
        return 0
    body = envelope.model_dump_json()
    await webhooks.enqueue(
        session,
        [
            {
                "id": new_id(),
                "webhook_id": h.id,
                "school_id": h.school_id,
                "event_id": envelope.id,
                "event_type": envelope.type,
                "body": body,
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
            for h in wanted
        ],
    )
    session.info[WEBHOOK_FLAG] = True
    return len(wanted)
