"""Domain exceptions with stable codes, and their mapping to problem+json (RFC 9457).

Services raise these; one set of handlers installed by `install_problem_handlers` turns them
into responses. Handlers never build error responses by hand.
"""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_MEDIA_TYPE = "application/problem+json"

log = structlog.get_logger("kit.errors")


class DomainError(Exception):
    """An error a client can cause; `code` is stable, `detail` says what is wrong.

    `retry_after` (seconds), where given, is sent as the `Retry-After` header: the request may
    succeed if repeated after that long (a rate limit, a fact that has not arrived yet).
    """

    status: int = 400
    title: str = "Bad request"
    code: str = "bad_request"

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        retry_after: int | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        self.retry_after = retry_after
        self.extra = extra


class Unauthorized(DomainError):
    status, title, code = 401, "Unauthorized", "unauthorized"


class Forbidden(DomainError):
    status, title, code = 403, "Forbidden", "forbidden"


class NotFound(DomainError):
    """Not found, or belongs to another school: the two are never told apart."""

    status, title, code = 404, "Not found", "not_found"


class Conflict(DomainError):
    """The request breaks a rule of the regulation or the state of the data."""

    status, title, code = 409, "Conflict", "conflict"


class Invalid(DomainError):
    status, title, code = 422, "Unprocessable content", "invalid"


class PayloadTooLarge(DomainError):
    status, title, code = 413, "Payload too large", "payload_too_large"


class RateLimited(DomainError):
    status, title, code = 429, "Too many requests", "rate_limited"

    def __init__(self, detail: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(detail, code=code, retry_after=retry_after)


class Unavailable(DomainError):
    status, title, code = 503, "Service unavailable", "unavailable"


class Problem(BaseModel):
    """problem+json body (RFC 9457) with the platform's stable `code`."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    code: str = Field(description="stable snake_case machine code")
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="per-field errors of a 422"
    )


_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}


def problem_response(
    status: int,
    detail: str,
    code: str,
    *,
    headers: dict[str, str] | None = None,
    errors: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "code": code,
    }
    if errors is not None:
        body["errors"] = errors
    body.update({k: v for k, v in extra.items() if k not in body})
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entry documenting the problem+json shape for these statuses."""
    return {
        s: {
            "description": _TITLES.get(s, "Error"),
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for s in statuses
    }


def _clean_validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        out.append(
            {
                "loc": [str(p) for p in err.get("loc", ())],
                "msg": str(err.get("msg", "")),
                "type": str(err.get("type", "")),
            }
        )
    return out


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        headers = None if exc.retry_after is None else {"Retry-After": str(exc.retry_after)}
        return problem_response(exc.status, exc.detail, exc.code, headers=headers, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _clean_validation_errors(exc)
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(p for p in first["loc"] if p not in ("body", "query", "path"))
        detail = f"{where}: {first['msg']}" if where else str(first["msg"])
        return problem_response(422, detail, "validation_error", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized"}.get(
            exc.status_code, "http_error"
        )
        return problem_response(
            exc.status_code, str(exc.detail), code, headers=getattr(exc, "headers", None)
        )

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled_error", error=type(exc).__name__)
        return problem_response(500, "an unexpected error occurred", "internal_error")
