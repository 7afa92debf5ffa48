"""The summary sheet's body (CONTRACT.md "Reports"), and the mark counts other tables share."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from contracts.grading import PERIOD_MARK_VALUES


class Counts(BaseModel):
    """The counts behind a subject's figures (R-RPT-3)."""

    n: int = Field(description="N: enrolled at the period's end, less «ОСВ» and no mark")
    n5: int
    n4: int
    n3: int
    n2: int
    n1: int
    na: int = Field(description="«н/а» (not certified); counted in N")
    osv: int = Field(description="«ОСВ» (released); not counted in N")
    without_mark: int = Field(description="enrolled at the period's end with no period mark")


class SubjectOut(BaseModel):
    id: str
    name: str | None
    performance_pct: float | None
    quality_pct: float | None
    sou_pct: float | None
    average: float | None
    counts: Counts


class CellOut(BaseModel):
    average: float | None
    weighted_average: float | None
    count: int
    period_mark: str | None = Field(description=f"one of {', '.join(PERIOD_MARK_VALUES)}")


class StudentOut(BaseModel):
    id: str
    name: str | None
    enrolled_at_end: bool = Field(description="counted in N and in the class's totals")
    cells: dict[str, CellOut]


class TotalsOut(BaseModel):
    performance_pct: float | None
    quality_pct: float | None
    students: int = Field(description="enrolled at the period's end")
    students_with_period_marks: int
    students_performing: int = Field(description="every period mark 3, 4, 5 or «ОСВ»")
    students_good: int = Field(description="every period mark 4, 5 or «ОСВ»")


class PeriodOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    period_id: str
    year_id: str
    kind: str
    number: int
    starts_on: dt.date
    ends_on: dt.date


class SummarySheetOut(BaseModel):
    """Сводная ведомость: rows = students, columns = subjects."""

    class_id: str
    period_id: str
    generated_at: dt.datetime
    subjects: list[SubjectOut]
    students: list[StudentOut]
    totals: TotalsOut
    class_name: str | None
    school_id: str
    period: PeriodOut
