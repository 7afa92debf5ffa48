"""A school's name and time zone are changed by the city operator or the school's own
administrator; the change travels as `identity.school.updated` (every service's "today" for
the school follows it)."""

from __future__ import annotations

from typing import Any

from services.identity.tests.factories import Harness, published


async def patch(identity: Harness, school_id: str, headers: dict[str, str], body: Any) -> Any:
    return await identity.client.patch(
        f"/identity/v1/schools/{school_id}", json=body, headers=headers
    )


async def test_the_operator_changes_a_schools_zone_and_it_is_published(
    identity: Harness,
) -> None:
    school = await identity.school()
    operator = await identity.operator()

    changed = await patch(identity, school.id, operator.headers, {"timezone": "Asia/Vladivostok"})

    assert changed.status_code == 200, changed.text
    assert changed.json() == {"id": school.id, "name": school.name, "timezone": "Asia/Vladivostok"}
    read = await identity.client.get(f"/identity/v1/schools/{school.id}", headers=operator.headers)
    assert read.json()["timezone"] == "Asia/Vladivostok"
    updates = [
        e
        for e in await published(identity, "identity.school.updated.v1")
        if e["schoolid"] == school.id
    ]
    assert [e["data"] for e in updates] == [
        {"school_id": school.id, "name": school.name, "timezone": "Asia/Vladivostok"}
    ]


async def test_the_schools_own_administrator_renames_it(identity: Harness) -> None:
    school = await identity.school()
    admin = await identity.member(school.id, "staff", "school_admin")

    renamed = await patch(identity, school.id, admin.headers, {"name": f"  {school.name}  А "})

    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == f"{school.name} А"
    assert renamed.json()["timezone"] == school.timezone


async def test_another_schools_administrator_gets_404(identity: Harness) -> None:
    school, other = await identity.school(), await identity.school()
    stranger = await identity.member(other.id, "staff", "school_admin")

    refused = await patch(identity, school.id, stranger.headers, {"timezone": "Asia/Omsk"})

    assert refused.status_code == 404 and refused.json()["code"] == "school_not_found"


async def test_a_teacher_may_not_change_the_school(identity: Harness) -> None:
    school = await identity.school()
    teacher = await identity.member(school.id, "staff", "teacher")

    refused = await patch(identity, school.id, teacher.headers, {"timezone": "Asia/Omsk"})

    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"


async def test_a_zone_that_is_not_an_iana_name_is_422(identity: Harness) -> None:
    school = await identity.school()
    operator = await identity.operator()

    for zone in ("Mars/Olympus", "UTC+3", "", "../etc"):
        refused = await patch(identity, school.id, operator.headers, {"timezone": zone})
        assert refused.status_code == 422, (zone, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["code"] in ("invalid_timezone", "validation_error")
    bad = await patch(identity, school.id, operator.headers, {"timezone": "Mars/Olympus"})
    assert bad.json()["code"] == "invalid_timezone" and "Mars/Olympus" in bad.json()["detail"]


async def test_a_name_another_school_has_is_409_like_registration(identity: Harness) -> None:
    school, other = await identity.school(), await identity.school()
    operator = await identity.operator()

    refused = await patch(identity, school.id, operator.headers, {"name": other.name})

    assert refused.status_code == 409 and refused.json()["code"] == "school_exists"
    kept = await patch(identity, school.id, operator.headers, {"name": school.name})
    assert kept.status_code == 200, kept.text


async def test_a_blank_name_is_422_on_registration_as_on_a_rename(identity: Harness) -> None:
    school = await identity.school()
    operator = await identity.operator()

    registered = await identity.client.post(
        "/identity/v1/schools",
        json={"name": "   ", "timezone": "Europe/Moscow"},
        headers=operator.headers,
    )
    renamed = await patch(identity, school.id, operator.headers, {"name": "   "})

    for refused in (registered, renamed):
        assert refused.status_code == 422, refused.text
        assert refused.json()["code"] == "invalid_name"
