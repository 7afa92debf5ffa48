"""The journal's tables. Every row carries `school_id`; every query is scoped by it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kit.db import TYPE_ANNOTATION_MAP, new_id, new_metadata
from kit.idempotency import idempotency_table
from kit.inbox import inbox_table
from kit.outbox import outbox_table

ID = String(36)


class Base(DeclarativeBase):
    metadata = new_metadata()
    type_annotation_map = TYPE_ANNOTATION_MAP


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)
idempotency = idempotency_table(Base.metadata)


class School(Base):
    """A school as identity announced it (`identity.school.registered` / `.updated`: its name
    and its own time zone), with the journal's own per-school settings. No row, no zone: the
    journal never guesses one."""

    __tablename__ = "school"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), default="")
    timezone: Mapped[str] = mapped_column(String(64))
    homework_limit_minutes: Mapped[int] = mapped_column(Integer, default=120)
    # R-MRK-2: marks are entered the same school day, up to this time (16:00 in the text)
    mark_cutoff: Mapped[dt.time] = mapped_column(
        Time, default=dt.time(16, 0), server_default=text("'16:00:00'")
    )
    sequence: Mapped[int | None] = mapped_column(BigInteger)
    """The sequence of identity's last applied event about the school: an older one is ignored."""


class Person(Base):
    """The journal's copy of a person (names only), fed by identity's events."""

    __tablename__ = "person"
    __table_args__ = (Index("ix_person_school", "school_id", "kind"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    school_id: Mapped[str] = mapped_column(ID)
    kind: Mapped[str] = mapped_column(String(10))
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str | None] = mapped_column(String(100))
    roles: Mapped[str] = mapped_column(String(300), default="")


class Guardianship(Base):
    """Родитель (законный представитель) ↔ ученик, as identity announced it."""

    __tablename__ = "guardianship"

    school_id: Mapped[str] = mapped_column(ID, index=True)
    parent_id: Mapped[str] = mapped_column(ID, primary_key=True)
    student_id: Mapped[str] = mapped_column(ID, primary_key=True, index=True)


class SchoolYear(Base):
    """Учебный год: opened before September (R-YR-1), closed with promotion (R-YR-2)."""

    __tablename__ = "school_year"
    __table_args__ = (UniqueConstraint("school_id", "name"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ID)
    name: Mapped[str] = mapped_column(String(20))
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
    closed_on: Mapped[dt.date | None]


class Period(Base):
    """Учебный период: четверть, триместр, полугодие, год."""

    __tablename__ = "period"
    __table_args__ = (UniqueConstraint("year_id", "kind", "number"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ID, index=True)
    year_id: Mapped[str] = mapped_column(ID)
    kind: Mapped[str] = mapped_column(String(10))
    number: Mapped[int]
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]


class Holiday(Base):
    """Каникулы / праздничные дни: no lessons are generated on them."""

    __tablename__ = "holiday"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ID)
    year_id: Mapped[str] = mapped_column(ID, index=True)
    name: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]


