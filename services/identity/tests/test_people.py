"""People of a school: the fields of R-YR-3, roles (R-SEC-5, R-REC-5), reads logged (R-SEC-1)."""

from __future__ import annotations

from typing import Any

from kit.testing.services import eventually
from services.identity.tests.factories import PASSWORD, Harness, published, surname


async def _admin(identity: Harness) -> tuple[str, dict[str, str]]:
    school = await identity.school()
    admin = await identity.member(school.id, "staff", "school_admin")
    return school.id, admin.headers


async def _create(identity: Harness, school_id: str, headers: dict[str, str], **body: Any) -> Any:
    return await identity.client.post(
        f"/identity/v1/schools/{school_id}/people", json=body, headers=headers
    )


async def test_records_lacking_r_yr_3_fields_are_listed_for_the_class_teacher_R_YR_3(
    identity: Harness,
) -> None:
    """Birth date and sex of a student, a parent's e-mail: reported missing, not refused."""
    school_id, headers = await _admin(identity)
    name = {"last_name": surname(), "first_name": "Мария", "middle_name": "Ивановна"}
    student = await _create(identity, school_id, headers, kind="student", sex="female", **name)
    assert student.status_code == 201, student.text
    assert student.json()["missing_fields"] == ["birth_date"]
    parent = await _create(identity, school_id, headers, kind="parent", **name)
    assert parent.json()["missing_fields"] == ["email"]
    complete = await _create(
        identity,
        school_id,
        headers,
        kind="student",
        birth_date="2015-02-03",
        sex="female",
        **{**name, "first_name": "Дарья"},
    )
    assert complete.json()["missing_fields"] == []
    assert complete.json()["roles"] == ["student"]

    listed = await identity.client.get(
        f"/identity/v1/schools/{school_id}/people", params={"incomplete": "true"}, headers=headers
    )
    found = {p["id"]: p["missing_fields"] for p in listed.json()["people"]}
    assert found == {student.json()["id"]: ["birth_date"], parent.json()["id"]: ["email"]}

    fixed = await identity.client.patch(
        f"/identity/v1/people/{student.json()['id']}",
        json={"birth_date": "2015-03-04"},
        headers=headers,
    )
    assert fixed.json()["missing_fields"] == []


async def test_bad_person_fields_answer_422_with_a_code(identity: Harness) -> None:
    school_id, headers = await _admin(identity)
    base = {"kind": "parent", "first_name": "Анна", "email": "anna@example.org"}
    cases: list[tuple[dict[str, Any], str]] = [
        ({**base, "last_name": "иванова"}, "invalid_name"),
        ({**base, "last_name": "Иванова2"}, "invalid_name"),
        ({**base, "last_name": "  "}, "missing_field"),
        ({**base, "last_name": "Иванова", "first_name": ""}, "missing_field"),
        ({**base, "last_name": "Иванова", "email": "not-an-email"}, "invalid_email"),
        (
            {
                "kind": "student",
                "last_name": "Иванова",
                "first_name": "Анна",
                "sex": "female",
                "birth_date": "2090-01-01",  # ahead of today, within kit.params.BirthDate
            },
            "invalid_birth_date",
        ),
        (
            {"kind": "staff", "last_name": "Иванова", "first_name": "Анна", "roles": []},
            "invalid_roles",
        ),
        (
            {"kind": "staff", "last_name": "Иванова", "first_name": "Анна", "roles": ["operator"]},
            "invalid_roles",
        ),
    ]
    for body, code in cases:
        response = await _create(identity, school_id, headers, **body)
        assert (response.status_code, response.json()["code"]) == (422, code), body
    malformed = await _create(
        identity, school_id, headers, kind="robot", last_name="А", first_name="Б"
    )
    assert (malformed.status_code, malformed.json()["code"]) == (422, "validation_error")


async def test_a_student_can_never_be_given_a_role_that_edits_the_journal_R_REC_5(
    identity: Harness,
) -> None:
    school_id, headers = await _admin(identity)
    refused = await _create(
        identity,
        school_id,
        headers,
        kind="student",
        last_name=surname(),
        first_name="Иван",
        birth_date="2014-01-01",
        sex="male",
        roles=["teacher"],
    )
    assert (refused.status_code, refused.json()["code"]) == (422, "roles_not_allowed")
    student = await identity.person(school_id, "student")
    patched = await identity.client.patch(
        f"/identity/v1/people/{student.id}", json={"roles": ["student", "teacher"]}, headers=headers
    )
    assert (patched.status_code, patched.json()["code"]) == (422, "roles_not_allowed")


