"""CSV import of class lists (R-YR-1, R-YR-3): preview every bad row, then all or nothing."""

from __future__ import annotations

from typing import Any

import pytest

from services.identity.tests.factories import Harness, published, surname

HEADER_RU = "тип;фамилия;имя;отчество;дата рождения;пол;e-mail;роли;№;дети"


def class_list(last: str, delimiter: str = ";") -> str:
    rows = [
        HEADER_RU,
        f"ученик;{last};Анна;Петровна;01.09.2015;Ж;;;1;",
        f"ученик;{last};Иван;Петрович;2016-02-29;м;;;2;",
        f"родитель;{last};Пётр;Сергеевич;;;petr.{last[-6:]}@example.org;;3;1 2",
        f"сотрудник;Учителева{last[-4:]};Ольга;Ивановна;;;;учитель|завуч;;",
    ]
    return "\n".join(r.replace(";", delimiter) for r in rows) + "\n"


async def _import(
    identity: Harness, school_id: str, headers: dict[str, str], data: bytes, **params: Any
) -> Any:
    return await identity.client.post(
        f"/identity/v1/schools/{school_id}/people:import",
        params=params,
        files={"file": ("класс.csv", data, "text/csv")},
        headers=headers,
    )


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ";"), ("utf-8-sig", ","), ("windows-1251", ";"), ("windows-1251", ",")],
)
async def test_a_class_list_imports_in_utf8_or_windows_1251_with_either_delimiter_R_YR_1(
    identity: Harness, encoding: str, delimiter: str
) -> None:
    school = await identity.school()
    admin = await identity.member(school.id, "staff", "school_admin")
    data = class_list(surname(), delimiter).encode(encoding)
    preview = await _import(identity, school.id, admin.headers, data)
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert (body["encoding"], body["delimiter"]) == (encoding.removesuffix("-sig"), delimiter)
    assert (body["committed"], body["new_people"], body["errors"]) == (False, 4, [])
    assert body["new_guardianships"] == 2
    listed = await identity.client.get(
        f"/identity/v1/schools/{school.id}/people", headers=admin.headers
    )
    assert len(listed.json()["people"]) == 1  # a preview writes nothing

    committed = await _import(identity, school.id, admin.headers, data, mode="commit")
    assert committed.status_code == 200, committed.text
    body = committed.json()
    assert (body["committed"], body["new_people"], body["new_guardianships"]) == (True, 4, 2)
    ids = [r["person_id"] for r in body["rows"]]
    parent = await identity.client.get(f"/identity/v1/people/{ids[2]}", headers=admin.headers)
    assert sorted(parent.json()["child_ids"]) == sorted(ids[:2])
    teacher = await identity.client.get(f"/identity/v1/people/{ids[3]}", headers=admin.headers)
    assert teacher.json()["roles"] == ["deputy", "teacher"]


async def test_importing_the_same_file_twice_creates_nothing_twice_R_YR_1(
    identity: Harness,
) -> None:
    school = await identity.school()
    admin = await identity.member(school.id, "staff", "school_admin")
    data = class_list(surname()).encode()
    first = (await _import(identity, school.id, admin.headers, data, mode="commit")).json()
    events_before = len(await published(identity, "identity.person.registered.v1"))
    second = await _import(identity, school.id, admin.headers, data, mode="commit")
    assert second.status_code == 200
    body = second.json()
    assert (body["new_people"], body["existing_people"], body["new_guardianships"]) == (0, 4, 0)
    assert [r["person_id"] for r in body["rows"]] == [r["person_id"] for r in first["rows"]]
    assert len(await published(identity, "identity.person.registered.v1")) == events_before
    listed = await identity.client.get(
        f"/identity/v1/schools/{school.id}/people", headers=admin.headers
    )
    assert len(listed.json()["people"]) == 5


