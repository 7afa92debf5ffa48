"""Journal write: teachers entering a lesson's marks, through the API and by raw SQL.

The platform (bench/platform.py) runs identity and the journal as `make up` runs them
(uvicorn workers over TCP, the outbox relay as its own process, real Redis), the journal's
database loaded to city size first by COPY (bench/city.py), identity knowing every teacher.
Teachers log in through identity's login endpoint; each request is what a teacher's client
sends: `POST /journal/v1/lessons/{id}/marks` with the access token (checked against Redis by
the journal), a fresh `Idempotency-Key`, and one mark for every student of the lesson (25, or
35 in the grid's class) of one work type. The lessons are those of the last week still open
for entry (R-MRK-3), each (lesson, work type) posted once, spread over the city's schools.
The load comes from two generator processes (bench/loadgen.py).

1. *Saturating burst* (closed loop, `EJ_BENCH_WRITE_CLIENTS` = 16 clients, 3 s warm-up
   dropped, then `EJ_BENCH_BURST_S` = 60 s): marks/s through the API. Beside it, the same
   rows inserted by raw asyncpg at the same concurrency on the same database: per request one transaction with the marks, their
   outbox rows (real envelopes, published by the relay as the API's are), the idempotency row,
   then the school's history chain head locked (`FOR UPDATE`), the hash-chained history links
   and the head's update. Target: ≥ 0.5× raw.
2. *Open loop at 50 % of the burst's measured request rate* (Poisson arrivals, latency from
   the scheduled send, 3 s warm-up dropped, then long enough for 1,200 requests, up to
   `EJ_BENCH_OPEN_S` = 120 s): the request latency p50/p99/p99.9 (reported) and the outbox
   lag. Target: lag p99 < 500 ms from ≥ 1,000 events.
3. The outbox lag under the saturating burst: reported.

The outbox lag of an event is measured by a consumer on a durable quorum queue bound to the
run's exchange (`journal.#`), stamping each arrival (wall clock, same machine). The commit of
the request that wrote an event lies between two instants the bench knows, so the lag is shown
from both: from the envelope's `time` (the instant the use case judged by, before the
transaction's statements and its commit), which is an upper bound of commit → broker confirm
and carries the target; and from the moment the request's answer arrived at the client (after
the commit), a lower bound of commit → arrival, reported beside it. Events count for the phase
in which they were written; the case waits for every event of a phase before the next begins.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import os
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg

from bench.city import City, load_identity, load_journal
from bench.figures import Figure, latency_figures, rate_figure
from bench.load import LoadResult, req, run_load
from bench.platform import EventTap, Platform, plain
from kit.db import new_id
from services.journal.service.history import link_hash

WORKERS = int(os.environ.get("EJ_BENCH_WORKERS", "2"))
RELAYS = int(os.environ.get("EJ_BENCH_RELAYS", "1"))
CLIENTS = int(os.environ.get("EJ_BENCH_WRITE_CLIENTS", "16"))
GENERATORS = int(os.environ.get("EJ_BENCH_GENERATORS", "2"))
WARMUP_S = float(os.environ.get("EJ_BENCH_WARMUP_S", "3"))
BURST_S = float(os.environ.get("EJ_BENCH_BURST_S", "60"))
"""The burst's measured part lasts at most this long (fewer if its lessons run out)."""
OPEN_MAX_S = float(os.environ.get("EJ_BENCH_OPEN_S", "120"))
"""The open-loop phase's measured part lasts at most this long (fewer if the lessons run out)."""
TEACHERS_MAX = int(os.environ.get("EJ_BENCH_WRITE_TEACHERS", "300"))
"""Teachers logged in (each a real argon2id login); their lessons are the ones posted."""
WORK_TYPES = ("answer", "homework", "independent", "dictation", "test", "lab", "essay", "control")
"""The school's default work types, but `external` (it needs a document)."""
EVENT = "journal.mark.recorded"


@dataclass(frozen=True)
class Slot:
    """One request's worth: a lesson open for entry and a work type it has no marks of."""

    lesson_id: str
    school_id: str
    class_id: str
    subject_id: str
    period_id: str | None
    date: dt.date
    teacher_id: str
    students: tuple[str, ...]
    work_type: str


