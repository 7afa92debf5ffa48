"""The class teacher's watch: the risk group (R-RPT-5) and the preliminary report (R-RPT-4).

Both look at a period up to a day (`as_of`: today, or the period's end once it is over), at
the students enrolled in the class on that day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from contracts.grading import NOT_CERTIFIED, is_passing
from kit.usecase import UseCase
from services.reports.models import Period, SchoolClass
from services.reports.repository import reads
from services.reports.rules.summary_sheet import MarkTally
from services.reports.service.enrolment import Membership, memberships


@dataclass
class AttendanceTally:
    absences: int = 0
    respected: int = 0
    unrespected: int = 0
    unexplained: int = 0
    lates: int = 0

    def add(self, status: str, reason: str | None) -> None:
        if status == "late":
            self.lates += 1
        elif status == "absent":
            self.absences += 1
            if reason == "respected":
                self.respected += 1
            elif reason == "unrespected":
                self.unrespected += 1
            else:
                self.unexplained += 1

    @property
    def unexcused(self) -> int:
        """Absences without a respected reason (unrespected, or none set yet)."""
        return self.absences - self.respected


def as_of(today: dt.date, starts_on: dt.date, ends_on: dt.date) -> dt.date:
    """The day a report looks at: today, kept inside the period."""
    return max(starts_on, min(today, ends_on))


def due_on(ends_on: dt.date, days_before_end: int) -> dt.date:
    """R-RPT-4: preliminary reports are handed in two weeks before the period ends."""
    return ends_on - dt.timedelta(days=days_before_end)


def attendance_by_student(rows: Iterable[Any]) -> dict[tuple[str, str], AttendanceTally]:
    """{(class_id, student_id): tally} from attendance rows joined with their lessons."""
    found: dict[tuple[str, str], AttendanceTally] = defaultdict(AttendanceTally)
    for row in rows:
        found[(row.class_id, row.student_id)].add(row.status, row.reason)
    return found


def tallies_by_student(rows: Iterable[Any]) -> dict[tuple[str, str], dict[str, MarkTally]]:
    """{(class_id, student_id): {subject_id: tally}} from mark cells."""
    found: dict[tuple[str, str], dict[str, MarkTally]] = defaultdict(dict)
    for c, subject, student, count, total, weighted, weights in rows:
        found[(c, student)][subject] = MarkTally(count, total, weighted, weights)
    return found


@dataclass
class RiskStudent:
    student_id: str
    low_subjects: list[tuple[str, float | None]]
    unexcused_absences: int


def risk_group(
    class_id: str,
    members: dict[str, Membership],
    day: dt.date,
    marks: dict[tuple[str, str], dict[str, MarkTally]],
    attendance: dict[tuple[str, str], AttendanceTally],
    absences_threshold: int,
) -> list[RiskStudent]:
    """R-RPT-5: students whose current weighted average in a subject suggests a «2» or a «1»
    (below 2.5, by `contracts.grading`'s one rounding rule), or who missed
    `absences_threshold` lessons or more without a respected reason."""
    found = []
    for student in sorted(s for s, m in members.items() if m.at(day)):
        low = [
            (subject, tally.weighted_average)
            for subject, tally in sorted(marks.get((class_id, student), {}).items())
            if (mark := tally.suggested_period_mark) is not None and not is_passing(mark)
        ]
        tally = attendance.get((class_id, student), AttendanceTally())
        if low or tally.unexcused >= absences_threshold:
            found.append(RiskStudent(student, low, tally.unexcused))
    return found


@dataclass
class Suggestion:
    weighted_average: float | None
    count: int
    mark: str


def suggestions(subjects: Sequence[str], tallies: dict[str, MarkTally]) -> dict[str, Suggestion]:
    """R-RPT-4: the period mark each subject's weighted average suggests so far (the exact
    mean rounded half up, `contracts.grading`); «н/а» where there are no marks yet."""
    out = {}
    for subject in subjects:
        tally = tallies.get(subject, MarkTally())
        mark = tally.suggested_period_mark or NOT_CERTIFIED
        out[subject] = Suggestion(tally.weighted_average, tally.count, mark)
    return out


@dataclass
class ClassWatch:
    """What the class teacher sees of their class up to a day."""

    day: dt.date
    students: list[str]
    marks: dict[tuple[str, str], dict[str, MarkTally]]
    attendance: dict[tuple[str, str], AttendanceTally]
    members: dict[str, Membership]
    subjects: list[str]
    names: dict[str, str | None]
    subject_names: dict[str, str]


async def class_watch(
    uc: UseCase, school_class: SchoolClass, period: Period, today: dt.date
) -> ClassWatch:
    day = as_of(today, period.starts_on, period.ends_on)
    school, cid = school_class.school_id, school_class.class_id
    cells = await reads.mark_cells(uc.session, school, cid, period.starts_on, day)
    attendance = await reads.attendance(uc.session, school, cid, period.starts_on, day)
    members = memberships(await reads.enrolments(uc.session, school, cid)).get(cid, {})
    students = sorted(s for s, m in members.items() if m.at(day))
    subjects = {
        r.subject_id
        for r in await reads.lesson_subjects(
            uc.session, school, cid, period.starts_on, period.ends_on
        )
    } | {row[1] for row in cells}
    known = await reads.names(uc.session, students)
    subject_names = await reads.subject_names(uc.session, school)
    names = {s: known.get(s) for s in students}
    return ClassWatch(
        day=day,
        students=sorted(students, key=lambda s: ((names[s] or "~").casefold(), s)),
        marks=tallies_by_student(cells),
        attendance=attendance_by_student(attendance),
        members=members,
        subjects=sorted(subjects, key=lambda s: (subject_names.get(s, "~").casefold(), s)),
        names=names,
        subject_names=subject_names,
    )
