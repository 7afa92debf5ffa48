"""A school's rows of any table, by what every journal table shares (`id`, `school_id`): one
row by id, a list, a page in id order; and saving or removing the rows a use case built or
changed, inserting many new rows in one statement, or replacing a set of rows as a whole.
Every read is limited to a school (`scope`; None = any, for the city operator only)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, delete, insert, select
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


async def insert_rows(session: AsyncSession, model: Any, rows: Sequence[dict[str, Any]]) -> None:
    """New rows of one table in one statement (a lesson's marks or attendance, a class's period
    marks, lessons generated from the timetable, a year's promoted enrolments: ARCHITECTURE
    "Known traps")."""
    if rows:
        await session.execute(insert(model), list(rows))


async def replace_rows(
    session: AsyncSession, model: Any, rows: Sequence[dict[str, Any]], **owner: str
) -> None:
    """The rows of one owner (a school's bells, a class's timetable, a class's plan of a
    subject: `school_id=…`, `class_id=…, subject_id=…`) replaced as a whole by `rows`."""
    await session.execute(delete(model).filter_by(**owner))
    await insert_rows(session, model, rows)
