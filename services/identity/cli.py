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

from kit.clock import Clock
from kit.db import Database
from kit.errors import DomainError
from kit.migrations import ensure_migrated
from kit.outbox import Outbox
from kit.service_main import service_cli
from kit.usecase import OPERATOR, Actor, UseCase
from services.identity.adapters import keyring
from services.identity.adapters.cipher import SecretBox
from services.identity.app import MIGRATIONS, build
from services.identity.models import outbox
from services.identity.repository import keys as key_rows
from services.identity.service.operators import ensure_operator
from services.identity.settings import IdentitySettings

T = TypeVar("T")
console = Console()
cli = service_cli("identity", build, MIGRATIONS, IdentitySettings)


def _in_unit_of_work(settings: IdentitySettings, work: Callable[[UseCase], Awaitable[T]]) -> T:
    """Run `work` as the city operator's command, in one unit of work (the CLI is an edge)."""

    async def run() -> T:
        db = Database(settings.database_url_for("identity"))
        try:
            await ensure_migrated(db, MIGRATIONS, "python -m services.identity migrate")
            async with db.unit_of_work() as session:
                operator = Actor(OPERATOR, None, None, frozenset({OPERATOR}))
                return await work(UseCase(session, Outbox(outbox), operator, Clock()))
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
        account_id = _in_unit_of_work(settings, lambda uc: ensure_operator(uc, login, password))
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

    async def work(uc: UseCase) -> keyring.Rotation:
        return await keyring.rotate(
            uc.session,
            SecretBox(settings.key_secret),
            uc.now,
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
    rows = _in_unit_of_work(IdentitySettings(), lambda uc: key_rows.all_keys(uc.session))
    table = Table("kid", "created", "signs from", "retired")
    for row in rows:
        table.add_row(
            row.kid,
            row.created_at.isoformat(timespec="seconds"),
            row.signs_from.isoformat(timespec="seconds"),
            row.retired_at.isoformat(timespec="seconds") if row.retired_at else "",
        )
    console.print(table)
