"""`ej`: the operators' command line.

ej run                      the whole platform embedded (what `make run` does)
ej migrate [SERVICE]        migrate one service's database, or all
ej gateway                  one address in front of the distributed services
ej asyncapi                 print the AsyncAPI document of every event
ej openapi SERVICE          print a service's OpenAPI document
ej dlq list|replay SERVICE  dead letters of a service's consumer
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

import typer
import uvicorn
from rich.console import Console
from rich.table import Table

from ej.asyncapi import platform_asyncapi
from ej.services import NAMES, build_service, migrations_of
from kit.logging import configure_logging
from kit.migrations import upgrade
from kit.settings import Mode, ServiceSettings

app = typer.Typer(help=__doc__, add_completion=False, pretty_exceptions_enable=False)
console = Console()

DEMO_LOGINS = (
    "operator",
    "admin",
    "director",
    "deputy",
    "teacher1",
    "teacher2",
    "classteacher1",
    "student1",
    "parent1",
)


@app.command()
def run(
    host: str = typer.Option(None, help="default: EJ_HOST or 127.0.0.1"),
    port: int = typer.Option(None, help="default: EJ_PORT or 8000"),
    demo: bool = typer.Option(True, help="seed the demo school on first start"),
) -> None:
    """Start every service in one process (embedded mode) and seed the demo school."""
    from ej.embedded import Platform

    settings = ServiceSettings()
    if settings.mode is not Mode.embedded:
        raise typer.BadParameter("`ej run` is the embedded mode; unset EJ_MODE or use `make up`")
    configure_logging(settings.log_level, settings.log_format)
    host = host or settings.host
    port = port or settings.port
    platform = Platform(settings)
    if demo:
        from ej.demo import seed_demo_once

        platform.on_started.append(seed_demo_once)
    else:
        platform.demo_ready.set()

    async def banner_when_ready(p: Any) -> None:
        async def wait_and_print() -> None:
            await p.demo_ready.wait()
            _banner(p, host, port)

        p.background_tasks.add(asyncio.create_task(wait_and_print()))

    platform.on_started.append(banner_when_ready)
    uvicorn.run(
        platform.asgi(),
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        server_header=False,
    )


def _banner(platform: Any, host: str, port: int) -> None:
    base = f"http://{host}:{port}"
    password = os.environ.get("EJ_DEMO_PASSWORD", "demo-password")
    lines = [
        "",
        "=" * 72,
        f" Электронный журнал: the platform runs (embedded mode) at {base}",
        f" Data: {platform.settings.data_dir.resolve()}",
        f" Logins (password '{password}'): {', '.join(DEMO_LOGINS)}",
        f" Get a token: curl -s -X POST {base}/identity/v1/token -d username=teacher1 -d password={password}",
        " API docs: " + "  ".join(f"{base}/{n}/docs" for n in NAMES),
        f" Events (AsyncAPI): {base}/notify/asyncapi.json",
        f" Health: {base}/journal/healthz",
        *(
            [f" The demo school could not be seeded: {platform.demo_error}"]
            if platform.demo_error
            else []
        ),
        "=" * 72,
        "",
    ]
    print("\n".join(lines), flush=True)


@app.command()
def migrate(
    service: str = typer.Argument("all", help=f"one of {', '.join(NAMES)}, or all"),
) -> None:
    """Bring service databases to the latest migration (creating them when missing)."""
    settings = ServiceSettings()
    names = NAMES if service == "all" else (service,)

    async def go() -> None:
        for name in names:
            await upgrade(settings.database_url_for(name), migrations_of(name))
            console.print(
                f"[green]{name}[/]: migrated ({settings.database_url_for(name).split('@')[-1]})"
            )

    asyncio.run(go())


@app.command()
def gateway(host: str = typer.Option("127.0.0.1"), port: int = typer.Option(8000)) -> None:
    """Serve every service's paths on one address, forwarding to the separate processes."""
    from ej.gateway import build_gateway

    settings = ServiceSettings()
    configure_logging(settings.log_level, settings.log_format)
    uvicorn.run(
        build_gateway(),
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        server_header=False,
    )


@app.command()
def asyncapi() -> None:
    """Print the AsyncAPI document generated from contracts/."""
    print(json.dumps(platform_asyncapi(), ensure_ascii=False, indent=2))


@app.command()
def openapi(service: str) -> None:
    """Print a service's OpenAPI document."""
    print(json.dumps(build_service(service).openapi(), ensure_ascii=False, indent=2))


dlq = typer.Typer(help="Dead letters of a service's consumer (distributed or embedded).")
app.add_typer(dlq, name="dlq")


def _bus_action(service: str, action: str, limit: int | None) -> Any:
    from kit.service_main import with_bus

    settings = ServiceSettings()
    if action == "list":
        return asyncio.run(with_bus(settings, lambda bus: bus.dead_letters(service, limit or 100)))
    return asyncio.run(with_bus(settings, lambda bus: bus.replay_dead_letters(service, limit)))


@dlq.command("list")
def dlq_list(service: str, limit: int = 100) -> None:
    """List a consumer's dead letters without removing them."""
    table = Table("id", "type", "school", "attempts", "error")
    for letter in _bus_action(service, "list", limit):
        table.add_row(
            letter.envelope.id,
            letter.envelope.type,
            letter.envelope.schoolid or "",
            str(letter.attempts),
            letter.error[:80],
        )
    console.print(table)


@dlq.command("replay")
def dlq_replay(service: str, limit: int | None = None) -> None:
    """Move a consumer's dead letters back to its queue."""
    console.print(f"replayed {_bus_action(service, 'replay', limit)} dead letter(s) to {service}")
