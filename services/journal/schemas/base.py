"""Shared pieces of the journal's request and response bodies."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from contracts.grading import PeriodMarkValue as PeriodMarkValue  # R-MRK-1, one definition
from kit.params import Id as Id  # 1 to 36 characters, as every id the platform stores


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")
