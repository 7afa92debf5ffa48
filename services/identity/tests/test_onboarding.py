"""A school is set up over HTTP, and every kind of user logs in (the issue's "done means")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import httpx

from kit.migrations import upgrade
from kit.runtime import Runtime
from kit.usecase import Actor, UseCase
from services.identity.app import MIGRATIONS, build
from services.identity.service.operators import ensure_operator
from services.identity.settings import IdentitySettings
from services.identity.tests.conftest import client_for
from services.identity.tests.factories import Harness

DEMO_PASSWORD = "demo-password"


def bearer(response: Any) -> dict[str, str]:
    assert response.status_code in (200, 201), response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def log_in(client: httpx.AsyncClient, login: str, password: str) -> httpx.Response:
    return await client.post("/identity/v1/token", data={"username": login, "password": password})


async def first_login(client: httpx.AsyncClient, login: str, one_time: str) -> dict[str, str]:
    """The public one-time password flow: log in, change the password, get a normal token."""
    first = await log_in(client, login, one_time)
    assert first.status_code == 200, first.text
    assert first.json()["password_change_required"] is True
    changed = await client.post(
        "/identity/v1/me/password",
        json={"old_password": one_time, "new_password": DEMO_PASSWORD},
        headers=bearer(first),
    )
    assert changed.json()["password_change_required"] is False
    return bearer(changed)


async def set_up_a_school(client: httpx.AsyncClient, runtime: Runtime) -> None:
    """What the embedded demo does: the operator, then everything over the public API."""

    def as_platform(session: Any) -> UseCase:
        return UseCase(session, runtime.outbox, Actor.system(None), runtime.clock)

    async with runtime.db.unit_of_work() as session:
        operator_id = await ensure_operator(as_platform(session), "operator", DEMO_PASSWORD)
    async with runtime.db.unit_of_work() as session:
        again = await ensure_operator(as_platform(session), "operator", DEMO_PASSWORD)
        assert again == operator_id
    operator = bearer(await log_in(client, "operator", DEMO_PASSWORD))

    school = await client.post(
        "/identity/v1/schools",
        json={"name": "Школа №154", "timezone": "Europe/Moscow"},
        headers=operator,
    )
    assert school.status_code == 201, school.text
    school_id = school.json()["id"]
    admin = await client.post(
        f"/identity/v1/schools/{school_id}/people",
        json={
            "kind": "staff",
            "last_name": "Админова",
            "first_name": "Анна",
            "roles": ["school_admin"],
        },
        headers=operator,
    )
    assert admin.status_code == 201, admin.text
    issued = await client.post(
        f"/identity/v1/people/{admin.json()['id']}/credentials",
        json={"login": "admin"},
        headers=operator,
    )
    assert issued.status_code == 201, issued.text
    assert issued.json()["login"] == "admin"
    admin_headers = await first_login(client, "admin", issued.json()["password"])

    logins = {"admin"}
    people: dict[str, str] = {}
    staff_and_family: list[tuple[str, dict[str, Any]]] = [
        ("director", {"kind": "staff", "roles": ["director"]}),
        ("deputy", {"kind": "staff", "roles": ["deputy"]}),
        ("teacher1", {"kind": "staff", "roles": ["teacher"]}),
        ("student1", {"kind": "student", "birth_date": "2014-03-02", "sex": "male"}),
        ("parent1", {"kind": "parent", "email": "parent1@example.org"}),
    ]
    for login, person in staff_and_family:
        created = await client.post(
            f"/identity/v1/schools/{school_id}/people",
            json={
                "last_name": "Петров",
                "first_name": "Пётр",
                "middle_name": login.capitalize().rstrip("1") + "ович",
                **person,
            },
            headers=admin_headers,
        )
        assert created.status_code == 201, created.text
        issued = await client.post(
            f"/identity/v1/people/{created.json()['id']}/credentials",
            json={"login": login},
            headers=admin_headers,
        )
        assert issued.status_code == 201, issued.text
        headers = await first_login(client, login, issued.json()["password"])
        me = await client.get("/identity/v1/me", headers=headers)
        assert me.status_code == 200, me.text
        assert me.json()["login"] == login
        assert me.json()["roles"] == person.get("roles", [person["kind"]])
        assert me.json()["school_id"] == school_id
        logins.add(login)
        people[login] = created.json()["id"]
    assert len(logins) == 6
    await the_rest_of_the_year(client, school_id, admin_headers, people)


async def the_rest_of_the_year(
    client: httpx.AsyncClient, school_id: str, admin: dict[str, str], people: dict[str, str]
) -> None:
    """A class list imported, a parent linked and consenting, a compromise and a new start."""
    csv = "фамилия;имя;дата рождения;пол\nСидорова;Ксения;02.02.2015;ж\n".encode("cp1251")
    imported = await client.post(
        f"/identity/v1/schools/{school_id}/people:import",
        params={"mode": "commit", "default_kind": "student"},
        files={"file": ("5А.csv", csv, "text/csv")},
        headers=admin,
    )
    assert imported.status_code == 200 and imported.json()["new_people"] == 1, imported.text
    linked = await client.post(
        "/identity/v1/guardianships",
        json={"parent_id": people["parent1"], "student_id": people["student1"]},
        headers=admin,
    )
    assert linked.status_code == 201, linked.text
    consent = await client.post(
        f"/identity/v1/people/{people['parent1']}/consent", json={"document": "№1"}, headers=admin
    )
    assert consent.status_code == 201, consent.text
    assert (await log_in(client, "student1", "not-the-password")).status_code == 401
    student = await log_in(client, "student1", DEMO_PASSWORD)
    refreshed = await client.post(
        "/identity/v1/token/refresh", json={"refresh_token": student.json()["refresh_token"]}
    )
    assert refreshed.status_code == 200
    me = await client.get("/identity/v1/me", headers=bearer(refreshed))
    compromised = await client.post(
        f"/identity/v1/accounts/{me.json()['account_id']}/compromise",
        json={"note": "потерял листок с паролем"},
        headers=admin,
    )
    assert compromised.status_code == 200, compromised.text
    assert (await client.get("/identity/v1/me", headers=bearer(refreshed))).status_code == 401
    assert (await log_in(client, "student1", DEMO_PASSWORD)).status_code == 403
    reissued = await client.post(
        f"/identity/v1/people/{people['student1']}/credentials", headers=admin
    )
    assert reissued.status_code == 201
    await first_login(client, "student1", reissued.json()["password"])
    activity = await client.get(
        f"/identity/v1/schools/{school_id}/activity",
        params={"month": dt.date.today().strftime("%Y-%m")},
        headers=admin,
    )
    assert activity.status_code == 200


async def test_a_school_is_set_up_and_every_kind_of_user_logs_in_distributed(
    identity: Harness,
) -> None:
    await set_up_a_school(identity.client, identity.runtime)


async def test_a_school_is_set_up_and_every_kind_of_user_logs_in_embedded(tmp_path: Path) -> None:
    """The embedded mode: SQLite, the in-process bus, an in-memory Redis, nothing running."""
    settings = IdentitySettings(
        mode="embedded", data_dir=tmp_path, argon2_time_cost=1, argon2_memory_kib=1024
    )
    await upgrade(settings.database_url_for("identity"), MIGRATIONS)
    app = build(settings)
    async with app.router.lifespan_context(app), client_for(app) as client:
        await set_up_a_school(client, app.state.runtime)
        jwks = await app.state.keyring.jwks()
        assert jwks == (await client.get("/identity/.well-known/jwks.json")).json()
