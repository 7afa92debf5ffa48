"""Shared pieces of the journal's request and response bodies."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from contracts.grading import PeriodMarkValue as PeriodMarkValue  # R-MRK-1, one definition

Id = str


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")
