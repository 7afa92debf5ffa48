"""Alembic, one migration history per service, and the refusal to run unmigrated.

Each service keeps `migrations/` (env.py calls `run_migrations(Base.metadata)`). The service
process checks at start that its database is at the head revision and otherwise stops with
the command that migrates it.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import anyio
from alembic import command, context
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from kit.db import Database


class NotMigrated(RuntimeError):
    pass


def alembic_config(script_location: Path, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def ensure_database(url: str) -> None:
    """Create the database named in `url` (PostgreSQL) or its folder (SQLite) if missing."""
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite") and parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        return
    if not parsed.drivername.startswith("postgresql") or not parsed.database:
        return
    admin = create_async_engine(
        parsed.set(database="postgres"), poolclass=NullPool, isolation_level="AUTOCOMMIT"
    )
    try:
        async with admin.connect() as conn:
            exists = await conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}
            )
            if not exists:
                await conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    finally:
        await admin.dispose()


async def upgrade(url: str, script_location: Path, revision: str = "head") -> None:
    await ensure_database(url)
    config = alembic_config(script_location, url)
    await anyio.to_thread.run_sync(lambda: command.upgrade(config, revision))


def head_revisions(script_location: Path) -> set[str]:
    script = ScriptDirectory.from_config(alembic_config(script_location, "sqlite://"))
    return set(script.get_heads())


async def current_revisions(db: Database) -> set[str]:
    def read(conn: Connection) -> set[str]:
        return set(MigrationContext.configure(conn).get_current_heads())

    async with db.engine.connect() as conn:
        return await conn.run_sync(read)


async def ensure_migrated(db: Database, script_location: Path, migrate_command: str) -> None:
    try:
        current = await current_revisions(db)
    except Exception as exc:
        raise NotMigrated(
            f"cannot read the migration state of {db.engine.url.render_as_string()}: {exc}. "
            f"Run `{migrate_command}`."
        ) from exc
    heads = head_revisions(script_location)
    if current != heads:
        raise NotMigrated(
            f"database {db.engine.url.database} is at {sorted(current) or 'no revision'}, "
            f"the code needs {sorted(heads)}: run `{migrate_command}` first"
        )


# --- used from each service's migrations/env.py --------------------------------------------
def run_migrations(metadata: MetaData) -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    assert url is not None
    if context.is_offline_mode():
        context.configure(
            url=url, target_metadata=metadata, literal_binds=True, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_run_online(url, metadata))


async def _run_online(url: str, metadata: MetaData) -> None:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            await conn.run_sync(_run_sync, metadata)
    finally:
        await engine.dispose()


def _run_sync(connection: Connection, metadata: MetaData) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def make_revision(script_location: Path, message: str) -> None:
    """Autogenerate a revision against a scratch SQLite database at the current head."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/scratch.db"
        config = alembic_config(script_location, url)
        command.upgrade(config, "head")
        command.revision(config, message=message, autogenerate=True)
