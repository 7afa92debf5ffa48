"""Identity's tables: schools, people, accounts and what keeps them safe.

Every row of a school carries `school_id`; the city operator's account is the one row without.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kit.db import TYPE_ANNOTATION_MAP, new_id, new_metadata
from kit.idempotency import idempotency_table
from kit.inbox import inbox_table
from kit.outbox import outbox_table


class Base(DeclarativeBase):
    metadata = new_metadata()
    type_annotation_map = TYPE_ANNOTATION_MAP


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)
idempotency = idempotency_table(Base.metadata)


class School(Base):
    """Образовательная организация: a tenant of the city's platform."""

    __tablename__ = "school"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    timezone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime]


class Person(Base):
    """A member of a school: staff, student or parent (законный представитель).

    `natural_key` (a digest of kind, names, birth date and e-mail) makes the same person
    entered twice, by hand or by a CSV import, one row.
    """

    __tablename__ = "person"
    __table_args__ = (
        UniqueConstraint("school_id", "natural_key"),
        Index("ix_person_school_kind_name", "school_id", "kind", "last_name", "first_name"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(10))
    last_name: Mapped[str] = mapped_column(String(64))
    first_name: Mapped[str] = mapped_column(String(64))
    middle_name: Mapped[str | None] = mapped_column(String(64))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(6))
    email: Mapped[str | None] = mapped_column(String(254))
    roles: Mapped[list[str]] = mapped_column(JSON)
    natural_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    created_by: Mapped[str | None] = mapped_column(String(36))


class Account(Base):
    """Реквизиты доступа: a login and its password, of a person or of the city operator."""

    __tablename__ = "account"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    school_id: Mapped[str | None] = mapped_column(String(36), index=True)
    person_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    operator: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(12), default="active")
    password_change_required: Mapped[bool] = mapped_column(default=True)
    pending_password: Mapped[str | None] = mapped_column(
        Text, doc="the one-time password, encrypted, until its owner changes it (for the slip)"
    )
    credentials_issued_at: Mapped[dt.datetime]
    credentials_issued_by: Mapped[str | None] = mapped_column(String(36))
    password_changed_at: Mapped[dt.datetime | None]
    compromised_at: Mapped[dt.datetime | None]
    last_login_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]


class Guardianship(Base):
    """Родитель (законный представитель) ↔ ученик."""

    __tablename__ = "guardianship"

    school_id: Mapped[str] = mapped_column(String(36), index=True)
    parent_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    student_id: Mapped[str] = mapped_column(String(36), primary_key=True, index=True)
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str | None] = mapped_column(String(36))


class RefreshToken(Base):
    """One link of a session's chain of refresh tokens (a family); only its digest is kept."""

    __tablename__ = "refresh_token"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    family_id: Mapped[str] = mapped_column(String(36), index=True)
    account_id: Mapped[str] = mapped_column(String(36), index=True)
    school_id: Mapped[str | None] = mapped_column(String(36))
    token_hash: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
    access_jti: Mapped[str] = mapped_column(String(36))
    access_expires_at: Mapped[dt.datetime]


class Denial(Base):
    """A deny-list entry, kept here as well as in Redis (R-SEC-4, R-SEC-5): a token ended before
    it expires (logout, a reused refresh token's family) or every token of an account issued up
    to an instant (a role change, a password change, a compromise). Redis answers every
    request; this table writes Redis again after Redis lost its data, until the entry expires.
    """

    __tablename__ = "denial"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(10), doc="token or account")
    subject: Mapped[str] = mapped_column(String(36), doc="the token's jti or the account's id")
    issued_before: Mapped[float | None] = mapped_column(
        doc="account: tokens issued at or before this instant (seconds since the epoch)"
    )
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)


class SigningKey(Base):
    """An Ed25519 key of the key ring: published from creation, signing from `signs_from`."""

    __tablename__ = "signing_key"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[dt.datetime]
    signs_from: Mapped[dt.datetime]
    retired_at: Mapped[dt.datetime | None]
    private_key: Mapped[str] = mapped_column(Text, doc="encrypted with EJ_IDENTITY_KEY_SECRET")
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JSON)


class Consent(Base):
    """Согласие на обработку персональных данных (R-SEC-3), and its withdrawal."""

    __tablename__ = "consent"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(String(36), index=True)
    person_id: Mapped[str] = mapped_column(String(36), index=True)
    document: Mapped[str] = mapped_column(String(200))
    given_on: Mapped[dt.date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(36))
    recorded_at: Mapped[dt.datetime]
    withdrawn_at: Mapped[dt.datetime | None]
    withdrawn_by: Mapped[str | None] = mapped_column(String(36))
    withdrawal_document: Mapped[str | None] = mapped_column(String(200))
    withdrawal_note: Mapped[str | None] = mapped_column(Text)


class AccessLogEntry(Base):
    """Журнал доступа (R-SEC-1, R-SEC-5): logins, credential issues, role changes, reads."""

    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_school_at", "school_id", "at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    school_id: Mapped[str | None] = mapped_column(String(36))
    at: Mapped[dt.datetime]
    action: Mapped[str] = mapped_column(String(40))
    actor_account_id: Mapped[str | None] = mapped_column(String(36))
    actor_roles: Mapped[str] = mapped_column(String(200), doc="space-separated, sorted")
    subject_person_id: Mapped[str | None] = mapped_column(String(36))
    subject_account_id: Mapped[str | None] = mapped_column(String(36))
    login: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)


class AccountActivity(Base):
    """One account's use of the platform in one month (R-RPT-3): logins and token refreshes."""

    __tablename__ = "account_activity"
    __table_args__ = (Index("ix_account_activity_school_month", "school_id", "month"),)

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    school_id: Mapped[str] = mapped_column(String(36))
    roles: Mapped[str] = mapped_column(String(200), doc="space-separated, sorted")
    logins: Mapped[int] = mapped_column(Integer, default=0)
    refreshes: Mapped[int] = mapped_column(Integer, default=0)
    last_seen_at: Mapped[dt.datetime]


class SchoolClass(Base):
    """Класс, as the journal announced it: who its class teacher is (R-SEC-2)."""

    __tablename__ = "school_class"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    school_id: Mapped[str] = mapped_column(String(36), index=True)
    year_id: Mapped[str] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String(20))
    grade: Mapped[int] = mapped_column(Integer)
    class_teacher_id: Mapped[str | None] = mapped_column(String(36), index=True)


class Enrolment(Base):
    """A student's place in a class, as the journal announced it (the latest change wins)."""

    __tablename__ = "enrolment"

    school_id: Mapped[str] = mapped_column(String(36), index=True)
    student_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    class_id: Mapped[str] = mapped_column(String(36), primary_key=True, index=True)
    change: Mapped[str] = mapped_column(String(10))
    date: Mapped[dt.date] = mapped_column(Date)
    sequence: Mapped[int | None] = mapped_column(BigInteger)
