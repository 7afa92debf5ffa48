"""Journal: a city's teachers entering a lesson's marks at once, and the grid of a class of 35.

The journal runs in-process (its real HTTP stack, tokens, unit of work, history chain, outbox)
on a database of its own on `EJ_POSTGRES_URL`, its outbox relay publishing to RabbitMQ
(`EJ_AMQP_URL`, an exchange named for this run). Many teachers of many schools each post their
lesson's marks in one request; we print marks/s, the p50/p99 latency of a request, and how long
events wait in the outbox, beside the same rows (marks, history, outbox) inserted by raw SQL
(asyncpg) on the same database, at the same concurrency, as the baseline. Then the grid of a
class of 35 over a quarter (target: under 50 ms), beside the same reads in raw SQL.

The database and the exchange are created for the run and dropped at its end.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import secrets
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import httpx
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bench.figures import Figure
from kit.clock import FixedClock
from kit.db import new_id
from kit.migrations import upgrade
from kit.runtime import Shared
from kit.testing.tokens import TestTokens
from services.journal.app import MIGRATIONS, build
from services.journal.models import (
    Attendance,
    Enrolment,
    Lesson,
    Mark,
    Period,
    School,
    SchoolClass,
    SchoolYear,
    Subject,
)
from services.journal.settings import JournalSettings

DAY = dt.date(2026, 10, 1)
Q1 = (dt.date(2026, 9, 1), dt.date(2026, 10, 26))
STUDENTS_PER_CLASS = 25
GRID_STUDENTS = 35


def _plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


@dataclass
class Lesson_:
    school_id: str
    lesson_id: str
    class_id: str
    subject_id: str
    teacher_id: str
    students: list[str]


@dataclass
class City:
    lessons: list[Lesson_] = field(default_factory=list)
    grid_class: str = ""
    grid_subject: str = ""
    grid_period: str = ""
    grid_school: str = ""


async def _seed(url: str, schools: int, lessons: int) -> City:
    """Years, quarters, subjects, classes with their students, and one lesson per class,
    written straight into the tables (set-up, not measured)."""
    city = City()
    rows: dict[Any, list[dict[str, Any]]] = {
        t: [] for t in (School, SchoolYear, Period, Subject, SchoolClass, Enrolment, Lesson)
    }
    per_school = max(1, lessons // schools)
    for _ in range(schools):
        school, year, period, subject = new_id(), new_id(), new_id(), new_id()
        # as identity's identity.school.registered leaves it (the journal guesses no zone)
        rows[School].append({"id": school, "name": "Школа", "timezone": "Europe/Moscow"})
        rows[SchoolYear].append(
            {
                "id": year,
                "school_id": school,
                "name": "2026/2027",
                "starts_on": dt.date(2026, 9, 1),
                "ends_on": dt.date(2027, 5, 31),
                "closed_on": None,
            }
        )
        rows[Period].append(
            {
                "id": period,
                "school_id": school,
                "year_id": year,
                "kind": "quarter",
                "number": 1,
                "starts_on": Q1[0],
                "ends_on": Q1[1],
            }
        )
        rows[Subject].append({"id": subject, "school_id": school, "name": "Математика"})
        for n in range(per_school):
            class_id, teacher, lesson = new_id(), new_id(), new_id()
            students = [new_id() for _ in range(STUDENTS_PER_CLASS)]
            rows[SchoolClass].append(
                {
                    "id": class_id,
                    "school_id": school,
                    "year_id": year,
                    "name": f"{5 + n % 7}-{n}",
                    "grade": 5 + n % 7,
                    "class_teacher_id": None,
                }
            )
            rows[Enrolment] += [
                {
                    "id": new_id(),
                    "school_id": school,
                    "class_id": class_id,
                    "student_id": s,
                    "from_on": Q1[0],
                    "until_on": None,
                    "left_reason": None,
                }
                for s in students
            ]
            rows[Lesson].append(_lesson_row(lesson, school, class_id, subject, teacher, DAY, 1))
            city.lessons.append(Lesson_(school, lesson, class_id, subject, teacher, students))
    grid = _grid_class(rows, city)
    engine = create_async_engine(url, poolclass=NullPool)
    async with engine.begin() as conn:
        for table, values in rows.items():
            for start in range(0, len(values), 2000):
                await conn.execute(insert(table), values[start : start + 2000])
        for table, values in grid.items():
            await conn.execute(insert(table), values)
    await engine.dispose()
    return city


def _lesson_row(
    lesson: str, school: str, class_id: str, subject: str, teacher: str, day: dt.date, number: int
) -> dict[str, Any]:
    return {
        "id": lesson,
        "school_id": school,
        "class_id": class_id,
        "subject_id": subject,
        "group_id": None,
        "teacher_id": teacher,
        "substitute_id": None,
        "room_id": None,
        "date": day,
        "number": number,
        "topic": "Тема",
        "homework": "§1",
        "homework_set_at": None,
        "homework_late": False,
    }


def _grid_class(rows: dict[Any, list[dict[str, Any]]], city: City) -> dict[Any, list[dict]]:  # type: ignore[type-arg]
    """A class of 35 with a lesson of the subject every school day of the quarter, marked."""
    first = rows[SchoolClass][0]
    school, year = first["school_id"], first["year_id"]
    subject = rows[Subject][0]["id"]
    period = rows[Period][0]["id"]
    class_id, teacher = new_id(), new_id()
    students = [new_id() for _ in range(GRID_STUDENTS)]
    out: dict[Any, list[dict[str, Any]]] = {
        SchoolClass: [],
        Enrolment: [],
        Lesson: [],
        Mark: [],
        Attendance: [],
    }
    out[SchoolClass].append(
        {
            "id": class_id,
            "school_id": school,
            "year_id": year,
            "name": "5Ж",
            "grade": 5,
            "class_teacher_id": None,
        }
    )
    out[Enrolment] = [
        {
            "id": new_id(),
            "school_id": school,
            "class_id": class_id,
            "student_id": s,
            "from_on": Q1[0],
            "until_on": None,
            "left_reason": None,
        }
        for s in students
    ]
    day, n = Q1[0], 0
    while day <= Q1[1]:
        if day.isoweekday() <= 5:
            lesson = new_id()
            out[Lesson].append(_lesson_row(lesson, school, class_id, subject, teacher, day, 2))
            for i, s in enumerate(students):
                if (i + n) % 4 == 0:
                    out[Mark].append(
                        {
                            "id": new_id(),
                            "school_id": school,
                            "lesson_id": lesson,
                            "student_id": s,
                            "class_id": class_id,
                            "subject_id": subject,
                            "period_id": period,
                            "date": day,
                            "value": 2 + (i + n) % 4,
                            "work_type": "answer",
                            "weight": 1.0,
                            "comment": None,
                            "document": None,
                            "teacher_id": teacher,
                            "status": "active",
                            "created_at": dt.datetime.now(dt.UTC),
                        }
                    )
                if (i + n) % 11 == 0:
                    out[Attendance].append(
                        {
                            "id": new_id(),
                            "school_id": school,
                            "lesson_id": lesson,
                            "student_id": s,
                            "status": "absent",
                            "reason": None,
                        }
                    )
            n += 1
        day += dt.timedelta(days=1)
    city.grid_class, city.grid_subject, city.grid_period, city.grid_school = (
        class_id,
        subject,
        period,
        school,
    )
    return out


async def _load(
    count: int, concurrency: int, job: Callable[[int], Awaitable[None]]
) -> tuple[float, list[float]]:
    """Run `job(i)` for i in range(count), `concurrency` at a time; wall time and latencies."""
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(count):
        queue.put_nowait(i)

    async def worker() -> None:
        while not queue.empty():
            i = queue.get_nowait()
            started = time.perf_counter()
            await job(i)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, latencies


def _marks(lesson: Lesson_) -> list[dict[str, Any]]:
    kinds = ["answer", "test", "homework", "control"]
    return [
        {"student_id": s, "value": 2 + i % 4, "work_type": kinds[i % 4]}
        for i, s in enumerate(lesson.students)
    ]


async def _through_the_journal(
    client: httpx.AsyncClient, tokens: TestTokens, city: City, concurrency: int
) -> tuple[float, list[float]]:
    headers = [
        tokens.headers(roles=["teacher"], school_id=x.school_id, person_id=x.teacher_id)
        for x in city.lessons
    ]

    async def post(i: int) -> None:
        lesson = city.lessons[i]
        response = await client.post(
            f"/journal/v1/lessons/{lesson.lesson_id}/marks",
            json={"marks": _marks(lesson)},
            headers=headers[i],
        )
        if response.status_code != 201:
            raise RuntimeError(f"marks refused: {response.status_code} {response.text}")

    return await _load(len(city.lessons), concurrency, post)


async def _raw_sql(pool: asyncpg.Pool, city: City, concurrency: int) -> tuple[float, list[float]]:
    """The same rows (marks, history links, outbox rows) in one transaction per lesson."""
    now = dt.datetime.now(dt.UTC)
    chains = {x.school_id: new_id() for x in city.lessons}  # a chain apart from the journal's

    async def insert_rows(i: int) -> None:
        lesson = city.lessons[i]
        marks = [
            (
                new_id(),
                lesson.school_id,
                lesson.lesson_id,
                m["student_id"],
                lesson.class_id,
                lesson.subject_id,
                None,
                DAY,
                m["value"],
                m["work_type"],
                1.0,
                None,
                None,
                lesson.teacher_id,
                "active",
                now,
            )
            for m in _marks(lesson)
        ]
        school = chains[lesson.school_id]
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute(
                "INSERT INTO history_head (school_id, seq, hash) VALUES ($1, 0, '') "
                "ON CONFLICT DO NOTHING",
                school,
            )
            seq = await conn.fetchval(
                "SELECT seq FROM history_head WHERE school_id = $1 FOR UPDATE", school
            )
            await conn.executemany(
                "INSERT INTO mark (id, school_id, lesson_id, student_id, class_id, subject_id, "
                "period_id, date, value, work_type, weight, comment, document, teacher_id, status,"
                " created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)",
                marks,
            )
            await conn.executemany(
                "INSERT INTO history (school_id, seq, entity, entity_id, action, after, at, "
                "prev_hash, hash, invalid) VALUES ($1,$2,'mark',$3,'recorded',$4,$5,'','',false)",
                [
                    (school, seq + k + 1, m[0], json.dumps({"value": m[8]}), now)
                    for k, m in enumerate(marks)
                ],
            )
            await conn.executemany(
                "INSERT INTO outbox (event_id, event_type, school_id, aggregate_id, envelope, "
                "created_at, sent_at, attempts) VALUES ($1,'raw',$2,$3,$4,$5,$5,0)",
                [
                    (new_id(), lesson.school_id, m[0], json.dumps({"value": m[8]}), now)
                    for m in marks
                ],
            )
            await conn.execute(
                "UPDATE history_head SET seq = $2 WHERE school_id = $1", school, seq + len(marks)
            )

    return await _load(len(city.lessons), concurrency, insert_rows)


async def _outbox_lag(pool: asyncpg.Pool, timeout: float = 120) -> tuple[float, float, float]:
    """Wait until the relay has published everything; lag p50/p99 (ms) and the drain time."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        left = await pool.fetchval(
            "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND event_type <> 'raw'"
        )
        if left == 0:
            break
        await asyncio.sleep(0.05)
    drained = time.perf_counter() - started
    lags = [
        r[0] * 1000
        for r in await pool.fetch(
            "SELECT extract(epoch FROM sent_at - created_at)::float FROM outbox "
            "WHERE event_type = 'journal.mark.recorded.v1' AND sent_at IS NOT NULL"
        )
    ]
    return _pct(lags, 0.5), _pct(lags, 0.99), drained