async def writable_slots(url: str, city: City, teachers: set[str]) -> list[Slot]:
    """Every (lesson, work type) the teachers may still post: lessons of the last 7 days up to
    today (R-MRK-3), without a group or a substitute, minus the work types already marked."""
    conn = await asyncpg.connect(plain(url))
    try:
        lessons = await conn.fetch(
            "SELECT l.id, l.school_id, l.class_id, l.subject_id, l.teacher_id, l.date, "
            "       (SELECT p.id FROM period p WHERE p.school_id = l.school_id "
            "          AND p.starts_on <= l.date AND p.ends_on >= l.date "
            "          AND p.kind = 'quarter' LIMIT 1) AS period_id "
            "FROM lesson l WHERE l.date BETWEEN $1 AND $2 AND l.group_id IS NULL "
            "AND l.substitute_id IS NULL AND l.teacher_id = ANY($3::text[])",
            city.today - dt.timedelta(days=6),
            city.today,
            sorted(teachers),
        )
        ids = [r["id"] for r in lessons]
        marked: dict[str, set[str]] = defaultdict(set)
        for r in await conn.fetch(
            "SELECT DISTINCT lesson_id, work_type FROM mark WHERE lesson_id = ANY($1::text[])", ids
        ):
            marked[r["lesson_id"]].add(r["work_type"])
        classes = sorted({r["class_id"] for r in lessons})
        students: dict[str, list[tuple[str, dt.date, dt.date | None]]] = defaultdict(list)
        for r in await conn.fetch(
            "SELECT class_id, student_id, from_on, until_on FROM enrolment "
            "WHERE class_id = ANY($1::text[])",
            classes,
        ):
            students[r["class_id"]].append((r["student_id"], r["from_on"], r["until_on"]))
    finally:
        await conn.close()
    slots = []
    for r in lessons:
        day = r["date"]
        present = tuple(
            s
            for s, since, until in students[r["class_id"]]
            if since <= day and (until is None or until >= day)
        )
        if not present:
            continue
        for work_type in WORK_TYPES:
            if work_type not in marked[r["id"]]:
                slots.append(
                    Slot(
                        r["id"],
                        r["school_id"],
                        r["class_id"],
                        r["subject_id"],
                        r["period_id"],
                        day,
                        r["teacher_id"],
                        present,
                        work_type,
                    )
                )
    return slots


def choose_teachers(city: City, limit: int) -> list[str]:
    """Up to `limit` teachers, taken from the schools in turn (so the chains are many)."""
    by_school: dict[str, list[str]] = defaultdict(list)
    for t in city.teachers:
        by_school[t.school_id].append(t.person_id)
    chosen: list[str] = []
    queues = list(by_school.values())
    while len(chosen) < limit and any(queues):
        for q in queues:
            if q and len(chosen) < limit:
                chosen.append(q.pop(0))
    return chosen


def interleave(slots: list[Slot], rng: random.Random) -> list[Slot]:
    """Slots in an order a city's morning has: schools, teachers and lessons mixed, each
    lesson's work types far apart."""
    by_type: dict[str, list[Slot]] = defaultdict(list)
    for s in slots:
        by_type[s.work_type].append(s)
    out: list[Slot] = []
    for work_type in WORK_TYPES:
        group = by_type[work_type]
        rng.shuffle(group)
        out += group
    return out


def marks_body(slot: Slot) -> dict[str, object]:
    return {
        "marks": [
            {"student_id": s, "value": 2 + (i % 4), "work_type": slot.work_type}
            for i, s in enumerate(slot.students)
        ]
    }


def requests_for(slots: Sequence[Slot], tokens: dict[str, str]) -> list[dict[str, object]]:
    return [
        req(
            "POST",
            f"/journal/v1/lessons/{s.lesson_id}/marks",
            body=marks_body(s),
            headers={"authorization": f"Bearer {tokens[s.teacher_id]}"},
            idempotency_key=True,
            label=f"marks{len(s.students)}",
            key=f"{s.lesson_id}:{s.work_type}",
        )
        for s in slots
    ]


def event_key(envelope: dict[str, Any]) -> str | None:
    """The request an event came from: its lesson and work type (one request each)."""
    data = envelope.get("data") or {}
    return f"{data.get('lesson_id')}:{data.get('work_type')}"


def marks_of(result: LoadResult) -> int:
    """Marks written by the answered requests (a label names its marks per request)."""
    return sum(int(label.removeprefix("marks")) * len(v) for label, v in result.samples.items())


# -- the raw baseline ------------------------------------------------------------------


