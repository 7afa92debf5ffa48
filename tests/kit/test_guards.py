"""NUL characters are refused at the door of every service (PostgreSQL cannot store them)."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from pydantic import BaseModel

from kit.errors import install_problem_handlers
from kit.guards import RejectNulCharacters


class Body(BaseModel):
    name: str


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(RejectNulCharacters)

    @app.post("/things/{thing}")
    async def things(thing: str, body: Body) -> dict[str, str]:
        return {"thing": thing, "name": body.name}

    return app


async def _post(path: str, **kwargs: object) -> httpx.Response:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.post(path, **kwargs)  # type: ignore[arg-type]


async def test_nul_in_the_json_body_is_refused() -> None:
    answer = await _post("/things/a", json={"name": "Ив\x00ан"})
    assert answer.status_code == 422 and answer.json()["code"] == "invalid_character"


async def test_nul_in_the_path_or_query_is_refused() -> None:
    assert (await _post("/things/a%00b", json={"name": "x"})).status_code == 422
    assert (await _post("/things/a?q=%00", json={"name": "x"})).status_code == 422


async def test_clean_requests_pass_with_their_body_intact() -> None:
    answer = await _post("/things/a", json={"name": "Иван"})
    assert answer.status_code == 200 and answer.json() == {"thing": "a", "name": "Иван"}
