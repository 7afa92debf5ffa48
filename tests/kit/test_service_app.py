"""What every service app gets from the kit: errors, health, readiness, refusal to run unmigrated."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import APIRouter
from pydantic import BaseModel

from kit.app import create_service_app
from kit.errors import Conflict, problem_responses
from kit.migrations import NotMigrated, upgrade
from kit.runtime import Runtime
from kit.settings import ServiceSettings
from services.notify.models import outbox

NOTIFY_MIGRATIONS = Path(__file__).resolve().parents[2] / "services" / "notify" / "migrations"


class Body(BaseModel):
    value: int


def _router() -> APIRouter:
    router = APIRouter(prefix="/probe")

    @router.post("/v1/things", responses=problem_responses(409, 422))
    async def things(body: Body) -> dict[str, int]:
        if body.value == 6:
            raise Conflict("six is not a mark", code="bad_mark")
        if body.value == 7:
            raise RuntimeError("a bug with a secret inside")
        return {"value": body.value}

    return router


def _app(tmp_path: Path, **settings_fields: str):  # type: ignore[no-untyped-def]
    settings = ServiceSettings(data_dir=tmp_path, **settings_fields)
    runtime = Runtime.create("probe", settings, outbox, NOTIFY_MIGRATIONS)
    return create_service_app(runtime, title="probe", description="", routers=[_router()])


async def _client(app):  # type: ignore[no-untyped-def]
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, raise_app_exceptions=False), base_url="http://t"
    )


async def test_service_refuses_to_start_on_an_unmigrated_database(tmp_path: Path) -> None:
    app = _app(tmp_path)
    with pytest.raises(NotMigrated) as err:
        async with app.router.lifespan_context(app):
            pass
    assert "python -m services.probe migrate" in str(err.value)


async def test_errors_are_problem_json_and_never_leak_internals(tmp_path: Path) -> None:
    settings = ServiceSettings(data_dir=tmp_path)
    await upgrade(settings.database_url_for("probe"), NOTIFY_MIGRATIONS)
    app = _app(tmp_path)
    async with app.router.lifespan_context(app):
        async with await _client(app) as client:
            conflict = await client.post("/probe/v1/things", json={"value": 6})
            assert conflict.status_code == 409
            assert conflict.headers["content-type"] == "application/problem+json"
            assert conflict.json()["code"] == "bad_mark"

            invalid = await client.post("/probe/v1/things", json={"value": "five"})
            assert invalid.status_code == 422
            assert invalid.json()["code"] == "validation_error"
            assert invalid.json()["errors"][0]["loc"] == ["body", "value"]

            crash = await client.post("/probe/v1/things", json={"value": 7})
            assert crash.status_code == 500
            assert "secret" not in crash.text
            assert crash.json()["code"] == "internal_error"

            missing = await client.get("/probe/v1/nothing-here")
            assert missing.status_code == 404 and missing.json()["code"] == "not_found"

            assert (await client.get("/probe/healthz")).json()["status"] == "ok"
            ready = await client.get("/probe/readyz")
            assert ready.status_code == 200, ready.text
            assert "x-correlation-id" in ready.headers


async def test_metrics_are_for_the_scraper_only(tmp_path: Path) -> None:
    """Issue 16: every service's /metrics was open to anyone."""
    settings = ServiceSettings(data_dir=tmp_path)
    await upgrade(settings.database_url_for("probe"), NOTIFY_MIGRATIONS)
    off = _app(tmp_path)
    async with await _client(off) as client:
        assert (await client.get("/probe/metrics")).status_code == 404
    app = _app(tmp_path, metrics_token="scrape-me")
    async with app.router.lifespan_context(app):
        async with await _client(app) as client:
            anonymous = await client.get("/probe/metrics")
            assert anonymous.status_code == 401
            assert anonymous.json()["code"] == "metrics_token_required"
            wrong = await client.get("/probe/metrics", headers={"Authorization": "Bearer x"})
            assert wrong.status_code == 401
            await client.post("/probe/v1/things", json={"value": 5})
            await client.get("/probe/v1/nothing-here")
            metrics = await client.get(
                "/probe/metrics", headers={"Authorization": "Bearer scrape-me"}
            )
            assert "ej_http_requests_total" in metrics.text
            # by the route's template, as the router chose it; a path no route has is one label
            assert 'route="/probe/v1/things",service="probe",status="200"' in metrics.text
            assert 'route="unmatched",service="probe",status="404"' in metrics.text


async def test_every_answer_carries_the_security_headers_and_no_store(tmp_path: Path) -> None:
    """Issue 16: no X-Content-Type-Options, framing policy, CSP, Referrer-Policy or no-store."""
    settings = ServiceSettings(data_dir=tmp_path)
    await upgrade(settings.database_url_for("probe"), NOTIFY_MIGRATIONS)
    app = _app(tmp_path)
    async with app.router.lifespan_context(app):
        async with await _client(app) as client:
            for answer in (
                await client.post("/probe/v1/things", json={"value": 5}),
                await client.post("/probe/v1/things", json={"value": 6}),
                await client.get("/probe/v1/nothing-here"),
            ):
                assert answer.headers["x-content-type-options"] == "nosniff"
                assert answer.headers["x-frame-options"] == "DENY"
                assert answer.headers["referrer-policy"] == "no-referrer"
                assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
                assert "default-src 'none'" in answer.headers["content-security-policy"]
                assert answer.headers["cache-control"] == "no-store"
            docs = await client.get("/probe/docs")
            assert "https://cdn.jsdelivr.net" in docs.headers["content-security-policy"]


async def test_a_correlation_id_that_is_not_a_plain_token_is_replaced(tmp_path: Path) -> None:
    """Issue 16: a non-UTF-8 X-Correlation-Id made even /healthz answer 500."""
    app = _app(tmp_path)
    async with await _client(app) as client:
        odd = await client.get(
            "/probe/healthz", headers=[(b"x-correlation-id", b"\xff\xfe\x00bad")]
        )
        assert odd.status_code == 200
        assert odd.headers["x-correlation-id"] not in ("", "\xff\xfe")
        assert len(odd.headers["x-correlation-id"]) >= 16
        kept = await client.get("/probe/healthz", headers={"x-correlation-id": "req-42.a"})
        assert kept.headers["x-correlation-id"] == "req-42.a"


async def test_readyz_names_the_failing_part(tmp_path: Path) -> None:
    settings = ServiceSettings(data_dir=tmp_path)
    await upgrade(settings.database_url_for("probe"), NOTIFY_MIGRATIONS)
    app = _app(tmp_path)
    async with app.router.lifespan_context(app):

        async def broken() -> None:
            raise ConnectionError("store b does not answer")

        app.state.runtime.checks["store_b"] = broken
        async with await _client(app) as client:
            ready = await client.get("/probe/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"]["store_b"].startswith("failing: store b does not answer")
    assert ready.json()["checks"]["database"] == "ok"
