"""Internal mail and the people one may write to: requests and answers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from kit.params import Id
from services.notify.schemas.base import Request


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
