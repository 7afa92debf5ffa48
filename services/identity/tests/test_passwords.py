"""Passwords: argon2id, and a NIST 800-63B-style policy (length, blocklist, not the login)."""

from __future__ import annotations

import pytest

from kit.errors import Invalid
from services.identity.adapters.passwords import Passwords
from services.identity.rules.passwords import check_policy, one_time_password
from services.identity.tests.factories import PASSWORD, Harness


@pytest.mark.parametrize(
    "login", ["admin", "director", "deputy", "teacher1", "student1", "parent1"]
)
def test_the_demo_password_meets_the_policy(login: str) -> None:
    check_policy("demo-password", login=login)


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short1!", "password_too_short"),
        ("x" * 129, "password_too_long"),
        ("1234567890", "password_too_common"),
        ("Qwertyuiop", "password_too_common"),
        ("пароль12345", "password_too_common"),
        ("my-ivanov.ap-password", "password_contains_login"),
        ("abababababab", "password_too_repetitive"),
        ("0987654321", "password_too_common"),
        ("abcdefghijklm", "password_too_repetitive"),
    ],
)
def test_weak_passwords_are_refused_with_a_stable_code(password: str, code: str) -> None:
    with pytest.raises(Invalid) as refused:
        check_policy(password, login="ivanov.ap")
    assert refused.value.code == code


def test_no_composition_rules_a_long_passphrase_is_fine() -> None:
    check_policy("жили-были дед да баба", login="ivanov.ap")
    check_policy("correct horse battery staple", login="ivanov.ap")


def test_one_time_passwords_meet_the_policy_and_differ() -> None:
    passwords = {one_time_password("ivanov.ap") for _ in range(200)}
    assert len(passwords) == 200
    for password in passwords:
        check_policy(password, login="ivanov.ap")


async def test_hashes_are_argon2id_and_verify() -> None:
    hasher = Passwords(time_cost=1, memory_kib=1024, parallelism=1)
    hashed = await hasher.hash("demo-password")
    assert hashed.startswith("$argon2id$")
    assert await hasher.verify(hashed, "demo-password")
    assert not await hasher.verify(hashed, "demo-passwore")
    assert not await hasher.verify(None, "demo-password")
    assert not await hasher.verify("not a hash", "demo-password")


async def test_changing_the_password_checks_the_old_one_and_the_policy(identity: Harness) -> None:
    school = await identity.school()
    member = await identity.member(school.id, "staff", "teacher")
    url = "/identity/v1/me/password"
    wrong = await identity.client.post(
        url,
        json={"old_password": "nope-nope-nope", "new_password": "a fine passphrase"},
        headers=member.headers,
    )
    assert wrong.status_code == 403 and wrong.json()["code"] == "wrong_password"
    weak = await identity.client.post(
        url, json={"old_password": PASSWORD, "new_password": "1234567890"}, headers=member.headers
    )
    assert weak.status_code == 422 and weak.json()["code"] == "password_too_common"
    same = await identity.client.post(
        url, json={"old_password": PASSWORD, "new_password": PASSWORD}, headers=member.headers
    )
    assert same.status_code == 422 and same.json()["code"] == "password_reused"
    assert (await identity.login(member.account.login, PASSWORD)).status_code == 200
