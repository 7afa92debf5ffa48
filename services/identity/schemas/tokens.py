"""Tokens and the asker: login, refresh, logout, password change, /me, JWKS."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from services.identity.schemas.base import Body, Kind


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
