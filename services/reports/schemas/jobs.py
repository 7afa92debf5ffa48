"""Report jobs: the request, the answer to it, and a job's status."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field


class JobRequest(BaseModel):
    kind: Literal["school", "city"] = Field(
        description="school: every class of one school; city: every class of every school"
    )
    school_id: str | None = Field(None, max_length=36, description="required for kind=school")
    period_id: str = Field(
        max_length=36,
        description="a period of the school; for the city, every school's period with the "
        "same year name, kind and number",
    )
    format: str = Field(description="pdf, xlsx or pdf+xlsx (files inside the ZIP)")


class JobCreated(BaseModel):
    job_id: str
    status: str


class JobOut(BaseModel):
    job_id: str
    status: Literal["queued", "running", "done", "failed"]
    progress: float = Field(ge=0, le=1)
    result_url: str | None = None
    kind: str
    school_id: str | None
    period_id: str
    format: str
    total: int = Field(description="work items: one per class and one per school")
    done: int
    created_at: dt.datetime
    finished_at: dt.datetime | None = None
    error: str | None = None
