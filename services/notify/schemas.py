from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict


class DeliveryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    recipient_id: str
    channel: str
    source_event_type: str
    text: str
    created_at: dt.datetime


class DeliveryList(BaseModel):
    deliveries: list[DeliveryOut]
