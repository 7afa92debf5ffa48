"""Events the notify service publishes."""

from __future__ import annotations

from kit.events import Event


class MessageDelivered(Event):
    event_type = "notify.delivery.recorded"
    aggregate = "delivery_id"
    summary = "A notification was delivered (diary feed, e-mail or webhook)."

    delivery_id: str
    school_id: str
    recipient_id: str | None
    channel: str
    source_event_type: str
