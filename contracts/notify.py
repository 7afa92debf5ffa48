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


class MessageSent(Event):
    event_type = "notify.message.sent"
    aggregate = "message_id"
    summary = (
        "R-NTF-1/R-NTF-2: a message of the internal mail was sent (ids only: the subject and "
        "the body stay in notify)."
    )

    message_id: str
    school_id: str
    sender_id: str
    recipient_ids: list[str]
