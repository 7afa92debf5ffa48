"""Credentials (R-SEC-2): who issues them, logins unique in the city, the slip to sign."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from services.identity.service import logins
from services.identity.tests.factories import PASSWORD, Harness


async def test_class_teacher_issues_credentials_to_own_students_and_their_parents_R_SEC_2(
    identity: Harness,
) -> None:
    school = await identity.school()
    teacher = await identity.member(school.id, "staff", "teacher")
    own = await identity.person(school.id, "student")
    own_parent = await identity.person(school.id, "parent")
    stranger = await identity.person(school.id, "student")
    stranger_parent = await identity.person(school.id, "parent")
    await identity.link(own_parent, own)
    await identity.link(stranger_parent, stranger)
    await identity.lead_class(school.id, teacher.person, [own])
    await identity.lead_class(school.id, None, [stranger])

    for person in (own, own_parent):
        issued = await identity.client.post(
            f"/identity/v1/people/{person.id}/credentials", headers=teacher.headers
        )
        assert issued.status_code == 201, issued.text
    for person in (stranger, stranger_parent):
        refused = await identity.client.post(
            f"/identity/v1/people/{person.id}/credentials", headers=teacher.headers
        )
        assert refused.status_code == 403, refused.text
    colleague = await identity.person(school.id, "staff", roles=("teacher",))
    refused = await identity.client.post(
        f"/identity/v1/people/{colleague.id}/credentials", headers=teacher.headers
    )
    assert refused.status_code == 403


async def test_staff_get_credentials_from_the_administrator_R_SEC_2(identity: Harness) -> None:
    school = await identity.school()
    admin = await identity.member(school.id, "staff", "school_admin")
    secretary = await identity.member(school.id, "staff", "secretary")
    teacher = await identity.person(
        school.id,
        "staff",
        roles=("teacher",),
        last_name="Щукина",
        first_name="Ёлка",
        middle_name="Юрьевна",
    )
    refused = await identity.client.post(
        f"/identity/v1/people/{teacher.id}/credentials", headers=secretary.headers
    )
    assert refused.status_code == 403
    issued = await identity.client.post(
        f"/identity/v1/people/{teacher.id}/credentials", headers=admin.headers
    )
    assert issued.status_code == 201
    body = issued.json()
    assert body["login"] == "shchukina.ei"
    assert body["password_change_required"] is True
    assert len(body["password"]) >= 10


async def test_a_chosen_login_is_checked_and_unique_in_the_city(identity: Harness) -> None:
    school, other_school = await identity.school(), await identity.school()
    admin = await identity.member(school.id, "staff", "school_admin")
    other_admin = await identity.member(other_school.id, "staff", "school_admin")
    first = await identity.person(school.id, "staff", roles=("teacher",))
    second = await identity.person(other_school.id, "staff", roles=("teacher",))
    chosen = f"teacher{first.id[-6:]}"
    ok = await identity.client.post(
        f"/identity/v1/people/{first.id}/credentials",
        json={"login": chosen.upper()},
        headers=admin.headers,
    )
    assert ok.status_code == 201 and ok.json()["login"] == chosen
    taken = await identity.client.post(
        f"/identity/v1/people/{second.id}/credentials",
        json={"login": chosen},
        headers=other_admin.headers,
    )
    assert (taken.status_code, taken.json()["code"]) == (409, "login_taken")
    for bad in ("ab", "1teacher", "учитель", "a b c", "x" * 40):
        invalid = await identity.client.post(
            f"/identity/v1/people/{second.id}/credentials",
            json={"login": bad},
            headers=other_admin.headers,
        )
        assert (invalid.status_code, invalid.json()["code"]) == (422, "invalid_login"), bad


async def test_namesakes_across_the_city_get_different_logins(identity: Harness) -> None:
    issued = set()
    for _ in range(3):
        school = await identity.school()
        admin = await identity.member(school.id, "staff", "school_admin")
        twin = await identity.person(
            school.id,
            "staff",
            roles=("teacher",),
            last_name="Тёзкина",
            first_name="Анна",
            middle_name="Петровна",
        )
        response = await identity.client.post(
            f"/identity/v1/people/{twin.id}/credentials", headers=admin.headers
        )
        issued.add(response.json()["login"])
    assert len(issued) == 3
    assert all(login.startswith("tezkina.ap") for login in issued)


async def test_issuing_again_is_a_reset_that_ends_every_session_R_SEC_2(identity: Harness) -> None:
    school = await identity.school()
    admin = await identity.member(school.id, "staff", "school_admin")
    teacher = await identity.member(school.id, "staff", "teacher")
    pair = (await identity.login(teacher.account.login, PASSWORD)).json()
    reset = await identity.client.post(
        f"/identity/v1/people/{teacher.person_id}/credentials", headers=admin.headers
    )
    assert reset.status_code == 201 and reset.json()["login"] == teacher.account.login
    old = {"Authorization": f"Bearer {pair['access_token']}"}
    assert (await identity.client.get("/identity/v1/me", headers=old)).status_code == 401
    assert (await identity.login(teacher.account.login, PASSWORD)).status_code == 401
    assert (
        await identity.login(teacher.account.login, reset.json()["password"])
    ).status_code == 200


async def test_the_credential_slip_prints_in_russian_with_the_one_time_password_R_SEC_2(
    identity: Harness,
) -> None:
    school = await identity.school(name="Школа №154 имени Ю. А. Гагарина")
    admin = await identity.member(
        school.id, "staff", "school_admin", last_name="Администраторова", first_name="Анна"
    )
    student = await identity.person(
        school.id, "student", last_name="Ёжикова", first_name="Юлия", middle_name="Щербаковна"
    )
    issued = (
        await identity.client.post(
            f"/identity/v1/people/{student.id}/credentials", headers=admin.headers
        )
    ).json()
    slip = await identity.client.get(
        f"/identity/v1/people/{student.id}/credential-slip.pdf", headers=admin.headers
    )
    assert slip.status_code == 200
    assert slip.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(slip.content)).pages)
    for expected in (
        "Реквизиты доступа",
        "Ёжикова Юлия Щербаковна",
        "Школа №154 имени Ю. А. Гагарина",
        issued["login"],
        issued["password"],
        "обучающийся",
        "Администраторова Анна",
        "под",
        "получил(а)",
    ):
        assert expected in text, expected

    first = await identity.login(issued["login"], issued["password"])
    await identity.client.post(
        "/identity/v1/me/password",
        json={"old_password": issued["password"], "new_password": "ёжик в тумане 2026"},
        headers={"Authorization": f"Bearer {first.json()['access_token']}"},
    )
    later = await identity.client.get(
        f"/identity/v1/people/{student.id}/credential-slip.pdf", headers=admin.headers
    )
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(later.content)).pages)
    assert issued["password"] not in text
    assert "уже заменён владельцем" in text


async def test_no_slip_before_credentials_are_issued(identity: Harness) -> None:
    school = await identity.school()
    admin = await identity.member(school.id, "staff", "school_admin")
    student = await identity.person(school.id, "student")
    response = await identity.client.get(
        f"/identity/v1/people/{student.id}/credential-slip.pdf", headers=admin.headers
    )
    assert (response.status_code, response.json()["code"]) == (404, "no_credentials")


# --- login generation: a property of the pure function ------------------------------------
names = st.text(
    alphabet=st.sampled_from("АБВЁЖЩЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюяAZaz-' Їі"),
    min_size=0,
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(names, names, st.one_of(st.none(), names)), min_size=1, max_size=60))
def test_login_generation_never_collides(people: list[tuple[str, str, str | None]]) -> None:
    taken: set[str] = {"ivanov.ii", "ivanov.ii2"}
    for last, first, middle in people:
        login = logins.first_free(logins.login_base(last, first, middle), taken.__contains__)
        assert login not in taken
        assert logins.LOGIN_PATTERN.fullmatch(login), login
        taken.add(login)


def test_transliteration_follows_the_passport_rules() -> None:
    assert logins.login_base("Щербакова-Иванова", "Юлия", "Ёлкина") == "shcherbakovaivanova.ie"
    assert (
        logins.login_base("Римский-Корсаков-Переяславский", "Ян", None) == "rimskiikorsakovperei.i"
    )
    assert logins.transliterate("Хрущёв") == "khrushchev"
    assert logins.transliterate("Объедков") == "obieedkov"
    assert logins.login_base("Иванов", "Иван", "Иванович") == "ivanov.ii"
    assert logins.login_base("Ли", "Ан", None) == "li.a"
    assert logins.login_base("Ю", "Я", None) == "iu.i"


async def test_a_class_teacher_issues_and_prints_a_whole_classs_credentials_R_SEC_2(
    identity: Harness,
) -> None:
    school = await identity.school()
    teacher = await identity.member(school.id, "staff", "teacher")
    outsider = await identity.member(school.id, "staff", "teacher")
    students = [
        await identity.person(school.id, "student", last_name=name)
        for name in ("Абрамов", "Борисова", "Васильев")
    ]
    parents = [await identity.person(school.id, "parent") for _ in students]
    for parent, student in zip(parents, students, strict=True):
        await identity.link(parent, student)
    await identity.link(parents[0], students[1])  # one parent of two children: one slip
    had = await identity.account(students[2])
    class_id = await identity.lead_class(school.id, teacher.person, students)
    url = f"/identity/v1/classes/{class_id}/credentials"

    refused = await identity.client.post(url, json={}, headers=outsider.headers)
    assert refused.status_code == 403
    bad = await identity.client.post(url, json={"who": "teachers"}, headers=teacher.headers)
    assert bad.status_code == 422

    issued = await identity.client.post(url, json={}, headers=teacher.headers)
    assert issued.status_code == 201, issued.text
    body = issued.json()
    assert body["skipped"] == 1  # the student who had credentials
    people = [i["person_id"] for i in body["issued"]]
    assert people == [students[0].id, students[1].id, *(p.id for p in parents)]
    assert all(i["password"] and i["password_change_required"] for i in body["issued"])
    assert len({i["login"] for i in body["issued"]}) == 5

    again = (await identity.client.post(url, json={}, headers=teacher.headers)).json()
    assert (again["issued"], again["skipped"]) == ([], 6)
    reset = await identity.client.post(
        url, json={"who": "students", "only_new": False}, headers=teacher.headers
    )
    assert [i["person_id"] for i in reset.json()["issued"]] == [s.id for s in students]
    assert reset.json()["issued"][2]["account_id"] == had.id  # the same account, reset

    slips = await identity.client.get(
        f"/identity/v1/classes/{class_id}/credential-slips.pdf",
        params={"who": "parents"},
        headers=teacher.headers,
    )
    assert slips.status_code == 200 and slips.headers["content-type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(slips.content)).pages
    assert len(pages) == 3  # the parent of two children has one slip
    first = pages[0].extract_text()
    assert parents[0].last_name in first and body["issued"][2]["login"] in first
    assert body["issued"][2]["password"] in first  # the one-time password, until it is changed

    other_school = await identity.school()
    stranger = await identity.member(other_school.id, "staff", "school_admin")
    hidden = await identity.client.post(url, json={}, headers=stranger.headers)
    assert hidden.status_code == 404
