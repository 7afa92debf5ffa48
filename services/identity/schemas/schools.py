"""Schools (tenants): registration, listing and changes."""

from __future__ import annotations

from pydantic import BaseModel, Field

from services.identity.schemas.base import Body, Orm


class SchoolIn(Body):
    name: str = Field(min_length=1, max_length=200)
    timezone: str = Field("Europe/Moscow", max_length=64, examples=["Europe/Moscow"])


class SchoolPatch(Body):
    """A change of a school's name and/or time zone; a field left out keeps its value."""

    name: str | None = Field(None, min_length=1, max_length=200)
    timezone: str | None = Field(
        None,
        max_length=64,
        examples=["Asia/Vladivostok"],
        description="an IANA zone: every service's 'today' for the school is the date there",
    )


class SchoolOut(Orm):
    id: str
    name: str
    timezone: str


class SchoolList(BaseModel):
    schools: list[SchoolOut]
