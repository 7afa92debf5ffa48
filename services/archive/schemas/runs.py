"""The body of a run request."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Id = Field(min_length=1, max_length=36)


class RunRequest(BaseModel):
    school_id: str = Id
    year_id: str = Id
    kind: Literal["weekly", "year_end"] = Field(
        description="weekly: the year so far; year_end: the whole year once it is over"
    )
