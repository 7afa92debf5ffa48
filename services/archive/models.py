"""The archive's tables: its own ledger of the journal's events, the schools' time zones and
the years it heard of, the packages it made, where each copy lives and how it last verified,
and its fixity audits. The values these rows take (kinds, statuses, copy states) are named in
`rules/`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kit.db import TYPE_ANNOTATION_MAP, new_id, new_metadata
from kit.inbox import inbox_table
from kit.outbox import outbox_table


class Base(DeclarativeBase):
    metadata = new_metadata()
    type_annotation_map = TYPE_ANNOTATION_MAP


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)


class School(Base):
    """Школа, as identity announced it: only its time zone, so that the archive's "today"
    is the school's today (`identity.school.registered`, `identity.school.updated`)."""

    __tablename__ = "school"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    timezone: Mapped[str] = mapped_column(String(64))
    sequence: Mapped[int | None] = mapped_column(BigInteger)
    """The sequence of identity's last applied event about the school: an older one is
    ignored."""


class SchoolYear(Base):
    """Учебный год, as the journal announced it (journal.year.opened)."""

    __tablename__ = "school_year"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    school_id: Mapped[str] = mapped_column(String(36), index=True)
    name: Mapped[str] = mapped_column(String(100))
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
    closed_on: Mapped[dt.date | None]
    closed_at: Mapped[dt.datetime | None]  # when the closure was announced (journal.year.closed)


class LedgerEntry(Base):
    """One journal event as it was published, kept append-only for the packages.

    `year_id` says which year's package the entry belongs to; an entry that names a class, a
    lesson, a mark or another entity (`year_ref`) inherits that object's year, resolved when
    it arrives or, if the object was announced later, just before the next package is built.
    Entries without a year (subjects; entries whose object the archive never heard of) go
    into every package of the school: an archive errs on the side of keeping.
    """

    __tablename__ = "ledger_entry"
    __table_args__ = (
        Index("ix_ledger_entry_subject", "school_id", "subject"),
        Index("ix_ledger_entry_year", "school_id", "year_id", "occurred_at", "event_id"),
    )

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    school_id: Mapped[str] = mapped_column(String(36))
    event_type: Mapped[str] = mapped_column(String(120))
    occurred_at: Mapped[dt.datetime]
    subject: Mapped[str | None] = mapped_column(String(64))
    actor_id: Mapped[str | None] = mapped_column(String(36))
    data: Mapped[str] = mapped_column(Text)
    year_id: Mapped[str | None] = mapped_column(String(36))
    year_ref: Mapped[str | None] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime]


class Package(Base):
    """Архивный пакет: one year's ledger of one school, with its manifest, as a ZIP file."""

    __tablename__ = "package"
    __table_args__ = (Index("ix_package_school", "school_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(String(36))
    year_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    entries: Mapped[int] = mapped_column(Integer)
    files: Mapped[str] = mapped_column(Text)
    trigger: Mapped[str] = mapped_column(String(20))
    requested_by: Mapped[str | None] = mapped_column(String(36))
    failure: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime]
    stored_at: Mapped[dt.datetime | None]
    audited_at: Mapped[dt.datetime | None]


class PackageCopy(Base):
    """One copy of a package on one store (носитель), and what its last check found."""

    __tablename__ = "package_copy"

    package_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("package.id", ondelete="CASCADE"), primary_key=True
    )
    store: Mapped[str] = mapped_column(String(20), primary_key=True)
    school_id: Mapped[str] = mapped_column(String(36), index=True)
    location: Mapped[str] = mapped_column(String(600))
    state: Mapped[str] = mapped_column(String(20))
    sha256: Mapped[str | None] = mapped_column(String(64))
    checked_at: Mapped[dt.datetime]
    verified_at: Mapped[dt.datetime | None]


class FixityAudit(Base):
    """Контроль целостности: one pass re-hashing every copy, with its counts (R-ARC-1)."""

    __tablename__ = "fixity_audit"
    __table_args__ = (Index("ix_fixity_audit_started", "trigger", "started_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    school_id: Mapped[str | None] = mapped_column(String(36), index=True)
    trigger: Mapped[str] = mapped_column(String(20))
    requested_by: Mapped[str | None] = mapped_column(String(36))
    started_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime]
    checked: Mapped[int] = mapped_column(Integer)
    ok: Mapped[int] = mapped_column(Integer)
    repaired: Mapped[int] = mapped_column(Integer)
    lost: Mapped[int] = mapped_column(Integer)
    unverified: Mapped[int] = mapped_column(Integer)


@dataclass(frozen=True)
class PackageView:
    """A package with its copies, as read together."""

    package: Package
    copies: list[PackageCopy]
