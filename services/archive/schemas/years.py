"""The school years the archive heard of."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from services.archive.models import SchoolYear


class YearOut(BaseModel):
    id: str
    school_id: str
    name: str
    starts_on: dt.date
    ends_on: dt.date

    @classmethod
    def of(cls, year: SchoolYear) -> YearOut:
        return cls(
            id=year.id,
            school_id=year.school_id,
            name=year.name,
            starts_on=year.starts_on,
            ends_on=year.ends_on,
        )


class YearList(BaseModel):
    years: list[YearOut]
