"""`python -m services.journal …`: the kit's commands (serve, migrate, dlq …) plus

verify-history --school ID   walk the school's history chain; name the first broken link
"""

from __future__ import annotations

import asyncio

import typer
from rich.console import Console

from kit.clock import Clock
from kit.db import Database
from kit.outbox import Outbox
from kit.service_main import service_cli
from kit.usecase import Actor, UseCase
from services.journal.app import MIGRATIONS, build
from services.journal.models import outbox
from services.journal.service.history import ChainReport, verify
from services.journal.settings import JournalSettings

cli = service_cli("journal", build, MIGRATIONS, JournalSettings)
console = Console()


async def _verify(school_id: str) -> ChainReport:
    db = Database(JournalSettings().database_url_for("journal"))
    try:
        async with db.read_only() as session:
            return await verify(
                UseCase(session, Outbox(outbox), Actor.system(None), Clock()), school_id
            )
    finally:
        await db.dispose()


@cli.command("verify-history")
def verify_history(school: str = typer.Option(..., "--school", help="the school's id")) -> None:
    """Walk the school's history chain; name the first broken link (exit code 1)."""
    report = asyncio.run(_verify(school))
    if report.ok:
        console.print(f"[green]ok[/]: {report.checked} link(s) of school {school} verified")
        return
    console.print(
        f"[red]broken[/]: link {report.broken_seq} (history id {report.broken_id}): "
        f"{report.problem}; {report.checked} link(s) before it are intact"
    )
    raise typer.Exit(1)
