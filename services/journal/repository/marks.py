"""Queries of marks. A lesson's marks are written in one statement (ARCHITECTURE "Known
traps"), judged by one read (`repository.mark_entry`); the grid and the diary read them as
plain rows, never one query per cell."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.journal.models import Mark


async def marks_of_lessons(
    session: AsyncSession, lesson_ids: Sequence[str], student_id: str | None = None
) -> list[Any]:
    """Plain rows, not ORM objects: a quarter's grid holds hundreds of them."""
    if not lesson_ids:
        return []
    query = select(Mark.__table__).where(
        Mark.lesson_id.in_(list(lesson_ids)), Mark.status == "active"
    )
    if student_id is not None:
        query = query.where(Mark.student_id == student_id)
    rows = await session.execute(query.order_by(Mark.created_at))
    return list(rows.all())


async def marks_for_average(
    session: AsyncSession, class_id: str, subject_id: str, start: dt.date, end: dt.date
) -> list[Mark]:
    rows = await session.execute(
        select(Mark).where(
            Mark.class_id == class_id,
            Mark.subject_id == subject_id,
            Mark.date >= start,
            Mark.date <= end,
            Mark.status == "active",
        )
    )
    return list(rows.scalars())
