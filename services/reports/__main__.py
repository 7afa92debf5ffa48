"""`python -m services.reports [serve|migrate|dlq …|worker|rebuild --school ID]`."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer
from rich.console import Console

from kit.bus.rabbit import RabbitBus
from kit.db import Database
from kit.logging import configure_logging
from kit.service_main import service_cli
from services.reports import rebuild as rebuilding
from services.reports import worker as workers
from services.reports.app import MIGRATIONS, build
from services.reports.settings import ReportsSettings
from services.reports.work import WORK_QUEUE

T = TypeVar("T")

cli = service_cli("reports", build, MIGRATIONS, ReportsSettings)
console = Console(stderr=True)


@cli.command()
def worker() -> None:
    """Run one report worker: take class items of report jobs from the queue until stopped."""
    workers.run(ReportsSettings())


work_dlq = typer.Typer(help="Dead letters of the report workers' queue (failed job items).")
cli.add_typer(work_dlq, name="work-dlq")


@work_dlq.command("list")
def work_dlq_list(limit: int = 50) -> None:
    """Show the job items that failed every attempt (without removing them)."""
    letters = asyncio.run(_with_work_bus(lambda bus: bus.dead_letters(WORK_QUEUE, limit)))
    for letter in letters:
        console.print(f"{letter.envelope.id} {letter.envelope.data} {letter.error[:100]}")
    console.print(f"{len(letters)} dead letter(s) in {WORK_QUEUE}")


@work_dlq.command("replay")
def work_dlq_replay(limit: int | None = None) -> None:
    """Move failed job items back to the workers' queue."""
    count = asyncio.run(_with_work_bus(lambda bus: bus.replay_dead_letters(WORK_QUEUE, limit)))
    console.print(f"replayed {count} item(s) to {WORK_QUEUE}")


async def _with_work_bus(action: Callable[[RabbitBus], Awaitable[T]]) -> T:
    settings = ReportsSettings()
    bus = RabbitBus(
        settings.amqp_url,
        exchange=settings.exchange,
        queue_prefix=settings.queue_prefix,
        consume=False,
    )
    await bus.start()
    await bus.wait_connected(timeout=15)
    try:
        return await action(bus)
    finally:
        await bus.close()


@cli.command()
def rebuild(
    school: str = typer.Option(..., "--school", help="the school whose read model to rebuild"),
    token: str | None = typer.Option(None, help="bearer token; default EJ_REPORTS_SERVICE_TOKEN"),
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
    db = Database(settings.database_url_for("reports"))
    try:
        async with rebuilding.journal_client(url or settings.journal_url, token) as client:
            with console.status("rebuilding") as status:
                return await rebuilding.rebuild_school(
                    db,
                    client,
                    school,
                    limit=page_size,
                    on_page=lambda kind, n: status.update(f"{kind}: {n} items"),
                )
    except rebuilding.RebuildFailed as exc:
        console.print(f"[red]rebuild failed, nothing changed[/]: {exc}")
        raise typer.Exit(1) from exc
    finally:
        await db.dispose()


if __name__ == "__main__":
    cli()
