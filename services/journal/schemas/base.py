"""Shared pieces of the journal's request and response bodies."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Id = str
PeriodMarkValue = Literal["5", "4", "3", "2", "1", "osv", "na"]


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")