async def raw_insert(url: str, slots: Sequence[Slot], concurrency: int) -> tuple[int, float, float]:
    """The same rows as the API writes, by asyncpg at `concurrency` connections; (marks,
    seconds, this process's CPU seconds: the baseline must not be held back by its Python)."""
    pool = await asyncpg.create_pool(plain(url), min_size=concurrency, max_size=concurrency)
    assert pool is not None
    queue: asyncio.Queue[Slot] = asyncio.Queue()
    for s in slots:
        queue.put_nowait(s)
    written = 0

    async def worker() -> None:
        nonlocal written
        async with pool.acquire() as conn:
            while not queue.empty():
                n = await _raw_one(conn, queue.get_nowait())
                written += n

    try:
        started, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return written, time.perf_counter() - started, time.process_time() - cpu
    finally:
        await pool.close()


async def _raw_one(conn: asyncpg.Connection, slot: Slot) -> int:
    now = dt.datetime.now(dt.UTC)
    stamp = now.isoformat().replace("+00:00", "Z")
    body = marks_body(slot)["marks"]
    assert isinstance(body, list)
    marks = [
        (
            new_id(),
            slot.school_id,
            slot.lesson_id,
            m["student_id"],
            slot.class_id,
            slot.subject_id,
            slot.period_id,
            slot.date,
            m["value"],
            slot.work_type,
            1.0,
            None,
            None,
            slot.teacher_id,
            "active",
            now,
            False,
        )
        for m in body
    ]
    envelopes = []
    for m in marks:
        event_id = new_id()
        data = {
            "mark_id": m[0],
            "lesson_id": slot.lesson_id,
            "student_id": m[3],
            "class_id": slot.class_id,
            "subject_id": slot.subject_id,
            "period_id": slot.period_id,
            "value": m[8],
            "work_type": slot.work_type,
            "weight": 1.0,
            "date": slot.date.isoformat(),
            "teacher_id": slot.teacher_id,
            "comment": None,
            "document": None,
            "entered_late": False,
        }
        envelope = {
            "specversion": "1.0",
            "id": event_id,
            "source": "/journal",
            "type": f"{EVENT}.v1",
            "time": stamp,
            "subject": m[0],
            "datacontenttype": "application/json",
            "schoolid": slot.school_id,
            "actorid": slot.teacher_id,
            "data": data,
        }
        envelopes.append((event_id, f"{EVENT}.v1", slot.school_id, m[0], json.dumps(envelope), now))
    response = json.dumps({"marks": [dict(id=m[0], student_id=m[3], value=m[8]) for m in marks]})
    request = json.dumps({"lesson_id": slot.lesson_id, **marks_body(slot)}, sort_keys=True)
    async with conn.transaction():
        await conn.executemany(
            "INSERT INTO mark (id, school_id, lesson_id, student_id, class_id, subject_id, "
            "period_id, date, value, work_type, weight, comment, document, teacher_id, status, "
            "created_at, entered_late) "
            "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)",
            marks,
        )
        await conn.executemany(
            "INSERT INTO outbox (event_id, event_type, school_id, aggregate_id, envelope, "
            "created_at, attempts) VALUES ($1,$2,$3,$4,$5,$6,0)",
            envelopes,
        )
        await conn.execute(
            "INSERT INTO idempotency_key (actor_id, key, fingerprint, status, body, created_at) "
            "VALUES ($1,$2,$3,201,$4,$5)",
            slot.teacher_id,
            str(uuid.uuid4()),
            hashlib.sha256(request.encode()).hexdigest(),
            response,
            now,
        )
        head = await conn.fetchrow(
            "SELECT seq, hash FROM history_head WHERE school_id = $1 FOR UPDATE", slot.school_id
        )
        seq, prev = (head["seq"], head["hash"]) if head else (0, "")
        links = []
        for m in marks:
            seq += 1
            row = {
                "school_id": slot.school_id,
                "seq": seq,
                "entity": "mark",
                "entity_id": m[0],
                "action": "recorded",
                "before": None,
                "after": json.dumps({"value": m[8], "status": "active", "work_type": m[9]}),
                "reason": None,
                "note": None,
                "account_id": None,
                "person_id": slot.teacher_id,
                "at": now,
                "prev_hash": prev,
                "invalid": False,
            }
            row["hash"] = prev = link_hash(prev, row)
            links.append(
                (
                    row["school_id"],
                    seq,
                    row["entity_id"],
                    row["after"],
                    slot.teacher_id,
                    now,
                    row["prev_hash"],
                    row["hash"],
                )
            )
        await conn.executemany(
            "INSERT INTO history (school_id, seq, entity, entity_id, action, before, after, "
            "reason, note, account_id, person_id, at, prev_hash, hash, invalid) VALUES "
            "($1,$2,'mark',$3,'recorded',NULL,$4,NULL,NULL,NULL,$5,$6,$7,$8,false)",
            links,
        )
        if head:
            await conn.execute(
                "UPDATE history_head SET seq = $2, hash = $3 WHERE school_id = $1",
                slot.school_id,
                seq,
                prev,
            )
        else:
            await conn.execute(
                "INSERT INTO history_head (school_id, seq, hash) VALUES ($1,$2,$3)",
                slot.school_id,
                seq,
                prev,
            )
    return len(marks)


