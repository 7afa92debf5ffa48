"""Wiring of the identity service: the runtime, the use cases' collaborators, the consumer,
the background tasks and the routers."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from fastapi import FastAPI

from kit.app import create_service_app
from kit.auth import CallableKeySource, Revocations, TokenVerifier
from kit.consumer import EventConsumer
from kit.logging import get_logger
from kit.runtime import Runtime, Shared
from kit.usecase import Actor
from services.identity import handlers
from services.identity.adapters.bruteforce import BruteForceGuard, Limits
from services.identity.adapters.cipher import SecretBox
from services.identity.adapters.keyring import Keyring
from services.identity.adapters.passwords import Passwords
from services.identity.api import routers
from services.identity.models import inbox, outbox
from services.identity.service import compromise, deny_list
from services.identity.service.collaborators import Identity
from services.identity.settings import IdentitySettings

MIGRATIONS = Path(__file__).parent / "migrations"
log = get_logger(__name__)


def build(settings: IdentitySettings | None = None, shared: Shared | None = None) -> FastAPI:
    """The identity app; `app.state.keyring.jwks()` is its JWKS for the embedded mode."""
    settings = settings or IdentitySettings()
    runtime = Runtime.create("identity", settings, outbox, MIGRATIONS, shared)
    identity = build_identity(settings, runtime)
    # Identity verifies its own tokens against its own key ring, never over HTTP to itself.
    runtime.verifier = TokenVerifier(
        CallableKeySource(identity.keyring.jwks), identity.revocations, refresh_interval=0
    )
    consumer = EventConsumer("identity", runtime.db, inbox)
    handlers.register(consumer, runtime)
    runtime.attach_consumer(consumer)
    runtime.background.append(
        lambda: _keep_deny_list(runtime, identity, settings.deny_list_check_seconds)
    )
    runtime.background.append(identity.keyring.keep_fresh)
    # signing never waits for the database inside a request's transaction
    runtime.startup.append(identity.keyring.refresh)
    app = create_service_app(
        runtime,
        title="Identity",
        description="Schools, people, accounts, roles, tokens, consent and compromise.",
        routers=routers,
    )
    app.state.identity = identity
    app.state.keyring = identity.keyring
    return app


def build_identity(settings: IdentitySettings, runtime: Runtime) -> Identity:
    """The use cases' collaborators, made once; the time is the runtime's clock, never here."""
    box = SecretBox(settings.key_secret)
    limits = Limits(
        failures_before_lock=settings.login_failures_before_lock,
        lock_seconds=settings.login_lock_seconds,
        lock_max_seconds=settings.login_lock_max_seconds,
        failure_window=settings.login_failure_window_seconds,
        address_limit=settings.address_failures_limit,
        address_window=settings.address_window_seconds,
    )
    return Identity(
        keyring=Keyring(runtime, box),
        passwords=Passwords(
            time_cost=settings.argon2_time_cost,
            memory_kib=settings.argon2_memory_kib,
            parallelism=settings.argon2_parallelism,
        ),
        box=box,
        guard=BruteForceGuard(runtime.redis, limits),
        revocations=Revocations(runtime.redis),
        access_ttl=dt.timedelta(seconds=settings.access_token_ttl_seconds),
        refresh_ttl=dt.timedelta(days=settings.refresh_token_ttl_days),
        public_url=settings.base_url,
        trusted_proxies=frozenset(settings.trusted_proxies),
    )


async def _keep_deny_list(runtime: Runtime, identity: Identity, every: float) -> None:
    """Redis may lose the deny-list (restarted empty, flushed); the database has not (R-SEC-4,
    R-SEC-5). At start, and within `every` seconds of a loss, write it again; drop the entries
    that expired."""
    first = True
    while True:
        try:
            if first or await deny_list.lost(identity):
                async with runtime.use_case(Actor.system(None)) as uc:
                    count = await compromise.reassert_deny_list(uc, identity)
                    await deny_list.purge(uc)
                log.info("deny_list_reasserted", entries=count)
                first = False
        except Exception as exc:  # Redis or the database is down: the next check tries again
            log.warning("deny_list_reassert_failed", error=repr(exc))
        await asyncio.sleep(every)
