"""The reports service's tables: its own copy of the journal's facts, and its report jobs.

Every fact row carries `school_id` and the `seq` of the event that last changed it (the
envelope's `sequence`, monotonic per aggregate): an older event never overwrites a newer one,
so events may arrive out of order, be redelivered, or be replayed by a rebuild.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kit.db import TYPE_ANNOTATION_MAP, new_metadata
from kit.inbox import inbox_table
from kit.outbox import outbox_table

ID = String(36).with_variant(String(36, collation="C"), "postgresql")
"""Identifiers are opaque ASCII strings: compared byte by byte ("C"), not by language rules,
which makes the city's indexes and groupings of ids several times cheaper on PostgreSQL."""


class Base(DeclarativeBase):
    metadata = new_metadata()
    type_annotation_map = TYPE_ANNOTATION_MAP


outbox = outbox_table(Base.metadata, with_exchange=True)
"""Events for `edu.events`, and work items for the private `reports.internal` (`work.py`)."""
inbox = inbox_table(Base.metadata)


class School(Base):
    """Школа: its name and time zone, as identity announced them."""

    __tablename__ = "school"

    school_id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    timezone: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(BigInteger, default=0)


class Person(Base):
    """A person's name (no birth dates or e-mails travel in events)."""

    __tablename__ = "person"

    person_id: Mapped[str] = mapped_column(ID, primary_key=True)
    school_id: Mapped[str] = mapped_column(ID, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str | None] = mapped_column(String(100))
    roles: Mapped[str] = mapped_column(Text, default="")
    seq: Mapped[int] = mapped_column(BigInteger, default=0)


class SchoolYear(Base):
    __tablename__ = "school_year"

    year_id: Mapped[str] = mapped_column(ID, primary_key=True)
    school_id: Mapped[str] = mapped_column(ID, index=True)
    name: Mapped[str] = mapped_column(String(40))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)


class Period(Base):
    """Учебный период (четверть, триместр, полугодие, год)."""

    __tablename__ = "period"

    period_id: Mapped[str] = mapped_column(ID, primary_key=True)
    school_id: Mapped[str] = mapped_column(ID, index=True)
    year_id: Mapped[str] = mapped_column(ID)
    kind: Mapped[str] = mapped_column(String(20))
    number: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)


class Subject(Base):
    __tablename__ = "subject"

    subject_id: Mapped[str] = mapped_column(ID, primary_key=True)
    school_id: Mapped[str] = mapped_column(ID, index=True)
    name: Mapped[str] = mapped_column(String(200))
    seq: Mapped[int] = mapped_column(BigInteger, default=0)


class SchoolClass(Base):
    """Класс. A fact about a class not yet opened here leaves a stub (names come later)."""

    __tablename__ = "school_class"

    class_id: Mapped[str] = mapped_column(ID, primary_key=True)
    school_id: Mapped[str] = mapped_column(ID, index=True)
    year_id: Mapped[str | None] = mapped_column(ID)
    name: Mapped[str | None] = mapped_column(String(40))
    grade: Mapped[int | None] = mapped_column(SmallInteger)
    class_teacher_id: Mapped[str | None] = mapped_column(ID)
    seq: Mapped[int] = mapped_column(BigInteger, default=-1)


class Enrolment(Base):
    """Зачисление / выбытие / перевод: the history of a student's membership of a class."""

    __tablename__ = "enrolment"
    __table_args__ = (Index("ix_enrolment_class", "school_id", "class_id"),)

    student_id: Mapped[str] = mapped_column(ID, primary_key=True)
    class_id: Mapped[str] = mapped_column(ID, primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    change: Mapped[str] = mapped_column(String(20), primary_key=True)
    school_id: Mapped[str] = mapped_column(ID)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)


class Lesson(Base):
    """Урок: who taught it, its topic and homework (R-LES-1, R-LES-3)."""

    __tablename__ = "lesson"
    __table_args__ = (
        Index("ix_lesson_class_date", "school_id", "class_id", "date"),
        Index("ix_lesson_teacher", "class_id", "teacher_id"),
    )

    lesson_id: Mapped[str] = mapped_column(ID, primary_key=True)
    school_id: Mapped[str] = mapped_column(ID)
    class_id: Mapped[str] = mapped_column(ID)
    group_id: Mapped[str | None] = mapped_column(ID)
    subject_id: Mapped[str] = mapped_column(ID)
    teacher_id: Mapped[str] = mapped_column(ID)
    date: Mapped[dt.date] = mapped_column(Date)
    number: Mapped[int] = mapped_column(SmallInteger)
    topic: Mapped[str | None] = mapped_column(Text)
    homework: Mapped[str | None] = mapped_column(Text)
    # a one-off timetable change cancelled it: kept (with its sequence) so that an older
    # journal.lesson.recorded arriving late cannot bring it back; never read
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    seq: Mapped[int] = mapped_column(BigInteger, default=0)


