"""Notify's tables: its copy of who guards whom, and what was delivered to whom."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kit.db import TYPE_ANNOTATION_MAP, new_id, new_metadata
from kit.inbox import inbox_table
from kit.outbox import outbox_table


class Base(DeclarativeBase):
    metadata = new_metadata()
    type_annotation_map = TYPE_ANNOTATION_MAP


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)


class Guardianship(Base):
    """Родитель (законный представитель) ↔ ученик, as identity announced it."""

    __tablename__ = "guardianship"

    school_id: Mapped[str] = mapped_column(String(36), index=True)
    parent_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    student_id: Mapped[str] = mapped_column(String(36), primary_key=True, index=True)


class Delivery(Base):
    """One notification delivered to one recipient on one channel."""

    __tablename__ = "delivery"
    __table_args__ = (Index("ix_delivery_recipient", "school_id", "recipient_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    school_id: Mapped[str] = mapped_column(String(36))
    recipient_id: Mapped[str] = mapped_column(String(36))
    channel: Mapped[str] = mapped_column(String(20))
    source_event_id: Mapped[str] = mapped_column(String(36))
    source_event_type: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime]
