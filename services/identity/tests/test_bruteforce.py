"""Brute force: 429 with Retry-After per login and per address, never a long lock-out."""

from __future__ import annotations

import asyncio
import random
from typing import Any

from services.identity.tests.conftest import client_for, random_address
from services.identity.tests.factories import PASSWORD


async def test_a_login_guessed_too_often_answers_429_with_retry_after(make_identity: Any) -> None:
    async with make_identity(login_failures_before_lock=3, login_lock_seconds=20) as identity:
        school = await identity.school()
        member = await identity.member(school.id, "staff", "teacher")
        login = member.account.login
        for _ in range(3):
            assert (await identity.login(login, "wrong-guess-123")).status_code == 401
        locked = await identity.login(login, "wrong-guess-123")
        assert locked.status_code == 429
        assert locked.json()["code"] == "too_many_attempts"
        assert 0 < int(locked.headers["Retry-After"]) <= 20
        # Even the right password waits: a locked login answers nothing about passwords.
        async with client_for(identity.app) as elsewhere:
            assert (await identity.login(login, PASSWORD, elsewhere)).status_code == 429
        other = await identity.member(school.id, "staff", "teacher")
        assert (await identity.login(other.account.login, PASSWORD)).status_code == 200


async def test_the_lock_is_short_however_long_the_attack(make_identity: Any) -> None:
    """An attacker cannot keep a real user out for long: the lock never exceeds its cap."""
    async with make_identity(
        login_failures_before_lock=2, login_lock_seconds=1, login_lock_max_seconds=1
    ) as identity:
        school = await identity.school()
        member = await identity.member(school.id, "staff", "teacher")
        login = member.account.login
        async with client_for(identity.app) as attacker:
            for _ in range(30):
                response = await identity.login(login, "attacker-guess", attacker)
                assert response.status_code in (401, 429)
                if response.status_code == 429:
                    assert int(response.headers["Retry-After"]) <= 1
        await asyncio.sleep(1.1)  # the cap has passed: the owner logs in
        assert (await identity.login(login, PASSWORD)).status_code == 200
        # …and the count starts again from nothing.
        assert (await identity.login(login, "one-typo-here")).status_code == 401
        assert (await identity.login(login, PASSWORD)).status_code == 200


async def test_an_address_failing_too_often_answers_429_for_every_login(make_identity: Any) -> None:
    async with make_identity(address_failures_limit=5, address_window_seconds=60) as identity:
        school = await identity.school()
        member = await identity.member(school.id, "staff", "teacher")
        address = random_address()
        async with client_for(identity.app, address) as attacker:
            for number in range(5):
                response = await identity.login(f"nobody{number}.x", "guess-guess", attacker)
                assert response.status_code == 401
            blocked = await identity.login(member.account.login, PASSWORD, attacker)
            assert blocked.status_code == 429
            assert 0 < int(blocked.headers["Retry-After"]) <= 60
        async with client_for(identity.app) as owner:
            assert (await identity.login(member.account.login, PASSWORD, owner)).status_code == 200


async def test_guessing_the_old_password_on_the_change_form_is_limited_too(
    make_identity: Any,
) -> None:
    async with make_identity(login_failures_before_lock=2, login_lock_seconds=30) as identity:
        school = await identity.school()
        member = await identity.member(school.id, "staff", "teacher")
        body = {"old_password": "guess-guess-1", "new_password": "a fine passphrase"}
        statuses = [
            (
                await identity.client.post(
                    "/identity/v1/me/password", json=body, headers=member.headers
                )
            ).status_code
            for _ in range(3)
        ]
        assert statuses == [403, 403, 429]


async def test_behind_the_gateway_the_limit_counts_the_forwarded_client(make_identity: Any) -> None:
    """The gateway (a trusted proxy) forwards everyone: its own address is never blocked."""
    async with make_identity(
        address_failures_limit=3, address_window_seconds=60, trusted_proxies=["127.0.0.9"]
    ) as identity:
        school = await identity.school()
        member = await identity.member(school.id, "staff", "teacher")
        attacker, owner = (
            {"X-Forwarded-For": random_address()},
            {"X-Forwarded-For": random_address()},
        )
        async with client_for(identity.app, "127.0.0.9") as gateway:

            async def log_in(password: str, headers: dict[str, str], login: str) -> int:
                response = await gateway.post(
                    "/identity/v1/token",
                    data={"username": login, "password": password},
                    headers=headers,
                )
                return response.status_code

            for number in range(3):
                assert await log_in("guess-guess", attacker, f"nobody{number}.y") == 401
            assert await log_in(PASSWORD, attacker, member.account.login) == 429
            assert await log_in(PASSWORD, owner, member.account.login) == 200
        # A client's own X-Forwarded-For is ignored: it is not a trusted proxy.
        async with client_for(identity.app) as liar:
            spoofed = await liar.post(
                "/identity/v1/token",
                data={"username": member.account.login, "password": PASSWORD},
                headers=attacker,
            )
            assert spoofed.status_code == 200


async def test_by_default_no_peer_is_a_trusted_proxy(make_identity: Any) -> None:
    """Unless a deployment names its proxy, even a loopback peer's X-Forwarded-For is ignored:
    a process on the same machine cannot pick the address a failure is counted against."""
    async with make_identity(address_failures_limit=3, address_window_seconds=60) as identity:
        assert identity.app.state.identity.trusted_proxies == frozenset()
        school = await identity.school()
        member = await identity.member(school.id, "staff", "teacher")
        # a loopback address of this test's own: the counters of 127.0.0.1 are everyone's
        loopback = f"127.{random.randint(1, 254)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
        async with client_for(identity.app, loopback) as local:

            async def log_in(password: str, login: str) -> int:
                response = await local.post(
                    "/identity/v1/token",
                    data={"username": login, "password": password},
                    headers={"X-Forwarded-For": random_address()},
                )
                return response.status_code

            for number in range(3):
                assert await log_in("guess-guess", f"nobody{number}.z") == 401
            # every guess claimed another address; all were counted against the peer itself
            assert await log_in(PASSWORD, member.account.login) == 429
