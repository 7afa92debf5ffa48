"""Identity's request and response bodies (the public shapes are in CONTRACT.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Kind = Literal["staff", "student", "parent"]
Sex = Literal["male", "female"]
Id = Field(max_length=36)


class Orm(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Body(BaseModel):
    """A request body: no string in it may carry NUL, which PostgreSQL cannot store."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        strings = value if isinstance(value, list) else [value]
        if any(isinstance(s, str) and "\x00" in s for s in strings):
            raise ValueError("NUL characters are not allowed")
        return value


# --- tokens and the asker ------------------------------------------------------------------
class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="seconds the access token lives (≤ 900)")
    refresh_token: str
    password_change_required: bool = Field(
        description="a one-time password: only GET /me and POST /me/password accept this token"
    )


class RefreshIn(Body):
    refresh_token: str = Field(min_length=1, max_length=200)


class LogoutIn(Body):
    refresh_token: str | None = Field(None, max_length=200)


class PasswordChangeIn(Body):
    old_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class MeOut(BaseModel):
    account_id: str
    person_id: str | None
    school_id: str | None
    roles: list[str]
    login: str
    password_change_required: bool
    kind: Kind | None = None
    last_name: str | None = None
    first_name: str | None = None
    middle_name: str | None = None


class Jwks(BaseModel):
    keys: list[dict[str, Any]]


# --- schools ------------------------------------------------------------------------------
class SchoolIn(Body):
    name: str = Field(min_length=1, max_length=200)
    timezone: str = Field("Europe/Moscow", max_length=64, examples=["Europe/Moscow"])


class SchoolOut(Orm):
    id: str
    name: str
    timezone: str


class SchoolList(BaseModel):
    schools: list[SchoolOut]


# --- people -------------------------------------------------------------------------------
class PersonIn(Body):
    kind: Kind
    last_name: str = Field(max_length=200)
    first_name: str = Field(max_length=200)
    middle_name: str | None = Field(None, max_length=200)
    birth_date: dt.date | None = Field(None, description="required for a student (R-YR-3)")
    sex: Sex | None = Field(None, description="required for a student (R-YR-3)")
    email: str | None = Field(None, max_length=254, description="required for a parent")
    roles: list[str] = Field(
        default_factory=list, max_length=6, description="staff only: one or more staff roles"
    )


class PersonPatch(Body):
    last_name: str | None = Field(None, max_length=200)
    first_name: str | None = Field(None, max_length=200)
    middle_name: str | None = Field(None, max_length=200)
    birth_date: dt.date | None = None
    sex: Sex | None = None
    email: str | None = Field(None, max_length=254)
    roles: list[str] | None = Field(None, max_length=6, description="school_admin only (R-SEC-5)")


class AccountOut(Orm):
    id: str
    login: str
    status: Literal["active", "compromised"]
    password_change_required: bool
    credentials_issued_at: dt.datetime
    compromised_at: dt.datetime | None
    last_login_at: dt.datetime | None


class PersonOut(Orm):
    id: str
    school_id: str
    kind: Kind
    last_name: str
    first_name: str
    middle_name: str | None
    birth_date: dt.date | None
    sex: Sex | None
    email: str | None
    roles: list[str]
    account: AccountOut | None = None
    guardian_ids: list[str] = Field(default_factory=list, description="a student's parents")
    child_ids: list[str] = Field(default_factory=list, description="a parent's children")
    missing_fields: list[str] = Field(
        default_factory=list, description="R-YR-3 fields still to enter (birth date, sex, e-mail)"
    )
    created_at: dt.datetime
    updated_at: dt.datetime


class PersonSummary(BaseModel):
    """Names and the state of the credentials: no personal data beyond the name."""

    id: str
    kind: Kind
    last_name: str
    first_name: str
    middle_name: str | None
    roles: list[str]
    login: str | None = None
    account_status: Literal["active", "compromised"] | None = None
    password_change_required: bool | None = None
    missing_fields: list[str] = Field(default_factory=list, description="R-YR-3 fields to enter")


class PersonList(BaseModel):
    people: list[PersonSummary]


class ImportRowOut(BaseModel):
    row: int = Field(description="line number in the file (the header is line 1)")
    status: Literal["new", "exists", "invalid"]
    kind: str
    last_name: str
    first_name: str
    middle_name: str | None
    person_id: str | None
    missing_fields: list[str] = Field(description="R-YR-3 fields the row leaves to enter later")


class ImportErrorOut(BaseModel):
    row: int
    field: str
    code: str
    message: str


class ImportReportOut(BaseModel):
    mode: Literal["preview", "commit"]
    committed: bool
    encoding: str
    delimiter: str
    ignored_columns: list[str]
    total_rows: int
    new_people: int
    existing_people: int
    invalid_rows: int
    new_guardianships: int
    errors: list[ImportErrorOut]
    rows: list[ImportRowOut]


class GuardianshipIn(Body):
    parent_id: str = Id
    student_id: str = Id


class GuardianshipOut(BaseModel):
    parent_id: str
    student_id: str
    created: bool = Field(description="false when they were linked already")


class RosterStudent(PersonSummary):
    guardians: list[PersonSummary]


class RosterOut(BaseModel):
    class_id: str
    name: str
    grade: int
    class_teacher_id: str | None
    students: list[RosterStudent]


# --- credentials and compromise -----------------------------------------------------------
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
    reported_at: dt.datetime | None = Field(
        None, description="when the school head or support received the report (default: now)"
    )


class CompromiseOut(BaseModel):
    account_id: str
    person_id: str | None
    status: Literal["compromised"]
    reported_at: dt.datetime


# --- consent ------------------------------------------------------------------------------
class ConsentIn(Body):
    document: str = Field(min_length=1, max_length=200, description="the signed document")
    given_on: dt.date | None = Field(None, description="the document's date (default: today)")


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


# --- access log and activity --------------------------------------------------------------
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
