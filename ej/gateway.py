"""A small path-prefix gateway for the distributed mode on one machine.

`/identity/…` goes to the identity service, `/journal/…` to the journal, and so on, so one
address serves the same paths as the embedded mode. In a city deployment an ingress does
this (deploy/kubernetes); this is for `make up`.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from ej.services import NAMES, PORTS

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
}


def upstreams() -> dict[str, str]:
    return {
        name: os.environ.get(f"EJ_{name.upper()}_URL", f"http://127.0.0.1:{PORTS[name]}").rstrip(
            "/"
        )
        for name in NAMES
    }


def build_gateway() -> Starlette:
    targets = upstreams()
    client = httpx.AsyncClient(timeout=httpx.Timeout(60.0, connect=5.0))

    async def proxy(request: Request) -> Response:
        service = request.path_params["service"]
        base = targets.get(service)
        if base is None:
            return JSONResponse(
                {
                    "type": "about:blank",
                    "title": "Not found",
                    "status": 404,
                    "detail": f"no service {service!r}",
                    "code": "not_found",
                },
                status_code=404,
                media_type="application/problem+json",
            )
        headers = [(k, v) for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP]
        # the services believe X-Forwarded-For only from trusted proxies (EJ_TRUSTED_PROXIES):
        # this gateway is one, so it passes on who the client is (brute-force limits per address)
        client_host = request.client.host if request.client else ""
        forwarded = request.headers.get("x-forwarded-for")
        headers = [(k, v) for k, v in headers if k.lower() != "x-forwarded-for"]
        headers.append(
            ("x-forwarded-for", f"{forwarded}, {client_host}" if forwarded else client_host)
        )
        upstream = client.build_request(
            request.method,
            f"{base}{request.url.path}",
            params=request.query_params,
            headers=headers,
            content=request.stream(),
        )
        try:
            answer = await client.send(upstream, stream=True)
        except httpx.TransportError as exc:
            return JSONResponse(
                {
                    "type": "about:blank",
                    "title": "Service unavailable",
                    "status": 503,
                    "detail": f"{service} does not answer: {exc.__class__.__name__}",
                    "code": "upstream_unavailable",
                },
                status_code=503,
                media_type="application/problem+json",
            )
        out_headers = {k: v for k, v in answer.headers.items() if k.lower() not in HOP_BY_HOP}
        return StreamingResponse(
            answer.aiter_raw(),
            status_code=answer.status_code,
            headers=out_headers,
            background=BackgroundTask(answer.aclose),
        )

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
        await client.aclose()

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    return Starlette(
        routes=[
            Route("/{service}", proxy, methods=methods),
            Route("/{service}/{rest:path}", proxy, methods=methods),
        ],
        lifespan=lifespan,
    )
