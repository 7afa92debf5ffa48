"""A school's story told as the journal and identity would tell it: their events, in order.

Each event gets the next `sequence`, as the producers' outbox relays number them (one
counter per producing service, so it grows per aggregate too).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import asdict, dataclass, field

from contracts.identity import PersonRegistered, PersonUpdated, SchoolRegistered
from contracts.journal import (
    AttendanceMarked,
    ClassOpened,
    EnrolmentChanged,
    LessonCancelled,
    LessonRecorded,
    MarkCancelled,
    MarkCorrected,
    MarkRecorded,
    PeriodDefined,
    PeriodMarkCorrected,
    PeriodMarkSet,
    SubjectDefined,
    YearOpened,
)
from kit.db import new_id
from kit.events import Envelope, Event
from kit.testing.events import build, envelope

_sequence = itertools.count(1)

YEAR_START = dt.date(2026, 9, 1)
QUARTERS = [
    (dt.date(2026, 9, 1), dt.date(2026, 10, 25)),
    (dt.date(2026, 11, 5), dt.date(2026, 12, 28)),
    (dt.date(2027, 1, 11), dt.date(2027, 3, 21)),
    (dt.date(2027, 4, 1), dt.date(2027, 5, 26)),
]
WEIGHTS = {"answer": 1.0, "homework": 1.0, "test": 2.0, "control": 3.0}


@dataclass
class Lesson:
    """A lesson's slot, field for field as `journal.lesson.recorded` names it."""

    lesson_id: str
    class_id: str
    subject_id: str
    teacher_id: str
    date: dt.date
    number: int = 1


@dataclass
class Mark:
    mark_id: str
    value: int


