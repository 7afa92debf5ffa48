"""Bodies of the working mode: bells, rooms, timetable, thematic plans."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from kit.params import LocalTime, PlatformDate
from services.journal.schemas.base import Body, Id, Out


class BellIn(Body):
    number: int = Field(ge=1, le=12)
    starts_at: LocalTime
    ends_at: LocalTime


class BellsIn(Body):
    bells: list[BellIn] = Field(max_length=12)


class BellsOut(BaseModel):
    bells: list[BellIn]


class RoomIn(Body):
    name: str = Field(min_length=1, max_length=100)


class RoomOut(Out):
    id: Id
    name: str


class TimetableEntryIn(Body):
    weekday: int = Field(ge=1, le=7, description="1 = Monday … 7 = Sunday")
    number: int = Field(ge=1, le=12)
    subject_id: Id
    teacher_id: Id
    group_id: Id | None = None
    room_id: Id | None = None


class TimetableIn(Body):
    entries: list[TimetableEntryIn] = Field(max_length=120)


class TimetableEntryOut(TimetableEntryIn):
    model_config = ConfigDict(from_attributes=True, extra="ignore")
    id: Id


class TimetableOut(BaseModel):
    class_id: Id
    entries: list[TimetableEntryOut]


class GenerateIn(Body):
    from_: PlatformDate = Field(alias="from")
    to: PlatformDate

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class GenerateOut(BaseModel):
    created: int
    skipped_holidays: list[dt.date]
    lesson_ids: list[Id]


class PlanItemIn(Body):
    topic: str = Field(min_length=1, max_length=500)
    kind: str | None = Field(default=None, max_length=40, examples=["lab", "control"])


class PlanIn(Body):
    items: list[PlanItemIn] = Field(max_length=400)


class PlanItemOut(BaseModel):
    position: int
    topic: str
    kind: str | None
    lesson_id: Id | None
    date: dt.date | None


class PlanOut(BaseModel):
    class_id: Id
    subject_id: Id
    planned: int
    given: int
    progress_pct: float | None
    items: list[PlanItemOut]
