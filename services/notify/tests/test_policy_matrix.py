"""The policy as a matrix: every endpoint × every role × own school / another school.

"own": the caller belongs to the school of the objects (school A); "other": the same role in
school B. The operator has no school: both rows are the same call. Another school's
objects answer 404 (or 422 for message recipients), never revealing they exist.

The expected statuses are written by hand in `EXPECTED` from docs/notify.md ("HTTP API",
"Internal mail"), README's roles and REGULATION (R-NTF-1, R-NTF-2, R-REC-2), never computed
from `policy.py` or from a copy of its rules.
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


Call = Callable[[World, str], tuple[str, str, dict[str, Any]]]

# The status each role gets: first row in its own school (A), second as the same role of
# school B. Columns in the order of ROLES.
# fmt: off
COLUMNS = "op adm dir dep tch sec sch stu par"  # operator, school_admin, director, …, parent
EXPECTED: dict[str, tuple[str, str]] = {
    # your own deliveries; the school's leaders anyone's of their school (B's see nothing of A)
    "GET deliveries of a parent": ("403 200 200 200 403 403 403 403 403",
                                   "403 200 200 200 403 403 403 403 403"),
    # any person of a school; the city operator has no subscription or mailbox
    "GET subscription":           ("403 200 200 200 200 200 200 200 200",
                                   "403 200 200 200 200 200 200 200 200"),
    "PUT subscription":           ("403 200 200 200 200 200 200 200 200",
                                   "403 200 200 200 200 200 200 200 200"),
    # R-NTF-1: staff who teach or lead write to anyone; the others to staff only; another
    # school's person is an unknown recipient (422)
    "POST message to a parent":   ("403 201 201 201 201 403 403 403 403",
                                   "403 422 422 422 422 422 422 422 422"),
    "POST message to staff":      ("403 201 201 201 201 201 201 201 201",   # R-NTF-2
                                   "403 422 422 422 422 422 422 422 422"),
    "GET messages":               ("403 200 200 200 200 200 200 200 200",
                                   "403 200 200 200 200 200 200 200 200"),
    # everyone of A received the message; a stranger finds no such message
    "GET a message":              ("403 200 200 200 200 200 200 200 200",
                                   "403 404 404 404 404 404 404 404 404"),
    "POST message read":          ("403 200 200 200 200 200 200 200 200",
                                   "403 404 404 404 404 404 404 404 404"),
    "GET recipients":             ("403 200 200 200 200 200 200 200 200",
                                   "403 200 200 200 200 200 200 200 200"),
    # the operator for any school, a school admin for their own
    "POST webhook":               ("201 201 403 403 403 403 403 403 403",
                                   "201 404 403 403 403 403 403 403 403"),
    "GET webhooks":               ("200 200 403 403 403 403 403 403 403",
                                   "200 404 403 403 403 403 403 403 403"),
    "GET a webhook":              ("200 200 403 403 403 403 403 403 403",
                                   "200 404 403 403 403 403 403 403 403"),
    "GET webhook deliveries":     ("200 200 403 403 403 403 403 403 403",
                                   "200 404 403 403 403 403 403 403 403"),
    "DELETE webhook":             ("204 204 403 403 403 403 403 403 403",
                                   "204 404 403 403 403 403 403 403 403"),
}
# fmt: on


def expected(endpoint: str, role: str, place: str) -> int:
    own, other = EXPECTED[endpoint]
    return int((own if place == "own" else other).split()[ROLES.index(role)])


ENDPOINTS: dict[str, Call] = {
    "GET deliveries of a parent": lambda w, role: (
        "GET",
        "/notify/v1/deliveries",
        {"params": {"recipient_id": w.parent}},
    ),
    "GET subscription": lambda w, role: ("GET", "/notify/v1/subscriptions/me", {}),
    "PUT subscription": lambda w, role: (
        "PUT",
        "/notify/v1/subscriptions/me",
        {"json": {"email": True, "email_address": "x@example.ru", "digest": "weekly"}},
    ),
    "POST message to a parent": lambda w, role: (
        "POST",
        "/notify/v1/messages",
        {"json": _letter(w.parent)},
    ),
    "POST message to staff": lambda w, role: (
        "POST",
        "/notify/v1/messages",
        {"json": _letter(w.staff)},
    ),
    "GET messages": lambda w, role: ("GET", "/notify/v1/messages", {}),
    "GET a message": lambda w, role: ("GET", f"/notify/v1/messages/{w.message}", {}),
    "POST message read": lambda w, role: ("POST", f"/notify/v1/messages/{w.message}/read", {}),
    "GET recipients": lambda w, role: ("GET", "/notify/v1/recipients", {}),
    "POST webhook": lambda w, role: (
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
    "GET webhooks": lambda w, role: ("GET", "/notify/v1/webhooks", {"params": {"school_id": w.a}}),
    "GET a webhook": lambda w, role: ("GET", f"/notify/v1/webhooks/{w.webhook}", {}),
    "GET webhook deliveries": lambda w, role: (
        "GET",
        f"/notify/v1/webhooks/{w.webhook}/deliveries",
        {},
    ),
    "DELETE webhook": lambda w, role: ("DELETE", "/notify/v1/webhooks/{fresh}", {}),
}


def _letter(recipient: str) -> dict[str, Any]:
    return {"recipient_ids": [recipient], "subject": "Вопрос", "body": "Текст"}


@pytest.mark.parametrize("place", ["own", "other"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
async def test_policy_matrix(
    notify: Any, tokens: TestTokens, world: World, endpoint: str, role: str, place: str
) -> None:
    method, path, kwargs = ENDPOINTS[endpoint](world, role)
    if "{fresh}" in path:
        path = path.replace("{fresh}", await _webhook(notify, tokens, world))
    if role == "operator":
        headers = tokens.headers(roles=[role], school_id=None)
    elif place == "own":
        headers = tokens.headers(roles=[role], school_id=world.a, person_id=world.people[role])
    else:
        headers = tokens.headers(roles=[role], school_id=world.b, person_id=new_id())
    response = await notify.request(method, path, headers=headers, **kwargs)
    assert response.status_code == expected(endpoint, role, place), response.text
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"
    if endpoint == "GET deliveries of a parent" and place == "other" and response.is_success:
        assert response.json()["deliveries"] == []  # a leader of B sees nothing of A


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
async def test_every_endpoint_needs_a_token(notify: Any, world: World, endpoint: str) -> None:
    method, path, kwargs = ENDPOINTS[endpoint](world, "teacher")
    response = await notify.request(method, path.replace("{fresh}", new_id()), **kwargs)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_the_table_answers_every_endpoint_for_every_role() -> None:
    assert len(COLUMNS.split()) == len(ROLES)
    assert set(EXPECTED) == set(ENDPOINTS)
    for name, rows in EXPECTED.items():
        for row in rows:
            assert len(row.split()) == len(ROLES), name
            assert all(int(cell) in (200, 201, 204, 403, 404, 422) for cell in row.split())


def test_the_matrix_covers_every_route_of_the_api() -> None:
    routes = {
        f"{method} {getattr(route, 'path', '')}"
        for router in routers
        for route in router.routes
        for method in getattr(route, "methods", ())
    }
    sample = World(message="{message_id}", webhook="{webhook_id}")
    covered = set()
    for call in ENDPOINTS.values():
        method, path, _ = call(sample, "teacher")
        covered.add(f"{method} {path.replace('{fresh}', '{webhook_id}')}")
    assert routes - {"GET /notify/asyncapi.json"} == covered
