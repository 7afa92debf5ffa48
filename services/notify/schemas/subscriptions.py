"""A person's e-mail subscription: request and answer."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from services.notify.schemas.base import Digest, Request


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
