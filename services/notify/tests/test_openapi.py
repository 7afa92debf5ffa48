"""What clients read about notify: its OpenAPI document and the AsyncAPI of all events."""

from __future__ import annotations

from typing import Any


async def test_every_operation_documents_its_answers_and_problems(notify: Any) -> None:
    response = await notify.get("/notify/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    operations = [
        (path, method, op)
        for path, methods in paths.items()
        if path.startswith("/notify/v1/")
        for method, op in methods.items()
    ]
    assert len(operations) == 13
    for path, method, op in operations:
        answers = op["responses"]
        success = [s for s in answers if s.startswith("2")]
        assert success, (method, path)
        if success != ["204"]:
            assert "application/json" in answers[success[0]]["content"], (method, path)
        assert "401" in answers, (method, path)
        for status in (s for s in answers if s.startswith("4")):
            problem = answers[status]["content"]["application/problem+json"]["schema"]
            assert problem == {"$ref": "#/components/schemas/Problem"}, (method, path, status)


async def test_the_asyncapi_document_lists_every_event_with_notifys_own(notify: Any) -> None:
    document = (await notify.get("/notify/asyncapi.json")).json()
    messages = {m["name"] for m in document["components"]["messages"].values()}
    assert {
        "journal.mark.recorded.v1",
        "identity.person.registered.v1",
        "notify.message.sent.v1",
    } <= messages