async def test_the_same_person_twice_is_a_conflict(identity: Harness) -> None:
    school_id, headers = await _admin(identity)
    body = {
        "kind": "parent",
        "last_name": surname(),
        "first_name": "Ольга",
        "email": "olga@example.org",
    }
    first = await _create(identity, school_id, headers, **body)
    assert first.status_code == 201
    again = await _create(
        identity,
        school_id,
        headers,
        **{**body, "last_name": body["last_name"].upper().capitalize()},
    )
    assert (again.status_code, again.json()["code"]) == (409, "duplicate_person")
    assert again.json()["existing_id"] == first.json()["id"]


async def test_people_events_carry_names_and_roles_but_no_birth_date_or_email(
    identity: Harness,
) -> None:
    school_id, headers = await _admin(identity)
    created = await _create(
        identity,
        school_id,
        headers,
        kind="student",
        last_name=surname(),
        first_name="Ёжик",
        birth_date="2014-01-01",
        sex="male",
    )
    person_id = created.json()["id"]

    async def registered() -> dict[str, Any]:
        found = [
            e
            for e in await published(identity, "identity.person.registered.v1")
            if e["data"]["person_id"] == person_id
        ]
        assert found and found[0]["sent"]
        return found[0]

    event = await eventually(registered)
    assert event["schoolid"] == school_id
    assert event["data"]["first_name"] == "Ёжик" and event["data"]["roles"] == ["student"]
    assert event["data"]["kind"] == "student"
    assert not {"birth_date", "email", "sex"} & set(event["data"])


async def test_a_staff_read_of_personal_data_is_logged_R_SEC_1(identity: Harness) -> None:
    school = await identity.school()
    admin = await identity.member(school.id, "staff", "school_admin")
    secretary = await identity.member(school.id, "staff", "secretary")
    student = await identity.member(school.id, "student")
    read = await identity.client.get(
        f"/identity/v1/people/{student.person_id}", headers=secretary.headers
    )
    assert read.status_code == 200 and read.json()["birth_date"] == "2014-05-17"
    own = await identity.client.get(
        f"/identity/v1/people/{student.person_id}", headers=student.headers
    )
    assert own.status_code == 200
    log = await identity.client.get(
        f"/identity/v1/schools/{school.id}/access-log",
        params={"action": "personal_data_read", "person_id": student.person_id},
        headers=admin.headers,
    )
    entries = log.json()["entries"]
    assert [(e["actor_account_id"], e["actor_roles"]) for e in entries] == [
        (secretary.account.id, ["secretary"])
    ]


async def test_a_parent_reads_their_child_and_not_another(identity: Harness) -> None:
    school = await identity.school()
    parent = await identity.member(school.id, "parent")
    child, other = (
        await identity.person(school.id, "student"),
        await identity.person(school.id, "student"),
    )
    await identity.link(parent.person, child)  # type: ignore[arg-type]
    ok = await identity.client.get(f"/identity/v1/people/{child.id}", headers=parent.headers)
    assert ok.status_code == 200 and ok.json()["guardian_ids"] == [parent.person_id]
    refused = await identity.client.get(f"/identity/v1/people/{other.id}", headers=parent.headers)
    assert refused.status_code == 403


async def test_another_schools_person_is_not_found(identity: Harness) -> None:
    school, other_school = await identity.school(), await identity.school()
    admin = await identity.member(school.id, "staff", "school_admin")
    foreign = await identity.person(other_school.id, "student")
    for method, url in [
        ("GET", f"/identity/v1/people/{foreign.id}"),
        ("PATCH", f"/identity/v1/people/{foreign.id}"),
        ("POST", f"/identity/v1/people/{foreign.id}/credentials"),
        ("GET", f"/identity/v1/schools/{other_school.id}/people"),
    ]:
        response = await identity.client.request(method, url, json={}, headers=admin.headers)
        assert response.status_code == 404, (url, response.text)


async def test_only_the_administrator_changes_roles_and_it_is_logged_R_SEC_5(
    identity: Harness,
) -> None:
    school = await identity.school()
    admin = await identity.member(school.id, "staff", "school_admin")
    director = await identity.member(school.id, "staff", "director")
    teacher = await identity.person(school.id, "staff", roles=("teacher",))
    refused = await identity.client.patch(
        f"/identity/v1/people/{teacher.id}",
        json={"roles": ["teacher", "deputy"]},
        headers=director.headers,
    )
    assert refused.status_code == 403
    changed = await identity.client.patch(
        f"/identity/v1/people/{teacher.id}",
        json={"roles": ["deputy", "teacher"]},
        headers=admin.headers,
    )
    assert changed.status_code == 200 and changed.json()["roles"] == ["deputy", "teacher"]
    log = await identity.client.get(
        f"/identity/v1/schools/{school.id}/access-log",
        params={"action": "roles_changed", "person_id": teacher.id},
        headers=director.headers,
    )
    assert [e["detail"] for e in log.json()["entries"]] == ["deputy teacher"]

    async def updated() -> list[dict[str, Any]]:
        found = [
            e
            for e in await published(identity, "identity.person.updated.v1")
            if e["data"]["person_id"] == teacher.id
        ]
        assert found
        return found

    assert (await eventually(updated))[0]["data"]["roles"] == ["deputy", "teacher"]