class Mark(Base):
    """Отметка (1–5). A correction or cancellation that arrives before the mark itself
    leaves a row without its facts; the facts fill in when the mark arrives, and each part
    keeps the sequence of the event that set it (`value_seq`, `status_seq`)."""

    __tablename__ = "mark"
    __table_args__ = (
        # in the order of a sheet's cells: a school's or a class's cells are aggregated while
        # the index is read, without sorting (the marks themselves are never read)
        Index(
            "ix_mark_cells",
            "school_id",
            "class_id",
            "subject_id",
            "student_id",
            "date",
            postgresql_include=["value", "weight", "cancelled"],
        ),
    )

    mark_id: Mapped[str] = mapped_column(ID, primary_key=True)
    school_id: Mapped[str] = mapped_column(ID)
    lesson_id: Mapped[str | None] = mapped_column(ID)
    student_id: Mapped[str | None] = mapped_column(ID)
    class_id: Mapped[str | None] = mapped_column(ID)
    subject_id: Mapped[str | None] = mapped_column(ID)
    period_id: Mapped[str | None] = mapped_column(ID)
    teacher_id: Mapped[str | None] = mapped_column(ID)
    work_type: Mapped[str | None] = mapped_column(String(40))
    date: Mapped[dt.date | None] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime | None]
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    value: Mapped[int | None] = mapped_column(SmallInteger)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    value_seq: Mapped[int] = mapped_column(BigInteger, default=-1)
    status_seq: Mapped[int] = mapped_column(BigInteger, default=-1)


class Attendance(Base):
    """Посещаемость of one student at one lesson, with the reason of an absence (R-LES-5)."""

    __tablename__ = "attendance"

    lesson_id: Mapped[str] = mapped_column(ID, primary_key=True)
    student_id: Mapped[str] = mapped_column(ID, primary_key=True)
    school_id: Mapped[str] = mapped_column(ID, index=True)
    status: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(String(12))
    seq: Mapped[int] = mapped_column(BigInteger, default=0)


class PeriodMark(Base):
    """Итоговая отметка за период: "5"…"1", "osv" (ОСВ), "na" (н/а)."""

    __tablename__ = "period_mark"
    __table_args__ = (Index("ix_period_mark_period", "school_id", "period_id"),)

    period_id: Mapped[str] = mapped_column(ID, primary_key=True)
    class_id: Mapped[str] = mapped_column(ID, primary_key=True)
    subject_id: Mapped[str] = mapped_column(ID, primary_key=True)
    student_id: Mapped[str] = mapped_column(ID, primary_key=True)
    school_id: Mapped[str] = mapped_column(ID)
    period_mark_id: Mapped[str] = mapped_column(ID)
    value: Mapped[str] = mapped_column(String(4))
    seq: Mapped[int] = mapped_column(BigInteger, default=0)


class ReportJob(Base):
    """A report job: every class's summary sheet of a school or the city, plus tables."""

    __tablename__ = "report_job"
    __table_args__ = (
        # the same job submitted twice while it runs is the running one
        Index(
            "uq_report_job_running",
            "dedupe_key",
            unique=True,
            postgresql_where=text("status IN ('queued', 'running')"),
            sqlite_where=text("status IN ('queued', 'running')"),
        ),
    )

    job_id: Mapped[str] = mapped_column(ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    school_id: Mapped[str | None] = mapped_column(ID, index=True)
    period_id: Mapped[str] = mapped_column(ID)
    format: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10))
    dedupe_key: Mapped[str] = mapped_column(String(200))
    total: Mapped[int] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer, default=0)
    requested_by: Mapped[str] = mapped_column(ID)
    created_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime | None]
    error: Mapped[str | None] = mapped_column(Text)


class ReportTask(Base):
    """One message on the work queue: a class's sheets, a school's table, or the finish."""

    __tablename__ = "report_task"
    __table_args__ = (Index("ix_report_task_job", "job_id", "kind"),)

    task_id: Mapped[str] = mapped_column(ID, primary_key=True)
    job_id: Mapped[str] = mapped_column(ID)
    kind: Mapped[str] = mapped_column(String(10))
    school_id: Mapped[str | None] = mapped_column(ID)
    class_id: Mapped[str | None] = mapped_column(ID)
    period_id: Mapped[str | None] = mapped_column(ID)
    status: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    starts: Mapped[int] = mapped_column(Integer, default=0)
    worker_id: Mapped[str | None] = mapped_column(String(80))
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    files: Mapped[str | None] = mapped_column(Text)
    result: Mapped[str | None] = mapped_column(Text)
