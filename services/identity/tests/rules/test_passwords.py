"""The password policy and one-time passwords (R-SEC-2), as functions of values."""

from __future__ import annotations

import pytest

from kit.errors import Invalid
from services.identity.rules.passwords import (
    MAX_LENGTH,
    MIN_LENGTH,
    ONE_TIME_ALPHABET,
    check_policy,
    one_time_password,
)


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("a1b2c3d4", "password_too_short"),
        ("x" * (MAX_LENGTH + 1), "password_too_long"),
        ("qwertyuiop", "password_too_common"),
        ("ivanov-secret-2026", "password_contains_login"),
        ("abababababab", "password_too_repetitive"),
        ("lmnopqrstuvw", "password_too_repetitive"),
    ],
)
def test_a_weak_password_is_refused_with_its_code_R_SEC_2(password: str, code: str) -> None:
    with pytest.raises(Invalid) as refused:
        check_policy(password, login="ivanov")
    assert refused.value.code == code


def test_a_long_passphrase_needs_no_digits_or_capitals_R_SEC_2() -> None:
    check_policy("осенний лист кружит над прудом", login="ivanov")
    check_policy("ночь" + "x" * (MIN_LENGTH - 4), login="ivanov")


def test_a_one_time_password_is_readable_off_paper_and_meets_the_policy_R_SEC_2() -> None:
    seen = {one_time_password("ivanov") for _ in range(50)}
    assert len(seen) == 50
    for password in seen:
        assert set(password) <= set(ONE_TIME_ALPHABET)
        assert not set(password) & set("0O1lI")
        check_policy(password, login="ivanov")
