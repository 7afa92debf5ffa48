"""A school's "today" is the date in the zone identity registered for it; a service that has
not heard of the school yet refuses with 409 `school_not_known` and `Retry-After`, never a
guessed zone."""

from __future__ import annotations

import datetime as dt

import httpx
from fastapi import FastAPI

from kit.clock import known_zone, school_today
from kit.errors import install_problem_handlers

ZONES = {"s-vladivostok": "Asia/Vladivostok"}


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/schools/{school_id}/today")
    async def today(school_id: str) -> dict[str, str]:
        zone = known_zone(ZONES.get(school_id), school_id=school_id, service="the test service")
        at = dt.datetime(2026, 10, 1, 20, 0, tzinfo=dt.UTC)
        return {"today": school_today(at, zone).isoformat()}

    return app


async def _get(path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.get(path)


async def test_a_known_school_has_its_own_date() -> None:
    answer = await _get("/schools/s-vladivostok/today")
    assert answer.status_code == 200 and answer.json() == {"today": "2026-10-02"}


async def test_an_unknown_school_is_refused_with_409_and_retry_after() -> None:
    answer = await _get("/schools/s-unheard/today")

    assert answer.status_code == 409
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert int(answer.headers["retry-after"]) > 0
    body = answer.json()
    assert body["code"] == "school_not_known" and body["school_id"] == "s-unheard"
    assert "s-unheard" in body["detail"] and "the test service" in body["detail"]
