"""The morning peak: logins, diaries, grids and mark writes, mixed as a school morning mixes
them, at rising fixed rates until the p99 passes 100 ms; and the diary's cost per core beside
raw SQL's.

The city (bench/city.py, `--scale`) is loaded by COPY; identity and the journal run as `make up`
runs them (2 uvicorn processes each with uvloop over TCP, the relays apart, real Redis); the
load comes from separate processes (bench/loadgen.py), open loop at fixed rates (Poisson
arrivals, latency counted from each request's scheduled time), each step after a warm-up.

The mix, per 100 requests (and why):

| requests | what | who |
|---|---|---|
| 45 | `GET …/students/{child}/diary` (the last 7 days) | parents, before school: marks, homework |
| 15 | `GET …/students/{self}/diary` | students, the same |
| 20 | `GET …/classes/{id}/journal?subject_id&period_id` (the quarter's grid) | teachers, after a lesson, before marking |
| 15 | `POST …/lessons/{id}/marks` (5 students, one work type, `Idempotency-Key`) | teachers, after each lesson |
| 5 | `POST /identity/v1/token` (argon2id) | new devices and ended sessions: refresh tokens (30 days, rotating) spare the rest a login |

A school has ≈ 1,000 parents, 750 students and 50 teachers: diary reads dominate the morning
(parents before 08:30, students on the way), teachers read a class's grid before entering the
marks of the lesson just held (a few students a lesson: 5 here, one work type) and do so after
each of their ~4 morning lessons; logins are rare because the access token is renewed with the
refresh token, not the password (docs/identity.md).

Rates rise 25, 50, 100, 150, 200, 300, 400, 600, 800 requests/s (the mix as a whole: 95 % to the
journal, 5 % to identity, each service its own generator); each step runs until it has
≥ 1,000 samples (10,000 at `--scale 1`, proportionally between) after a 3-second warm-up, and the
ramp stops at the first step whose p99 is ≥ 100 ms (or whose requests fail). Reported: the last
rate with p99 < 100 ms, and what each service sustains per core there: its requests during the
step divided by the CPU seconds its own processes used meanwhile (API workers and relays, every
pid under them, from /proc/<pid>/stat), i.e. requests per CPU-second; noted beside it, the same
net of what the processes use idle (measured for 6 s before the ramp: relays polling, timers),
which weighs at low rates.

The diary per core: the diary alone (parents' and students' reads) is ramped the same way, and
at its last step with p99 < 100 ms its reads are divided by the CPU seconds of the journal's API
processes (uvicorn and its workers; not the relays, which a read does not use) plus those of the
PostgreSQL backends connected to the journal's database (the services' pools, from
pg_stat_activity and /proc), over the whole step (warm-up included, with its reads). The baseline is the diary's two SQL
statements (bench/journal_read.py) by asyncpg from a process of its own at saturation (16
clients, closed loop), its reads divided by that process's CPU plus its 16 backends' CPU: both
sides count the application's CPU and PostgreSQL's the same way; the load generator's CPU is
counted on neither. Target: ≥ 0.3× raw.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bench.city import City, TodayLesson
from bench.figures import Figure, latency_figures, percentile, rate_figure
from bench.journal_read import (
    SqlLoad,
    city_platform,
    cpu_by_pid,
    diary_args,
    diary_week,
    pg_backends,
    run_sql_load,
)
from bench.load import LoadResult, req, run_load
from bench.platform import Platform, cpu_seconds_of, descendants

RATES = (25, 50, 100, 150, 200, 300, 400, 600, 800)
P99_LIMIT_MS = 100.0
WARMUP_S = 3.0
MIX = {"parent diary": 45, "student diary": 15, "grid": 20, "marks": 15, "login": 5}
MARKS_PER_REQUEST = 5
WORK_TYPES = ("answer", "homework", "independent", "dictation", "test", "lab", "essay", "control")
PARENTS = 240
STUDENTS = 80
TOKEN_AGE_S = 600
"""Tokens live 900 s: the bench logs in again before a step once they are this old."""


def samples_per_step(scale: float) -> int:
    """1,000 at small scales, 10,000 at the full city (the issue's count for the peak case)."""
    return int(min(10_000, max(1_000, round(10_000 * scale))))


@dataclass
class Step:
    rate: float
    journal: LoadResult
    identity: LoadResult | None
    journal_cpu_s: float
    identity_cpu_s: float
    pg_cpu_s: float
    journal_api_cpu_s: float = 0.0
    """the journal's API processes alone (journal_cpu_s counts its relays too)"""

    @property
    def samples(self) -> list[float]:
        out = self.journal.samples_of()
        if self.identity is not None:
            out += self.identity.samples_of()
        return out

    @property
    def p99(self) -> float:
        ordered = sorted(self.samples)
        return percentile(ordered, 0.99) if len(ordered) >= 1_000 else math.nan

    @property
    def failed(self) -> int:
        return self.journal.failed() + (self.identity.failed() if self.identity else 0)

    def per_core(self, idle: Idle | None = None) -> str:
        """What each service served per CPU-second of its own processes in this step (and net
        of what the processes burn idle, their relays' polling and timers, if measured)."""
        parts = []
        for name, result, cpu in (
            ("journal", self.journal, self.journal_cpu_s),
            ("identity", self.identity, self.identity_cpu_s),
        ):
            if result is None:
                continue
            text = f"{name} {result.sent / max(1e-9, cpu):,.0f} req/CPU-s"
            if idle is not None:
                net = cpu - idle.cores(name) * self.seconds
                if net > 0:
                    text += f" ({result.sent / net:,.0f} net of idle)"
            parts.append(text)
        return ", ".join(parts)

    @property
    def seconds(self) -> float:
        """The step's wall time, warm-up included (what its CPU seconds were spent over)."""
        return self.journal.seconds + WARMUP_S

    @property
    def good(self) -> bool:
        return not self.failed and self.p99 < P99_LIMIT_MS

    def describe(self) -> str:
        ordered = sorted(self.samples)
        return (
            f"{self.rate:g} req/s: n={len(ordered):,} p50 {percentile(ordered, 0.5):.1f} ms "
            f"p99 {self.p99:.1f} ms, failed {self.failed}, journal CPU {self.journal_cpu_s:.1f} s "
            f"identity CPU {self.identity_cpu_s:.1f} s PostgreSQL CPU {self.pg_cpu_s:.1f} s; "
            f"journal {self.journal.summary()}"
            + (f"; identity {self.identity.summary()}" if self.identity else "")
        )


@dataclass
class Idle:
    """CPU the services' processes use with no request: relays polling, timers."""

    journal_cores: float
    identity_cores: float
    journal_api_cores: float = 0.0
    """the journal's API processes alone (no relays)"""

    def cores(self, service: str) -> float:
        return self.journal_cores if service == "journal" else self.identity_cores


async def measure_idle(p: Platform, seconds: float = 6.0) -> Idle:
    journal, identity, api = (
        p.cpu_seconds("journal"),
        p.cpu_seconds("identity"),
        _api_cpu(p, "journal"),
    )
    await asyncio.sleep(seconds)
    return Idle(
        (p.cpu_seconds("journal") - journal) / seconds,
        (p.cpu_seconds("identity") - identity) / seconds,
        (_api_cpu(p, "journal") - api) / seconds,
    )


class Tokens:
    """Access tokens from identity's login, taken again when they grow old."""

    def __init__(self, platform: Platform, password: str) -> None:
        self.platform, self.password = platform, password
        self.tokens: dict[str, str] = {}
        self.taken = 0.0

    async def of(self, logins: list[str]) -> dict[str, str]:
        if time.monotonic() - self.taken > TOKEN_AGE_S:
            self.tokens.clear()
        missing = [x for x in dict.fromkeys(logins) if x not in self.tokens]
        if missing:
            if not self.tokens:
                self.taken = time.monotonic()
            got = await self.platform.login_many([(x, self.password) for x in missing])
            self.tokens.update(zip(missing, got, strict=True))
        return self.tokens


class Morning:
    """The requests of the mix, built from the city and the tokens."""

    def __init__(self, city: City) -> None:
        self.city = city
        first = city.schools[0]
        seen: set[str] = set()
        self.parents = []
        for parent in city.parents:
            if parent.child_id not in seen:
                seen.add(parent.child_id)
                self.parents.append(parent)
        self.parents = self.parents[:PARENTS]
        self.students = city.students[: max(STUDENTS, 1)]
        self.teachers = [t for t in city.teachers if t.classes]
        self.login_pool = [p.login for p in city.parents[-PARENTS:]]
        self.writes = self._writes()
        week = diary_week(city)
        self.week = f"from={week[0]}&to={week[1]}"
        self.first = first
        self.exhausted = 0

    def logins(self) -> list[str]:
        return (
            [p.login for p in self.parents]
            + [s.login for s in self.students]
            + [t.login for t in self.teachers]
        )

    def _writes(self) -> Iterator[tuple[TodayLesson, str, tuple[str, ...]]]:
        """Every (lesson of today, work type, 5 students) once: no write clashes with another."""
        lessons = self.city.today_lessons
        for work in WORK_TYPES:
            for chunk in range(0, max(len(x.students) for x in lessons), MARKS_PER_REQUEST):
                for lesson in lessons:
                    students = lesson.students[chunk : chunk + MARKS_PER_REQUEST]
                    if students:
                        yield lesson, work, students

    def parent_diary(self, rng: random.Random, tokens: dict[str, str]) -> dict[str, Any]:
        parent = rng.choice(self.parents)
        return req(
            "GET",
            f"/journal/v1/students/{parent.child_id}/diary?{self.week}",
            headers=_bearer(tokens[parent.login]),
            label="parent diary",
        )

    def student_diary(self, rng: random.Random, tokens: dict[str, str]) -> dict[str, Any]:
        student = rng.choice(self.students)
        return req(
            "GET",
            f"/journal/v1/students/{student.person_id}/diary?{self.week}",
            headers=_bearer(tokens[student.login]),
            label="student diary",
        )

    def grid(self, rng: random.Random, tokens: dict[str, str]) -> dict[str, Any]:
        teacher = rng.choice(self.teachers)
        class_id = rng.choice(teacher.classes)
        period = self.city.periods[teacher.school_id]
        return req(
            "GET",
            f"/journal/v1/classes/{class_id}/journal"
            f"?subject_id={teacher.subject_id}&period_id={period}",
            headers=_bearer(tokens[teacher.login]),
            label="grid",
        )

    def marks(self, rng: random.Random, tokens: dict[str, str]) -> dict[str, Any]:
        try:
            lesson, work, students = next(self.writes)
        except StopIteration:  # every lesson of today has all its marks: a small city
            self.exhausted += 1
            return self.grid(rng, tokens)
        return req(
            "POST",
            f"/journal/v1/lessons/{lesson.lesson_id}/marks",
            body={
                "marks": [
                    {"student_id": s, "value": rng.choice((3, 4, 4, 5, 5)), "work_type": work}
                    for s in students
                ]
            },
            headers=_bearer(tokens[lesson.teacher_login]),
            idempotency_key=True,
            label="marks",
        )

    def login(self, rng: random.Random) -> dict[str, Any]:
        body = urllib.parse.urlencode(
            {"username": rng.choice(self.login_pool), "password": self.city.password}
        )
        return req(
            "POST",
            "/identity/v1/token",
            body=body,
            headers={"content-type": "application/x-www-form-urlencoded"},
            label="login",
        )


def _net(requests: int, cpu: float) -> str:
    return f"{requests / cpu:,.0f} req/CPU-s net of idle" if cpu > 0 else "idle dominates"


def _connections(rate: float) -> int:
    """Keep-alive connections for an open loop at `rate`: each used about every 2 s (a server
    closes a connection idle for 5 s, uvicorn's default, and the generator's pool takes them in
    turn), and room for 2 s of requests in flight before the generator queues them (its
    latencies count from the scheduled time, so a queue shows)."""
    return max(4, min(512, math.ceil(rate * 2)))


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _deal(shares: dict[str, int], n: int, rng: random.Random) -> list[str]:
    """n labels in the mix's proportions, shuffled (a Poisson stream of mixed requests)."""
    total = sum(shares.values())
    out = [label for label, share in shares.items() for _ in range(math.ceil(n * share / total))]
    rng.shuffle(out)
    return out[:n]


def _api_cpu(p: Platform, service: str) -> float:
    """CPU seconds of the service's API processes (the uvicorn supervisor and its workers),
    without its relays: a read publishes nothing, and an idle relay's polling is not its cost."""
    serve = p.processes.get(service, [])[:1]
    return cpu_seconds_of([pid for x in serve if x.poll() is None for pid in descendants(x.pid)])


async def _cpu_snapshot(p: Platform, dsn: str) -> tuple[float, float, float, dict[int, float]]:
    return (
        p.cpu_seconds("journal"),
        p.cpu_seconds("identity"),
        _api_cpu(p, "journal"),
        cpu_by_pid(await pg_backends(dsn)),
    )


def _pg_delta(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


async def _step(
    p: Platform,
    morning: Morning,
    tokens: Tokens,
    rate: float,
    shares: dict[str, int],
    samples: int,
    seed: int,
) -> Step:
    """One fixed rate of the mix (or of a part of it), open loop, after the warm-up."""
    rng = random.Random(seed)
    duration = max(8.0, math.ceil(samples / rate * 1.1))
    journal_shares = {k: v for k, v in shares.items() if k != "login"}
    journal_rate = rate * sum(journal_shares.values()) / sum(shares.values())
    login_rate = rate - journal_rate
    n = math.ceil(journal_rate * (WARMUP_S + duration) * 1.05) + 10
    have = await tokens.of(morning.logins())
    make = {
        "parent diary": morning.parent_diary,
        "student diary": morning.student_diary,
        "grid": morning.grid,
        "marks": morning.marks,
    }
    journal_requests = [make[label](rng, have) for label in _deal(journal_shares, n, rng)]
    loads: list[Any] = [
        run_load(
            p.url("journal"),
            journal_requests,
            mode="open",
            rate=journal_rate,
            warmup_s=WARMUP_S,
            duration_s=duration,
            cycle=False,
            procs=2,
            concurrency=_connections(journal_rate),
            seed=seed,
        )
    ]
    if login_rate > 0:
        loads.append(
            run_load(
                p.url("identity"),
                [morning.login(rng) for _ in range(200)],
                mode="open",
                rate=login_rate,
                warmup_s=WARMUP_S,
                duration_s=duration,
                cycle=True,
                procs=1,
                concurrency=_connections(login_rate),
                seed=seed + 7,
            )
        )
    dsn = p.database_url("journal")
    journal0, identity0, api0, pg0 = await _cpu_snapshot(p, dsn)
    results = await asyncio.gather(*loads)
    journal1, identity1, api1, pg1 = await _cpu_snapshot(p, dsn)
    step = Step(
        rate,
        results[0],
        results[1] if len(results) > 1 else None,
        journal1 - journal0,
        identity1 - identity0,
        _pg_delta(pg0, pg1),
        api1 - api0,
    )
    print(f"  {step.describe()}", flush=True)
    return step


async def _ramp(
    p: Platform, morning: Morning, tokens: Tokens, shares: dict[str, int], samples: int
) -> list[Step]:
    steps: list[Step] = []
    for i, rate in enumerate(RATES):
        step = await _step(p, morning, tokens, rate, shares, samples, seed=100 + i)
        steps.append(step)
        if not step.good:
            break
    return steps


def _last_good(steps: list[Step]) -> Step | None:
    good = [s for s in steps if s.good]
    return good[-1] if good else None


async def run(scale: float) -> list[Figure]:
    samples = samples_per_step(scale)
    async with Platform(services=["identity", "journal"], workers=2, relays=1, scale=scale) as p:
        city = await city_platform(scale, p)
        await p.start()
        morning = Morning(city)
        tokens = Tokens(p, city.password)
        await tokens.of(morning.logins())
        idle = await measure_idle(p)
        print(
            f"idle: journal {idle.journal_cores:.3f} cores (its API {idle.journal_api_cores:.3f}),"
            f" identity {idle.identity_cores:.3f} cores",
            flush=True,
        )
        print(f"the morning mix {MIX}, {samples:,} samples a step", flush=True)
        mix = await _ramp(p, morning, tokens, MIX, samples)
        print("the diary alone", flush=True)
        diary = await _ramp(p, morning, tokens, {"parent diary": 45, "student diary": 15}, samples)
        reads = [diary_args(city, x.child_id, x.school_id) for x in morning.parents] + [
            diary_args(city, x.person_id, x.school_id) for x in morning.students
        ]
        raw = await run_sql_load(
            p.database_url("journal"),
            reads,
            duration_s=10.0,
            warmup_s=WARMUP_S,
        )
        print(
            f"raw diary SQL at saturation: {raw.summary()}, {raw.completed:,} reads, "
            f"PostgreSQL CPU {raw.pg_cpu_s:.1f} s",
            flush=True,
        )
    if morning.exhausted:
        print(f"  {morning.exhausted:,} mark writes found no lesson left: sent as grid reads")
    return _figures(mix, diary, raw, idle)


def _figures(mix: list[Step], diary: list[Step], raw: SqlLoad, idle: Idle) -> list[Figure]:
    figures: list[Figure] = []
    for step in mix:
        ordered = sorted(step.samples)
        achieved = step.journal.achieved_rate + (
            step.identity.achieved_rate if step.identity else 0.0
        )
        figures.append(
            Figure(
                f"morning mix at {step.rate:g} req/s p99",
                step.p99,
                "ms",
                target=f"p99 < {P99_LIMIT_MS:g} ms (the ramp stops at the first miss)",
                met=step.good,
                samples=len(ordered),
                note=(
                    f"p50 {percentile(ordered, 0.5):.1f} ms, p99.9 "
                    f"{percentile(ordered, 0.999):.1f} ms; achieved {achieved:.0f} req/s; "
                    f"{step.per_core(idle)}" + (f"; {step.failed} failed" if step.failed else "")
                ),
            )
        )
    best = _last_good(mix)
    if best is None:
        figures.append(
            Figure(
                "morning mix: highest rate with p99 < 100 ms",
                math.nan,
                "req/s",
                note=f"not even {RATES[0]} req/s",
            )
        )
    else:
        figures += latency_figures(
            f"morning mix at {best.rate:g} req/s (the last with p99 < 100 ms)",
            best.samples,
            p99_below=P99_LIMIT_MS,
        )
        figures.append(
            Figure(
                "morning mix: highest rate with p99 < 100 ms",
                best.rate,
                "req/s",
                samples=len(best.samples),
                note="of " + ", ".join(f"{r:g}" for r in RATES),
            )
        )
        for service, result, cpu in (
            ("journal", best.journal, best.journal_cpu_s),
            ("identity", best.identity, best.identity_cpu_s),
        ):
            if result is None or cpu <= 0:
                continue
            figures.append(
                Figure(
                    f"morning mix: {service} requests per core (at {best.rate:g} req/s)",
                    result.sent / cpu,
                    "req/CPU-s",
                    samples=result.ok(),
                    note=(
                        f"{result.sent:,} requests, {cpu:.1f} CPU-s of its processes "
                        f"({cpu / best.seconds:.2f} cores, of which {idle.cores(service):.2f} "
                        f"idle: {_net(result.sent, cpu - idle.cores(service) * best.seconds)})"
                    ),
                )
            )
    for step in diary:
        cost = step.journal_api_cpu_s + step.pg_cpu_s
        figures.append(
            Figure(
                f"diary alone at {step.rate:g} reads/s: reads per core",
                step.journal.sent / cost if cost > 0 else math.nan,
                "reads/CPU-s",
                samples=len(step.samples),
                note=(
                    f"p99 {step.p99:.1f} ms; journal API {step.journal_api_cpu_s:.1f} + PostgreSQL "
                    f"{step.pg_cpu_s:.1f} CPU-s for {step.journal.sent:,} reads; "
                    + _net(step.journal.sent, cost - idle.journal_api_cores * step.seconds)
                    .replace("req/", "reads/")
                    .replace("idle", "the API's idle")
                ),
            )
        )
    diary_best = _last_good(diary)
    raw_cores_s = raw.cpu_s + raw.pg_cpu_s
    raw_per_core = raw.completed / raw_cores_s if raw_cores_s > 0 else math.nan
    if diary_best is None:
        api_per_core, note = math.nan, f"p99 ≥ 100 ms already at {RATES[0]} reads/s"
    else:
        cost = diary_best.journal_api_cpu_s + diary_best.pg_cpu_s
        api_per_core = diary_best.journal.sent / cost if cost > 0 else math.nan
        note = (
            f"at {diary_best.rate:g} reads/s (p99 {diary_best.p99:.1f} ms): "
            f"{diary_best.journal.sent:,} reads, journal API {diary_best.journal_api_cpu_s:.1f} + "
            f"PostgreSQL {diary_best.pg_cpu_s:.1f} CPU-s; raw: {raw.completed:,} reads, "
            f"{raw.cpu_s:.1f} + {raw.pg_cpu_s:.1f} CPU-s, {raw.achieved_rate:,.0f}/s"
        )
    figures.append(
        rate_figure(
            "morning peak: diary reads per core at p99 < 100 ms",
            api_per_core,
            "reads/CPU-s",
            baseline=raw_per_core,
            baseline_name="raw SQL diary",
            at_least=0.3,
            samples=len(diary_best.samples) if diary_best else None,
            note=note,
        )
    )
    return figures
