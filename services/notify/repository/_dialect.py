"""INSERT … ON CONFLICT for the dialect a session talks to (PostgreSQL, or SQLite embedded)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def insert_for(session: AsyncSession, table: Any) -> Any:
    bind = session.bind
    dialect = bind.dialect.name if bind is not None else "postgresql"
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
