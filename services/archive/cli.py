"""Operators' commands besides serve/migrate/dlq: `run` a package now, `audit` every copy.

An edge: they work on the service's database and stores directly, without serving HTTP,
through the same `worker.ArchiveWork` as the API and the schedule (each step its own unit of
work). Their events go to the outbox like any others; the running service's relay publishes
them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any

import typer
from rich.console import Console
from rich.progress import Progress

from kit.errors import DomainError
from kit.migrations import NotMigrated, ensure_migrated
from kit.runtime import Runtime
from kit.usecase import Actor
from services.archive.adapters.stores import StoresNotConfigured, build_stores
from services.archive.models import outbox
from services.archive.rules.packaging import PackageKind
from services.archive.service.limits import ArchiveLimits
from services.archive.settings import ArchiveSettings
from services.archive.worker import ArchiveWork

console = Console()


@asynccontextmanager
async def standalone_work(settings: ArchiveSettings) -> AsyncIterator[ArchiveWork]:
    """The archive's work on its database and stores, without the HTTP app, bus or relay."""
    from services.archive.app import MIGRATIONS

    runtime = Runtime.create("archive", settings, outbox, MIGRATIONS)
    try:
        await ensure_migrated(runtime.db, MIGRATIONS, runtime.migrate_command)
        yield ArchiveWork(
            runtime, build_stores(settings), ArchiveLimits.of(settings, runtime.redis)
        )
    finally:
        await runtime.db.dispose()
        await runtime.redis.aclose()


def add_commands(cli: typer.Typer, settings_factory: type[ArchiveSettings]) -> None:
    @cli.command("run")
    def run_command(
        school: str = typer.Option(..., "--school", help="the school's id"),
        year: str = typer.Option(..., "--year", help="the school year's id"),
        kind: PackageKind = typer.Option(PackageKind.weekly, "--kind"),
    ) -> None:
        """Archive a school year now: write its package to both stores and verify them."""

        async def go() -> None:
            async with standalone_work(settings_factory()) as work:
                view = await work.run(
                    school, year, kind, trigger="command", actor=Actor.system(school)
                )
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
            async with standalone_work(settings_factory()) as work:
                with Progress(console=console) as bar:
                    task = bar.add_task("auditing", total=None)
                    record, counts = await work.audit(
                        school,
                        trigger="command",
                        actor=Actor.system(school),
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
