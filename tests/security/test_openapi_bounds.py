"""Every input a client sends declares its bounds in the OpenAPI (issue 16): integers a maximum,
strings a length, a pattern or a set of values, lists a largest size. Schemathesis generates the
edge values from them (tests/security/test_api_fuzz.py), and the edge refuses what lies
beyond before any code runs. The shared bounds are kit/params.py."""

from __future__ import annotations

from typing import Any

import pytest

from ej.services import NAMES, build_service

FORMATS_WITH_A_LENGTH = {"date", "date-time", "time", "uuid", "email"}

BOUNDED_ELSEWHERE = {
    # OAuth2's password form (FastAPI's OAuth2PasswordRequestForm): the request body's limit
    # (kit/guards.py, 413) bounds it, and unknown logins cost the same as wrong passwords.
    "POST /identity/v1/token body.username",
    "POST /identity/v1/token body.password",
    "POST /identity/v1/token body.scope",
    "POST /identity/v1/token body.client_id",
    "POST /identity/v1/token body.client_secret",
    # an upload: the upload limit bounds it (EJ_MAX_UPLOAD_BYTES, 413)
    "POST /identity/v1/schools/{school_id}/people:import body.file",
    # a URL's length is the rules' (422 `url_too_long`), its scheme http(s) only
    "POST /notify/v1/webhooks body.url",
    # one of a few formats, refused by name (422 `format_not_offered`)
    "POST /reports/v1/jobs body.format",
}


def _resolve(doc: dict[str, Any], schema: Any) -> Any:
    while isinstance(schema, dict) and "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].split("/")[-1]]
    return schema


def _unbounded(doc: dict[str, Any], schema: Any, where: str, found: list[str]) -> None:
    schema = _resolve(doc, schema)
    if not isinstance(schema, dict):
        return
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            _unbounded(doc, option, where, found)
    kind = schema.get("type")
    chosen = any(k in schema for k in ("enum", "const"))
    if kind in ("integer", "number") and "maximum" not in schema and not chosen:
        found.append(where)
    elif kind == "string" and not chosen:
        limited = any(k in schema for k in ("maxLength", "pattern"))
        if not limited and schema.get("format") not in FORMATS_WITH_A_LENGTH:
            found.append(where)
    elif kind == "array":
        if "maxItems" not in schema:
            found.append(where)
        _unbounded(doc, schema.get("items", {}), where, found)
    for name, field in (schema.get("properties") or {}).items():
        _unbounded(doc, field, f"{where}.{name}", found)


@pytest.mark.parametrize("service", NAMES)
def test_every_input_declares_its_bounds(service: str) -> None:
    doc = build_service(service).openapi()
    found: list[str] = []
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            at = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                where = f"{at} {parameter['in']}.{parameter['name']}"
                _unbounded(doc, parameter.get("schema", {}), where, found)
            for content in (operation.get("requestBody", {}).get("content") or {}).values():
                _unbounded(doc, content.get("schema", {}), f"{at} body", found)
    assert sorted(set(found) - BOUNDED_ELSEWHERE) == []
