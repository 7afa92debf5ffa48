"""Prometheus metrics shared by every service (labelled by service where it matters)."""

from __future__ import annotations

import hmac
import time
from collections.abc import Awaitable, Callable

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.errors import problem_response

HTTP_REQUESTS = Counter(
    "ej_http_requests_total", "HTTP requests", ["service", "method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "ej_http_request_seconds", "HTTP request duration", ["service", "method", "route"]
)
OUTBOX_PUBLISHED = Counter("ej_outbox_published_total", "Events the broker confirmed")
OUTBOX_DEPTH = Gauge("ej_outbox_depth", "Events waiting in the outbox", ["service"])
EVENTS_APPLIED = Counter("ej_events_applied_total", "Events applied", ["consumer", "type"])
EVENT_LAG = Histogram(
    "ej_event_lag_seconds",
    "From an event's time to its application by a consumer",
    ["consumer"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300),
)
EVENTS_FAILED = Counter("ej_events_failed_total", "Event applications that failed", ["consumer"])
QUEUE_DEPTH = Gauge("ej_queue_depth", "Messages waiting per consumer queue", ["consumer"])
DLQ_DEPTH = Gauge("ej_dlq_depth", "Dead letters per consumer", ["consumer"])
JOB_SECONDS = Histogram(
    "ej_job_seconds",
    "Duration of background jobs",
    ["service", "kind"],
    buckets=(0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600),
)


class MetricsMiddleware:
    """Counts requests and their durations by route template (not raw path)."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app, self.service = app, service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = {"code": 500}

        async def _send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, _send)
        finally:
            route = _route_template(scope)
            method = scope.get("method", "")
            HTTP_REQUESTS.labels(self.service, method, route, str(status["code"])).inc()
            HTTP_LATENCY.labels(self.service, method, route).observe(time.perf_counter() - start)


def _route_template(scope: Scope) -> str:
    """The template of the route the router chose (it leaves it in the scope): not matched a
    second time here, which cost as much as the routing itself."""
    route = scope.get("route")
    return str(getattr(route, "path", "?")) if route is not None else "unmatched"


def metrics_endpoint(
    refresh: Callable[[], Awaitable[None]] | None = None,
    *,
    token: str | None = None,
) -> Callable[[Request], Awaitable[Response]]:
    """Prometheus's page, for the scraper only: it sends `Authorization: Bearer <token>`
    (`EJ_METRICS_TOKEN`); without a configured token the page does not exist (404), so queue
    depths and request counts are never open to anyone."""
    expected = f"Bearer {token}".encode() if token else None

    async def metrics(request: Request) -> Response:
        if expected is None:
            return problem_response(
                404, "metrics are off: set EJ_METRICS_TOKEN to scrape them", "not_found"
            )
        given = request.headers.get("authorization", "").encode()
        if not hmac.compare_digest(given, expected):
            return problem_response(
                401,
                "metrics need the scraper's bearer token",
                "metrics_token_required",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if refresh is not None:
            await refresh()
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return metrics
