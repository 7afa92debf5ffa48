"""Async SQLAlchemy 2: one `Database` per service, units of work committed at the edge.

A service's code takes an `AsyncSession` and never commits; the edge (an HTTP request
dependency or the consumer of one message) opens `Database.unit_of_work()`, which commits
when the block ends and rolls back on an exception. Outbox and inbox rows are written through
that same session, so they share the transaction with the change they belong to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, cast

import uuid_utils
from sqlalchemy import DateTime, MetaData, String, Table, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING)


def new_id() -> str:
    """A time-ordered opaque identifier (UUIDv7): sortable, index-friendly, unguessable."""
    return str(uuid_utils.uuid7())


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An instant stored in UTC and always read back timezone-aware (SQLite keeps none)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an instant is expected")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        instant: dt.datetime = value
        if instant.tzinfo is None:
            return instant.replace(tzinfo=dt.UTC)
        return instant.astimezone(dt.UTC)


def id_column_type() -> String:
    return String(36)


POOL_RECYCLE_S = 1800
"""A pooled connection older than this is replaced at checkout (a firewall or a proxy may
drop an idle connection silently, without telling either side)."""

LAST_STEPS = "ej_last_steps"
"""`session.info` key of the steps a unit of work runs last, right before its commit."""


def run_last(session: AsyncSession, step: Callable[[], Awaitable[None]]) -> bool:
    """Run `step` as the last thing of the session's unit of work, right before the commit.

    For the statements that take a lock other writers queue on (a history chain's head): taken
    last, it is held only for the commit. False (and nothing is scheduled) when the session is
    not a `Database.unit_of_work()`; the caller then runs the step itself."""
    steps: list[Callable[[], Awaitable[None]]] | None = session.info.get(LAST_STEPS)
    if steps is None:
        return False
    steps.append(step)
    return True


class Database:
    """A service's database: engine, sessions, units of work.

    No round trip is spent checking a pooled connection before each unit of work (no
    `pool_pre_ping`): a connection the server or a proxy closed is known closed to the driver
    (asyncpg saw the socket close) and is replaced at checkout, for free; one silently dropped
    is not kept longer than `POOL_RECYCLE_S`; and a unit of work that still meets a dead
    connection fails once, which invalidates the pool (SQLAlchemy's optimistic handling)."""

    def __init__(self, url: str, *, echo: bool = False, pool_size: int = 10) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        kwargs: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            path = url.split("///", 1)[1] if "///" in url else ""
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
        else:
            kwargs.update(pool_size=pool_size, max_overflow=pool_size, pool_recycle=POOL_RECYCLE_S)
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if self.is_sqlite:
            _make_sqlite_transactional(self.engine)
        else:
            _replace_closed_at_checkout(self.engine)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)
        self._after_commit: list[Callable[[AsyncSession], None]] = []

    def after_commit(self, callback: Callable[[AsyncSession], None]) -> None:
        """Run `callback(session)` after every unit of work that committed."""
        self._after_commit.append(callback)

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        async with self.sessionmaker() as session:
            async with session.begin():
                steps: list[Callable[[], Awaitable[None]]] = []
                session.info[LAST_STEPS] = steps
                yield session
                while steps:  # a last step may schedule another
                    await steps.pop(0)()
            session.info.pop(LAST_STEPS, None)
            for callback in self._after_commit:
                callback(session)

    @asynccontextmanager
    async def read_only(self) -> AsyncIterator[AsyncSession]:
        """A session for reads: rolled back at the end, never commits."""
        async with self.sessionmaker() as session:
            async with session.begin():
                yield session
                await session.rollback()

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


def _replace_closed_at_checkout(engine: AsyncEngine) -> None:
    """A pooled connection the driver knows closed is replaced before it is handed out: the
    pool retries the checkout with a new one (SQLAlchemy's `DisconnectionError` protocol)."""

    @event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        driver = getattr(dbapi_connection, "driver_connection", None)
        is_closed = getattr(driver, "is_closed", None)
        if is_closed is not None and is_closed():
            raise DisconnectionError("the pooled connection was closed by the server")


def _make_sqlite_transactional(engine: AsyncEngine) -> None:
    """SQLite: WAL, foreign keys, and BEGIN IMMEDIATE so writers queue instead of failing."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


TYPE_ANNOTATION_MAP: dict[Any, Any] = {dt.datetime: UTCDateTime()}
"""Give a service's declarative base this map so `Mapped[datetime]` is always an instant."""


def insert_for(session: AsyncSession, target: Any) -> Any:
    """The dialect's INSERT, which can say ON CONFLICT (PostgreSQL, or SQLite embedded)."""
    bind = session.bind
    dialect = bind.dialect.name if bind is not None else "postgresql"
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(target)


def table_of(model: type[Any]) -> Table:
    """A model's table, typed as one (the declarative attribute is a FromClause)."""
    return cast(Table, model.__table__)


async def upsert_newer(
    session: AsyncSession,
    table: Table,
    keys: Sequence[str],
    rows: list[dict[str, Any]],
    *,
    sequence: str = "seq",
) -> None:
    """Insert `rows` (one statement); a row already there is replaced, in the columns the rows
    give, only by a row whose event is not older (by its `sequence` column; a row without one,
    on either side, counts as newer). This is how a copy kept from events stays right when
    they arrive out of order or twice."""
    if not rows:
        return
    stmt = insert_for(session, table)
    held, incoming = table.c[sequence], stmt.excluded[sequence]
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys),
        set_={c: stmt.excluded[c] for c in rows[0] if c not in keys},
        where=held.is_(None) | incoming.is_(None) | (incoming >= held),
    )
    await session.execute(stmt, rows)
