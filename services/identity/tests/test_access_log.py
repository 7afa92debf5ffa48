"""The access log (R-SEC-1, R-SEC-5) and monthly activity per role (R-RPT-3)."""

from __future__ import annotations

import datetime as dt

from kit.clock import FixedClock
from services.identity.tests.factories import PASSWORD, Harness


async def test_logins_failures_and_credential_issues_are_logged_for_the_school_R_SEC_5(
    identity: Harness,
) -> None:
    school, other = await identity.school(), await identity.school()
    admin = await identity.member(school.id, "staff", "school_admin")
    teacher = await identity.member(school.id, "staff", "teacher")
    stranger = await identity.member(other.id, "staff", "teacher")
    await identity.login(teacher.account.login, "a-wrong-password")
    await identity.login(teacher.account.login, PASSWORD)
    await identity.login(stranger.account.login, PASSWORD)
    student = await identity.person(school.id, "student")
    await identity.client.post(
        f"/identity/v1/people/{student.id}/credentials", headers=admin.headers
    )

    response = await identity.client.get(
        f"/identity/v1/schools/{school.id}/access-log", headers=admin.headers
    )
    assert response.status_code == 200
    entries = response.json()["entries"]
    actions = [(e["action"], e["subject_account_id"] or e["subject_person_id"]) for e in entries]
    assert actions[:3] == [
        ("credentials_issued", entries[0]["subject_account_id"]),
        ("login", teacher.account.id),
        ("login_failed", teacher.account.id),
    ]
    assert entries[0]["subject_person_id"] == student.id
    assert entries[1]["address"] and entries[2]["login"] == teacher.account.login
    assert stranger.account.id not in {e["subject_account_id"] for e in entries}


async def test_the_access_log_pages_and_filters(identity: Harness) -> None:
    school = await identity.school()
    director = await identity.member(school.id, "staff", "director")
    teacher = await identity.member(school.id, "staff", "teacher")
    for _ in range(5):
        await identity.login(teacher.account.login, PASSWORD)
    url = f"/identity/v1/schools/{school.id}/access-log"
    first = (await identity.client.get(url, params={"limit": 3}, headers=director.headers)).json()
    assert len(first["entries"]) == 3 and first["next_before"]
    rest = (
        await identity.client.get(
            url, params={"limit": 3, "before": first["next_before"]}, headers=director.headers
        )
    ).json()
    assert len(rest["entries"]) == 2 and rest["next_before"] is None
    future = (identity.now() + dt.timedelta(days=1)).isoformat()
    empty = await identity.client.get(url, params={"from": future}, headers=director.headers)
    assert empty.json()["entries"] == []
    naive = await identity.client.get(
        url, params={"from": "2026-01-01T00:00:00"}, headers=director.headers
    )
    assert naive.status_code == 422
    bad = await identity.client.get(url, params={"action": "nonsense"}, headers=director.headers)
    assert bad.status_code == 422


async def test_teachers_and_deputies_do_not_read_the_access_log_R_SEC_5(identity: Harness) -> None:
    school = await identity.school()
    for role in ("teacher", "deputy", "secretary"):
        member = await identity.member(school.id, "staff", role)
        response = await identity.client.get(
            f"/identity/v1/schools/{school.id}/access-log", headers=member.headers
        )
        assert response.status_code == 403


async def test_monthly_activity_figures_per_role_R_RPT_3(make_identity: object) -> None:
    async with make_identity() as identity:  # type: ignore[operator]
        clock = identity.app.state.runtime.clock = FixedClock(
            dt.datetime(2026, 10, 15, 9, tzinfo=dt.UTC)
        )
        school = await identity.school()
        deputy = await identity.member(school.id, "staff", "deputy")
        teachers = [await identity.member(school.id, "staff", "teacher") for _ in range(3)]
        students = [await identity.member(school.id, "student") for _ in range(4)]
        await identity.login(teachers[0].account.login, PASSWORD)
        await identity.login(teachers[0].account.login, PASSWORD)
        pair = (await identity.login(students[0].account.login, PASSWORD)).json()
        await identity.client.post(
            "/identity/v1/token/refresh", json={"refresh_token": pair["refresh_token"]}
        )
        await identity.login(students[1].account.login, "not-my-password")
        clock.set(dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC))
        await identity.login(teachers[1].account.login, PASSWORD)

        response = await identity.client.get(
            f"/identity/v1/schools/{school.id}/activity",
            params={"month": "2026-10"},
            headers=deputy.headers,
        )
        assert response.status_code == 200, response.text
        figures = {r["role"]: r for r in response.json()["roles"]}
        assert figures["teacher"] == {
            "role": "teacher",
            "accounts": 3,
            "active_accounts": 1,
            "active_pct": 33.3,
            "logins": 2,
            "refreshes": 0,
            "failed_logins": 0,
        }
        assert figures["student"] == {
            "role": "student",
            "accounts": 4,
            "active_accounts": 1,
            "active_pct": 25.0,
            "logins": 1,
            "refreshes": 1,
            "failed_logins": 1,
        }
        assert figures["deputy"]["active_accounts"] == 0
        november = await identity.client.get(
            f"/identity/v1/schools/{school.id}/activity",
            params={"month": "2026-11"},
            headers=deputy.headers,
        )
        assert {r["role"]: r["logins"] for r in november.json()["roles"]}["teacher"] == 1
        for month in ("2026-13", "9999-12", "0001-01", "99999-01"):
            # refused at the edge (kit.params.Month); 9999-12 was a 500 (issue 16)
            bad = await identity.client.get(
                f"/identity/v1/schools/{school.id}/activity",
                params={"month": month},
                headers=deputy.headers,
            )
            assert (bad.status_code, bad.json()["code"]) == (422, "validation_error"), month
