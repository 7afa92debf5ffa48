"""Builds a service's FastAPI app: problem+json errors, health, metrics, context, lifespan."""

from __future__ import annotations

import gc
import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.auth import CurrentUserDep
from kit.context import use_context
from kit.errors import PROBLEM_MEDIA_TYPE, Problem, install_problem_handlers
from kit.guards import GuardRequests
from kit.health import health_router
from kit.metrics import MetricsMiddleware, metrics_endpoint
from kit.runtime import Runtime
from kit.usecase import Actor, UseCase

CORRELATION_HEADER = "x-correlation-id"


_CORRELATION_ID = re.compile(rb"[A-Za-z0-9._:@/+=-]{1,64}")

SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
API_CSP = b"default-src 'none'; frame-ancestors 'none'"
DOCS_CSP = (
    b"default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    b"style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: "
    b"https://fastapi.tiangolo.com; connect-src 'self'; frame-ancestors 'none'"
)


class ContextMiddleware:
    """The edge of every request: a correlation id (the caller's when it is a plain token of
    at most 64 characters, else a new one) echoed back, and the headers every answer carries:
    no sniffing, no framing, no referrer, a Content-Security-Policy (Swagger UI's pages get
    the one their scripts need) and `Cache-Control: no-store` unless the endpoint chose its
    own caching, since answers hold tokens and people's data."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(CORRELATION_HEADER.encode())
        correlation_id = (
            incoming.decode("ascii")
            if incoming is not None and _CORRELATION_ID.fullmatch(incoming)
            else None
        )
        csp = DOCS_CSP if "/docs" in scope.get("path", "") else API_CSP
        with use_context(correlation_id=correlation_id) as ctx:

            async def _send(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers = list(message.get("headers", []))
                    present = {name.lower() for name, _ in headers}
                    headers.append((CORRELATION_HEADER.encode(), ctx.correlation_id.encode()))
                    headers += SECURITY_HEADERS
                    if b"content-security-policy" not in present:
                        headers.append((b"content-security-policy", csp))
                    if b"cache-control" not in present:
                        headers.append((b"cache-control", b"no-store"))
                    message["headers"] = headers
                await send(message)

            await self.app(scope, receive, _send)


def create_service_app(
    runtime: Runtime,
    *,
    title: str,
    description: str,
    routers: Sequence[APIRouter],
    version: str = "1.0.0",
) -> FastAPI:
    name = runtime.name

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        # what start-up built lives as long as the process: out of the collector's sight, so
        # a request's garbage collection walks only the request's own objects
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            await runtime.stop()

    app = FastAPI(
        title=title,
        description=description,
        version=version,
        lifespan=lifespan,
        openapi_url=f"/{name}/openapi.json",
        docs_url=f"/{name}/docs",
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=f"/{name}/docs/oauth2-redirect",
    )
    app.state.runtime = runtime
    app.state.verifier = runtime.verifier
    install_problem_handlers(app)
    app.add_middleware(MetricsMiddleware, service=name)
    app.add_middleware(GuardRequests)
    app.add_middleware(ContextMiddleware)
    app.include_router(health_router(name, lambda: runtime.checks))
    app.add_api_route(
        f"/{name}/metrics",
        metrics_endpoint(runtime.refresh_gauges, token=runtime.settings.metrics_token),
        methods=["GET"],
        include_in_schema=False,
    )
    for router in routers:
        app.include_router(router)
    _register_problem_schema(app)
    return app


def _register_problem_schema(app: FastAPI) -> None:
    """Errors are problem+json everywhere: publish `Problem`, and document FastAPI's automatic
    422 (which our handler answers as problem+json) with it instead of HTTPValidationError."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("Problem", Problem.model_json_schema())
        problem = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for item in schema.get("paths", {}).values():
            for operation in item.values():
                invalid = (
                    operation.get("responses", {}).get("422")
                    if isinstance(operation, dict)
                    else None
                )
                if invalid and "HTTPValidationError" in str(invalid.get("content", {})):
                    invalid["content"] = problem
                    invalid["description"] = (
                        "Unprocessable content (problem+json, code validation_error)"
                    )
        for unused in ("HTTPValidationError", "ValidationError"):
            if unused not in str(schema.get("paths")):
                components.pop(unused, None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def runtime_of(request: Request) -> Runtime:
    return request.app.state.runtime  # type: ignore[no-any-return]


async def _unit_of_work(request: Request) -> AsyncIterator[AsyncSession]:
    async with runtime_of(request).db.unit_of_work() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(_unit_of_work, scope="function")]
"""One unit of work per request: committed after the endpoint returns, before the response."""

RuntimeDep = Annotated[Runtime, Depends(runtime_of)]


def use_case_for(request: Request, session: AsyncSession, actor: Actor) -> UseCase:
    """A use case's context at the HTTP edge for an actor the endpoint established itself
    (a login, a one-time-password session); `UseCaseDep` is the usual way."""
    runtime = runtime_of(request)
    return UseCase(session, runtime.outbox, actor, runtime.clock)


async def _use_case(request: Request, user: CurrentUserDep, session: SessionDep) -> UseCase:
    return use_case_for(request, session, Actor.of(user))


UseCaseDep = Annotated[UseCase, Depends(_use_case)]
"""The one way a use case's context reaches an endpoint: the asking user (authenticated), its
unit of work (committed by the edge), the outbox and the instant from the runtime's clock."""
