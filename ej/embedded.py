"""The embedded mode: every service in one process, one port, SQLite, the local bus.

Each service keeps its own app, database file, outbox and consumer, exactly as when it runs
alone; they share one local bus, one in-memory Redis and the identity service's keys. A
small dispatcher sends `/<service>/…` to the service's app.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from ej.services import NAMES, build_service, migrations_of
from kit.app import SECURITY_HEADERS
from kit.auth import CallableKeySource
from kit.bus.local import LocalBus
from kit.db import Database
from kit.kv import connect_redis
from kit.logging import get_logger
from kit.migrations import upgrade
from kit.runtime import Shared
from kit.settings import ServiceSettings

log = get_logger("ej.embedded")


class Platform:
    """All services of one embedded process, and the ASGI app that serves them."""

    def __init__(self, settings: ServiceSettings, names: tuple[str, ...] = NAMES) -> None:
        self.settings = settings
        self.names = names
        bus_db = Database(f"sqlite+aiosqlite:///{(settings.data_dir / 'bus.db').resolve()}")
        self.bus = LocalBus(
            bus_db,
            max_attempts=settings.consumer_max_attempts,
            retry_delays_ms=settings.retry_delays_ms,
        )
        self.apps: dict[str, FastAPI] = {}
        keys = CallableKeySource(self._jwks)
        self.shared = Shared(bus=self.bus, redis=connect_redis(None), keys=keys)
        for name in names:
            self.apps[name] = build_service(name, self.shared)
        self.on_started: list[Callable[[Platform], Awaitable[None]]] = []
        self.background_tasks: set[asyncio.Task[None]] = set()
        self.demo_ready = asyncio.Event()
        self.demo_error: str | None = None

    async def _jwks(self) -> dict[str, Any]:
        keyring = self.apps["identity"].state.keyring
        return await keyring.jwks()  # type: ignore[no-any-return]

    async def migrate(self) -> None:
        for name in self.names:
            await upgrade(self.settings.database_url_for(name), migrations_of(name))

    @asynccontextmanager
    async def running(self) -> AsyncIterator[Platform]:
        await self.migrate()
        async with AsyncExitStack() as stack:
            for app in self.apps.values():
                await stack.enter_async_context(app.router.lifespan_context(app))
            await self.bus.start()
            stack.push_async_callback(self.bus.close)
            stack.push_async_callback(self.shared.redis.aclose)
            for hook in self.on_started:
                await hook(self)
            try:
                yield self
            finally:
                for task in self.background_tasks:
                    task.cancel()
                await asyncio.gather(*self.background_tasks, return_exceptions=True)

    def asgi(self) -> ASGIApp:
        return _Dispatcher(self)


class _Dispatcher:
    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self._stack: AsyncExitStack | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        path: str = scope.get("path", "/")
        name = path.strip("/").split("/", 1)[0]
        app = self.platform.apps.get(name)
        if app is not None:
            await app(scope, receive, send)
            return
        if scope["type"] == "http":
            await _landing(self.platform, scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    self._stack = AsyncExitStack()
                    await self._stack.enter_async_context(self.platform.running())
                except Exception as exc:
                    log.exception("embedded_start_failed")
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self._stack is not None:
                    await self._stack.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return


LANDING_CSP = b"default-src 'none'; frame-ancestors 'none'"


async def _landing(platform: Platform, scope: Scope, receive: Receive, send: Send) -> None:
    if scope.get("path") not in ("/", ""):
        body = b'{"type":"about:blank","title":"Not found","status":404,"detail":"no such service","code":"not_found"}'
        await _respond(send, 404, body, b"application/problem+json")
        return
    links = "".join(
        f'<li><b>{n}</b>: <a href="/{n}/docs">API docs</a> · <a href="/{n}/readyz">ready?</a></li>'
        for n in platform.names
    )
    page = (
        "<!doctype html><meta charset=utf-8><title>Электронный журнал</title>"
        "<h1>Электронный журнал и дневник</h1>"
        "<p>Embedded mode: every service in this one process.</p>"
        f"<ul>{links}</ul><p>Events: <a href='/notify/asyncapi.json'>AsyncAPI</a></p>"
    )
    await _respond(send, 200, page.encode(), b"text/html; charset=utf-8")


async def _respond(send: Send, status: int, body: bytes, content_type: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"content-security-policy", LANDING_CSP),
                (b"cache-control", b"no-store"),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
