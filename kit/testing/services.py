"""Run services in the test's process against the real infrastructure.

    async with in_process(stack, [notify_app], bus) as [notify]:
        await notify.get("/notify/v1/deliveries", headers=tokens.headers(...))

`stack_for(...)` builds the `Shared` parts (a RabbitMQ bus named for this test run, Redis, a
test key ring), and `service_settings(...)` the settings of one service with its own fresh
database; both come from fixtures of `kit.testing.plugin`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI

from kit.bus.base import Bus
from kit.bus.rabbit import RabbitBus
from kit.db import new_id
from kit.kv import connect_redis
from kit.runtime import Shared
from kit.testing.tokens import TestTokens

RETRY_DELAYS_MS = (100, 500)


def queue_names(bus: RabbitBus, consumers: Iterable[str]) -> list[str]:
    """Every queue of these consumers on this bus: main, dead letters, retries."""
    return [
        name
        for c in consumers
        for name in (
            bus.queue_name(c),
            bus.dlq_name(c),
            *(bus.retry_name(c, i) for i in range(len(bus.retry_delays))),
        )
    ]


def rabbit_shared(
    amqp_url: str,
    redis_url: str,
    run_id: str,
    tokens: TestTokens,
    cleanup: list[str],
    consumers: Iterable[str] = (),
) -> Shared:
    """A RabbitMQ bus with queues of its own (named for this test), real Redis, test keys.

    `consumers`: queues declared under this bus's prefix by others than this bus (another
    process given its prefix), to delete at the session's end with the bus's own."""
    prefix = f"{run_id}.{new_id()[-8:]}."
    bus = RabbitBus(
        amqp_url,
        exchange=f"edu.events.{run_id}",
        queue_prefix=prefix,
        max_attempts=3,
        retry_delays_ms=RETRY_DELAYS_MS,
    )
    cleanup.extend(queue_names(bus, consumers))
    return Shared(bus=bus, redis=connect_redis(redis_url), keys=tokens.keys)


@asynccontextmanager
async def in_process(
    apps: Sequence[FastAPI], bus: Bus, consumers: Iterable[str] = ()
) -> AsyncIterator[list[httpx.AsyncClient]]:
    """Start the apps (lifespans), then the shared bus; yield one HTTP client per app.

    At the end the bus's queues go (those it consumes and those it only declared), with the
    queues of `consumers` under its prefix that others declared."""
    async with AsyncExitStack() as stack:
        for app in apps:
            await stack.enter_async_context(app.router.lifespan_context(app))
        if isinstance(bus, RabbitBus):
            # a test module's queues go with it: a whole run's quorum queues left until the
            # session ends would exhaust the broker's file descriptors
            extra = set(consumers)
            stack.push_async_callback(
                lambda: bus.delete_queues(extra | {s.consumer for s in bus.subscriptions})
            )
        await bus.start()
        stack.push_async_callback(bus.close)
        if isinstance(bus, RabbitBus):
            await bus.wait_connected()
        clients = [
            await stack.enter_async_context(
                httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=app), base_url="http://testserver", timeout=30
                )
            )
            for app in apps
        ]
        yield clients


async def eventually(check: Any, timeout: float = 10.0, interval: float = 0.05) -> Any:
    """Await `check()` until it returns a truthy value (or stops raising AssertionError)."""
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        try:
            result = await check()
            if result:
                return result
        except AssertionError:
            if loop.time() > deadline:
                raise
        if loop.time() > deadline:
            raise AssertionError(f"not reached within {timeout} s")
        await asyncio.sleep(interval)


@asynccontextmanager
async def served(app: Any) -> AsyncIterator[str]:
    """Serve an ASGI app on a free local port for a client in another process (a command
    under test); yields its base URL. The app's lifespan is the caller's business."""
    import asyncio
    import socket

    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[sock]))

    async def started() -> bool:
        return server.started

    try:
        await eventually(started)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task
