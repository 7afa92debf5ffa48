"""Notify's request and response bodies."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, EmailStr, Field, StringConstraints

Id = Annotated[str, StringConstraints(min_length=1, max_length=36)]
Digest = Literal["none", "daily", "weekly"]
EventPattern = Annotated[
    str,
    StringConstraints(max_length=120, pattern=r"^([a-z0-9_]+|\*|#)(\.([a-z0-9_]+|\*|#))*$"),
]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- deliveries -----------------------------------------------------------------------------
class DeliveryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    recipient_id: str
    channel: str = Field(description="feed (the diary feed) or email")
    status: str = Field(
        description="feed: delivered; email: pending, sent, failed, collected (waits for a "
        "digest), digested (went out in digest_id), dropped (unsubscribed meanwhile)"
    )
    source_event_type: str
    subject: str | None
    text: str
    created_at: dt.datetime
    sent_at: dt.datetime | None = None
    digest: str | None = None
    digest_id: str | None = None


class DeliveryList(BaseModel):
    deliveries: list[DeliveryOut]


# --- subscriptions --------------------------------------------------------------------------
class SubscriptionIn(Request):
    email: bool = Field(description="receive notices by e-mail")
    email_address: EmailStr | None = Field(
        None, max_length=320, description="needed once to switch e-mail on; kept afterwards"
    )
    digest: Digest = Field(
        "none", description="none: an e-mail per notice; daily or weekly: one digest"
    )


class SubscriptionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    person_id: str
    email: bool
    email_address: str | None
    digest: Digest
    updated_at: dt.datetime | None = None


# --- internal mail --------------------------------------------------------------------------
class MessageIn(Request):
    recipient_ids: list[Id] = Field(min_length=1, max_length=200)
    subject: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    body: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]


class MessageRecipientOut(BaseModel):
    id: str
    name: str | None
    read_at: dt.datetime | None


class MessageOut(BaseModel):
    id: str
    sender_id: str
    sender_name: str | None
    subject: str
    body: str
    sent_at: dt.datetime
    read_at: dt.datetime | None = Field(description="when you read it (inbox); null if unread")
    recipients: list[MessageRecipientOut] = Field(
        description="the sender sees every recipient; a recipient sees only themselves"
    )


class MessageList(BaseModel):
    box: Literal["inbox", "sent"]
    unread: int
    messages: list[MessageOut]


class PersonOut(BaseModel):
    id: str
    name: str
    kind: str
    roles: list[str]


class PersonList(BaseModel):
    people: list[PersonOut]


# --- webhooks -------------------------------------------------------------------------------
class WebhookIn(Request):
    url: AnyHttpUrl = Field(description="http(s) only; receives signed POSTs")
    event_types: list[EventPattern] = Field(
        min_length=1,
        max_length=50,
        description="event types (journal.mark.recorded) or topic patterns (journal.mark.*, "
        "journal.#) of journal, reports and archive events",
    )
    school_id: Id


class WebhookOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    school_id: str
    url: str
    event_types: list[str]
    created_at: dt.datetime


class WebhookCreated(WebhookOut):
    secret: str = Field(description="signs every delivery; shown only in this answer")


class WebhookList(BaseModel):
    webhooks: list[WebhookOut]


class WebhookDeliveryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    event_id: str
    event_type: str
    status: Literal["pending", "delivered", "failed", "cancelled"]
    attempts: int
    last_status_code: int | None
    last_error: str | None
    created_at: dt.datetime
    next_attempt_at: dt.datetime | None
    delivered_at: dt.datetime | None


class WebhookDeliveryList(BaseModel):
    deliveries: list[WebhookDeliveryOut]
