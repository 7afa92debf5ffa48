"""A school's rows of any table, by what every journal table shares (`id`, `school_id`): one
row by id, a list, a page in id order; and saving or removing the rows a use case built or
changed. Every read is limited to a school (`scope`; None = any, for the city operator only)."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

M = TypeVar("M")


async def get(session: AsyncSession, model: type[M], obj_id: str, scope: str | None) -> M | None:
    query: Select[Any] = select(model).where(model.id == obj_id)  # type: ignore[attr-defined]
    if scope is not None:
        query = query.where(model.school_id == scope)  # type: ignore[attr-defined]
    return (await session.execute(query)).scalar_one_or_none()  # type: ignore[no-any-return]


async def listed(
    session: AsyncSession, model: type[M], *conditions: Any, order: Any = None
) -> list[M]:
    query = select(model).where(*conditions)
    if order is not None:
        query = query.order_by(order)
    return list((await session.execute(query)).scalars())


async def page(
    session: AsyncSession, model: Any, school_id: str, cursor: str | None, limit: int
) -> list[Any]:
    """A page of one table in id order: ids are time-ordered and never reused (stable cursor)."""
    query = select(model).where(model.school_id == school_id)
    if cursor:
        query = query.where(model.id > cursor)
    rows = await session.execute(query.order_by(model.id).limit(limit))
    return list(rows.scalars())


async def save(session: AsyncSession, *rows: Any) -> None:
    """New rows are added, changed ones written: one flush, ids and defaults filled in."""
    session.add_all(rows)
    await session.flush()


async def remove(session: AsyncSession, row: Any) -> None:
    await session.delete(row)
    await session.flush()
