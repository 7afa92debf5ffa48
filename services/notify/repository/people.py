"""Queries on notify's copies: people, guardianships, subjects, periods, marks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import insert_for
from services.notify.models import Guardianship, MarkCopy, Period, Person, Subject


async def upsert_person(session: AsyncSession, values: dict[str, Any]) -> None:
    """Insert or update a person; an update older than what we hold (by sequence) is ignored."""
    stmt = insert_for(session, Person).values(**values)
    newer = or_(
        Person.sequence.is_(None),
        stmt.excluded.sequence.is_(None),
        Person.sequence < stmt.excluded.sequence,
    )
    changed = {k: stmt.excluded[k] for k in values if k != "person_id"}
    await session.execute(
        stmt.on_conflict_do_update(index_elements=[Person.person_id], set_=changed, where=newer)
    )


async def people_by_id(
    session: AsyncSession, school_id: str, person_ids: Sequence[str]
) -> dict[str, Person]:
    if not person_ids:
        return {}
    rows = await session.execute(
        select(Person).where(Person.school_id == school_id, Person.person_id.in_(person_ids))
    )
    return {p.person_id: p for p in rows.scalars()}


async def directory(
    session: AsyncSession,
    school_id: str,
    *,
    kinds: Sequence[str] | None,
    role: str | None,
    name: str | None,
    limit: int,
) -> list[Person]:
    """People of a school by name. Role and name are matched here, not in SQL: roles are a
    JSON list, and Cyrillic case folding does not depend on the database's locale here."""
    query = select(Person).where(Person.school_id == school_id)
    if kinds is not None:
        query = query.where(Person.kind.in_(kinds))
    query = query.order_by(Person.last_name, Person.first_name, Person.person_id)
    rows = (await session.execute(query)).scalars()
    needle = name.casefold() if name else None
    found = []
    for p in rows:
        if role is not None and role not in (p.roles or []):
            continue
        if (
            needle
            and needle not in f"{p.last_name} {p.first_name} {p.middle_name or ''}".casefold()
        ):
            continue
        found.append(p)
        if len(found) >= limit:
            break
    return found


async def link_guardian(
    session: AsyncSession, school_id: str, parent_id: str, student_id: str
) -> None:
    await session.execute(
        insert_for(session, Guardianship)
        .values(school_id=school_id, parent_id=parent_id, student_id=student_id)
        .on_conflict_do_nothing()
    )


async def guardians_of(session: AsyncSession, school_id: str, student_id: str) -> list[str]:
    rows = await session.execute(
        select(Guardianship.parent_id)
        .where(Guardianship.school_id == school_id, Guardianship.student_id == student_id)
        .order_by(Guardianship.parent_id)
    )
    return list(rows.scalars().all())


async def upsert_subject(session: AsyncSession, school_id: str, subject_id: str, name: str) -> None:
    stmt = insert_for(session, Subject).values(
        subject_id=subject_id, school_id=school_id, name=name
    )
    await session.execute(
        stmt.on_conflict_do_update(index_elements=[Subject.subject_id], set_={"name": name})
    )


async def subject(session: AsyncSession, school_id: str, subject_id: str) -> Subject | None:
    return (
        await session.execute(
            select(Subject).where(Subject.school_id == school_id, Subject.subject_id == subject_id)
        )
    ).scalar_one_or_none()


async def upsert_period(
    session: AsyncSession, school_id: str, period_id: str, kind: str, number: int
) -> None:
    stmt = insert_for(session, Period).values(
        period_id=period_id, school_id=school_id, kind=kind, number=number
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[Period.period_id], set_={"kind": kind, "number": number}
        )
    )


async def period(session: AsyncSession, school_id: str, period_id: str) -> Period | None:
    return (
        await session.execute(
            select(Period).where(Period.school_id == school_id, Period.period_id == period_id)
        )
    ).scalar_one_or_none()


async def remember_mark(session: AsyncSession, values: dict[str, Any]) -> None:
    stmt = insert_for(session, MarkCopy).values(**values)
    await session.execute(stmt.on_conflict_do_nothing())


async def mark(session: AsyncSession, school_id: str, mark_id: str) -> MarkCopy | None:
    return (
        await session.execute(
            select(MarkCopy).where(MarkCopy.school_id == school_id, MarkCopy.mark_id == mark_id)
        )
    ).scalar_one_or_none()


async def set_mark_value(session: AsyncSession, school_id: str, mark_id: str, value: int) -> None:
    await session.execute(
        update(MarkCopy)
        .where(MarkCopy.school_id == school_id, MarkCopy.mark_id == mark_id)
        .values(value=value)
    )
