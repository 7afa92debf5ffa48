"""Consent to the processing of personal data and its withdrawal."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from kit.params import PlatformDate
from services.identity.schemas.base import Body, Orm


class ConsentIn(Body):
    document: str = Field(min_length=1, max_length=200, description="the signed document")
    given_on: PlatformDate | None = Field(None, description="the document's date (default: today)")


class WithdrawalIn(Body):
    document: str | None = Field(None, max_length=200)
    note: str | None = Field(None, max_length=2000)


class ConsentOut(Orm):
    id: str
    person_id: str
    document: str
    given_on: dt.date
    recorded_by: str
    recorded_at: dt.datetime
    withdrawn_at: dt.datetime | None
    withdrawn_by: str | None
    withdrawal_document: str | None
    withdrawal_note: str | None


class ConsentState(BaseModel):
    person_id: str
    given: bool
    history: list[ConsentOut]
