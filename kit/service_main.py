"""The command line of one service process: `python -m services.<name> [serve|migrate|dlq …]`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import typer
import uvicorn
from fastapi import FastAPI
from rich.console import Console
from rich.table import Table

from kit.logging import configure_logging
from kit.migrations import upgrade
from kit.runtime import build_bus
from kit.settings import ServiceSettings

console = Console()


def service_cli(
    name: str,
    build_app: Callable[[], FastAPI],
    migrations: Path,
    settings_factory: Callable[[], ServiceSettings] = ServiceSettings,
) -> typer.Typer:
    cli = typer.Typer(
        help=f"The {name} service.", add_completion=False, pretty_exceptions_enable=False
    )

    @cli.callback(invoke_without_command=True)
    def main(ctx: typer.Context) -> None:
        if ctx.invoked_subcommand is None:
            serve()

    @cli.command()
    def serve(
        host: str | None = typer.Option(None, help="default: EJ_HOST"),
        port: int | None = typer.Option(None, help="default: EJ_PORT"),
    ) -> None:
        """Serve the HTTP API, publish the outbox and consume events."""
        settings = settings_factory()
        configure_logging(settings.log_level, settings.log_format)
        uvicorn.run(
            build_app(),
            host=host or settings.host,
            port=port or settings.port,
            log_config=None,
            access_log=False,
            lifespan="on",
        )

    @cli.command()
    def migrate() -> None:
        """Bring the service's database to the latest migration (creating it if needed)."""
        settings = settings_factory()
        url = settings.database_url_for(name)
        asyncio.run(upgrade(url, migrations))
        console.print(f"[green]{name}[/]: database migrated to head")

    dlq = typer.Typer(help="Dead letters of this service's consumer.")
    cli.add_typer(dlq, name="dlq")

    @dlq.command("list")
    def dlq_list(limit: int = 50) -> None:
        """Show the dead letters (without removing them)."""
        letters = asyncio.run(
            with_bus(settings_factory(), lambda bus: bus.dead_letters(name, limit))
        )
        table = Table("id", "type", "school", "attempts", "error")
        for letter in letters:
            table.add_row(
                letter.envelope.id,
                letter.envelope.type,
                letter.envelope.schoolid or "",
                str(letter.attempts),
                letter.error[:80],
            )
        console.print(table)

    @dlq.command("replay")
    def dlq_replay(limit: int | None = None) -> None:
        """Move dead letters back to the consumer's queue."""
        count = asyncio.run(
            with_bus(settings_factory(), lambda bus: bus.replay_dead_letters(name, limit))
        )
        console.print(f"replayed {count} dead letter(s) to {name}")

    return cli


async def with_bus(settings: ServiceSettings, action):  # type: ignore[no-untyped-def]
    from kit.bus.rabbit import RabbitBus

    bus = build_bus(settings)
    if isinstance(bus, RabbitBus):
        bus.consume_enabled = False
        await bus.start()
        await bus.wait_connected(timeout=15)
    else:
        await bus.start()
    try:
        return await action(bus)
    finally:
        await bus.close()
