"""Operators' commands besides serve/migrate/dlq: `run` a package now, `audit` every copy.

They work on the service's database and stores directly, without serving HTTP. Their events
go to the outbox like any others; the running service's relay publishes them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any

import typer
from rich.console import Console
from rich.progress import Progress

from kit.clock import Clock
from kit.db import Database
from kit.errors import DomainError
from kit.migrations import NotMigrated, ensure_migrated
from kit.outbox import Outbox
from services.archive.archivist import Archivist
from services.archive.models import PackageKind, outbox
from services.archive.settings import ArchiveSettings
from services.archive.stores import StoresNotConfigured, build_stores

console = Console()


@asynccontextmanager
async def standalone_archivist(settings: ArchiveSettings) -> AsyncIterator[Archivist]:
    from services.archive.app import MIGRATIONS

    db = Database(settings.database_url_for("archive"))
    try:
        await ensure_migrated(db, MIGRATIONS, "python -m services.archive migrate")
        clock = Clock()
        yield Archivist(db, Outbox(outbox), build_stores(settings), lambda: clock)
    finally:
        await db.dispose()


def add_commands(cli: typer.Typer, settings_factory: type[ArchiveSettings]) -> None:
    @cli.command("run")
    def run_command(
        school: str = typer.Option(..., "--school", help="the school's id"),
        year: str = typer.Option(..., "--year", help="the school year's id"),
        kind: PackageKind = typer.Option(PackageKind.weekly, "--kind"),
    ) -> None:
        """Archive a school year now: write its package to both stores and verify them."""

        async def go() -> None:
            async with standalone_archivist(settings_factory()) as archivist:
                view = await archivist.run(school, year, kind, trigger="command")
            p = view.package
            console.print(f"[green]stored[/] package {p.id}: {p.entries} entries, {p.size} bytes")
            console.print(f"sha256 {p.sha256}")
            for copy in view.copies:
                console.print(f"  {copy.store}: {copy.location}")

        _run(go)

    @cli.command("audit")
    def audit_command(
        school: str | None = typer.Option(None, "--school", help="default: every school"),
    ) -> None:
        """Re-hash every copy of every package; repair bad copies from good ones."""

        async def go() -> None:
            async with standalone_archivist(settings_factory()) as archivist:
                with Progress(console=console) as bar:
                    task = bar.add_task("auditing", total=None)
                    record, counts = await archivist.audit(
                        school,
                        trigger="command",
                        progress=lambda done, total: bar.update(task, completed=done, total=total),
                    )
            console.print(
                f"audit {record.id}: checked {counts.checked}, ok {counts.ok}, repaired "
                f"{counts.repaired}, lost {counts.lost}, unverified {counts.unverified}"
            )
            if counts.lost or counts.unverified:
                raise typer.Exit(2)

        _run(go)


def _run(go: Callable[[], Coroutine[Any, Any, None]]) -> None:
    try:
        asyncio.run(go())
    except DomainError as exc:
        console.print(f"[red]{exc.code}[/]: {exc.detail}")
        raise typer.Exit(1) from exc
    except (NotMigrated, StoresNotConfigured) as exc:
        console.print(f"[red]cannot start[/]: {exc}")
        raise typer.Exit(1) from exc