# -- the case --------------------------------------------------------------------------


async def run(scale: float) -> list[Figure]:
    async with Platform(["identity", "journal"], workers=WORKERS, relays=RELAYS, scale=scale) as p:
        journal_url = p.database_url("journal")
        city = await load_journal(journal_url, scale)
        await load_identity(p.database_url("identity"), city)
        teachers = choose_teachers(city, TEACHERS_MAX)
        slots = interleave(
            await writable_slots(journal_url, city, set(teachers)), random.Random(len(teachers))
        )
        if len(slots) < 100:
            raise RuntimeError(f"only {len(slots)} lessons to post at this scale: raise --scale")
        await p.start()
        logins = {t.person_id: t.login for t in city.teachers}
        used = sorted({s.teacher_id for s in slots})
        started = time.perf_counter()
        tokens = dict(
            zip(used, await p.login_many([(logins[t], city.password) for t in used]), strict=True)
        )
        print(
            f"{len(slots):,} (lesson, work type) requests to post by {len(used)} teachers "
            f"(logged in in {time.perf_counter() - started:.1f} s); journal workers {WORKERS}, "
            f"relays {RELAYS if p.relay_mode else '0 (inline in the API processes)'}",
            flush=True,
        )
        burst_slots = slots[: int(len(slots) * 0.4)]
        open_slots = slots[len(burst_slots) : int(len(slots) * 0.8)]
        raw_slots = slots[len(burst_slots) + len(open_slots) :]
        async with p.events(key=event_key) as tap:
            figures = await _phases(p, tap, burst_slots, open_slots, raw_slots, tokens)
    return figures


