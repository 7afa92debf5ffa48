"""Queries of the calendar-thematic plans (КТП) of a class and subject."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.journal.models import Lesson, PlanItem


async def plan(session: AsyncSession, class_id: str, subject_id: str) -> list[PlanItem]:
    rows = await session.execute(
        select(PlanItem)
        .where(PlanItem.class_id == class_id, PlanItem.subject_id == subject_id)
        .order_by(PlanItem.position)
    )
    return list(rows.scalars())


async def next_plan_topic(
    session: AsyncSession, class_id: str, subject_id: str, group_id: str | None, day: dt.date
) -> str | None:
    """R-LES-1: the lesson takes the next topic of the plan, by how many lessons came before."""
    before = await session.execute(
        select(func.count())
        .select_from(Lesson)
        .where(
            Lesson.class_id == class_id,
            Lesson.subject_id == subject_id,
            Lesson.group_id.is_(None) if group_id is None else Lesson.group_id == group_id,
            Lesson.date <= day,
        )
    )
    position = int(before.scalar_one()) + 1
    row = await session.execute(
        select(PlanItem.topic).where(
            PlanItem.class_id == class_id,
            PlanItem.subject_id == subject_id,
            PlanItem.position == position,
        )
    )
    return row.scalar_one_or_none()