async def _grid(
    client: httpx.AsyncClient, tokens: TestTokens, pool: asyncpg.Pool, city: City, rounds: int
) -> tuple[list[float], list[float]]:
    headers = tokens.headers(roles=["deputy"], school_id=city.grid_school, person_id=new_id())
    params = {"subject_id": city.grid_subject, "period_id": city.grid_period}
    api: list[float] = []
    raw: list[float] = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = await client.get(
            f"/journal/v1/classes/{city.grid_class}/journal", params=params, headers=headers
        )
        api.append(time.perf_counter() - started)
        assert response.status_code == 200 and len(response.json()["students"]) == GRID_STUDENTS
        started = time.perf_counter()
        async with pool.acquire() as conn:
            await conn.fetch(
                "SELECT student_id FROM enrolment WHERE class_id = $1", city.grid_class
            )
            lessons = await conn.fetch(
                "SELECT id FROM lesson WHERE class_id = $1 AND date BETWEEN $2 AND $3 "
                "AND subject_id = $4",
                city.grid_class,
                Q1[0],
                Q1[1],
                city.grid_subject,
            )
            ids = [r["id"] for r in lessons]
            await conn.fetch(
                "SELECT * FROM mark WHERE lesson_id = ANY($1) AND status='active'", ids
            )
            await conn.fetch("SELECT * FROM attendance WHERE lesson_id = ANY($1)", ids)
        raw.append(time.perf_counter() - started)
    return api, raw


