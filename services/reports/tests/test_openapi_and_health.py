"""The service describes itself: OpenAPI with request, response and problem shapes; health
and readiness naming every dependency (database, broker, Redis, work queue, file store)."""

from __future__ import annotations

from services.reports.tests.conftest import Reports

PATHS = {
    "/reports/v1/classes/{class_id}/summary-sheet": "get",
    "/reports/v1/classes/{class_id}/risk-group": "get",
    "/reports/v1/classes/{class_id}/preliminary": "get",
    "/reports/v1/schools/{school_id}/monitoring": "get",
    "/reports/v1/schools/{school_id}/performance": "get",
    "/reports/v1/jobs": "post",
    "/reports/v1/jobs/{job_id}": "get",
    "/reports/v1/jobs/{job_id}/result": "get",
}


async def test_openapi_documents_every_endpoint_with_its_problems(reports: Reports) -> None:
    document = (await reports.client.get("/reports/openapi.json")).json()
    for path, method in PATHS.items():
        operation = document["paths"][path][method]
        responses = operation["responses"]
        problems = [s for s in responses if s.startswith("4")]
        assert problems, f"{method} {path} declares no problem responses"
        for status in problems:
            content = responses[status]["content"]
            assert "application/problem+json" in content, (path, status)
        assert any(s.startswith("2") for s in responses), path
    assert "SummarySheetOut" in document["components"]["schemas"]
    assert "JobRequest" in document["components"]["schemas"]


async def test_health_and_readiness_name_every_dependency(reports: Reports) -> None:
    assert (await reports.client.get("/reports/healthz")).json()["status"] == "ok"
    ready = await reports.client.get("/reports/readyz")
    assert ready.status_code == 200, ready.text
    assert set(ready.json()["checks"]) == {
        "database",
        "broker",
        "redis",
        "work_queue",
        "report_store",
    }
