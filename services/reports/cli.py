"""Operators' commands besides serve/migrate/dlq: `worker` (one report worker process),
`work-dlq list|replay` (the workers' dead letters) and `rebuild --school ID`.

An edge: `rebuild` opens the one unit of work the rebuild runs in and builds its use case's
context on a runtime of its own (database, outbox, clock), without serving HTTP.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import typer
from rich.console import Console

from kit.consumer import BatchConsumer
from kit.logging import configure_logging
from kit.runtime import Runtime
from kit.service_main import with_bus
from kit.usecase import Actor
from services.reports import handlers
from services.reports import worker as workers
from services.reports.adapters import journal_export
from services.reports.adapters.work_queue import WORK_QUEUE
from services.reports.models import inbox, outbox
from services.reports.service import rebuild
from services.reports.settings import MIGRATIONS, ReportsSettings

console = Console(stderr=True)


async def rebuild_school(
    runtime: Runtime,
    journal: httpx.AsyncClient,
    school_id: str,
    *,
    limit: int = 1000,
    on_page: Callable[[str, int], None] = lambda kind, count: None,
) -> dict[str, int]:
    """The school's read model from the journal's export, in one unit of work (all or none)."""
    consumer = BatchConsumer("reports", runtime.db, inbox)
    handlers.register(consumer, runtime)
    async with runtime.use_case(Actor.system(school_id)) as uc:
        return await rebuild.rebuild_school(
            uc, journal, consumer.apply, school_id, limit=limit, on_page=on_page
        )


def add_commands(cli: typer.Typer) -> None:
    @cli.command()
    def worker() -> None:
        """Run one report worker: take class items of report jobs from the queue until stopped."""
        workers.run(ReportsSettings())

    work_dlq = typer.Typer(help="Dead letters of the report workers' queue (failed job items).")
    cli.add_typer(work_dlq, name="work-dlq")

    @work_dlq.command("list")
    def work_dlq_list(limit: int = 50) -> None:
        """Show the job items that failed every attempt (without removing them)."""
        letters = asyncio.run(
            with_bus(ReportsSettings(), lambda bus: bus.dead_letters(WORK_QUEUE, limit))
        )
        for letter in letters:
            console.print(f"{letter.envelope.id} {letter.envelope.data} {letter.error[:100]}")
        console.print(f"{len(letters)} dead letter(s) in {WORK_QUEUE}")

    @work_dlq.command("replay")
    def work_dlq_replay(limit: int | None = None) -> None:
        """Move failed job items back to the workers' queue."""
        count = asyncio.run(
            with_bus(ReportsSettings(), lambda bus: bus.replay_dead_letters(WORK_QUEUE, limit))
        )
        console.print(f"replayed {count} item(s) to {WORK_QUEUE}")

    @cli.command("rebuild")
    def rebuild_command(
        school: str = typer.Option(..., "--school", help="the school whose read model to rebuild"),
        token: str | None = typer.Option(
            None, help="bearer token; default EJ_REPORTS_SERVICE_TOKEN"
        ),
        journal_url: str | None = typer.Option(None, help="default EJ_JOURNAL_URL"),
        page_size: int = typer.Option(1000, min=1, max=10000),
    ) -> None:
        """Replace a school's read model with the journal's export (paged over HTTP)."""
        settings = ReportsSettings()
        configure_logging(settings.log_level, settings.log_format)
        bearer = token or settings.reports_service_token
        if not bearer:
            raise typer.BadParameter("give --token or set EJ_REPORTS_SERVICE_TOKEN")
        counts = asyncio.run(_rebuild(settings, school, bearer, journal_url, page_size))
        total = sum(counts.values())
        console.print(f"[green]reports[/]: school {school} rebuilt from {total} items: {counts}")


async def _rebuild(
    settings: ReportsSettings, school: str, token: str, url: str | None, page_size: int
) -> dict[str, int]:
    runtime = Runtime.create("reports", settings, outbox, MIGRATIONS)
    try:
        async with journal_export.journal_client(url or settings.journal_url, token) as journal:
            with console.status("rebuilding") as status:
                return await rebuild_school(
                    runtime,
                    journal,
                    school,
                    limit=page_size,
                    on_page=lambda kind, n: status.update(f"{kind}: {n} items"),
                )
    except journal_export.ExportUnreadable as exc:
        console.print(f"[red]rebuild failed, nothing changed[/]: {exc}")
        raise typer.Exit(1) from exc
    finally:
        await runtime.db.dispose()
        await runtime.redis.aclose()
