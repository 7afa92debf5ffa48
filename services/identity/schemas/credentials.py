"""Credentials (one-time passwords, R-SEC-2) and compromise (R-SEC-4)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from kit.params import PlatformMoment
from services.identity.schemas.base import Body


class CredentialsIn(Body):
    login: str | None = Field(
        None, max_length=64, description="chosen instead of the generated one (unique in the city)"
    )


class CredentialsOut(BaseModel):
    account_id: str
    person_id: str
    login: str
    password: str = Field(description="one-time: shown once, changed at first login")
    password_change_required: bool = True


class ClassCredentialsIn(Body):
    who: Literal["students", "parents", "both"] = Field(
        "both", description="the class's students, their parents, or both"
    )
    only_new: bool = Field(
        True, description="skip people who already have credentials (false: reset them all)"
    )


class ClassCredentialsOut(BaseModel):
    class_id: str
    issued: list[CredentialsOut]
    skipped: int = Field(description="people who already had credentials (only_new)")


class CompromiseIn(Body):
    note: str = Field(min_length=1, max_length=2000, description="who reported what, how")
    reported_at: PlatformMoment | None = Field(
        None, description="when the school head or support received the report (default: now)"
    )


class CompromiseOut(BaseModel):
    account_id: str
    person_id: str | None
    status: Literal["compromised"]
    reported_at: dt.datetime
