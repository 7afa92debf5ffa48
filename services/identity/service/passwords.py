"""Passwords: argon2id hashes, and the policy a chosen password must meet.

The policy follows NIST SP 800-63B: a minimum length, a blocklist of passwords attackers
try first, nothing derived from the login, no composition rules (no "one digit and one
capital"), and long passphrases welcome. Hashing runs in a thread: argon2 is meant to be slow.
"""

from __future__ import annotations

import secrets
from functools import cache
from pathlib import Path

import anyio
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kit.errors import Invalid

MIN_LENGTH = 10
MAX_LENGTH = 128
ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""No 0/O, 1/l/I: a one-time password is read off paper and typed by a child or a parent."""

_SEQUENCES = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "йцукенгшщзхъфывапролджэячсмитьбю")


class Passwords:
    """argon2id with the service's cost settings; `verify` tolerates any stored parameters."""

    def __init__(self, *, time_cost: int = 3, memory_kib: int = 65536, parallelism: int = 2):
        self.hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism
        )
        self._dummy: str | None = None

    async def hash(self, password: str) -> str:
        return await anyio.to_thread.run_sync(self.hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """Check a password; for an unknown login (`None`) spend the same time and say no."""
        if password_hash is None:
            if self._dummy is None:
                self._dummy = await self.hash(secrets.token_urlsafe(16))
            await anyio.to_thread.run_sync(self._check, self._dummy, password)
            return False
        return await anyio.to_thread.run_sync(self._check, password_hash, password)

    def _check(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self.hasher.check_needs_rehash(password_hash)


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
