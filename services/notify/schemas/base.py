"""What notify's request bodies share: unknown fields are refused; ids and patterns."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

Digest = Literal["none", "daily", "weekly"]
EventPattern = Annotated[
    str,
    StringConstraints(max_length=120, pattern=r"^([a-z0-9_]+|\*|#)(\.([a-z0-9_]+|\*|#))*$"),
]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")
