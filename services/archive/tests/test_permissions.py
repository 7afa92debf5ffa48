"""Who may do what in the archive: every endpoint × every role × own school / other school."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from contracts.identity import Role
from kit.testing.tokens import TestTokens
from services.archive.tests.conftest import ArchiveUnderTest
from services.archive.tests.factories import ClassJournal

RUNNERS = {Role.operator, Role.school_admin, Role.director}
READERS = RUNNERS | {Role.deputy}


@dataclass(frozen=True)
class Call:
    name: str
    method: str
    path: Callable[[ClassJournal, str], str]
    allowed: set[Role]
    ok: int
    body: Callable[[ClassJournal], dict[str, str]] | None = None
    params: Callable[[ClassJournal], dict[str, str]] | None = None


CALLS = [
    Call(
        "run",
        "POST",
        lambda j, p: "/archive/v1/runs",
        RUNNERS,
        201,
        body=lambda j: {"school_id": j.school_id, "year_id": j.year_id, "kind": "weekly"},
    ),
    Call(
        "list packages",
        "GET",
        lambda j, p: "/archive/v1/packages",
        READERS,
        200,
        params=lambda j: {"school_id": j.school_id},
    ),
    Call("read manifest", "GET", lambda j, p: f"/archive/v1/packages/{p}", READERS, 200),
    # the operator keeps the archive whole without reading its records (issue 16)
    Call(
        "read content",
        "GET",
        lambda j, p: f"/archive/v1/packages/{p}/content",
        READERS - {Role.operator},
        200,
    ),
    Call(
        "audit",
        "POST",
        lambda j, p: "/archive/v1/audits",
        RUNNERS,
        200,
        body=lambda j: {"school_id": j.school_id},
    ),
    Call(
        "list years",
        "GET",
        lambda j, p: "/archive/v1/years",
        READERS,
        200,
        params=lambda j: {"school_id": j.school_id},
    ),
]


def expected(call: Call, role: Role, own: bool) -> int:
    if role not in call.allowed:
        return 403
    if own or role is Role.operator:
        return call.ok
    return 404  # another school's archive is never revealed


async def test_archive_permission_matrix_every_endpoint_role_and_school(
    archive: ArchiveUnderTest, tokens: TestTokens
) -> None:
    ours, theirs = ClassJournal(), ClassJournal()
    packages = {}
    for journal in (ours, theirs):
        await archive.publish_and_wait(journal.envelopes(), journal.school_id)
        response = await archive.client.post(
            "/archive/v1/runs",
            json={"school_id": journal.school_id, "year_id": journal.year_id, "kind": "weekly"},
            headers=tokens.headers(roles=["operator"], school_id=None),
        )
        assert response.status_code == 201, response.text
        packages[journal.school_id] = response.json()["id"]

    mismatches = []
    for role in Role:
        school = None if role is Role.operator else ours.school_id
        headers = tokens.headers(roles=[role.value], school_id=school)
        for call in CALLS:
            for target, own in ((ours, True), (theirs, False)):
                response = await archive.client.request(
                    call.method,
                    call.path(target, packages[target.school_id]),
                    json=call.body(target) if call.body else None,
                    params=call.params(target) if call.params else None,
                    headers=headers,
                )
                want = expected(call, role, own)
                if response.status_code != want:
                    mismatches.append((call.name, role.value, own, response.status_code, want))
                elif want >= 400:
                    assert response.headers["content-type"] == "application/problem+json"
    assert mismatches == []


async def test_a_school_admin_listing_without_a_school_sees_only_their_own(
    archive: ArchiveUnderTest, tokens: TestTokens
) -> None:
    ours, theirs = ClassJournal(), ClassJournal()
    for journal in (ours, theirs):
        await archive.publish_and_wait(journal.envelopes(), journal.school_id)
        operator = tokens.headers(roles=["operator"], school_id=None)
        body = {"school_id": journal.school_id, "year_id": journal.year_id, "kind": "weekly"}
        assert (
            await archive.client.post("/archive/v1/runs", json=body, headers=operator)
        ).is_success

    listed = await archive.client.get(
        "/archive/v1/packages", headers=tokens.headers(roles=["deputy"], school_id=ours.school_id)
    )

    assert {p["school_id"] for p in listed.json()["packages"]} == {ours.school_id}


async def test_every_archive_endpoint_needs_a_token(archive: ArchiveUnderTest) -> None:
    for method, path in [
        ("POST", "/archive/v1/runs"),
        ("GET", "/archive/v1/packages"),
        ("GET", "/archive/v1/packages/x"),
        ("GET", "/archive/v1/packages/x/content"),
        ("POST", "/archive/v1/audits"),
        ("GET", "/archive/v1/years"),
    ]:
        response = await archive.client.request(method, path)
        assert response.status_code == 401, (method, path)
        assert response.json()["code"] == "not_authenticated"


async def test_a_one_time_password_session_is_refused(
    archive: ArchiveUnderTest, tokens: TestTokens
) -> None:
    response = await archive.client.get(
        "/archive/v1/packages",
        headers=tokens.headers(
            roles=["school_admin"], school_id="s1", password_change_required=True
        ),
    )
    assert response.status_code == 403
    assert response.json()["code"] == "password_change_required"