BAD_ROWS = "\n".join(
    [
        "kind,last_name,first_name,middle_name,birth_date,sex,email,ref,children",
        "student,Верная,Вера,,01.01.2015,f,,s1,",  # 2: good
        "student,Безпола,Ольга,,01.01.2015,,,,",  # 3: good, sex to enter later (R-YR-3)
        "student,Безданных,Ольга,,31.02.2015,x,,,",  # 4: bad date and bad sex
        "parent,Безпочты,ирина,,,,,,",  # 5: a name in lower case
        "parent,Родителева,Ирина,,,,not-mail,,s9",  # 6: bad email, unknown child ref
        "teacher,Иванов,Иван,,,,,,",  # 7: unknown kind
        "student,  Верная ,ВЕРА,,2015-01-01,F,,s1,",  # 8: duplicate ref, same person as row 2
        "student,Коротков,Пётр",  # 9: wrong field count (and missing birth date, sex)
        "parent,Ромашкина,Анна,,,,anna@example.org,,s1",  # 10: good, child of row 2
        "staff,Сотрудникова,Анна,,,,,,",  # 11: staff by the secretary, no roles
    ]
).encode("utf-8")


async def test_the_preview_lists_every_bad_row_with_why_and_commit_writes_nothing(
    identity: Harness,
) -> None:
    school = await identity.school()
    secretary = await identity.member(school.id, "staff", "secretary")
    preview = await _import(identity, school.id, secretary.headers, BAD_ROWS)
    assert preview.status_code == 200, preview.text
    body = preview.json()
    found = {(e["row"], e["code"]) for e in body["errors"]}
    expected = {
        (4, "invalid_date"),
        (4, "invalid_sex"),
        (5, "invalid_name"),
        (6, "invalid_email"),
        (6, "unknown_child_ref"),
        (7, "invalid_kind"),
        (8, "duplicate_ref"),
        (8, "duplicate_in_file"),
        (9, "wrong_field_count"),
        (11, "not_allowed"),
        (11, "invalid_roles"),
    }
    assert expected <= found, sorted(found - expected)
    assert {e["row"] for e in body["errors"]} == {4, 5, 6, 7, 8, 9, 11}
    assert [r["status"] for r in body["rows"]].count("new") == 3
    assert body["rows"][1]["missing_fields"] == ["sex"]

    commit = await _import(identity, school.id, secretary.headers, BAD_ROWS, mode="commit")
    assert (commit.status_code, commit.json()["code"]) == (422, "import_has_errors")
    assert {(e["row"], e["code"]) for e in commit.json()["errors"]} == found
    admin = await identity.member(school.id, "staff", "school_admin")
    listed = await identity.client.get(
        f"/identity/v1/schools/{school.id}/people", headers=admin.headers
    )
    assert len(listed.json()["people"]) == 2  # the secretary and the admin: nothing imported


@pytest.mark.parametrize(
    ("data", "code", "status"),
    [
        (b"", "empty_file", 422),
        (b" \n\n", "empty_file", 422),
        (HEADER_RU.encode("utf-16"), "unsupported_encoding", 422),
        (b"a;b;c\n1;2;3\n", "unrecognized_header", 422),
        ("фамилия;имя\nИванов;Иван\n".encode("koi8-r"), "unrecognized_header", 422),
        ('фамилия;имя;тип\n"Иванов;Иван;ученик\n'.encode(), "malformed_csv", 422),
        ("фамилия;имя\nИванов;Иван\n".encode(), "missing_column", 422),
        (b"x" * 2_000_001, "file_too_large", 413),
    ],
)
async def test_a_file_that_cannot_be_read_is_refused_with_a_code(
    identity: Harness, data: bytes, code: str, status: int
) -> None:
    school = await identity.school()
    admin = await identity.member(school.id, "staff", "school_admin")
    response = await _import(identity, school.id, admin.headers, data)
    assert (response.status_code, response.json()["code"]) == (status, code)


async def test_a_list_without_kinds_takes_the_default_kind(identity: Harness) -> None:
    school = await identity.school()
    admin = await identity.member(school.id, "staff", "school_admin")
    data = (
        f"Фамилия;Имя;Отчество;Дата рождения;Пол;Класс\n{surname()};Ян;;03.03.2016;М;1А\n".encode(
            "cp1251"
        )
    )
    response = await _import(
        identity, school.id, admin.headers, data, default_kind="student", mode="commit"
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["new_people"], body["ignored_columns"]) == (1, ["Класс"])
