"""Signed webhooks for integrators, against a real local HTTP endpoint.

The dispatcher is the service's own background task: nothing here calls it directly.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from contracts.archive import PackageStored
from contracts.journal import LessonRecorded
from kit.db import new_id
from kit.testing.events import build
from kit.testing.services import eventually
from kit.testing.tokens import TestTokens
from services.notify.tests.conftest import StartNotify
from services.notify.tests.factories import mark, publish
from services.notify.tests.receiver import Receiver, http_receiver

PATH = "/notify/v1/webhooks"


@pytest.fixture(scope="module")
async def hooks(start_notify: StartNotify) -> AsyncIterator[Any]:
    async with start_notify(webhook_max_attempts=3) as client:
        yield client


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with http_receiver() as server:
        yield server


def operator(tokens: TestTokens) -> dict[str, str]:
    return tokens.headers(roles=["operator"], school_id=None)


async def register(
    client: Any, tokens: TestTokens, url: str, school_id: str, *types: str
) -> dict[str, Any]:
    body = {"url": url, "event_types": list(types), "school_id": school_id}
    response = await client.post(PATH, json=body, headers=operator(tokens))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def deliveries(client: Any, tokens: TestTokens, webhook_id: str) -> list[dict[str, Any]]:
    response = await client.get(f"{PATH}/{webhook_id}/deliveries", headers=operator(tokens))
    assert response.status_code == 200, response.text
    return response.json()["deliveries"]  # type: ignore[no-any-return]


def lesson() -> LessonRecorded:
    return build(LessonRecorded, number=2, topic="Дроби")


async def test_signed_events_of_its_school_arrive_in_order_after_a_retry(
    hooks: Any, tokens: TestTokens, receiver: Receiver
) -> None:
    school, other_school = new_id(), new_id()
    mine = await register(hooks, tokens, f"{receiver.base_url}/a", school, "journal.mark.*")
    theirs = await register(hooks, tokens, f"{receiver.base_url}/b", other_school, "journal.#")
    receiver.failures["/a"] = 1  # the integrator is down for the first try

    marks = [mark(new_id(), new_id(), value) for value in (5, 4, 3)]
    sent = []
    for event in marks:
        [envelope] = await publish(hooks, event, school_id=school)
        sent.append(envelope.id)
    await publish(hooks, lesson(), school_id=school)  # a type this webhook did not ask for
    [foreign] = await publish(hooks, mark(new_id(), new_id(), 2), school_id=other_school)

    await eventually(lambda: _count(receiver, "/a", 4), timeout=20)
    calls = receiver.at("/a")
    assert [c.headers["x-ej-event-id"] for c in calls] == [sent[0], *sent]
    assert [c.answered for c in calls] == [500, 200, 200, 200]
    for call in calls:
        assert call.headers["content-type"] == "application/cloudevents+json"
        assert call.signed_with(mine["secret"])
        assert not call.signed_with(theirs["secret"])
        assert call.envelope["schoolid"] == school
        assert call.envelope["type"] == "journal.mark.recorded.v1"
        assert call.envelope["id"] == call.headers["x-ej-event-id"]
        assert call.envelope["specversion"] == "1.0"

    other = await eventually(lambda: _count(receiver, "/b", 1))
    assert [c.headers["x-ej-event-id"] for c in other] == [foreign.id]
    assert other[0].signed_with(theirs["secret"])

    rows = await eventually(lambda: _all_delivered(hooks, tokens, mine["id"], 3))
    first = next(r for r in rows if r["event_id"] == sent[0])
    assert first["attempts"] == 2
    assert first["last_status_code"] == 200


async def test_archive_and_report_events_reach_webhooks_too(
    hooks: Any, tokens: TestTokens, receiver: Receiver
) -> None:
    school = new_id()
    await register(hooks, tokens, f"{receiver.base_url}/archive", school, "archive.#")
    stored = build(PackageStored, school_id=school, kind="weekly", stores=["a", "b"])
    await publish(hooks, stored, school_id=school)
    [call] = await eventually(lambda: _count(receiver, "/archive", 1))
    assert call.envelope["data"]["package_id"] == stored.package_id


async def test_an_endpoint_that_keeps_failing_is_given_up_and_the_next_event_goes(
    hooks: Any, tokens: TestTokens, receiver: Receiver
) -> None:
    school = new_id()
    hook = await register(
        hooks, tokens, f"{receiver.base_url}/flaky", school, "journal.mark.recorded"
    )
    receiver.failures["/flaky"] = 3  # as many as the attempts allowed
    [doomed] = await publish(hooks, mark(new_id(), new_id()), school_id=school)
    [later] = await publish(hooks, mark(new_id(), new_id()), school_id=school)

    await eventually(lambda: _count(receiver, "/flaky", 4), timeout=20)
    rows = await eventually(lambda: _all_settled(hooks, tokens, hook["id"], 2))
    by_event = {r["event_id"]: r for r in rows}
    assert by_event[doomed.id]["status"] == "failed"
    assert by_event[doomed.id]["attempts"] == 3
    assert by_event[doomed.id]["last_error"] == "HTTP 500"
    assert by_event[later.id]["status"] == "delivered"


async def test_a_deleted_webhook_gets_nothing_more(
    hooks: Any, tokens: TestTokens, receiver: Receiver
) -> None:
    school = new_id()
    hook = await register(hooks, tokens, f"{receiver.base_url}/gone", school, "journal.mark.*")
    deleted = await hooks.delete(f"{PATH}/{hook['id']}", headers=operator(tokens))
    assert deleted.status_code == 204
    await publish(hooks, mark(new_id(), new_id()), school_id=school)

    gone = await hooks.get(f"{PATH}/{hook['id']}/deliveries", headers=operator(tokens))
    assert gone.status_code == 404
    assert receiver.at("/gone") == []
    again = await hooks.delete(f"{PATH}/{hook['id']}", headers=operator(tokens))
    assert again.status_code == 404


async def test_the_secret_is_shown_once_and_the_school_admin_manages_only_their_school(
    hooks: Any, tokens: TestTokens
) -> None:
    school = new_id()
    admin = tokens.headers(roles=["school_admin"], school_id=school, person_id=new_id())
    body = {"url": "https://crm.example.ru/ej", "event_types": ["journal.#"], "school_id": school}
    created = await hooks.post(PATH, json=body, headers=admin)
    assert created.status_code == 201, created.text
    assert created.json()["secret"].startswith("whsec_")

    listed = await hooks.get(PATH, params={"school_id": school}, headers=admin)
    [entry] = listed.json()["webhooks"]
    assert "secret" not in entry
    one = await hooks.get(f"{PATH}/{entry['id']}", headers=admin)
    assert "secret" not in one.json()

    elsewhere = await hooks.post(PATH, json={**body, "school_id": new_id()}, headers=admin)
    assert elsewhere.status_code == 404
    stranger = tokens.headers(roles=["school_admin"], school_id=new_id(), person_id=new_id())
    assert (await hooks.get(f"{PATH}/{entry['id']}", headers=stranger)).status_code == 404
    assert (await hooks.delete(f"{PATH}/{entry['id']}", headers=stranger)).status_code == 404


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"url": "ftp://files.example.ru/hook"}, "validation_error"),
        ({"url": "not a url"}, "validation_error"),
        ({"url": "https://x.ru/" + "a" * 2100}, "url_too_long"),
        ({"event_types": []}, "validation_error"),
        ({"event_types": ["journal..mark"]}, "validation_error"),
        ({"event_types": ["journal.mark.deleted"]}, "unknown_event_type"),
        ({"event_types": ["identity.person.registered"]}, "unknown_event_type"),
        ({"event_types": ["notify.#"]}, "unknown_event_type"),
        ({"school_id": None}, "validation_error"),
        ({"secret": "mine"}, "validation_error"),
    ],
)
async def test_bad_webhooks_are_refused_with_problem_json(
    hooks: Any, tokens: TestTokens, change: dict[str, Any], code: str
) -> None:
    body = {
        "url": "https://crm.example.ru/ej",
        "event_types": ["journal.mark.*"],
        "school_id": new_id(),
    }
    response = await hooks.post(PATH, json={**body, **change}, headers=operator(tokens))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code


async def _count(receiver: Receiver, path: str, count: int) -> list[Any]:
    calls = receiver.at(path)
    assert len(calls) >= count
    return calls


async def _all_delivered(
    client: Any, tokens: TestTokens, webhook_id: str, count: int
) -> list[dict[str, Any]]:
    rows = await deliveries(client, tokens, webhook_id)
    assert len(rows) == count and all(r["status"] == "delivered" for r in rows)
    return rows


async def _all_settled(
    client: Any, tokens: TestTokens, webhook_id: str, count: int
) -> list[dict[str, Any]]:
    rows = await deliveries(client, tokens, webhook_id)
    assert len(rows) == count and all(r["status"] != "pending" for r in rows)
    return rows