class Subject(Base):
    """Предмет учебного плана."""

    __tablename__ = "subject"
    __table_args__ = (UniqueConstraint("school_id", "name"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ID)
    name: Mapped[str] = mapped_column(String(200))


class WorkType(Base):
    """Вид работы and its weight: the school's own, beside the platform defaults."""

    __tablename__ = "work_type"

    school_id: Mapped[str] = mapped_column(ID, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    weight: Mapped[float] = mapped_column(Float)


class SchoolClass(Base):
    """Класс (5А) of one year, with its class teacher (классный руководитель)."""

    __tablename__ = "school_class"
    __table_args__ = (UniqueConstraint("year_id", "name"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ID, index=True)
    year_id: Mapped[str] = mapped_column(ID)
    name: Mapped[str] = mapped_column(String(20))
    grade: Mapped[int]
    class_teacher_id: Mapped[str | None] = mapped_column(ID, index=True)


class Enrolment(Base):
    """Зачисление: a student in a class from a date until they leave (exclusive)."""

    __tablename__ = "enrolment"
    __table_args__ = (
        Index("ix_enrolment_class", "class_id", "from_on"),
        Index("ix_enrolment_student", "school_id", "student_id"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ID)
    class_id: Mapped[str] = mapped_column(ID)
    student_id: Mapped[str] = mapped_column(ID)
    from_on: Mapped[dt.date]
    until_on: Mapped[dt.date | None]
    left_reason: Mapped[str | None] = mapped_column(String(300))


class StudyGroup(Base):
    """Подгруппа of a class for one subject (R-REC-6)."""

    __tablename__ = "study_group"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ID)
    class_id: Mapped[str] = mapped_column(ID, index=True)
    subject_id: Mapped[str] = mapped_column(ID)
    name: Mapped[str] = mapped_column(String(100))


class GroupMember(Base):
    __tablename__ = "group_member"

    school_id: Mapped[str] = mapped_column(ID)
    group_id: Mapped[str] = mapped_column(ID, primary_key=True)
    student_id: Mapped[str] = mapped_column(ID, primary_key=True)


class TeachingAssignment(Base):
    """Who teaches which subject to which class (or one of its groups)."""

    __tablename__ = "teaching_assignment"
    __table_args__ = (Index("ix_assignment_teacher", "school_id", "teacher_id"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ID)
    class_id: Mapped[str] = mapped_column(ID, index=True)
    subject_id: Mapped[str] = mapped_column(ID)
    teacher_id: Mapped[str] = mapped_column(ID)
    group_id: Mapped[str | None] = mapped_column(ID)


class Room(Base):
    __tablename__ = "room"
    __table_args__ = (UniqueConstraint("school_id", "name"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ID)
    name: Mapped[str] = mapped_column(String(100))


class Bell(Base):
    """Расписание звонков: when lesson number N starts and ends."""

    __tablename__ = "bell"

    school_id: Mapped[str] = mapped_column(ID, primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    starts_at: Mapped[dt.time] = mapped_column(Time)
    ends_at: Mapped[dt.time] = mapped_column(Time)


class TimetableEntry(Base):
    """One weekly slot of a class's timetable (расписание)."""

    __tablename__ = "timetable_entry"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ID)
    class_id: Mapped[str] = mapped_column(ID, index=True)
    subject_id: Mapped[str] = mapped_column(ID)
    group_id: Mapped[str | None] = mapped_column(ID)
    teacher_id: Mapped[str] = mapped_column(ID)
    room_id: Mapped[str | None] = mapped_column(ID)
    weekday: Mapped[int]
    number: Mapped[int]


class PlanItem(Base):
    """One topic of the calendar-thematic plan (КТП) of a class and subject."""

    __tablename__ = "plan_item"
    __table_args__ = (Index("ix_plan_item_class", "class_id", "subject_id", "position"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ID)
    class_id: Mapped[str] = mapped_column(ID)
    subject_id: Mapped[str] = mapped_column(ID)
    position: Mapped[int]
    topic: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str | None] = mapped_column(String(40))


class Lesson(Base):
    """Урок: topic (R-LES-1), homework (R-LES-3, R-HW-1), substitution (R-REC-7)."""

    __tablename__ = "lesson"
    __table_args__ = (
        Index("ix_lesson_class_date", "class_id", "date", "number"),
        Index("ix_lesson_teacher_date", "school_id", "teacher_id", "date"),
        # a teacher's day: the lessons they substitute (beside their own, by the index above)
        Index("ix_lesson_substitute_date", "school_id", "substitute_id", "date"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ID)
    class_id: Mapped[str] = mapped_column(ID)
    subject_id: Mapped[str] = mapped_column(ID)
    group_id: Mapped[str | None] = mapped_column(ID)
    teacher_id: Mapped[str] = mapped_column(ID)
    substitute_id: Mapped[str | None] = mapped_column(ID)
    room_id: Mapped[str | None] = mapped_column(ID)
    date: Mapped[dt.date]
    number: Mapped[int]
    topic: Mapped[str | None] = mapped_column(String(500))
    homework: Mapped[str | None] = mapped_column(Text)
    homework_set_at: Mapped[dt.datetime | None]
    homework_late: Mapped[bool] = mapped_column(Boolean, default=False)


class Mark(Base):
    """Отметка 1–5 with its work type (R-LES-2); cancelled marks stay, with status."""

    __tablename__ = "mark"
    __table_args__ = (
        Index("ix_mark_lesson", "lesson_id", "student_id"),
        Index("ix_mark_student", "school_id", "student_id", "date"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ID)
    lesson_id: Mapped[str] = mapped_column(ID)
    student_id: Mapped[str] = mapped_column(ID)
    class_id: Mapped[str] = mapped_column(ID)
    subject_id: Mapped[str] = mapped_column(ID)
    period_id: Mapped[str | None] = mapped_column(ID)
    date: Mapped[dt.date]
    value: Mapped[int]
    work_type: Mapped[str] = mapped_column(String(40))
    weight: Mapped[float] = mapped_column(Float)
    comment: Mapped[str | None] = mapped_column(String(500))
    document: Mapped[str | None] = mapped_column(String(500))
    teacher_id: Mapped[str] = mapped_column(ID)
    status: Mapped[str] = mapped_column(String(10), default="active")
    created_at: Mapped[dt.datetime]
    # R-MRK-2: entered after the school's cut-off on the lesson's day (or on a later day)
    entered_late: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Attendance(Base):
    """Посещаемость of one student at one lesson, with the reason of an absence."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("lesson_id", "student_id"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ID)
    lesson_id: Mapped[str] = mapped_column(ID)
    student_id: Mapped[str] = mapped_column(ID, index=True)
    status: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(String(12))


class PeriodMark(Base):
    """Итоговая отметка за период: 5…1, «ОСВ» (osv), «н/а» (na)."""

    __tablename__ = "period_mark"
    __table_args__ = (UniqueConstraint("period_id", "subject_id", "student_id"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ID)
    period_id: Mapped[str] = mapped_column(ID)
    class_id: Mapped[str] = mapped_column(ID, index=True)
    subject_id: Mapped[str] = mapped_column(ID)
    student_id: Mapped[str] = mapped_column(ID)
    value: Mapped[str] = mapped_column(String(3))


class HistoryHead(Base):
    """The last link of a school's history chain; locked while a link is appended."""

    __tablename__ = "history_head"

    school_id: Mapped[str] = mapped_column(ID, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))


class History(Base):
    """Append-only record of every change (who, when, before, after, reason), hash-chained
    per school: each row's hash covers its content and the previous row's hash."""

    __tablename__ = "history"
    __table_args__ = (
        UniqueConstraint("school_id", "seq"),
        Index("ix_history_entity", "entity_id", "seq"),
        Index("ix_history_account", "account_id", "at"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    school_id: Mapped[str] = mapped_column(ID)
    seq: Mapped[int] = mapped_column(BigInteger)
    entity: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[str] = mapped_column(ID)
    action: Mapped[str] = mapped_column(String(20))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    account_id: Mapped[str | None] = mapped_column(ID)
    person_id: Mapped[str | None] = mapped_column(ID)
    at: Mapped[dt.datetime]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    invalid: Mapped[bool] = mapped_column(Boolean, default=False)
    compromise_id: Mapped[str | None] = mapped_column(ID)


class Compromise(Base):
    """Компрометация реквизитов reported to the school (R-SEC-4)."""

    __tablename__ = "compromise"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ID, index=True)
    account_id: Mapped[str] = mapped_column(ID)
    person_id: Mapped[str | None] = mapped_column(ID)
    reported_at: Mapped[dt.datetime]
    processed_at: Mapped[dt.datetime]
    invalidated: Mapped[int] = mapped_column(Integer, default=0)