async def _phases(
    p: Platform,
    tap: EventTap,
    burst_slots: list[Slot],
    open_slots: list[Slot],
    raw_slots: list[Slot],
    tokens: dict[str, str],
) -> list[Figure]:
    url = p.url("journal")
    events = 0

    # 1. the saturating burst, closed loop
    cpu0 = p.cpu_seconds("journal")
    burst = await run_load(
        url,
        requests_for(burst_slots, tokens),
        mode="closed",
        concurrency=CLIENTS,
        warmup_s=WARMUP_S,
        duration_s=BURST_S,
        cycle=False,
        procs=GENERATORS,
    )
    journal_cpu = p.cpu_seconds("journal") - cpu0
    print(f"burst: {burst.summary()}", flush=True)
    _refuse_failures(burst, "burst")
    events += _sent_marks(burst, burst_slots)
    await _wait_quiet(p, tap, events)
    api_rate = marks_of(burst) / burst.seconds
    burst_requests_rate = burst.ok() / burst.seconds
    burst_lag = tap.lags_ms(burst.window[0], burst.window[1], EVENT)
    burst_after = tap.lags_from_ms(_measured(burst, burst_slots), EVENT)

    # 2. open loop at 50 % of the measured maximum
    rate = burst_requests_rate * 0.5
    duration = min(OPEN_MAX_S, max(30.0, 1200 / rate), len(open_slots) / rate * 0.95 - WARMUP_S)
    if duration < 5:
        raise RuntimeError(f"too few lessons for the open-loop phase ({len(open_slots)})")
    steady = await run_load(
        url,
        requests_for(open_slots, tokens),
        mode="open",
        rate=rate,
        concurrency=CLIENTS * 2,
        warmup_s=WARMUP_S,
        duration_s=duration,
        cycle=False,
        procs=GENERATORS,
    )
    print(f"open loop at {rate:.1f} req/s: {steady.summary()}", flush=True)
    _refuse_failures(steady, "open loop")
    # the open loop stops at its duration: wait for what was sent, then for quiet
    events += _sent_marks(steady, open_slots)
    await _wait_quiet(p, tap, events)
    steady_lag = tap.lags_ms(steady.window[0], steady.window[1], EVENT)
    steady_after = tap.lags_from_ms(_measured(steady, open_slots), EVENT)

    # 3. raw SQL, same concurrency, same database (its outbox rows published by the relay)
    raw_marks, raw_seconds, raw_cpu = await raw_insert(
        p.database_url("journal"), raw_slots[: max(burst.sent, 50)], CLIENTS
    )
    raw_rate = raw_marks / raw_seconds
    print(
        f"raw SQL: {raw_marks:,} marks in {raw_seconds:.1f} s ({raw_cpu:.1f} s CPU of its process)",
        flush=True,
    )

    upper = "from the envelope's time (in the transaction, before the commit) to arrival"
    lower = "from the request's answer (after the commit) to arrival"
    return [
        rate_figure(
            f"marks/s through the API ({CLIENTS} clients, saturating)",
            api_rate,
            "marks/s",
            baseline=raw_rate,
            baseline_name="raw",
            at_least=0.5,
            samples=burst.ok(),
            note=f"{burst.ok():,} requests of {marks_of(burst) // max(1, burst.ok())} marks "
            f"in {burst.seconds:.1f} s; raw: {raw_marks:,} marks in {raw_seconds:.1f} s "
            f"({raw_cpu:.1f} s CPU of the raw writer's process)",
        ),
        *latency_figures(
            "outbox lag at 50 % of the max",
            steady_lag,
            p99_below=500,
            note=f"{upper}; {rate:.1f} req/s, {marks_of(steady) / steady.seconds:,.0f} marks/s",
        ),
        *latency_figures("outbox lag at 50 %, from the answer", steady_after, note=lower),
        *latency_figures("outbox lag, saturating burst (reported)", burst_lag, note=upper),
        *latency_figures("outbox lag, saturating burst, from the answer", burst_after, note=lower),
        *latency_figures(
            "marks request at 50 % of the max",
            steady.samples_of(),
            note=f"{rate:.1f} req/s; from the scheduled send; sends were late by "
            f"{steady.late_ms_p99 or 0:.0f} ms at p99 (no free connection, or the generator's CPU)",
        ),
        *latency_figures(f"marks request, saturating ({CLIENTS} clients)", burst.samples_of()),
        Figure(
            name="journal CPU per marks request, saturating (reported)",
            value=journal_cpu * 1000 / max(1, burst.sent),
            unit="ms",
            samples=burst.sent,
            note=f"{journal_cpu:.1f} CPU s over {len(p.pids('journal'))} processes "
            f"(API workers and relays) for {burst.sent:,} requests incl. warm-up",
        ),
        Figure(
            name="load generators' CPU, saturating (reported)",
            value=burst.cpu_s * 1000 / max(1, burst.sent),
            unit="ms/req",
            samples=burst.sent,
            note=f"{GENERATORS} processes",
        ),
    ]


def _measured(result: LoadResult, slots: Sequence[Slot]) -> dict[str, float]:
    """When each measured request's answer arrived (the warm-up's left out by its time)."""
    start = result.window[0]
    return {k: t for k, t in result.answered.items() if t >= start}


def _refuse_failures(result: LoadResult, phase: str) -> None:
    """Every request must succeed: a refused write is a broken case, not a slow one."""
    failed = result.measured - result.ok()
    if failed or result.errors:
        raise RuntimeError(
            f"{phase}: {failed} request(s) failed {result.status} {result.errors}: "
            + "; ".join(result.bad_bodies)
        )


def _sent_marks(result: LoadResult, slots: Sequence[Slot]) -> int:
    """The marks of the requests sent (the generators deal slots in turn and send in order)."""
    if result.sent >= len(slots):
        return sum(len(s.students) for s in slots)
    return round(result.sent * sum(len(s.students) for s in slots) / len(slots))


async def _wait_quiet(p: Platform, tap: EventTap, expected: int) -> None:
    """Wait for the expected events, and then until none has arrived for a second."""
    if not await p.drain_events(tap, expected, timeout=180):
        print(f"warning: {tap.count():,} events of ~{expected:,} arrived in 180 s", flush=True)
    last = -1
    for _ in range(60):
        if tap.count() == last:
            return
        last = tap.count()
        await asyncio.sleep(1.0)
