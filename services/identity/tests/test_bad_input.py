"""Anything a client sends answers a 4xx problem, never a 500 (CONTRACT.md, "Errors")."""

from __future__ import annotations

from typing import Any

from services.identity.tests.factories import Harness


async def test_nul_characters_are_refused_not_sent_to_the_database(identity: Harness) -> None:
    school = await identity.school()
    admin = await identity.member(school.id, "staff", "school_admin")
    parent = await identity.person(school.id, "parent")
    client, headers = identity.client, admin.headers
    responses = [
        await client.get("/identity/v1/people/a%00b", headers=headers),
        await client.get(
            f"/identity/v1/schools/{school.id}/people", params={"q": "a\x00"}, headers=headers
        ),
        await client.get(
            f"/identity/v1/schools/{school.id}/access-log",
            params={"before": "\x00"},
            headers=headers,
        ),
        await client.post(
            f"/identity/v1/people/{parent.id}/consent", json={"document": "a\x00b"}, headers=headers
        ),
        await client.post("/identity/v1/token", data={"username": "a\x00b", "password": "x"}),
        await client.post("/identity/v1/token/refresh", json={"refresh_token": "a\x00.b"}),
        await client.post(
            f"/identity/v1/accounts/{admin.account.id}/compromise",
            json={"note": "\x00"},
            headers=headers,
        ),
    ]
    for response in responses:
        assert 400 <= response.status_code < 500, (response.request.url, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")


ODD_VALUES = [
    None, 0, -1, 10**30, 1.5, True, "", " ", "x" * 5000, "\u202e\u200b", "😀" * 70,
    [], ["teacher", 3], {}, {"a": 1}, "2026-02-30", "0001-01-01", "9999-12-31T23:59:59",
    "1900-01-01T00:00:00", "../../etc/passwd", "' OR 1=1 --", "Робот", "operator",
]  # fmt: skip


def _mutations(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The body with each field missing, and each field replaced by each odd value."""
    found = [{k: v for k, v in body.items() if k != key} for key in body]
    found += [{**body, key: value} for key in body for value in ODD_VALUES]
    return [*found, {}, {"unexpected": "field"}]


async def test_odd_values_in_every_body_field_answer_4xx_never_500(identity: Harness) -> None:
    school = await identity.school()
    admin = await identity.member(school.id, "staff", "school_admin")
    operator = await identity.operator()
    student = await identity.member(school.id, "student")
    parent = await identity.person(school.id, "parent")
    cases: list[tuple[str, dict[str, str], dict[str, Any]]] = [
        ("/identity/v1/schools", operator.headers, {"name": "Школа", "timezone": "Europe/Moscow"}),
        (f"/identity/v1/schools/{school.id}/people", admin.headers,
         {"kind": "student", "last_name": "Иванов", "first_name": "Иван", "middle_name": "Ильич",
          "birth_date": "2015-01-01", "sex": "male", "email": "a@example.org", "roles": []}),
        ("/identity/v1/guardianships", admin.headers,
         {"parent_id": parent.id, "student_id": student.person_id}),
        (f"/identity/v1/people/{student.person_id}/credentials", admin.headers, {"login": "abc"}),
        (f"/identity/v1/people/{parent.id}/consent", admin.headers,
         {"document": "бланк", "given_on": "2026-09-01"}),
        (f"/identity/v1/accounts/{student.account.id}/compromise", admin.headers,
         {"note": "x", "reported_at": "2026-01-01T00:00:00+00:00"}),
        ("/identity/v1/token/refresh", {}, {"refresh_token": "a.b"}),
        ("/identity/v1/me/password", student.headers,
         {"old_password": "wrong-password", "new_password": "a fine passphrase"}),
    ]  # fmt: skip
    for url, headers, body in cases:
        for mutated in _mutations(body):
            response = await identity.client.post(url, json=mutated, headers=headers)
            assert response.status_code < 500, (url, mutated, response.text[:300])
    patch_url = f"/identity/v1/people/{student.person_id}"
    for mutated in _mutations({"last_name": "Иванов", "birth_date": "2015-01-01", "roles": []}):
        response = await identity.client.patch(patch_url, json=mutated, headers=admin.headers)
        assert response.status_code < 500, (mutated, response.text[:300])


async def test_odd_query_and_path_values_answer_4xx_never_500(identity: Harness) -> None:
    school = await identity.school()
    admin = await identity.member(school.id, "staff", "school_admin")
    odd = ["", "x" * 300, "%", "😀", "-1", "99999999999999999999", "2026-13", "null", "..%2F.."]
    for value in odd:
        for url, params in [
            (f"/identity/v1/people/{value}", {}),
            (f"/identity/v1/classes/{value}/roster", {}),
            (
                f"/identity/v1/schools/{school.id}/people",
                {"kind": value, "limit": value, "q": value},
            ),
            (
                f"/identity/v1/schools/{school.id}/access-log",
                {"from": value, "before": value, "action": value},
            ),
            (f"/identity/v1/schools/{school.id}/activity", {"month": value}),
        ]:
            response = await identity.client.get(url, params=params, headers=admin.headers)
            assert response.status_code < 500, (url, params, response.text[:300])
