"""The access log (R-SEC-1) and the role activity report."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class AccessLogEntryOut(BaseModel):
    id: str
    at: dt.datetime
    action: str
    actor_account_id: str | None
    actor_roles: list[str]
    subject_person_id: str | None
    subject_account_id: str | None
    login: str | None
    address: str | None
    detail: str | None


class AccessLogPage(BaseModel):
    entries: list[AccessLogEntryOut]
    next_before: str | None = Field(description="pass as `before` for the next (older) page")


class RoleActivityOut(BaseModel):
    role: str
    accounts: int
    active_accounts: int
    active_pct: float | None
    logins: int
    refreshes: int
    failed_logins: int


class ActivityReport(BaseModel):
    school_id: str
    month: str
    roles: list[RoleActivityOut]