async def run(scale: float) -> list[Figure]:
    base = os.environ.get("EJ_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432")
    amqp = os.environ.get("EJ_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
    tag = f"bench_{secrets.token_hex(4)}"
    url = f"{base.rstrip('/')}/ej_{tag}_journal"
    lessons = max(200, int(20000 * scale))
    concurrency = min(64, max(16, int(3200 * scale)))
    schools = max(4, lessons // 25)
    await upgrade(url, MIGRATIONS)
    try:
        return await _measure(url, amqp, tag, lessons, concurrency, schools)
    finally:
        await _drop(base, url.rsplit("/", 1)[1], amqp, tag)


async def _measure(
    url: str, amqp: str, tag: str, lessons: int, concurrency: int, schools: int
) -> list[Figure]:
    from kit.bus.rabbit import RabbitBus
    from kit.kv import connect_redis

    city = await _seed(url, schools, lessons)
    tokens = TestTokens()
    bus = RabbitBus(amqp, exchange=f"edu.events.{tag}", queue_prefix=f"{tag}.")
    shared = Shared(bus=bus, redis=connect_redis(None), keys=tokens.keys)
    app = build(JournalSettings(mode="distributed", database_url=url), shared=shared)
    app.state.runtime.clock = FixedClock(dt.datetime(2026, 10, 1, 12, 0, tzinfo=dt.UTC))
    pool = await asyncpg.create_pool(_plain(url), min_size=4, max_size=concurrency)
    marks = sum(len(x.students) for x in city.lessons)
    try:
        async with app.router.lifespan_context(app):
            await bus.start()
            await bus.wait_connected()
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                wall, latencies = await _through_the_journal(client, tokens, city, concurrency)
                lag50, lag99, drained = await _outbox_lag(pool)
                raw_wall, raw_latencies = await _raw_sql(pool, city, concurrency)
                grid, raw_grid = await _grid(client, tokens, pool, city, 40)
    finally:
        await bus.close()
        await bus.delete_queues(["journal"])
        await pool.close()
    ms = 1000
    return [
        Figure(
            f"marks/s ({len(city.lessons)} lessons x {STUDENTS_PER_CLASS}, {concurrency} at once)",
            marks / wall,
            "marks/s",
            marks / raw_wall,
            "raw asyncpg",
        ),
        Figure(
            "lesson's marks request p50",
            _pct(latencies, 0.5) * ms,
            "ms",
            _pct(raw_latencies, 0.5) * ms,
            "raw asyncpg",
            higher_is_better=False,
        ),
        Figure(
            "lesson's marks request p99",
            _pct(latencies, 0.99) * ms,
            "ms",
            _pct(raw_latencies, 0.99) * ms,
            "raw asyncpg",
            higher_is_better=False,
        ),
        Figure("outbox lag p50 (commit to broker confirm)", lag50, "ms", higher_is_better=False),
        Figure("outbox lag p99", lag99, "ms", higher_is_better=False),
        Figure("outbox drained after the load", drained * ms, "ms", higher_is_better=False),
        Figure(
            f"class journal grid, {GRID_STUDENTS} students x quarter, p50",
            statistics.median(grid) * ms,
            "ms",
            statistics.median(raw_grid) * ms,
            "raw asyncpg",
            target="< 50 ms",
            higher_is_better=False,
        ),
        Figure(
            "class journal grid p99",
            _pct(grid, 0.99) * ms,
            "ms",
            _pct(raw_grid, 0.99) * ms,
            "raw asyncpg",
            higher_is_better=False,
        ),
    ]


async def _drop(base: str, database: str, amqp: str, tag: str) -> None:
    admin = create_async_engine(
        f"{base.rstrip('/')}/postgres", poolclass=NullPool, isolation_level="AUTOCOMMIT"
    )
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    await admin.dispose()
    import aio_pika

    connection = await aio_pika.connect(amqp)
    try:
        channel = await connection.channel()
        await channel.exchange_delete(f"edu.events.{tag}")
    except Exception:  # nothing to clean when the exchange was never declared
        pass
    finally:
        await connection.close()
