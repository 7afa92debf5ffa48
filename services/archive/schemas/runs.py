"""The body of a run request."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from kit.params import Id


class RunRequest(BaseModel):
    school_id: Id
    year_id: Id
    kind: Literal["weekly", "year_end"] = Field(
        description="weekly: the year so far; year_end: the whole year once it is over"
    )
