"""An integrator's endpoint for the webhook tests: a real HTTP server on a free port.

It records every request, answers 500 to the first `failures` requests of each path and 200
afterwards, and checks signatures the way an integrator would (from the raw body).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kit.testing.services import eventually
from services.notify.tests.smtp import free_port


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    answered: int

    @property
    def envelope(self) -> dict[str, Any]:
        return json.loads(self.body)  # type: ignore[no-any-return]

    def signed_with(self, secret: str) -> bool:
        parts = dict(p.split("=", 1) for p in self.headers["x-ej-signature"].split(","))
        expected = hmac.new(
            secret.encode(), parts["t"].encode() + b"." + self.body, hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(parts["v1"], expected)


@dataclass
class Receiver:
    base_url: str
    failures: dict[str, int] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)

    def at(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]

    async def handle(self, request: Request) -> Response:
        path = request.url.path
        body = await request.body()
        tried = len(self.at(path))
        status = 500 if tried < self.failures.get(path, 0) else 200
        self.received.append(Received(path, dict(request.headers), body, status))
        return Response(status_code=status)


@asynccontextmanager
async def http_receiver() -> AsyncIterator[Receiver]:
    port = free_port()
    receiver = Receiver(base_url=f"http://127.0.0.1:{port}")
    app = Starlette(routes=[Route("/{name:path}", receiver.handle, methods=["POST"])])
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())

    async def started() -> bool:
        return bool(server.started)

    await eventually(started)
    try:
        yield receiver
    finally:
        server.should_exit = True
        await task
