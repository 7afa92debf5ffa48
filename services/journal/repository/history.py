"""Queries of the history chain: the head lock, appends, reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import insert_for
from services.journal.models import History, HistoryHead

GENESIS = "0" * 64


async def lock_head(session: AsyncSession, school_id: str) -> tuple[int, str]:
    """The school's last link, locked until commit so links are appended one at a time.

    One statement once the school has a head; its first change creates it (a concurrent first
    change waits on the new row's key, then finds it)."""
    locked = (
        select(HistoryHead.seq, HistoryHead.hash)
        .where(HistoryHead.school_id == school_id)
        .with_for_update()
    )
    row = (await session.execute(locked)).first()
    if row is None:
        await session.execute(
            insert_for(session, HistoryHead)
            .values(school_id=school_id, seq=0, hash=GENESIS)
            .on_conflict_do_nothing()
        )
        row = (await session.execute(locked)).one()
    return int(row.seq), str(row.hash)


_APPEND_PG = text(
    """
    WITH moved AS (
        UPDATE history_head SET seq = :seq, hash = :head WHERE school_id = :school_id
    )
    INSERT INTO history (school_id, seq, entity, entity_id, action, before, after, reason,
                         note, account_id, person_id, at, prev_hash, hash, invalid)
    SELECT :school_id, * FROM unnest(
        CAST(:seqs AS BIGINT[]), CAST(:entities AS VARCHAR[]), CAST(:entity_ids AS VARCHAR[]),
        CAST(:actions AS VARCHAR[]), CAST(:befores AS TEXT[]), CAST(:afters AS TEXT[]),
        CAST(:reasons AS TEXT[]), CAST(:notes AS TEXT[]), CAST(:account_ids AS VARCHAR[]),
        CAST(:person_ids AS VARCHAR[]), CAST(:ats AS TIMESTAMPTZ[]),
        CAST(:prev_hashes AS VARCHAR[]), CAST(:hashes AS VARCHAR[]), CAST(:invalids AS BOOLEAN[])
    )
    """
)
"""PostgreSQL: the links as one array per column (one statement whatever their number, its
text compiled once), with the head's move riding along as a data-modifying CTE."""

_ARRAYS = {
    "seqs": "seq",
    "entities": "entity",
    "entity_ids": "entity_id",
    "actions": "action",
    "befores": "before",
    "afters": "after",
    "reasons": "reason",
    "notes": "note",
    "account_ids": "account_id",
    "person_ids": "person_id",
    "ats": "at",
    "prev_hashes": "prev_hash",
    "hashes": "hash",
    "invalids": "invalid",
}


async def append(
    session: AsyncSession, school_id: str, rows: Sequence[dict[str, Any]], seq: int, head: str
) -> None:
    """The rows, and the head moved to the last of them: one statement on PostgreSQL, an
    INSERT of all the rows and the head's UPDATE on SQLite."""
    bind = session.bind
    if bind is not None and bind.dialect.name == "postgresql":
        params = {name: [r[column] for r in rows] for name, column in _ARRAYS.items()}
        await session.execute(
            _APPEND_PG, {"school_id": school_id, "seq": seq, "head": head, **params}
        )
        return
    await session.execute(insert(History), list(rows))
    await session.execute(
        update(HistoryHead).where(HistoryHead.school_id == school_id).values(seq=seq, hash=head)
    )


async def of_entity(session: AsyncSession, school_id: str, entity_id: str) -> list[History]:
    rows = await session.execute(
        select(History)
        .where(History.school_id == school_id, History.entity_id == entity_id)
        .order_by(History.seq)
    )
    return list(rows.scalars())


async def of_entities(
    session: AsyncSession, school_id: str, entity: str, entity_ids: Sequence[str]
) -> list[History]:
    rows = await session.execute(
        select(History)
        .where(
            History.school_id == school_id,
            History.entity == entity,
            History.entity_id.in_(entity_ids),
        )
        .order_by(History.seq)
    )
    return list(rows.scalars())


async def chain(session: AsyncSession, school_id: str, after_seq: int, limit: int) -> list[History]:
    rows = await session.execute(
        select(History)
        .where(History.school_id == school_id, History.seq > after_seq)
        .order_by(History.seq)
        .limit(limit)
    )
    return list(rows.scalars())


async def head(session: AsyncSession, school_id: str) -> HistoryHead | None:
    return await session.get(HistoryHead, school_id)


async def by_account_since(
    session: AsyncSession, account_id: str, since: dt.datetime
) -> list[History]:
    rows = await session.execute(
        select(History)
        .where(History.account_id == account_id, History.at >= since)
        .order_by(History.seq)
    )
    return list(rows.scalars())


async def mark_invalid(session: AsyncSession, ids: Sequence[int], compromise_id: str) -> None:
    """The flag is outside the hashed content: invalidation appends links, it edits none."""
    await session.execute(
        update(History).where(History.id.in_(ids)).values(invalid=True, compromise_id=compromise_id)
    )


async def invalidated(session: AsyncSession, school_id: str, limit: int) -> list[History]:
    rows = await session.execute(
        select(History)
        .where(History.school_id == school_id, History.invalid.is_(True))
        .order_by(History.seq.desc())
        .limit(limit)
    )
    return list(rows.scalars())
