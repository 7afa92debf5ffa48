"""The policy matrix: every endpoint × every role × own school / other school.

The expected answers are written by hand in `ALLOWED` from docs/identity.md ("Roles and what
each may do"), README's roles and REGULATION (R-SEC-2..6, R-YR-3, R-RPT-3), never computed
from `policy.py`: allowed → the endpoint's success status; not allowed → 403; another
school's object → 404 whatever the role (never revealing it exists). Real tokens, real
database, real Redis.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from contracts.identity import Role
from services.identity.models import Consent
from services.identity.policy import Action
from services.identity.tests.conftest import running_identity
from services.identity.tests.factories import PASSWORD, Harness, Member, surname

SCHOOL_ROLES = [r.value for r in Role if r is not Role.operator]
ACTORS = ["operator", *SCHOOL_ROLES, "class_teacher"]
"""`class_teacher` is a teacher who leads the class of the target student."""


@dataclass
class School:
    id: str
    actors: dict[str, Member]
    student: Any
    parent: Any
    staff: Any
    admin: Any
    class_id: str


@dataclass
class World:
    identity: Harness
    operator: Member
    schools: dict[str, School] = field(default_factory=dict)

    async def fresh_person(self, school: str, kind: str, *roles: str) -> Any:
        person = await self.identity.person(self.schools[school].id, kind, roles=tuple(roles))
        await self.identity.account(person)
        return person

    async def fresh_account(self, school: str) -> Any:
        return (await self.identity.member(self.schools[school].id, "student")).account

    async def parent_with_consent(self, school: str) -> Any:
        parent = await self.identity.person(self.schools[school].id, "parent")
        async with self.identity.db.unit_of_work() as session:
            session.add(
                Consent(
                    school_id=parent.school_id,
                    person_id=parent.id,
                    document="бланк",
                    given_on=dt.date(2026, 9, 1),
                    recorded_by=self.operator.account.id,
                    recorded_at=self.identity.now(),
                )
            )
        return parent


Request = tuple[str, str, dict[str, Any]]


@dataclass(frozen=True)
class Endpoint:
    """One endpoint, the policy action it needs, and how to call it on school "A"."""

    name: str
    action: Action | None
    target: str
    ok: tuple[int, ...]
    call: Callable[[World], Request | Awaitable[Request]]


def _csv() -> bytes:
    return f"тип;фамилия;имя;дата рождения;пол\nученик;{surname()};Ян;01.01.2015;м\n".encode()


def own_school(world: World) -> School:
    return world.schools["A"]


async def create(world: World, kind: str, roles: list[str]) -> Request:
    body: dict[str, Any] = {
        "kind": kind,
        "last_name": surname(),
        "first_name": "Анна",
        "roles": roles,
    }
    if kind == "student":
        body |= {"birth_date": "2015-01-01", "sex": "female"}
    return "POST", f"/identity/v1/schools/{own_school(world).id}/people", {"json": body}


async def change_roles(world: World) -> Request:
    person = await world.fresh_person("A", "staff", "teacher")
    return "PATCH", f"/identity/v1/people/{person.id}", {"json": {"roles": ["deputy", "teacher"]}}


async def compromise(world: World) -> Request:
    account = await world.fresh_account("A")
    return "POST", f"/identity/v1/accounts/{account.id}/compromise", {"json": {"note": "тест"}}


async def record_consent(world: World) -> Request:
    parent = await world.identity.person(own_school(world).id, "parent")
    return "POST", f"/identity/v1/people/{parent.id}/consent", {"json": {"document": "бланк"}}


async def withdraw_consent(world: World) -> Request:
    parent = await world.parent_with_consent("A")
    return "POST", f"/identity/v1/people/{parent.id}/consent/withdrawal", {"json": {}}


def get(path: Callable[[School], str]) -> Callable[[World], Awaitable[Request]]:
    async def call(world: World) -> Request:
        return "GET", path(own_school(world)), {}

    return call


# fmt: off
ENDPOINTS = [
    Endpoint("register school", Action.register_school, "city", (201,),
             lambda w: ("POST", "/identity/v1/schools", {"json": {"name": f"Школа {surname()}", "timezone": "Asia/Yekaterinburg"}})),
    Endpoint("list schools", Action.list_schools, "city", (200,), get(lambda s: "/identity/v1/schools")),
    Endpoint("read school", Action.read_school, "school", (200,), get(lambda s: f"/identity/v1/schools/{s.id}")),
    Endpoint("update school", Action.update_school, "school", (200,),
             lambda w: ("PATCH", f"/identity/v1/schools/{own_school(w).id}", {"json": {"timezone": "Europe/Moscow"}})),
    Endpoint("create school admin", Action.create_school_admin, "school", (201,),
             lambda w: create(w, "staff", ["school_admin"])),
    Endpoint("create staff", Action.create_staff, "school", (201,), lambda w: create(w, "staff", ["teacher"])),
    Endpoint("create student", Action.create_family, "school", (201,), lambda w: create(w, "student", [])),
    Endpoint("import people", Action.import_people, "school", (200,),
             lambda w: ("POST", f"/identity/v1/schools/{own_school(w).id}/people:import",
                               {"files": {"file": ("list.csv", _csv(), "text/csv")}})),
    Endpoint("list people", Action.list_people, "school", (200,), get(lambda s: f"/identity/v1/schools/{s.id}/people")),
    Endpoint("read student", Action.read_person, "family", (200,), get(lambda s: f"/identity/v1/people/{s.student.id}")),
    Endpoint("read staff", Action.read_person, "staff", (200,), get(lambda s: f"/identity/v1/people/{s.staff.id}")),
    Endpoint("update student", Action.update_family, "family", (200,),
             lambda w: ("PATCH", f"/identity/v1/people/{own_school(w).student.id}", {"json": {"middle_name": "Петровна"}})),
    Endpoint("update staff", Action.update_staff, "staff", (200,),
             lambda w: ("PATCH", f"/identity/v1/people/{own_school(w).staff.id}", {"json": {"middle_name": "Ивановна"}})),
    Endpoint("change roles", Action.change_roles, "staff", (200,), change_roles),
    Endpoint("link guardian", Action.link_guardian, "family", (200, 201),
             lambda w: ("POST", "/identity/v1/guardianships",
                               {"json": {"parent_id": own_school(w).parent.id, "student_id": own_school(w).student.id}})),
    Endpoint("class roster", Action.read_roster, "class", (200,), get(lambda s: f"/identity/v1/classes/{s.class_id}/roster")),
    Endpoint("credentials of admin", Action.issue_admin_credentials, "staff", (201,),
             lambda w: ("POST", f"/identity/v1/people/{own_school(w).admin.id}/credentials", {})),
    Endpoint("credentials of staff", Action.issue_staff_credentials, "staff", (201,),
             lambda w: ("POST", f"/identity/v1/people/{own_school(w).staff.id}/credentials", {})),
    Endpoint("credentials of student", Action.issue_family_credentials, "family", (201,),
             lambda w: ("POST", f"/identity/v1/people/{own_school(w).student.id}/credentials", {})),
    Endpoint("credentials of parent", Action.issue_family_credentials, "family", (201,),
             lambda w: ("POST", f"/identity/v1/people/{own_school(w).parent.id}/credentials", {})),
    Endpoint("slip of student", Action.issue_family_credentials, "family", (200,),
             get(lambda s: f"/identity/v1/people/{s.student.id}/credential-slip.pdf")),
    Endpoint("slip of staff", Action.issue_staff_credentials, "staff", (200,),
             get(lambda s: f"/identity/v1/people/{s.staff.id}/credential-slip.pdf")),
    Endpoint("credentials of a class", Action.issue_family_credentials, "class", (201,),
             lambda w: ("POST", f"/identity/v1/classes/{own_school(w).class_id}/credentials", {"json": {}})),
    Endpoint("slips of a class", Action.issue_family_credentials, "class", (200,),
             get(lambda s: f"/identity/v1/classes/{s.class_id}/credential-slips.pdf")),
    Endpoint("compromise", Action.report_compromise, "account", (200,), compromise),
    Endpoint("record consent", Action.record_consent, "family", (201,), record_consent),
    Endpoint("withdraw consent", Action.record_consent, "family", (200,), withdraw_consent),
    Endpoint("read consent", Action.read_consent, "family", (200,), get(lambda s: f"/identity/v1/people/{s.parent.id}/consent")),
    Endpoint("parents without consent", Action.list_missing_consents, "school", (200,),
             get(lambda s: f"/identity/v1/schools/{s.id}/consents/missing")),
    Endpoint("access log", Action.read_access_log, "school", (200,), get(lambda s: f"/identity/v1/schools/{s.id}/access-log")),
    Endpoint("activity", Action.read_activity, "school", (200,),
             get(lambda s: f"/identity/v1/schools/{s.id}/activity?month=2026-11")),
    Endpoint("me", None, "self", (200,), get(lambda s: "/identity/v1/me")),
    Endpoint("change password", None, "self", (200,),
             lambda w: ("POST", "/identity/v1/me/password",
                               {"json": {"old_password": PASSWORD, "new_password": f"новый пароль {surname()}"}})),
    Endpoint("logout", None, "self", (204,), lambda w: ("POST", "/identity/v1/logout", {})),
]
# fmt: on


# Who gets the endpoint's success status in their own school; every other actor 403. The
# class teacher (`ct`) leads the class of the target student (whose parent is the target
# parent); `self` actions are anyone's. Columns in the order of ACTORS.
# fmt: off
COLUMNS = "op adm dir dep tch sec sch stu par ct"
ALLOWED = {
    "register school":          "op  .   .   .   .   .   .   .   .   .",   # R-SEC-5
    "list schools":             "op  .   .   .   .   .   .   .   .   .",
    "read school":              "op  adm dir dep tch sec sch stu par ct",
    "update school":            "op  adm .   .   .   .   .   .   .   .",
    "create school admin":      "op  adm .   .   .   .   .   .   .   .",   # R-SEC-5
    "create staff":             ".   adm .   .   .   .   .   .   .   .",
    "create student":           ".   adm .   .   .   sec .   .   .   ct",   # R-YR-3
    "import people":            ".   adm .   .   .   sec .   .   .   .",
    "list people":              ".   adm dir dep .   sec .   .   .   .",
    "read student":             ".   adm dir dep .   sec .   .   .   ct",
    "read staff":               ".   adm dir dep .   sec .   .   .   .",
    "update student":           ".   adm .   .   .   sec .   .   .   ct",   # R-YR-3
    "update staff":             ".   adm .   .   .   .   .   .   .   .",
    "change roles":             ".   adm .   .   .   .   .   .   .   .",   # R-SEC-5
    "link guardian":            ".   adm .   .   .   sec .   .   .   ct",
    "class roster":             ".   adm dir dep .   sec .   .   .   ct",
    "credentials of admin":     "op  adm .   .   .   .   .   .   .   .",   # R-SEC-2
    "credentials of staff":     ".   adm .   .   .   .   .   .   .   .",   # R-SEC-2
    "credentials of student":   ".   adm .   .   .   .   .   .   .   ct",   # R-SEC-6
    "credentials of parent":    ".   adm .   .   .   .   .   .   .   ct",   # R-SEC-2
    "slip of student":          ".   adm .   .   .   .   .   .   .   ct",
    "slip of staff":            ".   adm .   .   .   .   .   .   .   .",
    "credentials of a class":   ".   adm .   .   .   .   .   .   .   ct",   # R-SEC-6
    "slips of a class":         ".   adm .   .   .   .   .   .   .   ct",
    "compromise":               "op  adm dir .   .   .   .   .   .   .",   # R-SEC-4
    "record consent":           ".   adm .   .   .   .   .   .   .   .",   # R-SEC-3
    "withdraw consent":         ".   adm .   .   .   .   .   .   .   .",   # R-SEC-3
    "read consent":             ".   adm dir .   .   .   .   .   .   .",
    "parents without consent":  ".   adm dir .   .   .   .   .   .   .",
    "access log":               ".   adm dir .   .   .   .   .   .   .",   # R-SEC-1, R-SEC-5
    "activity":                 ".   adm dir dep .   .   .   .   .   .",   # R-RPT-3
    "me":                       "op  adm dir dep tch sec sch stu par ct",
    "change password":          "op  adm dir dep tch sec sch stu par ct",
    "logout":                   "op  adm dir dep tch sec sch stu par ct",
}
# fmt: on


def allowed(endpoint: Endpoint, actor: str) -> bool:
    cell = ALLOWED[endpoint.name].split()[ACTORS.index(actor)]
    return cell != "."


def cases() -> list[Any]:
    found: list[Any] = []
    for endpoint in ENDPOINTS:
        for actor in ACTORS:
            scopes = (
                ["own"]
                if actor == "operator" or endpoint.target in ("city", "self")
                else ["own", "other"]
            )
            found.extend(
                pytest.param(endpoint, actor, scope, id=f"{endpoint.name}-{actor}-{scope}")
                for scope in scopes
            )
    return found


def expected(endpoint: Endpoint, actor: str, scope: str) -> tuple[int, ...]:
    if scope == "other":
        return (404,)
    return endpoint.ok if allowed(endpoint, actor) else (403,)


async def build_school(identity: Harness, world: World, key: str) -> School:
    school = await identity.school()
    actors = {
        role: await identity.member(school.id, _kind(role), *_roles(role)) for role in SCHOOL_ROLES
    }
    actors["class_teacher"] = await identity.member(school.id, "staff", "teacher")
    student, parent = (
        await identity.person(school.id, "student"),
        await identity.person(school.id, "parent"),
    )
    staff = await identity.person(school.id, "staff", roles=("teacher",))
    admin = await identity.person(school.id, "staff", roles=("school_admin",))
    for person in (student, parent, staff, admin):
        await identity.account(person)
    await identity.link(parent, student)
    class_id = await identity.lead_class(school.id, actors["class_teacher"].person, [student])
    return School(school.id, actors, student, parent, staff, admin, class_id)


def _kind(role: str) -> str:
    return role if role in ("student", "parent") else "staff"


def _roles(role: str) -> tuple[str, ...]:
    return () if role in ("student", "parent") else (role,)


@pytest.fixture(scope="module")
async def world(
    make_database: Any, amqp_url: str, redis_url: str, run_id: str, rabbit_cleanup: list[str]
) -> AsyncIterator[World]:
    async with running_identity(
        make_database, amqp_url, redis_url, run_id, rabbit_cleanup
    ) as identity:
        found = World(identity, await identity.operator())
        for key in ("A", "B"):
            found.schools[key] = await build_school(identity, found, key)
        yield found


@pytest.mark.parametrize(("endpoint", "actor", "scope"), cases())
async def test_policy_matrix(world: World, endpoint: Endpoint, actor: str, scope: str) -> None:
    identity = world.identity
    member = (
        world.operator
        if actor == "operator"
        else world.schools["A" if scope == "own" else "B"].actors[actor]
    )
    await identity.refresh_headers(member)
    want = expected(endpoint, actor, scope)
    call = endpoint.call(world)
    method, url, kwargs = await call if inspect.isawaitable(call) else call
    response = await identity.client.request(method, url, headers=member.headers, **kwargs)
    assert response.status_code in want, (response.status_code, want, response.text[:300])
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"]


def test_the_table_answers_every_endpoint_for_every_actor() -> None:
    columns = COLUMNS.split()
    assert len(columns) == len(ACTORS)
    assert set(ALLOWED) == {e.name for e in ENDPOINTS}
    for name, row in ALLOWED.items():
        cells = row.split()
        assert len(cells) == len(columns), name
        assert all(c in (".", column) for c, column in zip(cells, columns, strict=True)), name


def test_every_route_of_the_service_is_in_the_matrix() -> None:
    from services.identity.api import routers

    routes = {
        (method, route.path)  # type: ignore[attr-defined]
        for router in routers
        for route in router.routes
        for method in route.methods  # type: ignore[attr-defined]
    }
    public = {
        ("POST", "/identity/v1/token"),
        ("POST", "/identity/v1/token/refresh"),
        ("GET", "/identity/.well-known/jwks.json"),
    }
    # fmt: off
    covered = {
        ("POST", "/identity/v1/schools"), ("GET", "/identity/v1/schools"),
        ("GET", "/identity/v1/schools/{school_id}"), ("PATCH", "/identity/v1/schools/{school_id}"),
        ("POST", "/identity/v1/schools/{school_id}/people"),
        ("POST", "/identity/v1/schools/{school_id}/people:import"),
        ("GET", "/identity/v1/schools/{school_id}/people"),
        ("GET", "/identity/v1/people/{person_id}"), ("PATCH", "/identity/v1/people/{person_id}"),
        ("POST", "/identity/v1/guardianships"), ("GET", "/identity/v1/classes/{class_id}/roster"),
        ("POST", "/identity/v1/people/{person_id}/credentials"),
        ("GET", "/identity/v1/people/{person_id}/credential-slip.pdf"),
        ("POST", "/identity/v1/classes/{class_id}/credentials"),
        ("GET", "/identity/v1/classes/{class_id}/credential-slips.pdf"),
        ("POST", "/identity/v1/accounts/{account_id}/compromise"),
        ("POST", "/identity/v1/people/{person_id}/consent"),
        ("POST", "/identity/v1/people/{person_id}/consent/withdrawal"),
        ("GET", "/identity/v1/people/{person_id}/consent"),
        ("GET", "/identity/v1/schools/{school_id}/consents/missing"),
        ("GET", "/identity/v1/schools/{school_id}/access-log"),
        ("GET", "/identity/v1/schools/{school_id}/activity"),
        ("GET", "/identity/v1/me"), ("POST", "/identity/v1/me/password"),
        ("POST", "/identity/v1/logout"),
    }
    # fmt: on
    assert routes == public | covered
    assert {e.action for e in ENDPOINTS if e.action} == set(Action)
