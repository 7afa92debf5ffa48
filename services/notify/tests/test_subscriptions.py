"""Parents subscribe to e-mail delivery and digests in their own account (R-REC-2)."""

from __future__ import annotations

from typing import Any

from kit.db import new_id
from kit.testing.tokens import TestTokens

PATH = "/notify/v1/subscriptions/me"


def parent(tokens: TestTokens) -> dict[str, str]:
    return tokens.headers(roles=["parent"], school_id=new_id(), person_id=new_id())


async def test_without_a_subscription_a_parent_gets_the_feed_only_R_REC_2(
    notify: Any, tokens: TestTokens
) -> None:
    response = await notify.get(PATH, headers=parent(tokens))
    assert response.status_code == 200
    assert response.json()["email"] is False
    assert response.json()["digest"] == "none"


async def test_a_parent_subscribes_changes_the_digest_and_keeps_the_address_R_REC_2(
    notify: Any, tokens: TestTokens
) -> None:
    headers = parent(tokens)
    put = await notify.put(
        PATH,
        json={"email": True, "email_address": "мама@пример.рф", "digest": "daily"},
        headers=headers,
    )
    assert put.status_code == 200, put.text
    assert put.json()["email_address"] == "мама@пример.рф"

    weekly = await notify.put(PATH, json={"email": True, "digest": "weekly"}, headers=headers)
    assert weekly.json()["email_address"] == "мама@пример.рф"
    assert weekly.json()["digest"] == "weekly"

    off = await notify.put(PATH, json={"email": False}, headers=headers)
    assert off.json()["email"] is False
    got = await notify.get(PATH, headers=headers)
    assert got.json() == off.json()


async def test_email_without_an_address_is_refused_R_REC_2(notify: Any, tokens: TestTokens) -> None:
    response = await notify.put(
        PATH, json={"email": True, "digest": "none"}, headers=parent(tokens)
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "email_address_required"


async def test_bad_subscription_input_is_problem_json(notify: Any, tokens: TestTokens) -> None:
    headers = parent(tokens)
    for body in (
        {"email": True, "email_address": "not-an-address"},
        {"email": True, "email_address": "a@b.ru", "digest": "hourly"},
        {"email": "perhaps"},
        {"email": False, "unknown": 1},
        {},
    ):
        response = await notify.put(PATH, json=body, headers=headers)
        assert response.status_code == 422, body
        assert response.json()["code"] == "validation_error"


async def test_the_operator_has_no_subscription(notify: Any, tokens: TestTokens) -> None:
    response = await notify.get(PATH, headers=tokens.headers(roles=["operator"], school_id=None))
    assert response.status_code == 403
    assert response.json()["code"] == "school_required"
