"""The deputy's monitoring of the journal (R-RPT-2), with each class's risk group (R-RPT-5).

Per class and subject, up to the report's day: the calendar plan's progress (lessons held of
the lessons of the period), topics and homework filled in, replaced lessons (given by someone
else than the group's regular teacher: the one who gave most of its lessons), marks entered
on the lesson's day or later, mark accumulation, students with no mark or only one, and
attendance; per teacher the same on their own lessons and marks.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kit.usecase import UseCase
from services.reports.models import Period, SchoolClass
from services.reports.repository import reads
from services.reports.rules.summary_sheet import ratio_half_up
from services.reports.service import access, school_day, watch
from services.reports.service.enrolment import memberships


@dataclass
class LessonTally:
    planned: int = 0
    held: int = 0
    with_topic: int = 0
    with_homework: int = 0
    replaced: int = 0

    def add(self, held: bool, topic: str | None, homework: str | None, replaced: bool) -> None:
        self.planned += 1
        if held:
            self.held += 1
            self.with_topic += bool(topic and topic.strip())
            self.with_homework += bool(homework and homework.strip())
            self.replaced += replaced


@dataclass
class SubjectRow:
    class_id: str
    subject_id: str
    teachers: list[str] = field(default_factory=list)
    lessons: LessonTally = field(default_factory=LessonTally)
    marks: int = 0
    late: int = 0
    attendance: watch.AttendanceTally = field(default_factory=watch.AttendanceTally)
    students: int = 0
    without_marks: int = 0
    with_one_mark: int = 0


@dataclass
class TeacherRow:
    teacher_id: str
    lessons: LessonTally = field(default_factory=LessonTally)
    marks: int = 0
    late: int = 0


@dataclass
class Monitoring:
    school_id: str
    period: Period
    as_of: dt.date
    rows: list[SubjectRow]
    teachers: list[TeacherRow]
    classes: list[SchoolClass]
    class_students: dict[str, int]
    class_attendance: dict[str, watch.AttendanceTally]
    risk: dict[str, list[watch.RiskStudent]]
    names: dict[str, str]
    subject_names: dict[str, str]
    teachers_known: int
    teachers_active: int

    def name(self, person_id: str | None) -> str | None:
        return self.names.get(person_id or "")


def pct(part: int, whole: int) -> float | None:
    return ratio_half_up(part * 100, whole, 1)


def regular_teachers(lessons: Sequence[Any]) -> dict[tuple[str, str, str | None], str]:
    """The teacher who gave most of a group's lessons in the period (ties: the first id)."""
    counts: dict[tuple[str, str, str | None], Counter[str]] = defaultdict(Counter)
    for lesson in lessons:
        counts[(lesson.class_id, lesson.subject_id, lesson.group_id)][lesson.teacher_id] += 1
    return {key: min(c, key=lambda t: (-c[t], t)) for key, c in counts.items()}


async def school_monitoring(
    uc: UseCase, school_id: str, period_id: str, absences_threshold: int
) -> Monitoring:
    """R-RPT-2 for a period of the school, up to the school's today (its own time zone)."""
    period = await access.period_of_school(uc, school_id, period_id)
    today = await school_day.today(uc, school_id)
    return await monitoring_on(uc, school_id, period, today, absences_threshold)


async def monitoring_on(
    uc: UseCase,
    school_id: str,
    period: Period,
    today: dt.date,
    absences_threshold: int,
) -> Monitoring:
    """The monitoring as of `today` (kept inside the period)."""
    day = watch.as_of(today, period.starts_on, period.ends_on)
    start = period.starts_on
    classes = await reads.classes_of_school(uc.session, school_id, period.year_id)
    lessons = await reads.lessons(uc.session, school_id, None, start, period.ends_on)
    rows: dict[tuple[str, str], SubjectRow] = {}
    teachers: dict[str, TeacherRow] = {}
    regular = regular_teachers(lessons)
    for lesson in lessons:
        row = rows.setdefault(
            (lesson.class_id, lesson.subject_id), SubjectRow(lesson.class_id, lesson.subject_id)
        )
        owner = regular[(lesson.class_id, lesson.subject_id, lesson.group_id)]
        if owner not in row.teachers:
            row.teachers.append(owner)
        held, replaced = lesson.date <= day, lesson.teacher_id != owner
        row.lessons.add(held, lesson.topic, lesson.homework, replaced)
        teacher = teachers.setdefault(lesson.teacher_id, TeacherRow(lesson.teacher_id))
        teacher.lessons.add(held, lesson.topic, lesson.homework, replaced)
    for teacher_id, class_id, subject_id, count, late in await reads.mark_timeliness(
        uc.session, school_id, start, day
    ):
        row = rows.setdefault((class_id, subject_id), SubjectRow(class_id, subject_id))
        row.marks += count
        row.late += int(late or 0)
        if teacher_id is None:
            continue
        teacher = teachers.setdefault(teacher_id, TeacherRow(teacher_id))
        teacher.marks += count
        teacher.late += int(late or 0)
    cells = await reads.mark_cells(uc.session, school_id, None, start, day)
    marks = watch.tallies_by_student(cells)
    attendance_rows = await reads.attendance(uc.session, school_id, None, start, day)
    by_student = watch.attendance_by_student(attendance_rows)
    class_attendance: dict[str, watch.AttendanceTally] = defaultdict(watch.AttendanceTally)
    for a in attendance_rows:
        rows.setdefault(
            (a.class_id, a.subject_id), SubjectRow(a.class_id, a.subject_id)
        ).attendance.add(a.status, a.reason)
        class_attendance[a.class_id].add(a.status, a.reason)
    members = memberships(await reads.enrolments(uc.session, school_id, None))
    enrolled = {c: [s for s, m in per.items() if m.at(day)] for c, per in members.items()}
    for (class_id, subject_id), row in rows.items():
        students = enrolled.get(class_id, [])
        counts = [marks.get((class_id, s), {}).get(subject_id) for s in students]
        row.students = len(students)
        row.without_marks = sum(1 for t in counts if t is None or t.count == 0)
        row.with_one_mark = sum(1 for t in counts if t is not None and t.count == 1)
    risk = {
        c.class_id: watch.risk_group(
            c.class_id, members.get(c.class_id, {}), day, marks, by_student, absences_threshold
        )
        for c in classes
    }
    people_ids = set(teachers) | {c.class_teacher_id for c in classes if c.class_teacher_id}
    people_ids |= {r.student_id for group in risk.values() for r in group}
    known_teachers = await reads.teachers_of_school(uc.session, school_id)
    active = {t for t, row in teachers.items() if row.lessons.held or row.marks}
    return Monitoring(
        school_id=school_id,
        period=period,
        as_of=day,
        rows=sorted(rows.values(), key=lambda r: (r.class_id, r.subject_id)),
        teachers=sorted(teachers.values(), key=lambda t: t.teacher_id),
        classes=classes,
        class_students={c: len(s) for c, s in enrolled.items()},
        class_attendance=class_attendance,
        risk=risk,
        names=await reads.names(uc.session, people_ids | set(known_teachers)),
        subject_names=await reads.subject_names(uc.session, school_id),
        teachers_known=len(known_teachers),
        teachers_active=len(active & set(known_teachers)) if known_teachers else len(active),
    )