async def test_a_role_taken_away_stops_working_at_once_R_SEC_5(identity: Harness) -> None:
    school = await identity.school()
    admin = await identity.member(school.id, "staff", "school_admin")
    secretary = await identity.member(school.id, "staff", "secretary", "teacher")
    pair = (await identity.login(secretary.account.login, PASSWORD)).json()
    old = {"Authorization": f"Bearer {pair['access_token']}"}
    people_url = f"/identity/v1/schools/{school.id}/people"
    assert (await identity.client.get(people_url, headers=old)).status_code == 200
    changed = await identity.client.patch(
        f"/identity/v1/people/{secretary.person_id}",
        json={"roles": ["teacher"]},
        headers=admin.headers,
    )
    assert changed.status_code == 200
    assert (await identity.client.get(people_url, headers=old)).status_code == 401
    refreshed = await identity.client.post(
        "/identity/v1/token/refresh", json={"refresh_token": pair["refresh_token"]}
    )
    new = {"Authorization": f"Bearer {refreshed.json()['access_token']}"}
    assert (await identity.client.get(people_url, headers=new)).status_code == 403
    me = await identity.client.get("/identity/v1/me", headers=new)
    assert me.json()["roles"] == ["teacher"]


async def test_the_last_administrator_keeps_the_role(identity: Harness) -> None:
    school = await identity.school()
    admin = await identity.member(school.id, "staff", "school_admin")
    response = await identity.client.patch(
        f"/identity/v1/people/{admin.person_id}", json={"roles": ["teacher"]}, headers=admin.headers
    )
    assert (response.status_code, response.json()["code"]) == (409, "last_school_admin")


async def test_a_class_teacher_corrects_their_students_data_R_YR_3(identity: Harness) -> None:
    school = await identity.school()
    teacher = await identity.member(school.id, "staff", "teacher")
    student = await identity.person(school.id, "student")
    await identity.lead_class(school.id, teacher.person, [student])
    response = await identity.client.patch(
        f"/identity/v1/people/{student.id}",
        json={"middle_name": "Сергеевна"},
        headers=teacher.headers,
    )
    assert response.status_code == 200 and response.json()["middle_name"] == "Сергеевна"


async def test_a_guardianship_is_linked_once_and_announced(identity: Harness) -> None:
    school_id, headers = await _admin(identity)
    parent = await identity.person(school_id, "parent")
    student = await identity.person(school_id, "student")
    body = {"parent_id": parent.id, "student_id": student.id}
    first = await identity.client.post("/identity/v1/guardianships", json=body, headers=headers)
    again = await identity.client.post("/identity/v1/guardianships", json=body, headers=headers)
    assert (first.status_code, first.json()["created"]) == (201, True)
    assert (again.status_code, again.json()["created"]) == (200, False)
    swapped = await identity.client.post(
        "/identity/v1/guardianships",
        json={"parent_id": student.id, "student_id": parent.id},
        headers=headers,
    )
    assert swapped.status_code == 422
    events = [
        e
        for e in await published(identity, "identity.guardian.linked.v1")
        if e["data"]["student_id"] == student.id
    ]
    assert [e["data"]["parent_id"] for e in events] == [parent.id]


async def test_the_class_roster_lists_students_parents_and_their_logins(identity: Harness) -> None:
    school = await identity.school()
    teacher = await identity.member(school.id, "staff", "teacher")
    student = await identity.member(school.id, "student")
    parent = await identity.person(school.id, "parent")
    await identity.link(parent, student.person)  # type: ignore[arg-type]
    class_id = await identity.lead_class(school.id, teacher.person, [student.person])  # type: ignore[list-item]
    response = await identity.client.get(
        f"/identity/v1/classes/{class_id}/roster", headers=teacher.headers
    )
    assert response.status_code == 200, response.text
    [row] = response.json()["students"]
    assert row["id"] == student.person_id and row["login"] == student.account.login
    assert [g["id"] for g in row["guardians"]] == [parent.id]
    assert row["guardians"][0]["login"] is None
