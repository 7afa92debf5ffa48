"""Сводная ведомость (R-RPT-1): a class's period results, computed from the read model.

The same assembly serves one class (an HTTP request, a job's class) and every class of a
school at once (a school's performance table): the facts are read with one statement per kind for the whole scope,
then each class's sheet is assembled in memory.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from contracts.grading import rounded
from kit.usecase import UseCase
from services.reports.models import Period, SchoolClass
from services.reports.policy import ClassReport
from services.reports.repository import reads
from services.reports.rules.summary_sheet import MarkTally, StudentTotals, SubjectCounts
from services.reports.service import access
from services.reports.service.enrolment import Membership, memberships

CellKey = tuple[str, str]  # (subject_id, student_id)


@dataclass(slots=True)
class Cell:
    average: float | None
    weighted_average: float | None
    count: int
    period_mark: str | None


@dataclass
class SubjectColumn:
    id: str
    name: str | None
    performance_pct: float | None
    quality_pct: float | None
    sou_pct: float | None
    average: float | None
    counts: SubjectCounts


@dataclass
class StudentRow:
    id: str
    name: str | None
    enrolled_at_end: bool
    cells: dict[str, Cell]


@dataclass
class SheetTotals:
    performance_pct: float | None
    quality_pct: float | None
    students: int
    tally: StudentTotals


@dataclass
class SummarySheet:
    """Сводная ведомость учёта результатов: rows = students, columns = subjects."""

    class_id: str
    class_name: str | None
    grade: int | None
    class_teacher_id: str | None
    school_id: str
    period: Period
    generated_at: dt.datetime
    subjects: list[SubjectColumn]
    students: list[StudentRow]
    totals: SheetTotals
    names: dict[str, str | None] = field(default_factory=dict)

    @property
    def period_id(self) -> str:
        return self.period.period_id


@dataclass
class SchoolFacts:
    """What the read model knows about the classes in scope for one period."""

    cells: dict[str, dict[CellKey, MarkTally]]
    period_marks: dict[str, dict[CellKey, str]]
    lesson_subjects: dict[str, set[str]]
    members: dict[str, dict[str, Membership]]
    subject_names: dict[str, str]
    names: dict[str, str]


async def load_facts(
    uc: UseCase,
    school_id: str,
    class_id: str | None,
    period: Period,
    *,
    with_marks: bool = True,
) -> SchoolFacts:
    """Read the period's facts for one class or (class_id None) the whole school."""
    start, end = period.starts_on, period.ends_on
    cells: dict[str, dict[CellKey, MarkTally]] = defaultdict(dict)
    if with_marks:
        for row in await reads.mark_cells(uc.session, school_id, class_id, start, end):
            c, subject, student, count, total, weighted, weights = row
            cells[c][(subject, student)] = MarkTally(count, total, weighted, weights)
    marks: dict[str, dict[CellKey, str]] = defaultdict(dict)
    for c, subject, student, value in await reads.period_marks(
        uc.session, school_id, period.period_id, class_id
    ):
        marks[c][(subject, student)] = value
    subjects: dict[str, set[str]] = defaultdict(set)
    for row in await reads.lesson_subjects(uc.session, school_id, class_id, start, end):
        subjects[row.class_id].add(row.subject_id)
    members = memberships(await reads.enrolments(uc.session, school_id, class_id))
    students = {s for per in members.values() for s in per}
    students |= {s for per in cells.values() for _, s in per}
    students |= {s for per in marks.values() for _, s in per}
    return SchoolFacts(
        cells=cells,
        period_marks=marks,
        lesson_subjects=subjects,
        members=members,
        subject_names=await reads.subject_names(uc.session, school_id),
        names=await reads.names(uc.session, students),
    )


def _name_order(name: str | None, key: str) -> tuple[int, str, str]:
    return (name is None, (name or "").casefold().replace("ё", "е"), key)


def assemble(
    school_class: SchoolClass, period: Period, facts: SchoolFacts, now: dt.datetime
) -> SummarySheet:
    """One class's sheet from the facts of its school."""
    cid = school_class.class_id
    cells = facts.cells.get(cid, {})
    marks = facts.period_marks.get(cid, {})
    members = facts.members.get(cid, {})
    student_ids = {s for s, m in members.items() if m.during(period.starts_on, period.ends_on)}
    student_ids |= {s for _, s in cells} | {s for _, s in marks}
    subject_ids = (
        facts.lesson_subjects.get(cid, set()) | {s for s, _ in cells} | {s for s, _ in marks}
    )
    names = {s: facts.names.get(s) for s in student_ids}
    students = sorted(student_ids, key=lambda s: _name_order(names[s], s))
    subjects = sorted(subject_ids, key=lambda s: _name_order(facts.subject_names.get(s), s))
    at_end = {s for s in students if s in members and members[s].at(period.ends_on)}
    rows = [
        StudentRow(
            id=s,
            name=names[s],
            enrolled_at_end=s in at_end,
            cells={
                subject: _cell(cells.get((subject, s)), marks.get((subject, s)))
                for subject in subjects
            },
        )
        for s in students
    ]
    columns = [
        _column(
            subject,
            facts.subject_names.get(subject),
            [marks.get((subject, s)) for s in students if s in at_end],
        )
        for subject in subjects
    ]
    tally = StudentTotals.of(
        [
            [marks[(subject, s)] for subject in subjects if (subject, s) in marks]
            for s in students
            if s in at_end
        ]
    )
    return SummarySheet(
        class_id=cid,
        class_name=school_class.name,
        grade=school_class.grade,
        class_teacher_id=school_class.class_teacher_id,
        school_id=school_class.school_id,
        period=period,
        generated_at=now,
        subjects=columns,
        students=rows,
        totals=SheetTotals(
            performance_pct=rounded(tally.performance, 1),
            quality_pct=rounded(tally.quality, 1),
            students=len(at_end),
            tally=tally,
        ),
        names=names,
    )


def _cell(tally: MarkTally | None, period_mark: str | None) -> Cell:
    if tally is None:
        return Cell(None, None, 0, period_mark)
    return Cell(tally.average, tally.weighted_average, tally.count, period_mark)


def _column(subject_id: str, name: str | None, period_marks: list[str | None]) -> SubjectColumn:
    counts = SubjectCounts.of(period_marks)
    return SubjectColumn(
        id=subject_id,
        name=name,
        performance_pct=rounded(counts.performance, 1),
        quality_pct=rounded(counts.quality, 1),
        sou_pct=rounded(counts.sou, 1),
        average=rounded(counts.average, 1),
        counts=counts,
    )


async def class_sheet(uc: UseCase, school_class: SchoolClass, period: Period) -> SummarySheet:
    facts = await load_facts(uc, school_class.school_id, school_class.class_id, period)
    return assemble(school_class, period, facts, uc.now)


async def readable_class_sheet(uc: UseCase, class_id: str, period_id: str) -> SummarySheet:
    """R-RPT-1: the class's sheet now, if the actor may read it (404 for another school's)."""
    school_class = await access.readable_class(uc, class_id, ClassReport.summary_sheet)
    period = await access.period_of_class(uc, school_class, period_id)
    return await class_sheet(uc, school_class, period)


async def school_sheets(
    uc: UseCase,
    school_id: str,
    period: Period,
    *,
    with_marks: bool = True,
) -> list[SummarySheet]:
    """Every class of the school in the period's year (the city summary, the jobs)."""
    classes = await reads.classes_of_school(uc.session, school_id, period.year_id)
    facts = await load_facts(uc, school_id, None, period, with_marks=with_marks)
    return [assemble(school_class, period, facts, uc.now) for school_class in classes]
