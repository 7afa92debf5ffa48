"""Consumed events → the reports service's read model, one statement per type per batch.

The order of registration is the order of application inside a batch: definitions first,
then facts, then corrections and cancellations (for events that carry no sequence).
"""

from __future__ import annotations

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
from kit.consumer import BatchConsumer
from services.reports.service import ingest


def register(consumer: BatchConsumer) -> None:
    consumer.on_batch(SchoolRegistered)(ingest.schools)
    consumer.on_batch(PersonRegistered)(ingest.people)
    consumer.on_batch(PersonUpdated)(ingest.people)
    consumer.on_batch(YearOpened)(ingest.years)
    consumer.on_batch(PeriodDefined)(ingest.periods)
    consumer.on_batch(SubjectDefined)(ingest.subjects)
    consumer.on_batch(ClassOpened)(ingest.classes)
    consumer.on_batch(EnrolmentChanged)(ingest.enrolments)
    consumer.on_batch(LessonRecorded)(ingest.lessons)
    consumer.on_batch(LessonCancelled)(ingest.lessons_cancelled)
    consumer.on_batch(MarkRecorded)(ingest.marks_recorded)
    consumer.on_batch(AttendanceMarked)(ingest.attendance)
    consumer.on_batch(PeriodMarkSet)(ingest.period_marks)
    consumer.on_batch(MarkCorrected)(ingest.marks_corrected)
    consumer.on_batch(PeriodMarkCorrected)(ingest.period_marks)
    consumer.on_batch(MarkCancelled)(ingest.marks_cancelled)
