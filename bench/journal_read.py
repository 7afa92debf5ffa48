"""Journal reads: a class's grid (35 students × a quarter) and a student's diary (a week) through
the journal's API, beside the same data read by raw SQL in two statements.

The city (bench/city.py, `--scale`) is loaded by COPY; identity and the journal run as `make up`
runs them (uvicorn with uvloop over TCP, 2 API processes each, the relays apart, real Redis).
Readers log in through identity (argon2id and all) and send their bearer tokens:

- the grid: the teacher of subject 0 in the class of 35 reads its grid for the quarter
  (`GET /journal/v1/classes/{id}/journal?subject_id=…&period_id=…`: ≈ 20 lessons × 35 students,
  every held lesson marked, attendance, period marks);
- the diary: parents of the first school read their children's diaries for the seven days up
  to today (`GET /journal/v1/students/{id}/diary?from=…&to=…`), rotating over 32 families.

Each is a closed loop of 16 concurrent readers from two load-generator processes
(bench/loadgen.py, HTTP/1.1 keep-alive), measured after a warm-up, for as long as ≥ 1,200
samples take (a probe run first estimates the rate; a run short of them is followed by another
whose samples are added). The baseline is the same data in two SQL
statements by asyncpg (grid: the students with their names and period marks, then the lessons
with their marks and attendance; diary: the week's lessons of the student's classes with the
subjects' names, then the student's marks and attendance of those days), run by a process of its
own (`python -m bench.journal_read` reads a plan on stdin) with 16 clients on 16 connections,
also closed loop after a warm-up. Target: the API's p99 ≤ 3× the raw p99 (both from ≥ 1,000
samples, or the figure is refused).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import math
import random
import resource
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg

from bench.city import City, load_identity, load_journal
from bench.figures import Figure, latency_figures
from bench.load import LoadResult, req, run_load
from bench.platform import CLK_TCK, Platform, plain

READERS = 16
WARMUP_S = 3.0
PROBE_S = 3.0
SAMPLES = 1_200
"""At least this many samples per figure (a p99 needs 1,000): a run short of them is followed
by another, its samples added."""
MAX_DURATION_S = 60.0
DIARY_FAMILIES = 32
ROOT = Path(__file__).resolve().parent.parent

GRID_SQL = (
    # the rows: the class's students over the range, their names and period marks
    """
    SELECT e.student_id, p.last_name, p.first_name, p.middle_name, pm.id, pm.value
    FROM enrolment e
    LEFT JOIN person p ON p.id = e.student_id
    LEFT JOIN period_mark pm
      ON pm.period_id = $4 AND pm.subject_id = $5 AND pm.student_id = e.student_id
    WHERE e.class_id = $1 AND e.from_on <= $3 AND (e.until_on IS NULL OR e.until_on > $2)
    ORDER BY e.from_on
    """,
    # the columns and the cells: the lessons, each with its marks and attendance
    """
    SELECT l.id, l.date, l.number, l.subject_id, l.group_id, l.teacher_id, l.substitute_id,
           l.topic, l.homework, l.homework_late,
           c.student_id, c.id, c.value, c.work_type, c.weight, c.comment, c.status, c.reason
    FROM lesson l
    LEFT JOIN LATERAL (
        SELECT m.student_id, m.id, m.value, m.work_type, m.weight, m.comment,
               NULL::varchar AS status, NULL::varchar AS reason
        FROM mark m WHERE m.lesson_id = l.id AND m.status = 'active'
        UNION ALL
        SELECT a.student_id, a.id, NULL, NULL, NULL, NULL, a.status, a.reason
        FROM attendance a WHERE a.lesson_id = l.id
    ) c ON true
    WHERE l.class_id = $1 AND l.subject_id = $4 AND l.date BETWEEN $2 AND $3
    ORDER BY l.date, l.number
    """,
)
"""Parameters: (class, from, to, period, subject) for the first, (class, from, to, subject) for
the second."""

DIARY_SQL = (
    # the days: the student's lessons of the range in the classes (and groups) they were in
    """
    SELECT l.id, l.date, l.number, l.subject_id, s.name, l.topic, l.homework,
           coalesce(l.substitute_id, l.teacher_id)
    FROM enrolment e
    JOIN lesson l ON l.class_id = e.class_id AND l.date BETWEEN $3 AND $4
      AND l.date >= e.from_on AND (e.until_on IS NULL OR l.date < e.until_on)
    JOIN subject s ON s.id = l.subject_id
    WHERE e.school_id = $2 AND e.student_id = $1
      AND (l.group_id IS NULL
           OR l.group_id IN (SELECT g.group_id FROM group_member g WHERE g.student_id = $1))
    ORDER BY l.date, l.number
    """,
    # what each lesson holds for the student: marks and attendance
    """
    SELECT m.lesson_id, m.id, m.value, m.work_type, m.weight, m.comment,
           NULL::varchar AS status, NULL::varchar AS reason
    FROM mark m
    WHERE m.school_id = $2 AND m.student_id = $1 AND m.date BETWEEN $3 AND $4
      AND m.status = 'active'
    UNION ALL
    SELECT a.lesson_id, a.id, NULL, NULL, NULL, NULL, a.status, a.reason
    FROM attendance a JOIN lesson l ON l.id = a.lesson_id
    WHERE a.student_id = $1 AND l.date BETWEEN $3 AND $4
    """,
)
"""Parameters: (student, school, from, to) for both."""


def diary_week(city: City) -> tuple[dt.date, dt.date]:
    """The seven days up to today: five school days with marks, whatever today's weekday."""
    return city.today - dt.timedelta(days=6), city.today


