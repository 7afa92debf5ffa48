"""Notify's copy of identity's people, and the directory of whom one may write to."""

from __future__ import annotations

from typing import Any

from contracts.identity import PersonUpdated
from kit.db import new_id
from kit.testing.events import build, envelope
from kit.testing.tokens import TestTokens
from services.notify.tests.factories import person, publish, publish_envelopes


async def directory(
    notify: Any, tokens: TestTokens, school: str, roles: list[str], **params: str
) -> list[dict[str, Any]]:
    response = await notify.get(
        "/notify/v1/recipients",
        params=params,
        headers=tokens.headers(roles=roles, school_id=school, person_id=new_id()),
    )
    assert response.status_code == 200, response.text
    return response.json()["people"]  # type: ignore[no-any-return]


async def test_a_person_update_is_applied_and_an_older_one_ignored(
    notify: Any, tokens: TestTokens
) -> None:
    school = new_id()
    teacher = person(school, "staff", "Петрова", "Анна", roles=["teacher"])
    await publish_envelopes(notify, [envelope(teacher, school_id=school, sequence=10)])

    renamed = build(PersonUpdated, **teacher.model_dump() | {"last_name": "Сидорова"})
    stale = build(PersonUpdated, **teacher.model_dump() | {"last_name": "Старая"})
    await publish_envelopes(notify, [envelope(renamed, school_id=school, sequence=12)])
    await publish_envelopes(notify, [envelope(stale, school_id=school, sequence=11)])

    [entry] = await directory(notify, tokens, school, ["teacher"])
    assert entry == {
        "id": teacher.person_id,
        "name": "Сидорова Анна",
        "kind": "staff",
        "roles": ["teacher"],
    }


async def test_students_and_parents_find_only_staff_staff_find_everyone_R_NTF_1(
    notify: Any, tokens: TestTokens
) -> None:
    school = new_id()
    deputy = person(school, "staff", "Завучева", "Ольга", roles=["deputy"])
    teacher = person(school, "staff", "Учителева", "Анна", roles=["teacher"])
    student = person(school, "student", "Ученик", "Пётр")
    elsewhere = person(new_id(), "staff", "Чужая", "Школа", roles=["teacher"])
    await publish(notify, deputy, teacher, student, school_id=school)
    await publish(notify, elsewhere, school_id=elsewhere.school_id)

    as_parent = await directory(notify, tokens, school, ["parent"])
    assert [p["id"] for p in as_parent] == [deputy.person_id, teacher.person_id]
    as_teacher = await directory(notify, tokens, school, ["teacher"])
    assert {p["id"] for p in as_teacher} == {
        deputy.person_id,
        teacher.person_id,
        student.person_id,
    }
    deputies = await directory(notify, tokens, school, ["teacher"], role="deputy")
    assert [p["name"] for p in deputies] == ["Завучева Ольга"]
    by_name = await directory(notify, tokens, school, ["student"], q="учител")
    assert [p["id"] for p in by_name] == [teacher.person_id]
