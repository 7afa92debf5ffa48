"""The policy a chosen password must meet, and one-time passwords (argon2id hashing is an
adapter: `adapters/passwords.py`).

The policy follows NIST SP 800-63B: a minimum length, a blocklist of passwords attackers
try first, nothing derived from the login, no composition rules (no "one digit and one
capital"), and long passphrases welcome.
"""

from __future__ import annotations

import secrets
from functools import cache
from pathlib import Path

from kit.errors import Invalid

MIN_LENGTH = 10
MAX_LENGTH = 128
ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""No 0/O, 1/l/I: a one-time password is read off paper and typed by a child or a parent."""

_SEQUENCES = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "йцукенгшщзхъфывапролджэячсмитьбю")


def one_time_password(login: str, length: int = 12) -> str:
    """A random password to hand over on paper; it must be changed at first login (R-SEC-2)."""
    while True:
        candidate = "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(length))
        if login.lower() not in candidate.lower():
            return candidate


@cache
def common_passwords() -> frozenset[str]:
    text = (Path(__file__).with_name("common_passwords.txt")).read_text(encoding="utf-8")
    return frozenset(
        line.strip().casefold() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def check_policy(password: str, *, login: str) -> None:
    """Refuse a weak password with a stable code (422); say nothing about what is strong."""
    if len(password) < MIN_LENGTH:
        raise Invalid(
            f"the password needs at least {MIN_LENGTH} characters", code="password_too_short"
        )
    if len(password) > MAX_LENGTH:
        raise Invalid(
            f"the password may have at most {MAX_LENGTH} characters", code="password_too_long"
        )
    folded = password.casefold()
    if folded in common_passwords():
        raise Invalid("this password is among the most common ones", code="password_too_common")
    if login and login.casefold() in folded:
        raise Invalid("the password must not contain the login", code="password_contains_login")
    if len(set(folded)) <= 2 or any(folded in s or folded in s[::-1] for s in _SEQUENCES):
        raise Invalid(
            "the password is a repetition or a run of keys", code="password_too_repetitive"
        )
