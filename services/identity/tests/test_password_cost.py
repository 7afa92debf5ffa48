"""The argon2id cost: OWASP's configuration by default, and hashes of another cost keep working."""

from __future__ import annotations

from argon2 import PasswordHasher, extract_parameters

from services.identity.adapters.passwords import Passwords
from services.identity.models import Account
from services.identity.settings import IdentitySettings
from services.identity.tests.factories import PASSWORD, Harness


async def test_the_default_cost_is_owasp_argon2id_m19_t2_p1() -> None:
    settings = IdentitySettings(mode="embedded")
    hashed = await Passwords(
        time_cost=settings.argon2_time_cost,
        memory_kib=settings.argon2_memory_kib,
        parallelism=settings.argon2_parallelism,
    ).hash(PASSWORD)
    assert hashed.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert not Passwords().needs_rehash(hashed)


async def test_a_hash_of_the_old_cost_still_logs_in_and_is_rehashed_at_that_login(
    identity: Harness,
) -> None:
    school = await identity.school()
    person = await identity.person(school.id, "staff", roles=("teacher",))
    account = await identity.account(person)
    old = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=2).hash(PASSWORD)
    async with identity.db.unit_of_work() as session:
        stored = await session.get(Account, account.id)
        assert stored is not None
        stored.password_hash = old

    response = await identity.login(account.login, PASSWORD)
    assert response.status_code == 200, response.text

    async with identity.db.read_only() as session:
        stored = await session.get(Account, account.id)
        assert stored is not None
        rehashed = stored.password_hash
    assert rehashed != old
    configured = identity.collaborators.passwords
    assert not configured.needs_rehash(rehashed)
    assert extract_parameters(rehashed).memory_cost == configured.hasher.memory_cost
    assert await configured.verify(rehashed, PASSWORD)
    again = await identity.login(account.login, PASSWORD)
    assert again.status_code == 200, again.text
