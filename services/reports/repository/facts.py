"""Bulk writes of the read model: one statement per event type per batch.

Every upsert keeps the newer of two versions of a row by the sequence of the event that
wrote it, so out-of-order and repeated events end in the same state as ordered ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, bindparam, case, delete, func, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import insert_for, table_of, upsert_newer
from services.reports.models import (
    Attendance,
    Enrolment,
    Lesson,
    Mark,
    Period,
    PeriodMark,
    Person,
    School,
    SchoolClass,
    SchoolYear,
    Subject,
)

Row = dict[str, Any]


async def insert_missing(
    session: AsyncSession, table: Table, keys: Sequence[str], rows: list[Row]
) -> None:
    if not rows:
        return
    stmt = insert_for(session, table).on_conflict_do_nothing(index_elements=list(keys))
    await session.execute(stmt, rows)


async def schools(session: AsyncSession, rows: list[Row]) -> None:
    await upsert_newer(session, table_of(School), ["school_id"], rows)


async def people(session: AsyncSession, rows: list[Row]) -> None:
    await upsert_newer(session, table_of(Person), ["person_id"], rows)


async def years(session: AsyncSession, rows: list[Row]) -> None:
    await upsert_newer(session, table_of(SchoolYear), ["year_id"], rows)


async def periods(session: AsyncSession, rows: list[Row]) -> None:
    await upsert_newer(session, table_of(Period), ["period_id"], rows)


async def subjects(session: AsyncSession, rows: list[Row]) -> None:
    await upsert_newer(session, table_of(Subject), ["subject_id"], rows)


async def classes(session: AsyncSession, rows: list[Row]) -> None:
    await upsert_newer(session, table_of(SchoolClass), ["class_id"], rows)


async def class_stubs(session: AsyncSession, school_of_class: dict[str, str]) -> None:
    """A class named by a fact before journal.class.opened arrived: known school, no name."""
    rows = [{"class_id": c, "school_id": s, "seq": -1} for c, s in school_of_class.items()]
    await insert_missing(session, table_of(SchoolClass), ["class_id"], rows)


async def enrolments(session: AsyncSession, rows: list[Row]) -> None:
    await upsert_newer(
        session, table_of(Enrolment), ["student_id", "class_id", "date", "change"], rows
    )


async def lessons(session: AsyncSession, rows: list[Row]) -> None:
    await upsert_newer(session, table_of(Lesson), ["lesson_id"], rows)


async def attendance(session: AsyncSession, rows: list[Row]) -> None:
    await upsert_newer(session, table_of(Attendance), ["lesson_id", "student_id"], rows)


async def period_marks(session: AsyncSession, rows: list[Row]) -> None:
    keys = ["period_id", "class_id", "subject_id", "student_id"]
    await upsert_newer(session, table_of(PeriodMark), keys, rows)


MARK_FACTS = (
    "lesson_id",
    "student_id",
    "class_id",
    "subject_id",
    "period_id",
    "teacher_id",
    "work_type",
    "date",
    "recorded_at",
    "late",
    "weight",
)


def _as_arrays(table: Table, columns: Sequence[str]) -> Any:
    """SELECT unnest(:c1), unnest(:c2), …: many rows as one array per column."""
    return select(
        *(func.unnest(bindparam(c, type_=ARRAY(table.c[c].type))).label(c) for c in columns)
    )


def _newest_per_mark(rows: list[Row]) -> list[Row]:
    """One row per mark (the newest, the last of equals): one statement cannot touch a row
    twice, and applying them in order would leave the newest anyway."""
    newest: dict[str, Row] = {}
    for row in rows:
        kept = newest.get(row["mark_id"])
        if kept is None or row["value_seq"] >= kept["value_seq"]:
            newest[row["mark_id"]] = row
    return list(newest.values())


async def marks_recorded(session: AsyncSession, rows: list[Row]) -> None:
    """The facts of a mark always land; its value and status only if not superseded.

    On PostgreSQL the batch travels as one array per column (`INSERT … SELECT unnest(…)`):
    one small statement, compiled once, instead of a row-by-row executemany."""
    if not rows:
        return
    t = table_of(Mark)
    postgres = session.bind is not None and session.bind.dialect.name == "postgresql"
    if postgres:
        rows = _newest_per_mark(rows)
        columns = list(rows[0])
        stmt = postgresql.insert(t).from_select(columns, _as_arrays(t, columns))
    else:
        stmt = insert_for(session, t)
    ex = stmt.excluded
    newer_value = ex.value_seq >= t.c.value_seq
    newer_status = ex.status_seq >= t.c.status_seq
    stmt = stmt.on_conflict_do_update(
        index_elements=["mark_id"],
        set_={
            **{c: ex[c] for c in MARK_FACTS},
            "value": case((newer_value, ex.value), else_=t.c.value),
            "value_seq": case((newer_value, ex.value_seq), else_=t.c.value_seq),
            "cancelled": case((newer_status, ex.cancelled), else_=t.c.cancelled),
            "status_seq": case((newer_status, ex.status_seq), else_=t.c.status_seq),
        },
    )
    if postgres:
        await session.execute(stmt, {c: [r[c] for r in rows] for c in columns})
    else:
        await session.execute(stmt, rows)


async def marks_corrected(session: AsyncSession, rows: list[Row]) -> None:
    """`rows`: mark_id, school_id, value, value_seq (a stub when the mark is not here yet)."""
    if not rows:
        return
    t = table_of(Mark)
    stmt = insert_for(session, t)
    stmt = stmt.on_conflict_do_update(
        index_elements=["mark_id"],
        set_={"value": stmt.excluded.value, "value_seq": stmt.excluded.value_seq},
        where=stmt.excluded.value_seq >= t.c.value_seq,
    )
    await session.execute(stmt, [{**_STUB, **r} for r in rows])


async def marks_cancelled(session: AsyncSession, rows: list[Row]) -> None:
    """`rows`: mark_id, school_id, status_seq (a stub when the mark is not here yet)."""
    if not rows:
        return
    t = table_of(Mark)
    stmt = insert_for(session, t)
    stmt = stmt.on_conflict_do_update(
        index_elements=["mark_id"],
        set_={"cancelled": stmt.excluded.cancelled, "status_seq": stmt.excluded.status_seq},
        where=stmt.excluded.status_seq >= t.c.status_seq,
    )
    await session.execute(stmt, [{**_STUB, "cancelled": True, **r} for r in rows])


_STUB: Row = {
    **dict.fromkeys(MARK_FACTS),
    "late": False,
    "weight": 1.0,
    "value": None,
    "cancelled": False,
    "value_seq": -1,
    "status_seq": -1,
}

SCHOOL_FACTS: tuple[type[Any], ...] = (
    SchoolYear,
    Period,
    Subject,
    SchoolClass,
    Enrolment,
    Lesson,
    Mark,
    Attendance,
    PeriodMark,
)
"""What a rebuild replaces: everything the journal told us about a school (not the names,
which come from identity, and not the report jobs)."""


async def forget_school(session: AsyncSession, school_id: str) -> None:
    for model in SCHOOL_FACTS:
        await session.execute(delete(model).where(model.school_id == school_id))


def distinct(rows: Iterable[Row], *keys: str) -> dict[str, str]:
    """{row[keys[0]]: row[keys[1]]} for the rows: e.g. each class named and its school."""
    first, second = keys
    return {r[first]: r[second] for r in rows if r.get(first)}
