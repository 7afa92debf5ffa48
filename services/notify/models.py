"""Notify's tables: its copies of what other services announced, and what it tells whom.

Copies (event-carried state, never read from another service's tables): schools (their time
zones), people, guardianships, subjects, periods and marks. Its own data: subscriptions, deliveries (diary feed and
e-mail), internal mail, and integrators' webhooks with their deliveries.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
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

ID = String(36)
PENDING = text("status = 'pending'")
COLLECTED = text("status = 'collected'")


# --- copies of other services' facts --------------------------------------------------------
class School(Base):
    """A school as identity announced it (`identity.school.registered` / `.updated`): its own
    time zone decides when its digests go."""

    __tablename__ = "school"

    school_id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    timezone: Mapped[str] = mapped_column(String(64))
    sequence: Mapped[int | None] = mapped_column(BigInteger)
    """The sequence of identity's last applied event about the school (registered, updated):
    an older one is ignored."""


class Person(Base):
    """Участник образовательного процесса, as identity announced them (names, kind, roles)."""

    __tablename__ = "person"
    __table_args__ = (Index("ix_person_school_kind", "school_id", "kind"),)

    person_id: Mapped[str] = mapped_column(ID, primary_key=True)
    school_id: Mapped[str] = mapped_column(ID)
    kind: Mapped[str] = mapped_column(String(20))
    last_name: Mapped[str] = mapped_column(String(200))
    first_name: Mapped[str] = mapped_column(String(200))
    middle_name: Mapped[str | None] = mapped_column(String(200))
    roles: Mapped[list[str]] = mapped_column(JSON)
    sequence: Mapped[int | None] = mapped_column(BigInteger)
    """The producer's sequence of the last applied event: older updates are ignored."""


class Guardianship(Base):
    """Родитель (законный представитель) ↔ ученик, as identity announced it."""

    __tablename__ = "guardianship"

    school_id: Mapped[str] = mapped_column(ID, index=True)
    parent_id: Mapped[str] = mapped_column(ID, primary_key=True)
    student_id: Mapped[str] = mapped_column(ID, primary_key=True, index=True)


class Subject(Base):
    """Учебный предмет: its name, to word notices."""

    __tablename__ = "subject"

    subject_id: Mapped[str] = mapped_column(ID, primary_key=True)
    school_id: Mapped[str] = mapped_column(ID)
    name: Mapped[str] = mapped_column(String(200))


class Period(Base):
    """Учебный период (четверть, триместр…): its kind and number, to word period marks."""

    __tablename__ = "period"

    period_id: Mapped[str] = mapped_column(ID, primary_key=True)
    school_id: Mapped[str] = mapped_column(ID)
    kind: Mapped[str] = mapped_column(String(20))
    number: Mapped[int] = mapped_column(Integer)


class MarkCopy(Base):
    """A mark as the journal last announced it: corrections and cancellations name only the
    mark, so notify remembers whose mark it was, in which subject and on which day."""

    __tablename__ = "mark"

    mark_id: Mapped[str] = mapped_column(ID, primary_key=True)
    school_id: Mapped[str] = mapped_column(ID)
    student_id: Mapped[str] = mapped_column(ID)
    subject_id: Mapped[str] = mapped_column(ID)
    date: Mapped[dt.date]
    value: Mapped[int] = mapped_column(Integer)
    work_type: Mapped[str] = mapped_column(String(40))


# --- notifications --------------------------------------------------------------------------
class Subscription(Base):
    """A person's choice of e-mail delivery and digest (R-REC-2)."""

    __tablename__ = "subscription"

    person_id: Mapped[str] = mapped_column(ID, primary_key=True)
    school_id: Mapped[str] = mapped_column(ID)
    email: Mapped[bool]
    email_address: Mapped[str | None] = mapped_column(String(320))
    digest: Mapped[str] = mapped_column(String(10))
    updated_at: Mapped[dt.datetime]


class Delivery(Base):
    """One notification to one recipient on one channel.

    channel `feed` (the diary feed): status `delivered` at once.
    channel `email`: `pending` → `sent` (or `failed` when the server refuses it for good);
    a notice waiting for a digest is `collected`, then `digested` into the digest's own
    `pending` row (`digest_id`), or `dropped` when the person unsubscribed meanwhile.
    """

    __tablename__ = "delivery"
    __table_args__ = (
        Index("ix_delivery_recipient", "school_id", "recipient_id", "created_at"),
        Index(
            "ix_delivery_pending",
            "next_attempt_at",
            postgresql_where=PENDING,
            sqlite_where=PENDING,
        ),
        Index(
            "ix_delivery_collected",
            "digest",
            "created_at",
            postgresql_where=COLLECTED,
            sqlite_where=COLLECTED,
        ),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ID)
    recipient_id: Mapped[str] = mapped_column(ID)
    channel: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12), default="delivered")
    source_event_id: Mapped[str] = mapped_column(ID)
    source_event_type: Mapped[str] = mapped_column(String(120))
    subject: Mapped[str | None] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime]
    address: Mapped[str | None] = mapped_column(String(320))
    digest: Mapped[str | None] = mapped_column(String(10))
    digest_id: Mapped[str | None] = mapped_column(ID)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None]
    sent_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


# --- internal mail --------------------------------------------------------------------------
class Message(Base):
    """Сообщение внутренней почты (R-NTF-1, R-NTF-2)."""

    __tablename__ = "message"
    __table_args__ = (Index("ix_message_sender", "school_id", "sender_id", "sent_at"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ID)
    sender_id: Mapped[str] = mapped_column(ID)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[dt.datetime]


class MessageRecipient(Base):
    """One recipient of a message, and when they read it."""

    __tablename__ = "message_recipient"
    __table_args__ = (Index("ix_message_recipient_inbox", "school_id", "recipient_id"),)

    message_id: Mapped[str] = mapped_column(
        ID, ForeignKey("message.id", ondelete="CASCADE"), primary_key=True
    )
    recipient_id: Mapped[str] = mapped_column(ID, primary_key=True)
    school_id: Mapped[str] = mapped_column(ID)
    read_at: Mapped[dt.datetime | None]


# --- webhooks -------------------------------------------------------------------------------
class Webhook(Base):
    """An integrator's subscription to a school's events, signed with its own secret."""

    __tablename__ = "webhook"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(ID, index=True)
    url: Mapped[str] = mapped_column(String(2000))
    event_types: Mapped[list[str]] = mapped_column(JSON)
    secret: Mapped[str] = mapped_column(String(100))
    created_by: Mapped[str] = mapped_column(ID)
    created_at: Mapped[dt.datetime]
    deleted_at: Mapped[dt.datetime | None]


class WebhookDelivery(Base):
    """One event to POST to one webhook: `pending` → `delivered`, or `failed` after the
    bounded attempts, or `cancelled` when the webhook is deleted. `seq` keeps event order."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        UniqueConstraint("webhook_id", "event_id"),
        Index("ix_webhook_delivery_queue", "webhook_id", "status", "seq"),
        Index(
            "ix_webhook_delivery_pending",
            "next_attempt_at",
            postgresql_where=PENDING,
            sqlite_where=PENDING,
        ),
    )

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    id: Mapped[str] = mapped_column(ID, unique=True, default=new_id)
    webhook_id: Mapped[str] = mapped_column(ID, ForeignKey("webhook.id", ondelete="CASCADE"))
    school_id: Mapped[str] = mapped_column(ID)
    event_id: Mapped[str] = mapped_column(ID)
    event_type: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime]
    created_at: Mapped[dt.datetime]
    delivered_at: Mapped[dt.datetime | None]
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
