"""The policy as a matrix: every endpoint × every role × own school / another school.

"own": the caller belongs to the school of the objects (school A); "other": the same role in
school B. The operator has no school: both columns are the same call. Another school's
objects answer 404 (or 422 for message recipients), never revealing they exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from contracts.identity import PersonKind, Role
from kit.db import new_id
from kit.testing.tokens import TestTokens
from services.notify.api import routers
from services.notify.tests.factories import person, publish

ROLES = [r.value for r in Role]
LEADERS = {"school_admin", "director", "deputy"}
WRITERS = {"school_admin", "director", "deputy", "teacher"}
KIND: dict[str, PersonKind] = {"student": "student", "parent": "parent"}


@dataclass
class World:
    """School A with one person per role, a staff member, a parent, a message to everyone
    of A, and a webhook of A; school B exists only in tokens."""

    a: str = field(default_factory=new_id)
    b: str = field(default_factory=new_id)
    people: dict[str, str] = field(default_factory=dict)
    staff: str = ""
    parent: str = ""
    message: str = ""
    webhook: str = ""


@pytest.fixture(scope="module")
async def world(notify: Any, tokens: TestTokens) -> World:
    w = World()
    members = {
        role: person(w.a, KIND.get(role, "staff"), "Роль", role, roles=[role]) for role in ROLES
    }
    staff = person(w.a, "staff", "Завуч", "Ольга", roles=["deputy"])
    parent = person(w.a, "parent", "Родитель", "Анна")
    await publish(notify, *members.values(), staff, parent, school_id=w.a)
    w.people = {role: p.person_id for role, p in members.items()}
    w.staff, w.parent = staff.person_id, parent.person_id
    sent = await notify.post(
        "/notify/v1/messages",
        json={"recipient_ids": list(w.people.values()), "subject": "Собрание", "body": "В 18:00"},
        headers=tokens.headers(roles=["deputy"], school_id=w.a, person_id=w.staff),
    )
    assert sent.status_code == 201, sent.text
    w.message = sent.json()["id"]
    w.webhook = await _webhook(notify, tokens, w)
    return w


async def _webhook(notify: Any, tokens: TestTokens, w: World) -> str:
    created = await notify.post(
        "/notify/v1/webhooks",
        json={"url": "https://crm.example.ru/ej", "event_types": ["journal.#"], "school_id": w.a},
        headers=tokens.headers(roles=["operator"], school_id=None),
    )
    assert created.status_code == 201, created.text
    return created.json()["id"]  # type: ignore[no-any-return]


def school_member(ok: int) -> Callable[[str, str], int]:
    """Anyone of a school: `ok`; the operator (no school, no person): 403."""
    return lambda role, place: 403 if role == "operator" else ok


def deliveries_of_a_parent(role: str, place: str) -> int:
    if role == "operator":
        return 403
    return 200 if role in LEADERS else 403  # in school B a leader just sees nothing


def write_to(recipient_kind: str) -> Callable[[str, str], int]:
    def expected(role: str, place: str) -> int:
        if role == "operator":
            return 403
        if place == "other":
            return 422  # A's people are unknown in B
        return 201 if role in WRITERS or recipient_kind == "staff" else 403

    return expected


def own_message(role: str, place: str) -> int:
    if role == "operator":
        return 403
    return 200 if place == "own" else 404


def webhook_admin(ok: int) -> Callable[[str, str], int]:
    def expected(role: str, place: str) -> int:
        if role == "operator":
            return ok
        if role == "school_admin":
            return ok if place == "own" else 404
        return 403

    return expected


Call = Callable[[World, str], tuple[str, str, dict[str, Any]]]

ENDPOINTS: dict[str, tuple[Call, Callable[[str, str], int]]] = {
    "GET deliveries of a parent": (
        lambda w, role: ("GET", "/notify/v1/deliveries", {"params": {"recipient_id": w.parent}}),
        deliveries_of_a_parent,
    ),
    "GET subscription": (
        lambda w, role: ("GET", "/notify/v1/subscriptions/me", {}),
        school_member(200),
    ),
    "PUT subscription": (
        lambda w, role: (
            "PUT",
            "/notify/v1/subscriptions/me",
            {"json": {"email": True, "email_address": "x@example.ru", "digest": "weekly"}},
        ),
        school_member(200),
    ),
    "POST message to a parent": (
        lambda w, role: ("POST", "/notify/v1/messages", {"json": _letter(w.parent)}),
        write_to("parent"),
    ),
    "POST message to staff": (
        lambda w, role: ("POST", "/notify/v1/messages", {"json": _letter(w.staff)}),
        write_to("staff"),
    ),
    "GET messages": (lambda w, role: ("GET", "/notify/v1/messages", {}), school_member(200)),
    "GET a message": (
        lambda w, role: ("GET", f"/notify/v1/messages/{w.message}", {}),
        own_message,
    ),
    "POST message read": (
        lambda w, role: ("POST", f"/notify/v1/messages/{w.message}/read", {}),
        own_message,
    ),
    "GET recipients": (lambda w, role: ("GET", "/notify/v1/recipients", {}), school_member(200)),
    "POST webhook": (
        lambda w, role: (
            "POST",
            "/notify/v1/webhooks",
            {
                "json": {
                    "url": "https://crm.example.ru/x",
                    "event_types": ["journal.mark.*"],
                    "school_id": w.a,
                }
            },
        ),
        webhook_admin(201),
    ),
    "GET webhooks": (
        lambda w, role: ("GET", "/notify/v1/webhooks", {"params": {"school_id": w.a}}),
        webhook_admin(200),
    ),
    "GET a webhook": (
        lambda w, role: ("GET", f"/notify/v1/webhooks/{w.webhook}", {}),
        webhook_admin(200),
    ),
    "GET webhook deliveries": (
        lambda w, role: ("GET", f"/notify/v1/webhooks/{w.webhook}/deliveries", {}),
        webhook_admin(200),
    ),
    "DELETE webhook": (
        lambda w, role: ("DELETE", "/notify/v1/webhooks/{fresh}", {}),
        webhook_admin(204),
    ),
}


def _letter(recipient: str) -> dict[str, Any]:
    return {"recipient_ids": [recipient], "subject": "Вопрос", "body": "Текст"}


@pytest.mark.parametrize("place", ["own", "other"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
async def test_policy_matrix(
    notify: Any, tokens: TestTokens, world: World, endpoint: str, role: str, place: str
) -> None:
    call, expected = ENDPOINTS[endpoint]
    method, path, kwargs = call(world, role)
    if "{fresh}" in path:
        path = path.replace("{fresh}", await _webhook(notify, tokens, world))
    if role == "operator":
        headers = tokens.headers(roles=[role], school_id=None)
    elif place == "own":
        headers = tokens.headers(roles=[role], school_id=world.a, person_id=world.people[role])
    else:
        headers = tokens.headers(roles=[role], school_id=world.b, person_id=new_id())
    response = await notify.request(method, path, headers=headers, **kwargs)
    assert response.status_code == expected(role, place), response.text
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"
    if endpoint == "GET deliveries of a parent" and place == "other" and response.is_success:
        assert response.json()["deliveries"] == []  # a leader of B sees nothing of A


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
async def test_every_endpoint_needs_a_token(notify: Any, world: World, endpoint: str) -> None:
    method, path, kwargs = ENDPOINTS[endpoint][0](world, "teacher")
    response = await notify.request(method, path.replace("{fresh}", new_id()), **kwargs)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_the_matrix_covers_every_route_of_the_api() -> None:
    routes = {
        f"{method} {getattr(route, 'path', '')}"
        for router in routers
        for route in router.routes
        for method in getattr(route, "methods", ())
    }
    sample = World(message="{message_id}", webhook="{webhook_id}")
    covered = set()
    for call, _ in ENDPOINTS.values():
        method, path, _ = call(sample, "teacher")
        covered.add(f"{method} {path.replace('{fresh}', '{webhook_id}')}")
    assert routes - {"GET /notify/asyncapi.json"} == covered
