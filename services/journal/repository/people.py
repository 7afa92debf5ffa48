"""Queries of the people the journal shows (names only, as identity announced them)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import insert_for
from services.journal.models import Person


async def upsert_person(session: AsyncSession, values: dict[str, Any]) -> None:
    stmt = insert_for(session, Person).values(**values)
    update = {k: v for k, v in values.items() if k != "id"}
    await session.execute(stmt.on_conflict_do_update(index_elements=[Person.id], set_=update))


async def people(session: AsyncSession, school_id: str, ids: Iterable[str]) -> dict[str, Person]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = await session.execute(
        select(Person).where(Person.school_id == school_id, Person.id.in_(wanted))
    )
    return {p.id: p for p in rows.scalars()}
