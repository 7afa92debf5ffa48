"""Queries of people, always inside one school."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.identity.models import Person


async def get(session: AsyncSession, school_id: str, person_id: str) -> Person | None:
    rows = await session.execute(
        select(Person).where(Person.school_id == school_id, Person.id == person_id)
    )
    return rows.scalar_one_or_none()


async def get_any_school(session: AsyncSession, person_id: str) -> Person | None:
    """For the city operator only, who acts across schools."""
    return await session.get(Person, person_id)


async def many(session: AsyncSession, school_id: str, ids: Collection[str]) -> list[Person]:
    if not ids:
        return []
    rows = await session.execute(
        select(Person).where(Person.school_id == school_id, Person.id.in_(list(ids)))
    )
    return list(rows.scalars().all())


async def by_natural_keys(
    session: AsyncSession, school_id: str, keys: Collection[str]
) -> dict[str, Person]:
    found: dict[str, Person] = {}
    unique = list(set(keys))
    for start in range(0, len(unique), 500):
        rows = await session.execute(
            select(Person).where(
                Person.school_id == school_id, Person.natural_key.in_(unique[start : start + 500])
            )
        )
        found.update({p.natural_key: p for p in rows.scalars().all()})
    return found


async def search(
    session: AsyncSession,
    school_id: str,
    *,
    kind: str | None,
    text: str | None,
    limit: int,
    offset: int,
    incomplete: bool = False,
) -> list[Person]:
    query = select(Person).where(Person.school_id == school_id)
    if incomplete:
        query = query.where(
            or_(
                and_(
                    Person.kind == "student", or_(Person.birth_date.is_(None), Person.sex.is_(None))
                ),
                and_(Person.kind == "parent", Person.email.is_(None)),
            )
        )
    if kind is not None:
        query = query.where(Person.kind == kind)
    if text:
        # As typed, lower-case and capitalised: SQLite's lower() knows no Cyrillic.
        patterns = {f"%{t}%" for t in (text, text.lower(), text.capitalize())}
        query = query.where(
            or_(*(c.like(p) for p in patterns for c in (Person.last_name, Person.first_name)))
        )
    rows = await session.execute(
        query.order_by(Person.last_name, Person.first_name, Person.id).limit(limit).offset(offset)
    )
    return list(rows.scalars().all())


def add_all(session: AsyncSession, people: list[Person]) -> None:
    session.add_all(people)


async def staff(session: AsyncSession, school_id: str) -> list[Person]:
    rows = await session.execute(
        select(Person).where(Person.school_id == school_id, Person.kind == "staff")
    )
    return list(rows.scalars().all())