@dataclass
class SchoolStory:
    """One school: its year with four quarters and a year period, and what happens in it."""

    name: str = "Школа №154"
    school_id: str = field(default_factory=new_id)
    events: list[Envelope] = field(default_factory=list)
    year_id: str = field(default_factory=new_id)
    quarters: list[str] = field(default_factory=list)
    year_period: str = ""

    def __post_init__(self) -> None:
        self.emit(
            build(
                SchoolRegistered, school_id=self.school_id, name=self.name, timezone="Europe/Moscow"
            )
        )
        self.emit(
            build(
                YearOpened,
                year_id=self.year_id,
                school_id=self.school_id,
                name="2026/2027",
                starts_on=YEAR_START,
                ends_on=dt.date(2027, 5, 31),
            )
        )
        for number, (start, end) in enumerate(QUARTERS, 1):
            self.quarters.append(self.period("quarter", number, start, end))
        self.year_period = self.period("year", 1, YEAR_START, dt.date(2027, 5, 31))

    # -- plumbing ----------------------------------------------------------------------
    def emit(self, event: Event, *, time: dt.datetime | None = None) -> Envelope:
        wrapped = envelope(event, school_id=self.school_id, sequence=next(_sequence), time=time)
        self.events.append(wrapped)
        return wrapped

    def take(self) -> list[Envelope]:
        taken, self.events = self.events, []
        return taken

    # -- identity ----------------------------------------------------------------------
    def person(
        self,
        kind: str,
        last: str,
        first: str,
        middle: str | None = None,
        roles: list[str] | None = None,
    ) -> str:
        person_id = new_id()
        self.emit(
            build(
                PersonRegistered,
                person_id=person_id,
                school_id=self.school_id,
                kind=kind,
                last_name=last,
                first_name=first,
                middle_name=middle,
                roles=roles or [],
            )
        )
        return person_id

    def rename(self, person_id: str, kind: str, last: str, first: str) -> None:
        self.emit(
            build(
                PersonUpdated,
                person_id=person_id,
                school_id=self.school_id,
                kind=kind,
                last_name=last,
                first_name=first,
            )
        )

    def teacher(self, last: str = "Петрова", first: str = "Анна") -> str:
        return self.person("staff", last, first, "Сергеевна", roles=["teacher"])

    # -- journal structure -------------------------------------------------------------
    def period(self, kind: str, number: int, start: dt.date, end: dt.date) -> str:
        period_id = new_id()
        self.emit(
            build(
                PeriodDefined,
                period_id=period_id,
                year_id=self.year_id,
                kind=kind,
                number=number,
                starts_on=start,
                ends_on=end,
            )
        )
        return period_id

    def subject(self, name: str) -> str:
        subject_id = new_id()
        self.emit(build(SubjectDefined, subject_id=subject_id, name=name))
        return subject_id

    def open_class(self, name: str, grade: int, class_teacher_id: str | None = None) -> str:
        class_id = new_id()
        self.emit(
            build(
                ClassOpened,
                class_id=class_id,
                year_id=self.year_id,
                name=name,
                grade=grade,
                class_teacher_id=class_teacher_id,
            )
        )
        return class_id

    def enrol(
        self, student_id: str, class_id: str, on: dt.date = YEAR_START, change: str = "enrolled"
    ) -> None:
        self.emit(
            build(
                EnrolmentChanged,
                student_id=student_id,
                class_id=class_id,
                change=change,
                date=on,
            )
        )

    def student(self, class_id: str, last: str, first: str, on: dt.date = YEAR_START) -> str:
        student_id = self.person("student", last, first)
        self.enrol(student_id, class_id, on)
        return student_id

    # -- lessons and marks -------------------------------------------------------------
    def lesson(
        self,
        class_id: str,
        subject_id: str,
        teacher_id: str,
        on: dt.date,
        *,
        number: int = 1,
        topic: str | None = "Тема урока",
        homework: str | None = "§ 1, упр. 2",
        lesson_id: str | None = None,
    ) -> Lesson:
        lesson = Lesson(lesson_id or new_id(), class_id, subject_id, teacher_id, on, number)
        self.emit(build(LessonRecorded, **asdict(lesson), topic=topic, homework=homework))
        return lesson

    def mark(
        self,
        lesson: Lesson,
        student_id: str,
        value: int,
        work_type: str = "answer",
        *,
        weight: float | None = None,
        entered: dt.datetime | None = None,
        period_id: str | None = None,
        entered_late: bool = False,
    ) -> Mark:
        mark = Mark(new_id(), value)
        at = entered or dt.datetime.combine(
            lesson.date, dt.time(10, 0), tzinfo=dt.timezone(dt.timedelta(hours=3))
        )
        self.emit(
            build(
                MarkRecorded,
                mark_id=mark.mark_id,
                lesson_id=lesson.lesson_id,
                student_id=student_id,
                class_id=lesson.class_id,
                subject_id=lesson.subject_id,
                period_id=period_id,
                value=value,
                work_type=work_type,
                weight=weight if weight is not None else WEIGHTS.get(work_type, 1.0),
                date=lesson.date,
                teacher_id=lesson.teacher_id,
                entered_late=entered_late,
                recorded_at=at,
            ),
            time=at,
        )
        return mark

    def cancel_lesson(self, lesson: Lesson, reason: str) -> None:
        self.emit(build(LessonCancelled, **asdict(lesson), reason=reason))

    def correct(self, mark: Mark, new_value: int) -> None:
        self.emit(
            build(
                MarkCorrected,
                mark_id=mark.mark_id,
                old_value=mark.value,
                new_value=new_value,
                reason="ошибка ввода",
            )
        )
        mark.value = new_value

    def cancel(self, mark: Mark) -> None:
        self.emit(build(MarkCancelled, mark_id=mark.mark_id, reason="не тот ученик"))

    def attend(
        self, lesson: Lesson, student_id: str, status: str, reason: str | None = None
    ) -> None:
        self.emit(
            build(
                AttendanceMarked,
                lesson_id=lesson.lesson_id,
                student_id=student_id,
                status=status,
                reason=reason,
            )
        )

    def period_mark(
        self,
        class_id: str,
        subject_id: str,
        period_id: str,
        student_id: str,
        value: str,
        *,
        corrected: bool = False,
        period_mark_id: str | None = None,
    ) -> str:
        model = PeriodMarkCorrected if corrected else PeriodMarkSet
        period_mark_id = period_mark_id or new_id()
        self.emit(
            build(
                model,
                period_mark_id=period_mark_id,
                student_id=student_id,
                class_id=class_id,
                subject_id=subject_id,
                period_id=period_id,
                value=value,
            )
        )
        return period_mark_id
