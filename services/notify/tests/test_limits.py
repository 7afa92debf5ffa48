"""Limits on internal mail (issue 16: a parent sent 30 in a row, all accepted): a sender's
letters per minute and per day; the refusal is 429 problem+json with `Retry-After`; other
senders are not affected; refused letters and Idempotency-Key replays count nothing."""

from __future__ import annotations

from typing import Any

import httpx

from kit.testing.tokens import TestTokens
from services.notify.tests.conftest import StartNotify
from services.notify.tests.test_messages import PATH, School, letter


def assert_limited(response: httpx.Response, most: int) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "too_many_messages"
    assert 1 <= int(response.headers["Retry-After"]) <= most


async def test_a_parents_eleventh_letter_in_a_minute_is_429_and_others_still_write(
    notify: Any, tokens: TestTokens
) -> None:
    school = await School().introduce(notify)
    parent = school.headers(tokens, school.parent, "parent")
    for n in range(10):  # the default: 10 a minute
        sent = await notify.post(
            PATH, json=letter(school.class_teacher, subject=f"№{n}"), headers=parent
        )
        assert sent.status_code == 201, sent.text
    refused = await notify.post(PATH, json=letter(school.class_teacher), headers=parent)
    assert_limited(refused, 60)
    teacher = school.headers(tokens, school.class_teacher, "teacher")
    inbox = (await notify.get(PATH, params={"box": "inbox"}, headers=teacher)).json()
    assert len(inbox["messages"]) == 10  # the refused letter reached nobody
    # another sender of the same school is not affected
    answer = await notify.post(PATH, json=letter(school.parent), headers=teacher)
    assert answer.status_code == 201, answer.text


async def test_refused_letters_and_replays_count_nothing(notify: Any, tokens: TestTokens) -> None:
    school = await School().introduce(notify)
    student = school.headers(tokens, school.student, "student")
    for _ in range(12):  # students write only to staff: refused, never counted
        refused = await notify.post(PATH, json=letter(school.parent), headers=student)
        assert refused.status_code == 403
    keyed = {**student, "Idempotency-Key": "one-letter"}
    for _ in range(12):  # one letter, replayed
        sent = await notify.post(PATH, json=letter(school.class_teacher), headers=keyed)
        assert sent.status_code == 201, sent.text
    for n in range(9):  # nine more make the ten of the minute
        sent = await notify.post(PATH, json=letter(school.deputy, subject=f"№{n}"), headers=student)
        assert sent.status_code == 201, sent.text
    assert_limited(await notify.post(PATH, json=letter(school.deputy), headers=student), 60)


async def test_the_days_limit_is_its_own_setting(
    start_notify: StartNotify, tokens: TestTokens
) -> None:
    async with start_notify(messages_per_sender_minute=0, messages_per_sender_day=3) as client:
        school = await School().introduce(client)
        teacher = school.headers(tokens, school.class_teacher, "teacher")
        for _ in range(3):
            sent = await client.post(PATH, json=letter(school.parent), headers=teacher)
            assert sent.status_code == 201, sent.text
        refused = await client.post(PATH, json=letter(school.parent), headers=teacher)
        assert_limited(refused, 86400)
        assert int(refused.headers["Retry-After"]) > 60  # the day's window, not a minute's
        deputy = school.headers(tokens, school.deputy, "deputy")
        sent = await client.post(PATH, json=letter(school.parent), headers=deputy)
        assert sent.status_code == 201, sent.text
