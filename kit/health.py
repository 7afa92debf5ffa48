"""`/healthz` (the process runs), `/readyz` (its database, broker and stores answer)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel


class Health(BaseModel):
    status: str
    service: str


class Readiness(BaseModel):
    status: str
    service: str
    checks: dict[str, str]


def health_router(
    service: str, checks: Callable[[], Mapping[str, Callable[[], Awaitable[None]]]]
) -> APIRouter:
    router = APIRouter(prefix=f"/{service}", tags=["operations"])

    @router.get("/healthz", response_model=Health, summary="The process is alive")
    async def healthz() -> Health:
        return Health(status="ok", service=service)

    @router.get(
        "/readyz",
        response_model=Readiness,
        summary="Database, broker and stores answer",
        responses={503: {"model": Readiness, "description": "a dependency is down (named)"}},
    )
    async def readyz() -> JSONResponse:
        results: dict[str, str] = {}

        async def run(name: str, check: Callable[[], Awaitable[None]]) -> None:
            try:
                await asyncio.wait_for(check(), timeout=3)
                results[name] = "ok"
            except Exception as exc:
                results[name] = f"failing: {str(exc) or type(exc).__name__}"[:300]

        await asyncio.gather(*(run(n, c) for n, c in checks().items()))
        ok = all(v == "ok" for v in results.values())
        body = Readiness(status="ok" if ok else "unavailable", service=service, checks=results)
        return JSONResponse(body.model_dump(), status_code=200 if ok else 503)

    return router
