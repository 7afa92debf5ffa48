"""kit.params: the platform's bounds refuse what the probe of issue 16 sent (422 at the edge),
and declare themselves in the OpenAPI so generated clients and schemathesis see them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import httpx
import pytest
from fastapi import FastAPI, Query

from kit.errors import install_problem_handlers
from kit.params import (
    BirthDate,
    Id,
    Limit,
    LimitUpTo,
    LocalTime,
    Month,
    Offset,
    PlatformDate,
    PlatformMoment,
)


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/things/{thing_id}")
    async def things(
        thing_id: Id,
        offset: Offset = 0,
        limit: Limit = 100,
        big: LimitUpTo(5000) = 1000,
        on: PlatformDate | None = None,
        born: BirthDate | None = None,
        since: Annotated[PlatformMoment | None, Query(alias="from")] = None,
        month: Month | None = None,
        at: LocalTime | None = None,
    ) -> dict[str, Any]:
        return {"offset": offset, "on": on, "since": since, "at": at}

    return app


async def _get(query: str, path: str = "/things/x") -> httpx.Response:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.get(f"{path}?{query}")


@pytest.mark.parametrize(
    "query",
    [
        "offset=99999999999999999999",
        f"offset={2**63}",
        "offset=-1",
        "limit=0",
        "limit=501",
        "big=5001",
        "on=9999-12-31",
        "on=0001-01-01",
        "on=1999-12-31",
        "born=1899-12-31",
        "from=0001-01-01T00:00:00%2B23:59",
        "from=9999-12-31T23:59:59-23:59",
        "from=2026-01-01T00:00:00",  # no offset
        "month=9999-12",
        "month=2026-13",
        "month=0001-01",
        "at=08:00:00%2B03:00",
    ],
)
async def test_out_of_bounds_is_422_problem_json_before_any_code(query: str) -> None:
    answer = await _get(query)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == "validation_error"


async def test_an_overlong_id_is_refused() -> None:
    answer = await _get("", path="/things/" + "x" * 37)
    assert answer.status_code == 422


@pytest.mark.parametrize(
    "query",
    [
        "offset=1000000",
        "limit=500&big=5000",
        "on=2000-01-01",
        "on=2099-12-31",
        "born=1950-05-01",
        "from=2099-12-31T23:00:00-00:59",
        "from=2000-01-01T00:00:00Z",
        "month=2026-11",
        "at=16:00",
    ],
)
async def test_values_at_the_bounds_are_taken(query: str) -> None:
    answer = await _get(query)
    assert answer.status_code == 200, answer.text


def test_the_bounds_are_in_the_openapi_document() -> None:
    parameters = {
        p["name"]: p["schema"]
        for p in _app().openapi()["paths"]["/things/{thing_id}"]["get"]["parameters"]
    }
    assert parameters["thing_id"]["maxLength"] == 36
    assert (parameters["offset"]["minimum"], parameters["offset"]["maximum"]) == (0, 1_000_000)
    assert (parameters["limit"]["minimum"], parameters["limit"]["maximum"]) == (1, 500)
    assert parameters["big"]["maximum"] == 5000
    month = next(s for s in parameters["month"]["anyOf"] if s.get("type") == "string")
    assert month["pattern"].startswith("^20") and month["maxLength"] == 7
    date = next(s for s in parameters["on"]["anyOf"] if s.get("format") == "date")
    assert date["pattern"].startswith("^20")
    moment = next(s for s in parameters["from"]["anyOf"] if s.get("format") == "date-time")
    assert moment["pattern"].startswith("^20")
    time = next(s for s in parameters["at"]["anyOf"] if s.get("type") == "string")
    assert "format" not in time and "pattern" in time


def test_a_local_time_is_written_without_an_offset() -> None:
    from pydantic import TypeAdapter

    assert TypeAdapter(LocalTime).dump_python(dt.time(16, 0), mode="json") == "16:00:00"
