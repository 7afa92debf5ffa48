"""Everything identity's rules need beyond a database session, built once in `app.py`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kit.auth import Revocations
from kit.clock import Clock
from kit.outbox import Outbox
from services.identity.service.bruteforce import BruteForceGuard
from services.identity.service.cipher import SecretBox
from services.identity.service.keyring import Keyring
from services.identity.service.passwords import Passwords


@dataclass
class Deps:
    clock: Clock
    keyring: Keyring
    passwords: Passwords
    box: SecretBox
    guard: BruteForceGuard
    revocations: Revocations
    outbox: Outbox
    access_ttl: dt.timedelta
    refresh_ttl: dt.timedelta
    key_activation_delay: dt.timedelta
    public_url: str
    trusted_proxies: frozenset[str] = frozenset()

    def now(self) -> dt.datetime:
        return self.clock.now()
