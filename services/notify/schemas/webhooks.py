"""Integrators' webhooks and their deliveries: requests and answers."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field

from kit.params import Id
from services.notify.schemas.base import EventPattern, Request


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
