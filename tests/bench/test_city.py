"""The bench's city loader (bench/city.py) at its smallest: the rows are shaped as the journal
writes them (the history chain verifies, today's lessons are left for the write cases) and every
person can log in to identity. No timings."""

from __future__ import annotations

from typing import Any

import asyncpg
from argon2 import PasswordHasher

from bench.city import GRID_STUDENTS, load_identity, load_journal, plain_url
from services.identity.app import MIGRATIONS as IDENTITY
from services.journal.app import MIGRATIONS as JOURNAL
from services.journal.repository.history import GENESIS
from services.journal.service.history import link_hash


async def test_a_small_city_is_loaded_as_the_journal_and_identity_keep_it(
    make_database: Any,
) -> None:
    journal_url = await make_database("bench_city_journal", JOURNAL)
    identity_url = await make_database("bench_city_identity", IDENTITY)
    city = await load_journal(journal_url, 0.001)
    await load_identity(identity_url, city)
    assert city.grid is not None and city.diary_student is not None
    assert city.quarter[0] < city.today <= city.quarter[1]

    conn = await asyncpg.connect(plain_url(journal_url))
    try:
        # the chain: each link's hash covers its content and the previous hash; the head is
        # its last link, so the journal appends after it
        links = await conn.fetch("SELECT * FROM history ORDER BY school_id, seq")
        assert links
        prev, seq = GENESIS, 0
        for link in links:
            seq += 1
            assert link["seq"] == seq and link["prev_hash"] == prev
            assert link_hash(prev, dict(link)) == link["hash"]
            prev = link["hash"]
        head = await conn.fetchrow("SELECT seq, hash FROM history_head")
        assert (head["seq"], head["hash"]) == (seq, prev)
        assert await conn.fetchval("SELECT count(*) FROM mark") == len(links)

        # today's lessons: no marks, no topic (the write cases post them); held ones: marked,
        # with one stored Idempotency-Key answer per lesson's marks request
        today_marks = await conn.fetchval(
            "SELECT count(*) FROM mark m JOIN lesson l ON l.id = m.lesson_id WHERE l.date = $1",
            city.today,
        )
        assert today_marks == 0
        assert len(city.today_lessons) == await conn.fetchval(
            "SELECT count(*) FROM lesson WHERE date = $1", city.today
        )
        unmarked_past = await conn.fetchval(
            "SELECT count(*) FROM lesson l WHERE l.date < $1 "
            "AND NOT EXISTS (SELECT 1 FROM mark m WHERE m.lesson_id = l.id)",
            city.today,
        )
        assert unmarked_past == 0
        held = await conn.fetchval(
            "SELECT count(DISTINCT lesson_id) FROM mark",
        )
        assert await conn.fetchval("SELECT count(*) FROM idempotency_key") == held

        # the grid's class: 35 students, marked at every lesson of the quarter but today's
        grid = city.grid
        assert (
            await conn.fetchval("SELECT count(*) FROM enrolment WHERE class_id = $1", grid.class_id)
            == GRID_STUDENTS
        )
        assert (
            await conn.fetchval(
                "SELECT count(*) FROM lesson l WHERE l.class_id = $1 AND l.date <> $2 "
                "AND NOT EXISTS (SELECT 1 FROM mark m WHERE m.lesson_id = l.id)",
                grid.class_id,
                city.today,
            )
            == 0
        )
        # the diary's reader: a guardianship for every parent the city names
        for parent in city.parents[:5]:
            assert await conn.fetchval(
                "SELECT count(*) FROM guardianship WHERE parent_id = $1 AND student_id = $2",
                parent.person_id,
                parent.child_id,
            )
    finally:
        await conn.close()

    conn = await asyncpg.connect(plain_url(identity_url))
    try:
        accounts = await conn.fetch("SELECT id, login, password_hash, status FROM account")
        by_login = {a["login"]: a for a in accounts}
        people = city.teachers[:1] + city.parents[:1] + city.students[:1] + city.deputies[:1]
        for person in people:
            account = by_login[person.login]
            assert account["id"] == person.account_id and account["status"] == "active"
        assert len(accounts) == len(city.people)
        assert PasswordHasher().verify(accounts[0]["password_hash"], city.password)
    finally:
        await conn.close()
