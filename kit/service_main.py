"""The command line of one service process: `python -m services.<name> [serve|relay|migrate|dlq …]`.

serve [--workers N]   the HTTP API (and the consumer) in N uvicorn processes on one port
                      (default EJ_WORKERS, 1); with EJ_OUTBOX_RELAY=off they publish nothing
relay                 the service's outbox relay alone: its database, its bus connection,
                      publishing only (no HTTP, no consumer); stops cleanly on SIGTERM/SIGINT
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import importlib.util
import os
import signal
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import typer
import uvicorn
from fastapi import FastAPI
from rich.console import Console
from rich.table import Table

from kit.logging import configure_logging, get_logger
from kit.metrics import OUTBOX_DEPTH
from kit.migrations import ensure_migrated, upgrade
from kit.runtime import Runtime, build_bus
from kit.settings import Mode, ServiceSettings

console = Console()
log = get_logger("kit.service_main")

APP_FACTORY_ENV = "EJ_APP_FACTORY"
"""`serve --workers N`: the import path (`module:function`) of the service's app builder, read
by each uvicorn worker process (`worker_app`)."""


def worker_app() -> FastAPI:
    """The app of one uvicorn worker process (`serve --workers N`, N > 1): uvicorn starts
    each worker as a fresh interpreter, so it configures its logging and builds the app from
    the builder named in `EJ_APP_FACTORY`."""
    target = os.environ.get(APP_FACTORY_ENV)
    if not target or ":" not in target:
        raise RuntimeError(f"{APP_FACTORY_ENV} must name the app builder as module:function")
    settings = ServiceSettings()
    configure_logging(settings.log_level, settings.log_format)
    module, _, function = target.partition(":")
    build: Callable[[], FastAPI] = getattr(importlib.import_module(module), function)
    return build()


def _import_path(build_app: Callable[[], FastAPI]) -> str:
    module, name = build_app.__module__, build_app.__qualname__
    if getattr(importlib.import_module(module), name, None) is not build_app:
        raise RuntimeError(f"serve --workers: {module}.{name} is not importable by that name")
    return f"{module}:{name}"


def _loop() -> str:
    return "uvloop" if importlib.util.find_spec("uvloop") is not None else "asyncio"


def _http() -> str:
    return "httptools" if importlib.util.find_spec("httptools") is not None else "h11"


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
        workers: int | None = typer.Option(
            None, "--workers", min=1, help="uvicorn worker processes; default: EJ_WORKERS (1)"
        ),
    ) -> None:
        """Serve the HTTP API and consume events; publish the outbox unless EJ_OUTBOX_RELAY=off
        (then `relay` processes do)."""
        settings = settings_factory()
        configure_logging(settings.log_level, settings.log_format)
        count = workers or settings.workers
        options: dict[str, Any] = {
            "host": host or settings.host,
            "port": port or settings.port,
            "log_config": None,
            "access_log": False,
            "server_header": False,
            "lifespan": "on",
            "loop": _loop(),
            "http": _http(),
        }
        if count <= 1:
            uvicorn.run(build_app(), **options)
            return
        os.environ[APP_FACTORY_ENV] = _import_path(build_app)
        uvicorn.run(f"{__name__}:worker_app", factory=True, workers=count, **options)

    @cli.command()
    def relay(
        metrics_port: int | None = typer.Option(
            None, "--metrics-port", help="serve Prometheus /metrics on this port"
        ),
    ) -> None:
        """Publish this service's outbox, nothing else (no HTTP, no consumer): beside API
        processes started with EJ_OUTBOX_RELAY=off. Several may run at once."""
        settings = settings_factory()
        configure_logging(settings.log_level, settings.log_format)
        if settings.mode is not Mode.distributed:
            raise SystemExit(
                "the relay runs as its own process in the distributed mode (EJ_MODE=distributed);"
                " in the embedded mode the service publishes its outbox itself"
            )
        if metrics_port is not None:
            from prometheus_client import start_http_server

            start_http_server(metrics_port, addr=settings.host)
        run_relay(build_app().state.runtime)

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


async def serve_relay(
    runtime: Runtime, *, stop: asyncio.Event | None = None, stats_every: float = 10.0
) -> None:
    """The relay process's life: check the database is migrated, connect to the broker
    (declaring the service's queues, consuming none), publish until `stop` is set (SIGTERM,
    SIGINT), then release what is claimed and close."""
    settings = runtime.settings
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await ensure_migrated(runtime.db, runtime.migrations, runtime.migrate_command)
    bus = runtime.bus
    from kit.bus.rabbit import RabbitBus

    if isinstance(bus, RabbitBus):
        bus.consume_enabled = False
    await bus.start()
    relay = runtime.relay
    relay.idle_interval = settings.outbox_poll_ms / 1000
    relay.start()
    log.info("outbox_relay_started", service=runtime.name, batch=relay.batch, pid=os.getpid())
    last = 0
    try:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=stats_every)
            last = await _report_depth(runtime, last)
    finally:
        await runtime.stop()
        log.info("outbox_relay_stopped", service=runtime.name)


async def _report_depth(runtime: Runtime, last: int) -> int:
    """The outbox depth gauge, and a log line while events wait (and when they no longer do)."""
    try:
        depth = await runtime.relay.depth()
    except Exception as exc:  # the database is down: the relay's own loop says so too
        log.warning("outbox_depth_unknown", service=runtime.name, error=repr(exc))
        return last
    OUTBOX_DEPTH.labels(runtime.name).set(depth)
    if depth or last:
        log.info("outbox_relay_depth", service=runtime.name, depth=depth)
    return depth


def run_relay(runtime: Runtime, *, grace_seconds: float = 5.0) -> None:
    """Run a relay until SIGTERM or SIGINT (see `run_until_stopped`)."""
    run_until_stopped(serve_relay(runtime), grace_seconds=grace_seconds)


def run_until_stopped(main: Coroutine[Any, Any, None], *, grace_seconds: float = 5.0) -> None:
    """Run a background process's main coroutine (a relay, a report worker) on uvloop where
    installed, and then leave even if a library's background task (a broker reconnect loop)
    does not stop when cancelled: `asyncio.run` would wait for it forever and leave the process
    hanging after its work is done."""
    loop: asyncio.AbstractEventLoop
    if _loop() == "uvloop":
        import uvloop

        loop = uvloop.new_event_loop()
    else:
        loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(main)
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.wait(pending, timeout=grace_seconds))
    finally:
        loop.close()


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
