"""Accounts identity knows, written by COPY before it starts, so that a benchmark's teachers,
parents and students log in through identity's real login endpoint.

The password hash is computed once, with identity's own hasher (`Passwords`) and the argon2
settings the service reads from the environment (`IdentitySettings`), so every account shares
one password and a login costs what a real login costs (argon2id verification and all).

    people = [SeedPerson(person_id, school_id, "staff", ["teacher"], "t-001")]
    await seed_identity(p.database_url("identity"), schools, people)
    token = await p.login("t-001", BENCH_PASSWORD)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg

from bench.platform import plain
from kit.db import new_id

BENCH_PASSWORD = "bench-Пароль-2026"


@dataclass(frozen=True)
class SeedSchool:
    id: str
    name: str
    timezone: str = "Europe/Moscow"


@dataclass(frozen=True)
class SeedPerson:
    id: str
    school_id: str
    kind: str
    """staff, student or parent"""
    roles: list[str]
    login: str


def password_hash(password: str = BENCH_PASSWORD) -> str:
    """The hash identity would store for `password`, with its configured argon2id costs."""
    from services.identity.adapters.passwords import Passwords
    from services.identity.settings import IdentitySettings

    fields = IdentitySettings.model_fields

    def setting(name: str) -> int:  # as the service reads it: EJ_ARGON2_…, else its default
        value = os.environ.get(f"EJ_{name.upper()}")
        return int(value) if value else int(fields[name].default)

    hasher = Passwords(
        time_cost=setting("argon2_time_cost"),
        memory_kib=setting("argon2_memory_kib"),
        parallelism=setting("argon2_parallelism"),
    ).hasher
    return hasher.hash(password)


async def seed_identity(
    url: str,
    schools: Sequence[SeedSchool],
    people: Sequence[SeedPerson],
    *,
    guardianships: Sequence[tuple[str, str, str]] = (),
    password: str = BENCH_PASSWORD,
) -> None:
    """COPY schools, people with their accounts (one shared password, already changed) and
    (school_id, parent_id, student_id) guardianships into identity's migrated database."""
    now = dt.datetime.now(dt.UTC)
    hashed = password_hash(password)
    conn = await asyncpg.connect(plain(url))
    try:
        async with conn.transaction():
            await conn.copy_records_to_table(
                "school",
                records=[(s.id, s.name, s.timezone, now) for s in schools],
                columns=["id", "name", "timezone", "created_at"],
            )
            await conn.copy_records_to_table(
                "person",
                records=[
                    (
                        p.id,
                        p.school_id,
                        p.kind,
                        "Тестов",
                        f"Персона {i}",
                        None,
                        None,
                        None,
                        None,
                        json.dumps(p.roles),
                        hashlib.sha256(p.id.encode()).hexdigest(),
                        now,
                        now,
                        None,
                    )
                    for i, p in enumerate(people)
                ],
                columns=[
                    "id",
                    "school_id",
                    "kind",
                    "last_name",
                    "first_name",
                    "middle_name",
                    "birth_date",
                    "sex",
                    "email",
                    "roles",
                    "natural_key",
                    "created_at",
                    "updated_at",
                    "created_by",
                ],
            )
            await conn.copy_records_to_table(
                "account",
                records=[
                    (
                        new_id(),
                        p.school_id,
                        p.id,
                        p.login.lower(),
                        hashed,
                        False,
                        "active",
                        False,
                        None,
                        now,
                        None,
                        now,
                        None,
                        None,
                        now,
                    )
                    for p in people
                ],
                columns=[
                    "id",
                    "school_id",
                    "person_id",
                    "login",
                    "password_hash",
                    "operator",
                    "status",
                    "password_change_required",
                    "pending_password",
                    "credentials_issued_at",
                    "credentials_issued_by",
                    "password_changed_at",
                    "compromised_at",
                    "last_login_at",
                    "created_at",
                ],
            )
            if guardianships:
                await conn.copy_records_to_table(
                    "guardianship",
                    records=[
                        (s, parent, student, now, None) for s, parent, student in guardianships
                    ],
                    columns=["school_id", "parent_id", "student_id", "created_at", "created_by"],
                )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