def grid_args(city: City) -> list[Any]:
    grid = city.grid
    assert grid is not None
    start, end = city.quarter
    return ["grid", grid.class_id, start, end, grid.period_id, grid.subject_id]


def diary_args(city: City, student_id: str, school_id: str) -> list[Any]:
    start, end = diary_week(city)
    return ["diary", student_id, school_id, start, end]


async def _queries(conn: asyncpg.Connection, args: Sequence[Any]) -> None:
    """One read: the two statements of a grid or of a diary, their rows fetched."""
    if args[0] == "grid":
        _, class_id, start, end, period, subject = args
        await conn.fetch(GRID_SQL[0], class_id, start, end, period, subject)
        await conn.fetch(GRID_SQL[1], class_id, start, end, subject)
    else:
        _, student, school, start, end = args
        await conn.fetch(DIARY_SQL[0], student, school, start, end)
        await conn.fetch(DIARY_SQL[1], student, school, start, end)


def _encode(args: Sequence[Any]) -> list[Any]:
    return [a.isoformat() if isinstance(a, dt.date) else a for a in args]


def _decode(args: Sequence[Any]) -> list[Any]:
    out: list[Any] = []
    for a in args:
        if isinstance(a, str) and len(a) == 10 and a[4] == "-" and a[7] == "-":
            out.append(dt.date.fromisoformat(a))
        else:
            out.append(a)
    return out


# -- the raw SQL load, in a process of its own -------------------------------------------------


@dataclass
class SqlLoad(LoadResult):
    completed: int = 0
    """reads completed in the whole run, warm-up included (what `cpu_s`, `pg_cpu_s` paid for)"""
    pg_cpu_s: float = 0.0
    run_s: float = 0.0


async def _sql_run(plan: dict[str, Any]) -> dict[str, Any]:
    """Closed loop (`concurrency` clients, one connection each) or open loop at `rate`/s."""
    reads = [_decode(a) for a in plan["reads"]]
    concurrency = int(plan["concurrency"])
    pool = await asyncpg.create_pool(plan["dsn"], min_size=concurrency, max_size=concurrency)
    assert pool is not None
    samples: list[float] = []
    errors = 0
    counter = 0
    completed = 0
    backends = await _backend_pids(pool, concurrency)
    try:
        await asyncio.sleep(max(0.0, float(plan.get("start_at") or 0) - time.time()))
        begin = time.perf_counter()
        wall_begin = time.time()
        warm = begin + float(plan["warmup_s"])
        end = warm + float(plan["duration_s"])
        cpu0, pg0 = _cpu(), cpu_by_pid(backends)

        async def one(args: list[Any], since: float) -> None:
            nonlocal errors, completed
            try:
                async with pool.acquire() as conn:
                    await _queries(conn, args)
            except (asyncpg.PostgresError, OSError):
                errors += 1
                return
            done = time.perf_counter()
            completed += 1
            if since >= warm:
                samples.append((done - since) * 1000)

        if plan["mode"] == "closed":

            async def client(i: int) -> None:
                nonlocal counter
                while time.perf_counter() < end:
                    args = reads[counter % len(reads)]
                    counter += 1
                    await one(args, time.perf_counter())

            await asyncio.gather(*(client(i) for i in range(concurrency)))
        else:
            rng = random.Random(int(plan.get("seed", 1)))
            due = begin
            tasks: set[asyncio.Task[None]] = set()
            while due < end:
                wait = due - time.perf_counter()
                if wait > 0.0005:
                    await asyncio.sleep(wait)
                task = asyncio.create_task(one(reads[counter % len(reads)], due))
                counter += 1
                tasks.add(task)
                task.add_done_callback(tasks.discard)
                due += rng.expovariate(float(plan["rate"]))
            if tasks:
                await asyncio.wait(tasks)
        finished = time.perf_counter()
        cpu = _cpu() - cpu0
        pg1 = cpu_by_pid(backends)
    finally:
        await pool.close()
    return {
        "samples": samples,
        "errors": errors,
        "window": [wall_begin + float(plan["warmup_s"]), wall_begin + (finished - begin)],
        "achieved_rate": len(samples) / max(1e-9, finished - warm),
        "cpu_s": cpu,
        "completed": completed,
        "seconds": finished - begin,
        "pg_cpu_s": sum(pg1.get(pid, 0.0) - pg0.get(pid, 0.0) for pid in backends),
    }


