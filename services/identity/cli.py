"""`python -m services.identity …`: the kit's commands plus the operator's own.

create-operator --login L --password P   the first account of a fresh deployment
rotate-keys                               publish a new signing key (no downtime)
keys                                      the key ring: published, signing, retired
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import Database, utcnow
from kit.errors import DomainError
from kit.migrations import ensure_migrated
from kit.service_main import service_cli
from services.identity.app import MIGRATIONS, build
from services.identity.bootstrap import ensure_operator
from services.identity.repository import keys as key_rows
from services.identity.service import keyring
from services.identity.service.cipher import SecretBox
from services.identity.settings import IdentitySettings

T = TypeVar("T")
console = Console()
cli = service_cli("identity", build, MIGRATIONS, IdentitySettings)


def _in_unit_of_work(settings: IdentitySettings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async def run() -> T:
        db = Database(settings.database_url_for("identity"))
        try:
            await ensure_migrated(db, MIGRATIONS, "python -m services.identity migrate")
            async with db.unit_of_work() as session:
                return await work(session)
        finally:
            await db.dispose()

    return asyncio.run(run())


@cli.command("create-operator")
def create_operator(
    login: str = typer.Option(..., help="the operator's login"),
    password: str = typer.Option(
        ..., prompt=True, hide_input=True, confirmation_prompt=True, help="a permanent password"
    ),
) -> None:
    """Create the city operator's account (nothing changes if it exists)."""
    settings = IdentitySettings()
    try:
        account_id = _in_unit_of_work(settings, lambda s: ensure_operator(s, login, password))
    except DomainError as exc:
        console.print(f"[red]{exc.code}[/]: {exc.detail}")
        raise typer.Exit(1) from exc
    console.print(f"operator [bold]{login}[/]: account {account_id}")


@cli.command("rotate-keys")
def rotate_keys(
    activation_delay: int | None = typer.Option(
        None, help="seconds before the new key signs (default: EJ_KEY_ACTIVATION_DELAY_SECONDS)"
    ),
) -> None:
    """Publish a new signing key now; it signs after the delay; spent keys are retired."""
    settings = IdentitySettings()
    delay = settings.key_activation_delay_seconds if activation_delay is None else activation_delay

    async def work(session: AsyncSession) -> keyring.Rotation:
        return await keyring.rotate(
            session,
            SecretBox(settings.key_secret),
            utcnow(),
            activation_delay=dt.timedelta(seconds=delay),
            token_lifetime=dt.timedelta(seconds=settings.access_token_ttl_seconds),
        )

    rotation = _in_unit_of_work(settings, work)
    console.print(f"new key {rotation.new_kid} signs from {rotation.signs_from.isoformat()}")
    if rotation.retired:
        console.print(f"retired: {', '.join(rotation.retired)}")


@cli.command("keys")
def list_keys() -> None:
    """The key ring: when each key was made, signs from, was retired."""
    rows = _in_unit_of_work(IdentitySettings(), key_rows.all_keys)
    table = Table("kid", "created", "signs from", "retired")
    for row in rows:
        table.add_row(
            row.kid,
            row.created_at.isoformat(timespec="seconds"),
            row.signs_from.isoformat(timespec="seconds"),
            row.retired_at.isoformat(timespec="seconds") if row.retired_at else "",
        )
    console.print(table)
