"""The diary feed and e-mail deliveries of notify's answers."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


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