async def _backend_pids(pool: asyncpg.Pool, n: int) -> list[int]:
    """The PostgreSQL backend of each of the pool's `n` connections (all held at once)."""
    connections = [await pool.acquire() for _ in range(n)]
    try:
        return [int(await c.fetchval("SELECT pg_backend_pid()")) for c in connections]
    finally:
        for c in connections:
            await pool.release(c)


def cpu_by_pid(pids: Sequence[int]) -> dict[int, float]:
    """user + system CPU seconds of each process still there (/proc/<pid>/stat)."""
    out: dict[int, float] = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / CLK_TCK
    return out


async def pg_backends(dsn: str) -> list[int]:
    """The backends connected to the database of `dsn` (the services' pools), but ours."""
    conn = await asyncpg.connect(plain(dsn))
    try:
        rows = await conn.fetch(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    finally:
        await conn.close()
    return [int(r["pid"]) for r in rows]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def run_sql_load(
    dsn: str,
    reads: Sequence[Sequence[Any]],
    *,
    mode: str = "closed",
    concurrency: int = READERS,
    rate: float | None = None,
    warmup_s: float = WARMUP_S,
    duration_s: float = 10.0,
    start_delay_s: float = 1.0,
) -> SqlLoad:
    """The raw reads from a separate process (`python -m bench.journal_read`), as a LoadResult
    (label "sql") like the HTTP load generator's, with what they cost: the process's CPU and
    its PostgreSQL backends' CPU over the whole run (warm-up included, as `completed`)."""
    plan = {
        "dsn": plain(dsn),
        "reads": [_encode(a) for a in reads],
        "mode": mode,
        "concurrency": concurrency,
        "rate": rate,
        "warmup_s": warmup_s,
        "duration_s": duration_s,
        "start_at": time.time() + start_delay_s,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.journal_read",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=ROOT,
    )
    out, err = await process.communicate(json.dumps(plan).encode())
    if process.returncode != 0:
        raise RuntimeError(f"the SQL load failed ({process.returncode}): {err.decode()}")
    data = json.loads(out)
    result = SqlLoad(
        samples={"sql": data["samples"]},
        status={"sql": {"ok": len(data["samples"]), "error": data["errors"]}},
        errors={"sql": data["errors"]} if data["errors"] else {},
        sent=len(data["samples"]) + data["errors"],
        measured=len(data["samples"]) + data["errors"],
        window=(data["window"][0], data["window"][1]),
        achieved_rate=data["achieved_rate"],
        cpu_s=data["cpu_s"],
        completed=data["completed"],
        pg_cpu_s=data["pg_cpu_s"],
        run_s=data["seconds"],
    )
    return result


def main() -> None:
    plan = json.loads(sys.stdin.read())
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    sys.stdout.write(json.dumps(asyncio.run(_sql_run(plan))))
    sys.stdout.flush()


# -- the case -----------------------------------------------------------------------------------


async def city_platform(scale: float, platform: Platform) -> City:
    """Load the city into the platform's databases (before its services start)."""
    city = await load_journal(platform.database_url("journal"), scale)
    await load_identity(platform.database_url("identity"), city)
    return city


def diary_readers(city: City, families: int = DIARY_FAMILIES) -> list[tuple[str, str, str]]:
    """(parent login, child id, school id) of the first school's first families."""
    first = city.schools[0]
    seen: set[str] = set()
    out = []
    for parent in city.parents:
        if parent.school_id == first and parent.child_id not in seen:
            seen.add(parent.child_id)
            out.append((parent.login, parent.child_id, parent.school_id))
        if len(out) == families:
            break
    return out


def duration_for(rate: float, samples: int = SAMPLES) -> float:
    """How long a closed loop must run, at the probed rate, to give `samples` samples."""
    if rate <= 0:
        return MAX_DURATION_S
    return min(MAX_DURATION_S, max(5.0, math.ceil(samples / rate * 1.3)))


async def http_reads(
    url: str, requests: list[dict[str, Any]], *, concurrency: int = READERS
) -> LoadResult:
    """A probe, then the measured closed loop, run again (samples added) until there are
    SAMPLES samples: a slower machine reads longer, never with fewer samples."""
    probe = await run_load(
        url,
        requests,
        mode="closed",
        concurrency=concurrency,
        warmup_s=1,
        duration_s=PROBE_S,
        procs=2,
    )
    _check(probe)
    rate, total = probe.achieved_rate, LoadResult()
    for _ in range(3):
        result = await run_load(
            url,
            requests,
            mode="closed",
            concurrency=concurrency,
            warmup_s=WARMUP_S,
            duration_s=duration_for(rate, SAMPLES - total.ok()),
            procs=2,
        )
        _check(result)
        total = _added(total, result)
        rate = result.achieved_rate
        if total.ok() >= SAMPLES:
            break
    return total


async def sql_reads(dsn: str, reads: Sequence[Sequence[Any]]) -> LoadResult:
    probe = await run_sql_load(dsn, reads, warmup_s=1, duration_s=PROBE_S)
    rate, total = probe.achieved_rate, LoadResult()
    for _ in range(3):
        result = await run_sql_load(dsn, reads, duration_s=duration_for(rate, SAMPLES - total.ok()))
        total = _added(total, result)
        rate = result.achieved_rate
        if total.ok() >= SAMPLES:
            break
    return total


def _added(total: LoadResult, more: LoadResult) -> LoadResult:
    """Two measured runs of the same load as one: samples, counts and time added."""
    if not total.measured:
        return more
    samples = {
        k: total.samples.get(k, []) + more.samples.get(k, [])
        for k in {*total.samples, *more.samples}
    }
    seconds = total.seconds + more.seconds
    measured = total.measured + more.measured
    status: dict[str, dict[str, int]] = {}
    for part in (total.status, more.status):
        for label, codes in part.items():
            for code, n in codes.items():
                status.setdefault(label, {})[code] = status.get(label, {}).get(code, 0) + n
    return LoadResult(
        samples=samples,
        status=status,
        errors={
            k: total.errors.get(k, 0) + more.errors.get(k, 0) for k in {*total.errors, *more.errors}
        },
        bad_bodies=total.bad_bodies + more.bad_bodies,
        sent=total.sent + more.sent,
        measured=measured,
        window=(total.window[0], total.window[0] + seconds),
        achieved_rate=sum(len(v) for v in samples.values()) / max(1e-9, seconds),
        cpu_s=total.cpu_s + more.cpu_s,
    )


def _check(result: LoadResult) -> None:
    if result.bad_bodies or result.errors:
        raise RuntimeError(f"reads failed: {result.summary()} {result.bad_bodies}")


async def run(scale: float) -> list[Figure]:
    async with Platform(services=["identity", "journal"], workers=2, relays=1, scale=scale) as p:
        city = await city_platform(scale, p)
        await p.start()
        grid = city.grid
        assert grid is not None
        start, end = city.quarter
        teacher = await p.login(grid.teacher.login, city.password)
        grid_path = (
            f"/journal/v1/classes/{grid.class_id}/journal"
            f"?subject_id={grid.subject_id}&period_id={grid.period_id}"
        )
        grid_requests = [
            req("GET", grid_path, headers={"Authorization": f"Bearer {teacher}"}, label="grid")
        ]
        families = diary_readers(city)
        tokens = await p.login_many([(login, city.password) for login, _, _ in families])
        week = diary_week(city)
        diary_requests = [
            req(
                "GET",
                f"/journal/v1/students/{child}/diary?from={week[0]}&to={week[1]}",
                headers={"Authorization": f"Bearer {token}"},
                label="diary",
            )
            for (_, child, _), token in zip(families, tokens, strict=True)
        ]
        dsn = p.database_url("journal")
        api_grid = await http_reads(p.url("journal"), grid_requests)
        raw_grid = await sql_reads(dsn, [grid_args(city)])
        api_diary = await http_reads(p.url("journal"), diary_requests)
        raw_diary = await sql_reads(
            dsn, [diary_args(city, child, school) for _, child, school in families]
        )
    print(f"grid through the API: {api_grid.summary()}")
    print(f"grid by raw SQL: {raw_grid.summary()}")
    print(f"diary through the API: {api_diary.summary()}")
    print(f"diary by raw SQL: {raw_diary.summary()}")
    figures: list[Figure] = []
    for name, api, raw in (
        (f"class grid (35 × a quarter, {start}…{end}), 16 readers", api_grid, raw_grid),
        ("diary (a week), 16 readers", api_diary, raw_diary),
    ):
        figures += latency_figures(
            name,
            api.samples_of(),
            p99_at_most=3.0,
            baseline=raw.samples_of(),
            baseline_name="raw SQL (2 statements)",
            note=f"{api.achieved_rate:,.0f} reads/s; raw {raw.achieved_rate:,.0f}/s",
        )
    return figures


if __name__ == "__main__":
    main()
