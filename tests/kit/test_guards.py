"""NUL characters are refused at the door of every service (PostgreSQL cannot store them)."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from pydantic import BaseModel

from kit.errors import install_problem_handlers
from kit.guards import GuardRequests


class Body(BaseModel):
    name: str


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(GuardRequests)

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


async def test_nul_is_refused_in_every_json_media_type() -> None:
    """Issue 16: `application/merge-patch+json` and `APPLICATION/JSON` skipped the guard."""
    body = b'{"name": "\\u0000"}'
    for content_type in ("application/merge-patch+json", "APPLICATION/JSON", "Application/Json"):
        answer = await _post("/things/a", content=body, headers={"content-type": content_type})
        assert answer.status_code == 422, content_type
        assert answer.json()["code"] == "invalid_character"


async def test_a_body_above_the_limit_is_refused_with_413_before_it_is_parsed() -> None:
    """Issue 16: 10 MB JSON bodies were read and parsed whole, with or without a token."""
    big = b'{"name": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    declared = await _post("/things/a", content=big, headers={"content-type": "application/json"})
    assert declared.status_code == 413
    assert declared.headers["content-type"] == "application/problem+json"
    assert declared.json()["code"] == "body_too_large"

    async def chunks():  # type: ignore[no-untyped-def]
        for start in range(0, len(big), 64 * 1024):
            yield big[start : start + 64 * 1024]

    streamed = await _post(
        "/things/a", content=chunks(), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413 and streamed.json()["code"] == "body_too_large"


async def test_uploads_have_their_own_larger_limit() -> None:
    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(GuardRequests, max_body=1000, max_upload=5000)

    @app.post("/upload")
    async def upload() -> dict[str, bool]:
        return {"ok": True}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        csv = b"a;b\n" * 1000
        assert (
            await client.post("/upload", content=csv, headers={"content-type": "text/csv"})
        ).status_code == 200
        assert (
            await client.post("/upload", content=csv, headers={"content-type": "application/json"})
        ).status_code == 413
        assert (
            await client.post("/upload", content=csv * 2, headers={"content-type": "text/csv"})
        ).status_code == 413
