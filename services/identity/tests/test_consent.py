"""Consent to personal-data processing (R-SEC-3): recorded, withdrawn, who has not given it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from services.identity.tests.factories import Harness, published


async def test_the_administrator_records_and_withdraws_a_parents_consent_R_SEC_3(
    identity: Harness,
) -> None:
    school = await identity.school()
    admin = await identity.member(school.id, "staff", "school_admin")
    parent = await identity.member(school.id, "parent")
    url = f"/identity/v1/people/{parent.person_id}/consent"
    recorded = await identity.client.post(
        url,
        json={"document": "Согласие №12 от 01.09.2026", "given_on": "2026-09-01"},
        headers=admin.headers,
    )
    assert recorded.status_code == 201, recorded.text
    body = recorded.json()
    assert body["recorded_by"] == admin.account.id and body["given_on"] == "2026-09-01"
    assert body["document"] == "Согласие №12 от 01.09.2026" and body["recorded_at"]
    twice = await identity.client.post(url, json={"document": "ещё раз"}, headers=admin.headers)
    assert (twice.status_code, twice.json()["code"]) == (409, "consent_already_given")

    own = await identity.client.get(url, headers=parent.headers)
    assert own.status_code == 200 and own.json()["given"] is True

    withdrawn = await identity.client.post(
        f"{url}/withdrawal",
        json={"document": "Заявление об отзыве", "note": "переезд"},
        headers=admin.headers,
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_by"] == admin.account.id
    state = (await identity.client.get(url, headers=admin.headers)).json()
    assert state["given"] is False and len(state["history"]) == 1
    again = await identity.client.post(f"{url}/withdrawal", json={}, headers=admin.headers)
    assert (again.status_code, again.json()["code"]) == (409, "no_consent")

    events = [
        e["data"]["given"]
        for e in await published(identity, "identity.consent.changed.v1")
        if e["data"]["person_id"] == parent.person_id
    ]
    assert events == [True, False]


async def test_the_list_of_parents_without_consent_R_SEC_3(identity: Harness) -> None:
    school = await identity.school()
    director = await identity.member(school.id, "staff", "director")
    admin = await identity.member(school.id, "staff", "school_admin")
    given, missing = (
        await identity.person(school.id, "parent"),
        await identity.person(school.id, "parent"),
    )
    withdrawn = await identity.person(school.id, "parent")
    await identity.person(school.id, "student")
    for parent in (given, withdrawn):
        await identity.client.post(
            f"/identity/v1/people/{parent.id}/consent",
            json={"document": "бланк"},
            headers=admin.headers,
        )
    await identity.client.post(
        f"/identity/v1/people/{withdrawn.id}/consent/withdrawal", json={}, headers=admin.headers
    )
    response = await identity.client.get(
        f"/identity/v1/schools/{school.id}/consents/missing", headers=director.headers
    )
    assert response.status_code == 200
    assert {p["id"] for p in response.json()["people"]} == {missing.id, withdrawn.id}


async def test_consent_is_for_parents_and_not_in_the_future_R_SEC_3(identity: Harness) -> None:
    school = await identity.school()
    admin = await identity.member(school.id, "staff", "school_admin")
    student = await identity.person(school.id, "student")
    parent = await identity.person(school.id, "parent")
    refused = await identity.client.post(
        f"/identity/v1/people/{student.id}/consent", json={"document": "x"}, headers=admin.headers
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "not_a_parent")
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    future = await identity.client.post(
        f"/identity/v1/people/{parent.id}/consent",
        json={"document": "x", "given_on": tomorrow},
        headers=admin.headers,
    )
    assert (future.status_code, future.json()["code"]) == (422, "invalid_given_on")


async def test_only_the_administrator_records_consent_R_SEC_3(identity: Harness) -> None:
    school = await identity.school()
    teacher = await identity.member(school.id, "staff", "teacher")
    parent = await identity.person(school.id, "parent")
    student = await identity.person(school.id, "student")
    await identity.link(parent, student)
    await identity.lead_class(school.id, teacher.person, [student])
    body: dict[str, Any] = {"document": "бланк"}
    response = await identity.client.post(
        f"/identity/v1/people/{parent.id}/consent", json=body, headers=teacher.headers
    )
    assert response.status_code == 403
