"""Schools (tenants): registration and listing."""

from __future__ import annotations

from pydantic import BaseModel, Field

from services.identity.schemas.base import Body, Orm


class SchoolIn(Body):
    name: str = Field(min_length=1, max_length=200)
    timezone: str = Field("Europe/Moscow", max_length=64, examples=["Europe/Moscow"])


class SchoolOut(Orm):
    id: str
    name: str
    timezone: str


class SchoolList(BaseModel):
    schools: list[SchoolOut]
