"""Every HTTP endpoint of every service is in its OpenAPI document with its request, response
and error shapes (problem+json)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ej.services import NAMES, builder_of

OPERATIONS = ("get", "post", "put", "patch", "delete")
PUBLIC_DOCUMENTS = ("/jwks.json", "/asyncapi.json", "/healthz", "/readyz")


def _document(name: str, tmp_path: Path) -> dict[str, Any]:
    import importlib

    settings_module = importlib.import_module(f"services.{name}.settings")
    settings_class = next(
        getattr(settings_module, n)
        for n in dir(settings_module)
        if n.endswith("Settings") and n != "ServiceSettings"
    )
    app = builder_of(name)(settings_class(data_dir=tmp_path))
    return app.openapi()  # type: ignore[no-any-return]


@pytest.mark.parametrize("service", NAMES)
def test_every_endpoint_documents_its_answers_and_errors(service: str, tmp_path: Path) -> None:
    document = _document(service, tmp_path)
    problems = []
    for path, item in document["paths"].items():
        assert path.startswith(f"/{service}/"), f"{path} is outside /{service}/"
        for method in OPERATIONS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = operation.get("responses", {})
            success = [code for code in responses if code.startswith("2")]
            if not success:
                problems.append(f"{method.upper()} {path}: no success response")
            if path.endswith(PUBLIC_DOCUMENTS):
                continue
            errors = [code for code in responses if code[0] == "4"]
            if not errors:
                problems.append(f"{method.upper()} {path}: no error responses documented")
            for code in errors:
                content = responses[code].get("content", {})
                schema = str(content)
                if "Problem" not in schema:
                    problems.append(f"{method.upper()} {path} {code}: not problem+json")
            if method in ("post", "put", "patch") and "requestBody" not in operation:
                if not operation.get("parameters") and "/logout" not in path:
                    problems.append(f"{method.upper()} {path}: no request shape")
    assert problems == []


@pytest.mark.parametrize("service", NAMES)
def test_problem_schema_is_published(service: str, tmp_path: Path) -> None:
    schemas = _document(service, tmp_path)["components"]["schemas"]
    assert {"type", "title", "status", "detail", "code"} <= set(schemas["Problem"]["properties"])
