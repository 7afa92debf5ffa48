"""Internal mail between the people of one school (R-NTF-1, R-NTF-2)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from contracts.identity import PersonRegistered
from kit.db import new_id
from kit.testing.tokens import TestTokens
from services.notify.models import outbox
from services.notify.tests.factories import person, publish

PATH = "/notify/v1/messages"


class School:
    """A school notify knows: a class teacher, a deputy, a student and their parent."""

    def __init__(self) -> None:
        self.id = new_id()
        self.class_teacher = person(self.id, "staff", "Классная", "Наталья", roles=["teacher"])
        self.deputy = person(self.id, "staff", "Завуч", "Ольга", roles=["deputy"])
        self.student = person(self.id, "student", "Иванов", "Пётр")
        self.parent = person(self.id, "parent", "Иванова", "Мария")

    async def introduce(self, client: Any) -> School:
        await publish(
            client, self.class_teacher, self.deputy, self.student, self.parent, school_id=self.id
        )
        return self

    def headers(self, tokens: TestTokens, who: PersonRegistered, role: str) -> dict[str, str]:
        return tokens.headers(roles=[role], school_id=self.id, person_id=who.person_id)


def letter(*recipients: PersonRegistered | str, subject: str = "Успеваемость") -> dict[str, Any]:
    return {
        "recipient_ids": [r if isinstance(r, str) else r.person_id for r in recipients],
        "subject": subject,
        "body": "Пётр получил две двойки по алгебре, прошу зайти в школу.",
    }


async def test_class_teacher_informs_a_parent_through_internal_mail_R_NTF_1(
    notify: Any, tokens: TestTokens
) -> None:
    school = await School().introduce(notify)
    teacher = school.headers(tokens, school.class_teacher, "teacher")
    parent = school.headers(tokens, school.parent, "parent")

    sent = await notify.post(PATH, json=letter(school.parent), headers=teacher)
    assert sent.status_code == 201, sent.text
    assert sent.json()["sender_name"] == "Классная Наталья"
    assert [r["name"] for r in sent.json()["recipients"]] == ["Иванова Мария"]

    inbox = (await notify.get(PATH, params={"box": "inbox"}, headers=parent)).json()
    assert inbox["unread"] == 1
    [message] = inbox["messages"]
    assert message["subject"] == "Успеваемость"
    assert message["body"].startswith("Пётр получил две двойки")
    assert message["read_at"] is None

    read = await notify.post(f"{PATH}/{message['id']}/read", headers=parent)
    assert read.status_code == 200
    assert read.json()["read_at"] is not None
    assert (await notify.get(PATH, headers=parent)).json()["unread"] == 0

    outgoing = (await notify.get(PATH, params={"box": "sent"}, headers=teacher)).json()
    [mine] = outgoing["messages"]
    assert mine["recipients"][0]["read_at"] is not None  # the teacher sees it was read


async def test_class_teacher_tells_the_deputy_about_late_marks_R_NTF_2(
    notify: Any, tokens: TestTokens
) -> None:
    school = await School().introduce(notify)
    teacher = school.headers(tokens, school.class_teacher, "teacher")
    deputies = await notify.get("/notify/v1/recipients", params={"role": "deputy"}, headers=teacher)
    [deputy] = deputies.json()["people"]

    body = letter(deputy["id"], subject="Не выставлены отметки по физике за неделю")
    assert (await notify.post(PATH, json=body, headers=teacher)).status_code == 201

    inbox = await notify.get(PATH, headers=school.headers(tokens, school.deputy, "deputy"))
    [message] = inbox.json()["messages"]
    assert message["subject"] == "Не выставлены отметки по физике за неделю"
    assert message["sender_id"] == school.class_teacher.person_id


async def test_parents_and_students_write_only_to_staff_R_NTF_1(
    notify: Any, tokens: TestTokens
) -> None:
    school = await School().introduce(notify)
    parent = school.headers(tokens, school.parent, "parent")
    student = school.headers(tokens, school.student, "student")

    assert (
        await notify.post(PATH, json=letter(school.class_teacher), headers=parent)
    ).status_code == 201
    assert (await notify.post(PATH, json=letter(school.deputy), headers=student)).status_code == 201
    refused = await notify.post(PATH, json=letter(school.student), headers=parent)
    assert refused.status_code == 403
    assert refused.json()["code"] == "recipient_not_allowed"
    mixed = await notify.post(PATH, json=letter(school.deputy, school.parent), headers=student)
    assert mixed.status_code == 403
    inbox = await notify.get(PATH, headers=school.headers(tokens, school.deputy, "deputy"))
    assert len(inbox.json()["messages"]) == 1  # the refused letter reached nobody


async def test_a_recipient_of_another_school_is_refused_like_an_unknown_one_R_NTF_1(
    notify: Any, tokens: TestTokens
) -> None:
    school = await School().introduce(notify)
    other = await School().introduce(notify)
    teacher = school.headers(tokens, school.class_teacher, "teacher")

    elsewhere = await notify.post(PATH, json=letter(other.deputy), headers=teacher)
    nowhere = await notify.post(PATH, json=letter(new_id()), headers=teacher)
    for answer in (elsewhere, nowhere):
        assert answer.status_code == 422
        assert answer.json()["code"] == "unknown_recipient"
        assert answer.json()["title"] == nowhere.json()["title"]
    other_inbox = await notify.get(PATH, headers=other.headers(tokens, other.deputy, "deputy"))
    assert other_inbox.json()["messages"] == []


async def test_a_message_is_readable_by_its_sender_and_recipients_only(
    notify: Any, tokens: TestTokens
) -> None:
    school = await School().introduce(notify)
    other = await School().introduce(notify)
    teacher = school.headers(tokens, school.class_teacher, "teacher")
    sent = await notify.post(PATH, json=letter(school.parent, school.deputy), headers=teacher)
    message_id = sent.json()["id"]

    as_parent = await notify.get(
        f"{PATH}/{message_id}", headers=school.headers(tokens, school.parent, "parent")
    )
    assert as_parent.status_code == 200
    assert [r["id"] for r in as_parent.json()["recipients"]] == [school.parent.person_id]
    as_sender = await notify.get(f"{PATH}/{message_id}", headers=teacher)
    assert len(as_sender.json()["recipients"]) == 2

    for headers in (
        school.headers(tokens, school.student, "student"),
        other.headers(tokens, other.deputy, "deputy"),
    ):
        assert (await notify.get(f"{PATH}/{message_id}", headers=headers)).status_code == 404
        assert (await notify.post(f"{PATH}/{message_id}/read", headers=headers)).status_code == 404
    assert (await notify.post(f"{PATH}/{message_id}/read", headers=teacher)).status_code == 404


async def test_sending_a_message_publishes_ids_only_R_NTF_1(
    notify: Any, tokens: TestTokens
) -> None:
    school = await School().introduce(notify)
    teacher = school.headers(tokens, school.class_teacher, "teacher")
    sent = await notify.post(PATH, json=letter(school.parent), headers=teacher)

    async with notify.app_runtime.db.read_only() as session:
        rows = (
            await session.execute(
                select(outbox.c.envelope).where(outbox.c.aggregate_id == sent.json()["id"])
            )
        ).scalars()
        [envelope] = list(rows)
    assert '"type":"notify.message.sent.v1"' in envelope
    assert "двойки" not in envelope


async def test_bad_messages_are_problem_json(notify: Any, tokens: TestTokens) -> None:
    school = await School().introduce(notify)
    teacher = school.headers(tokens, school.class_teacher, "teacher")
    for body in (
        {"recipient_ids": [], "subject": "Тема", "body": "Текст"},
        {"recipient_ids": [school.parent.person_id], "subject": "  ", "body": "Текст"},
        {"recipient_ids": [school.parent.person_id], "subject": "Тема"},
        {"recipient_ids": ["x" * 37], "subject": "Тема", "body": "Текст"},
        {"recipient_ids": [school.parent.person_id], "subject": "Т" * 201, "body": "Текст"},
    ):
        response = await notify.post(PATH, json=body, headers=teacher)
        assert response.status_code == 422, body
        assert response.json()["code"] == "validation_error"
    bad_box = await notify.get(PATH, params={"box": "spam"}, headers=teacher)
    assert bad_box.status_code == 422
    operator = await notify.post(
        PATH, json=letter(school.parent), headers=tokens.headers(roles=["operator"], school_id=None)
    )
    assert operator.status_code == 403


async def test_a_retried_send_with_the_same_idempotency_key_sends_once(
    notify: Any, tokens: TestTokens
) -> None:
    school = await School().introduce(notify)
    teacher = {**school.headers(tokens, school.class_teacher, "teacher"), "Idempotency-Key": "k1"}
    first = await notify.post(PATH, json=letter(school.parent), headers=teacher)
    again = await notify.post(PATH, json=letter(school.parent), headers=teacher)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"
    inbox = await notify.get(PATH, headers=school.headers(tokens, school.parent, "parent"))
    assert len(inbox.json()["messages"]) == 1

    other = await notify.post(PATH, json=letter(school.deputy), headers=teacher)
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_key_reused"
