"""People, their accounts, guardianships, rosters and CSV import reports."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from kit.params import BirthDate
from services.identity.schemas.base import Body, Id, Kind, Orm, Sex

Role = Annotated[str, Field(max_length=40)]
"""A role's name (the rules say which names there are: 422 `invalid_roles`)."""


class PersonIn(Body):
    kind: Kind
    last_name: str = Field(max_length=200)
    first_name: str = Field(max_length=200)
    middle_name: str | None = Field(None, max_length=200)
    birth_date: BirthDate | None = Field(None, description="required for a student (R-YR-3)")
    sex: Sex | None = Field(None, description="required for a student (R-YR-3)")
    email: str | None = Field(None, max_length=254, description="required for a parent")
    roles: list[Role] = Field(
        default_factory=list, max_length=6, description="staff only: one or more staff roles"
    )


class PersonPatch(Body):
    last_name: str | None = Field(None, max_length=200)
    first_name: str | None = Field(None, max_length=200)
    middle_name: str | None = Field(None, max_length=200)
    birth_date: BirthDate | None = None
    sex: Sex | None = None
    email: str | None = Field(None, max_length=254)
    roles: list[Role] | None = Field(None, max_length=6, description="school_admin only (R-SEC-5)")


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
