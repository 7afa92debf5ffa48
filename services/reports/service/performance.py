"""Успеваемость и качество знаний (R-RPT-3) per class, grade, subject and school.

Two kinds of figures per row, both from the period marks of students enrolled at the
period's end: by marks (the subject column's formulas of the contract, summed over the row's
cells) and by students (the class totals' formula: students whose every period mark in the
row passes, or is good).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from contracts.grading import rounded
from kit.usecase import UseCase
from services.reports.rules.summary_sheet import StudentTotals, SubjectCounts
from services.reports.service import access
from services.reports.service.sheets import SummarySheet, school_sheets

Grouping = Literal["class", "grade", "subject", "school"]
GROUPINGS: tuple[Grouping, ...] = ("class", "grade", "subject", "school")
EMPTY = SubjectCounts.of([])


@dataclass
class PerformanceRow:
    key: str
    name: str | None
    counts: SubjectCounts = EMPTY
    students: StudentTotals = field(default_factory=lambda: StudentTotals(0, 0, 0))
    enrolled: int = 0

    def add(self, counts: SubjectCounts, students: StudentTotals, enrolled: int) -> None:
        self.counts = self.counts + counts
        self.students = self.students + students
        self.enrolled += enrolled

    @property
    def figures(self) -> dict[str, float | None]:
        return {
            "performance_pct": rounded(self.counts.performance, 1),
            "quality_pct": rounded(self.counts.quality, 1),
            "sou_pct": rounded(self.counts.sou, 1),
            "average": rounded(self.counts.average, 1),
            "students_performance_pct": rounded(self.students.performance, 1),
            "students_quality_pct": rounded(self.students.quality, 1),
        }


def _subject_students(sheet: SummarySheet, subject_id: str) -> StudentTotals:
    marks = [
        [row.cells[subject_id].period_mark or ""]
        for row in sheet.students
        if row.enrolled_at_end and row.cells[subject_id].period_mark
    ]
    return StudentTotals.of(marks)


def group_rows(sheets: Iterable[SummarySheet], by: Grouping) -> list[PerformanceRow]:
    rows: dict[str, PerformanceRow] = {}
    order: dict[str, tuple[int, str]] = {}
    for sheet in sheets:
        if by == "subject":
            for column in sheet.subjects:
                row = rows.setdefault(column.id, PerformanceRow(column.id, column.name))
                row.add(column.counts, _subject_students(sheet, column.id), sheet.totals.students)
            continue
        counts = sum((c.counts for c in sheet.subjects), EMPTY)
        if by == "class":
            key, name = sheet.class_id, sheet.class_name
        elif by == "grade":
            key = name = str(sheet.grade) if sheet.grade is not None else "?"
        else:
            key, name = sheet.school_id, None
        order[key] = (sheet.grade if sheet.grade is not None else 99, (name or "").casefold())
        row = rows.setdefault(key, PerformanceRow(key, name))
        row.add(counts, sheet.totals.tally, sheet.totals.students)
    return sorted(
        rows.values(), key=lambda r: (order.get(r.key, (0, (r.name or "").casefold())), r.key)
    )


async def school_performance(
    uc: UseCase, school_id: str, period_id: str, by: Grouping
) -> list[PerformanceRow]:
    """R-RPT-3 for a period of the school, grouped `by` class, grade, subject or school."""
    period = await access.period_of_school(uc, school_id, period_id)
    sheets = await school_sheets(uc, school_id, period, with_marks=False)
    rows = group_rows(sheets, by)
    if by == "school":
        return [merge(rows, school_id, None)]
    return rows


def merge(rows: Iterable[PerformanceRow], key: str, name: str | None) -> PerformanceRow:
    merged = PerformanceRow(key, name)
    for row in rows:
        merged.add(row.counts, row.students, row.enrolled)
    return merged


def city_rows(per_school: dict[str, tuple[str | None, PerformanceRow]]) -> list[PerformanceRow]:
    """The city's table: one row per school (named), and the city's total last."""
    rows = []
    total = PerformanceRow("city", "Город")
    for school_id, (name, row) in sorted(per_school.items(), key=lambda i: (i[1][0] or "", i[0])):
        rows.append(PerformanceRow(school_id, name, row.counts, row.students, row.enrolled))
        total.add(row.counts, row.students, row.enrolled)
    return [*rows, total]
