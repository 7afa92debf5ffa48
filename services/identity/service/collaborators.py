"""What identity's use cases need beyond their `kit.usecase.UseCase` (session, outbox, actor,
instant): the key ring, the password hasher, the secret box, the brute-force guard, the
deny-list and the service's lifetimes. Built once in `app.py` and never changed afterwards;
the time is never here (it is `UseCase.now`, from the runtime's one clock).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kit.auth import Revocations
from services.identity.adapters.bruteforce import BruteForceGuard
from services.identity.adapters.cipher import SecretBox
from services.identity.adapters.keyring import Keyring
from services.identity.adapters.passwords import Passwords


@dataclass(frozen=True)
class Identity:
    keyring: Keyring
    passwords: Passwords
    box: SecretBox
    guard: BruteForceGuard
    revocations: Revocations
    access_ttl: dt.timedelta
    refresh_ttl: dt.timedelta
    public_url: str
    trusted_proxies: frozenset[str] = frozenset()
