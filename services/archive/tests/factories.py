"""Test data: what the journal publishes about one small class, as envelopes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from contracts.identity import SchoolRegistered, SchoolUpdated
from contracts.journal import (
    AttendanceMarked,
    ClassOpened,
    LessonRecorded,
    MarkRecorded,
    PeriodDefined,
    SubjectDefined,
    YearClosed,
    YearOpened,
)
from kit.db import new_id
from kit.events import Envelope, Event
from kit.testing.events import build, envelope

YEAR_STARTS, YEAR_ENDS = dt.date(2026, 9, 1), dt.date(2027, 5, 31)
LESSON_DAY = dt.date(2026, 11, 27)


@dataclass
class ClassJournal:
    """One school, one year, one class «5А», one lesson with a mark and an attendance."""

    school_id: str = field(default_factory=new_id)
    year_id: str = field(default_factory=new_id)
    period_id: str = field(default_factory=new_id)
    subject_id: str = field(default_factory=new_id)
    class_id: str = field(default_factory=new_id)
    lesson_id: str = field(default_factory=new_id)
    mark_id: str = field(default_factory=new_id)
    student_id: str = field(default_factory=new_id)
    teacher_id: str = field(default_factory=new_id)
    year_name: str = "2026/2027"

    def wrap(self, event: Event) -> Envelope:
        return envelope(event, school_id=self.school_id, actor_id=self.teacher_id)

    def school_registered(self, timezone: str) -> Envelope:
        """What identity announced of the school: its IANA time zone."""
        return envelope(
            build(SchoolRegistered, school_id=self.school_id, timezone=timezone),
            school_id=self.school_id,
        )

    def school_updated(self, timezone: str, sequence: int | None = None) -> Envelope:
        """Identity moved the school to another zone."""
        return envelope(
            build(SchoolUpdated, school_id=self.school_id, timezone=timezone),
            school_id=self.school_id,
            sequence=sequence,
        )

    def year_opened(self) -> Envelope:
        return self.wrap(
            build(
                YearOpened,
                year_id=self.year_id,
                school_id=self.school_id,
                name=self.year_name,
                starts_on=YEAR_STARTS,
                ends_on=YEAR_ENDS,
            )
        )

    def class_opened(self) -> Envelope:
        return self.wrap(
            build(
                ClassOpened,
                class_id=self.class_id,
                year_id=self.year_id,
                name="5А",
                grade=5,
                class_teacher_id=self.teacher_id,
            )
        )

    def lesson_recorded(self) -> Envelope:
        return self.wrap(
            build(
                LessonRecorded,
                lesson_id=self.lesson_id,
                class_id=self.class_id,
                subject_id=self.subject_id,
                teacher_id=self.teacher_id,
                date=LESSON_DAY,
                number=2,
                topic="Сложение дробей",
                homework="§12, упр. 5",
            )
        )

    def mark_recorded(self, value: int = 5) -> Envelope:
        return self.wrap(
            build(
                MarkRecorded,
                mark_id=self.mark_id,
                lesson_id=self.lesson_id,
                student_id=self.student_id,
                class_id=self.class_id,
                subject_id=self.subject_id,
                period_id=self.period_id,
                value=value,
                work_type="answer",
                date=LESSON_DAY,
                teacher_id=self.teacher_id,
            )
        )

    def attendance_marked(self) -> Envelope:
        return self.wrap(
            build(
                AttendanceMarked,
                lesson_id=self.lesson_id,
                student_id=self.student_id,
                status="absent",
                reason="respected",
            )
        )

    def year_closed(self, on: dt.date = YEAR_ENDS) -> Envelope:
        return self.wrap(
            build(YearClosed, year_id=self.year_id, school_id=self.school_id, closed_on=on)
        )

    def envelopes(self) -> list[Envelope]:
        """The class's journal so far, in the order the journal published it."""
        return [
            self.year_opened(),
            self.wrap(
                build(
                    PeriodDefined,
                    period_id=self.period_id,
                    year_id=self.year_id,
                    kind="quarter",
                    number=2,
                    starts_on=dt.date(2026, 11, 9),
                    ends_on=dt.date(2026, 12, 28),
                )
            ),
            self.wrap(build(SubjectDefined, subject_id=self.subject_id, name="Математика")),
            self.class_opened(),
            self.lesson_recorded(),
            self.mark_recorded(),
            self.attendance_marked(),
        ]
