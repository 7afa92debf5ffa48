"""Queries of period marks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.journal.models import PeriodMark


async def period_marks(
    session: AsyncSession,
    period_ids: Sequence[str],
    class_id: str | None = None,
    subject_ids: Iterable[str] | None = None,
    student_id: str | None = None,
) -> list[PeriodMark]:
    if not period_ids:
        return []
    query = select(PeriodMark).where(PeriodMark.period_id.in_(list(period_ids)))
    if class_id is not None:
        query = query.where(PeriodMark.class_id == class_id)
    if subject_ids is not None:
        query = query.where(PeriodMark.subject_id.in_(set(subject_ids)))
    if student_id is not None:
        query = query.where(PeriodMark.student_id == student_id)
    return list((await session.execute(query)).scalars())
