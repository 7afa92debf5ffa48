"""argon2id hashes of passwords, with the service's cost settings (the policy a chosen password
must meet is a rule: `rules/passwords.py`). Hashing runs in a thread: argon2 is meant to be slow.

The default cost is the OWASP Password Storage Cheat Sheet's argon2id configuration, m=19 MiB,
t=2, p=1 (RFC 9106 §4: when its 2 GiB / 64 MiB options cost too much for the load, choose the
memory that can be afforded, p lanes, and the passes that fit the time budget). One login is
then about 20 ms of one core instead of 140 ms (m=64 MiB, t=3, p=2), so a city's morning wave
of logins costs 7× fewer cores; docs/identity.md "Passwords and brute force" has the figures.
"""

from __future__ import annotations

import secrets

import anyio
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

TIME_COST = 2
MEMORY_KIB = 19456
PARALLELISM = 1


class Passwords:
    """argon2id with the service's cost settings; `verify` tolerates any stored parameters
    (they are encoded in each hash), and `needs_rehash` tells a login to re-hash a hash made
    with other parameters."""

    def __init__(
        self,
        *,
        time_cost: int = TIME_COST,
        memory_kib: int = MEMORY_KIB,
        parallelism: int = PARALLELISM,
    ):
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
