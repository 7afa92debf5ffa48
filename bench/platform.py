"""The services of a benchmark, run the way `make up` runs them, on a run's own names.

    async with Platform(services=["identity", "journal"], workers=2, relays=1) as p:
        p.database_url("journal")   # the migrated, empty database (sqlalchemy asyncpg URL)
        ...                         # load data (COPY) before the services start
        await p.start()             # the processes, up when their /readyz answers
        p.url("journal"); p.pids("journal"); p.cpu_seconds("journal")
        token = await p.login("t1", "password")
        async with p.events() as tap: ...   # arrivals of the services' events (lag)

Each service is its own processes: `python -m services.<name> serve --port P --workers N`
(uvicorn with uvloop over TCP) with `EJ_OUTBOX_RELAY=off`, and `relays` processes of
`python -m services.<name> relay` publishing its outbox. The environment is the one
deploy/local/services.sh gives (`EJ_MODE=distributed`, PostgreSQL, RabbitMQ, real Redis, the
services' URLs, identity's key secret), with the run's own names: databases
`ej_bench<hex>_<service>`, exchange `edu.events.bench<hex>`, queue prefix `bench<hex>.`, an
empty Redis database of the 16 (chosen at random among the empty ones, flushed at the end),
and free ports. A durable quorum queue is bound to the exchange for `bind` (by default
`journal.#`), so the broker's confirms include a quorum queue's persistence, as in a
deployment where reports consumes the journal's events; `events()` reads it.

On exit: the processes are stopped, the databases dropped, the queues and exchanges deleted.
The services' logs are kept in var/bench/logs/ for the post-mortem.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aio_pika
import asyncpg
import httpx
from redis.asyncio import Redis

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / "var" / "bench" / "logs"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def plain(url: str) -> str:
    """An asyncpg DSN from a sqlalchemy URL."""
    return url.replace("postgresql+asyncpg://", "postgresql://")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _service_main_text() -> str:
    return (ROOT / "kit" / "service_main.py").read_text()


def relay_command_exists() -> bool:
    """Whether `python -m services.<name> relay` exists yet (kit/service_main.py)."""
    return "def relay(" in _service_main_text()


def workers_option_exists() -> bool:
    return "workers" in _service_main_text()


def descendants(pid: int) -> list[int]:
    """pid and every process below it (uvicorn's workers are children of its supervisor)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def cpu_seconds_of(pids: Sequence[int]) -> float:
    """user + system CPU seconds of the processes (their own, not their dead children's)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / CLK_TCK
    return total


@dataclass
class Arrival:
    type: str
    time: float
    """the envelope's `time` (written in the request's transaction, just before its commit)"""
    arrived: float
    """when the message reached this consumer, after the broker confirmed it to the relay"""
    key: str | None = None
    """what the case's `key` function made of the envelope (to match it with its request)"""


@dataclass
class EventTap:
    """Arrivals on the platform's bound quorum queue, stamped on receipt (wall clock)."""

    arrivals: list[Arrival] = field(default_factory=list)

    def lags_ms(
        self, since: float = 0.0, until: float = float("inf"), type_prefix: str = ""
    ) -> list[float]:
        """Lags (ms) of the events written in [since, until] (wall clock seconds)."""
        return [
            (a.arrived - a.time) * 1000
            for a in self.arrivals
            if since <= a.time <= until and a.type.startswith(type_prefix)
        ]

    def lags_from_ms(self, answered: dict[str, float], type_prefix: str = "") -> list[float]:
        """Lags (ms) from the moment the request that wrote the event was answered (after its
        commit) to the event's arrival, for the events whose key is in `answered`."""
        return [
            (a.arrived - answered[a.key]) * 1000
            for a in self.arrivals
            if a.key in answered and a.type.startswith(type_prefix)
        ]

    def count(self, type_prefix: str = "") -> int:
        return sum(a.type.startswith(type_prefix) for a in self.arrivals)


class Platform:
    def __init__(
        self,
        services: Sequence[str] = ("identity", "journal"),
        *,
        workers: int = 2,
        relays: int = 1,
        scale: float = 0.01,
        bind: Sequence[str] = ("journal.#",),
        env: dict[str, str] | None = None,
    ) -> None:
        self.services = list(services)
        self.workers, self.relays, self.scale = workers, relays, scale
        self.bind = list(bind)
        self.extra_env = env or {}
        self.tag = f"bench{secrets.token_hex(4)}"
        self.postgres = os.environ.get(
            "EJ_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432"
        ).rstrip("/")
        self.amqp = os.environ.get("EJ_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
        self.redis_base = os.environ.get("EJ_REDIS_URL", "redis://127.0.0.1:6379/0")
        self.exchange = f"edu.events.{self.tag}"
        self.queue_prefix = f"{self.tag}."
        self.events_queue = f"{self.tag}.bench.events"
        self.ports = {name: free_port() for name in self.services}
        self.redis_db: int | None = None
        self.processes: dict[str, list[subprocess.Popen[bytes]]] = {}
        self.relay_mode = relay_command_exists()
        self._logs: list[Any] = []
        self._started = False

    # -- names -------------------------------------------------------------------------
    def database_name(self, service: str) -> str:
        return f"ej_{self.tag}_{service}"

    def database_url(self, service: str) -> str:
        return f"{self.postgres}/{self.database_name(service)}"

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    @property
    def redis_url(self) -> str:
        base = (
            self.redis_base.rsplit("/", 1)[0]
            if self.redis_base.count("/") >= 3
            else self.redis_base
        )
        return f"{base}/{self.redis_db}"

    def env(self, service: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "EJ_MODE": "distributed",
                "EJ_LOG_FORMAT": "json",
                "EJ_LOG_LEVEL": os.environ.get("EJ_BENCH_LOG_LEVEL", "WARNING"),
                "EJ_POSTGRES_URL": self.postgres,
                "EJ_DB_PREFIX": f"ej_{self.tag}_",
                "EJ_AMQP_URL": self.amqp,
                "EJ_EXCHANGE": self.exchange,
                "EJ_QUEUE_PREFIX": self.queue_prefix,
                "EJ_REDIS_URL": self.redis_url,
                "EJ_WORKERS": str(self.workers),
                "EJ_IDENTITY_KEY_SECRET": self._key_secret,
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.pop("EJ_DATABASE_URL", None)
        for name, port in self.ports.items():
            env[f"EJ_{name.upper()}_URL"] = f"http://127.0.0.1:{port}"
        if "identity" not in self.ports:
            env.setdefault("EJ_IDENTITY_URL", "http://127.0.0.1:9")
        if self.relay_mode:
            env["EJ_OUTBOX_RELAY"] = "off"
        env.update(self.extra_env)
        return env

    # -- lifecycle ---------------------------------------------------------------------
    async def __aenter__(self) -> Platform:
        self._key_secret = secrets.token_urlsafe(32)
        await self._choose_redis_db()
        try:
            from kit.migrations import upgrade

            for name in self.services:
                await upgrade(self.database_url(name), ROOT / "services" / name / "migrations")
            await self._declare_events_queue()
        except BaseException:
            await self._teardown()
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._teardown()

    async def start(self, timeout: float = 90.0) -> None:
        """Start every service's API processes and relays; return when /readyz answers."""
        LOGS.mkdir(parents=True, exist_ok=True)
        for name in self.services:
            env = self.env(name)
            cmd = [
                sys.executable,
                "-m",
                f"services.{name}",
                "serve",
                "--port",
                str(self.ports[name]),
            ]
            if workers_option_exists():
                cmd += ["--workers", str(self.workers)]
            self.processes[name] = [self._spawn(cmd, env, f"{name}-serve")]
            if self.relay_mode:
                for i in range(self.relays):
                    self.processes[name].append(
                        self._spawn(
                            [sys.executable, "-m", f"services.{name}", "relay"],
                            env,
                            f"{name}-relay{i}",
                        )
                    )
        self._started = True
        await asyncio.gather(*(self._ready(name, timeout) for name in self.services))

    def _spawn(self, cmd: list[str], env: dict[str, str], label: str) -> subprocess.Popen[bytes]:
        log = open(LOGS / f"{self.tag}-{label}.log", "ab")
        self._logs.append(log)
        return subprocess.Popen(
            cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    async def _ready(self, name: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        last = ""
        async with httpx.AsyncClient(timeout=5) as client:
            while time.monotonic() < deadline:
                for process in self.processes[name]:
                    if process.poll() is not None:
                        raise RuntimeError(
                            f"{name} exited ({process.returncode}) at start: see "
                            f"{LOGS.relative_to(ROOT)}/{self.tag}-{name}-*.log"
                        )
                try:
                    response = await client.get(f"{self.url(name)}/{name}/readyz")
                    if response.status_code == 200:
                        return
                    last = response.text
                except httpx.HTTPError as exc:
                    last = str(exc) or type(exc).__name__
                await asyncio.sleep(0.3)
        raise TimeoutError(f"{name} not ready in {timeout:.0f} s: {last}")

    def pids(self, service: str) -> list[int]:
        """Every process of the service (API supervisor, its workers, the relays)."""
        out: list[int] = []
        for process in self.processes.get(service, []):
            if process.poll() is None:
                out += descendants(process.pid)
        return out

    def cpu_seconds(self, service: str) -> float:
        return cpu_seconds_of(self.pids(service))

    async def login(self, login: str, password: str) -> str:
        """An access token from identity's real login endpoint (argon2id and all)."""
        async with httpx.AsyncClient(base_url=self.url("identity"), timeout=30) as client:
            response = await client.post(
                "/identity/v1/token",
                data={"username": login, "password": password, "grant_type": "password"},
            )
        if response.status_code != 200:
            raise RuntimeError(f"login {login} refused: {response.status_code} {response.text}")
        return str(response.json()["access_token"])

    async def login_many(
        self, logins: Sequence[tuple[str, str]], concurrency: int = 8
    ) -> list[str]:
        gate = asyncio.Semaphore(concurrency)

        async def one(login: str, password: str) -> str:
            async with gate:
                return await self.login(login, password)

        return list(await asyncio.gather(*(one(u, p) for u, p in logins)))

    # -- events ------------------------------------------------------------------------
    async def _declare_events_queue(self) -> None:
        connection = await aio_pika.connect(self.amqp)
        try:
            channel = await connection.channel()
            exchange = await channel.declare_exchange(
                self.exchange, aio_pika.ExchangeType.TOPIC, durable=True
            )
            queue = await channel.declare_queue(
                self.events_queue, durable=True, arguments={"x-queue-type": "quorum"}
            )
            for pattern in self.bind:
                await queue.bind(exchange, pattern)
        finally:
            await connection.close()

    @contextlib.asynccontextmanager
    async def events(
        self, prefetch: int = 1000, key: Callable[[dict[str, Any]], str | None] | None = None
    ) -> AsyncIterator[EventTap]:
        """Consume the bound queue while inside; every message is stamped on arrival (and
        given `key(envelope)` when `key` is given)."""
        tap = EventTap()
        connection = await aio_pika.connect(self.amqp)
        try:
            channel = await connection.channel()
            await channel.set_qos(prefetch_count=prefetch)
            queue = await channel.declare_queue(self.events_queue, passive=True)

            async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
                arrived = time.time()
                envelope = json.loads(message.body)
                written = _epoch(envelope.get("time"))
                tap.arrivals.append(
                    Arrival(
                        envelope.get("type", ""),
                        written,
                        arrived,
                        key(envelope) if key is not None else None,
                    )
                )
                await message.ack()

            tag = await queue.consume(on_message)
            yield tap
            await queue.cancel(tag)
        finally:
            await connection.close()

    async def drain_events(self, tap: EventTap, expected: int, timeout: float = 120.0) -> bool:
        """Wait until the tap has seen `expected` events (or the time runs out)."""
        for _ in range(int(timeout * 10)):
            if tap.count() >= expected:
                return True
            await asyncio.sleep(0.1)
        return tap.count() >= expected

    # -- teardown ----------------------------------------------------------------------
    async def _choose_redis_db(self) -> None:
        base = self.redis_base.rsplit("/", 1)[0]
        candidates = list(range(1, 16))
        random.shuffle(candidates)
        for db in candidates:
            client = Redis.from_url(f"{base}/{db}")
            try:
                if await client.dbsize() == 0:
                    await client.set(f"ej:bench:{self.tag}", "1", ex=24 * 3600)
                    self.redis_db = db
                    return
            finally:
                await client.aclose()
        raise RuntimeError("no empty Redis database (1–15) for the run")

    async def _teardown(self) -> None:
        await self._stop_processes()
        for log in self._logs:
            log.close()
        admin = await asyncpg.connect(plain(self.postgres) + "/postgres")
        try:
            for name in self.services:
                await admin.execute(
                    f'DROP DATABASE IF EXISTS "{self.database_name(name)}" WITH (FORCE)'
                )
        finally:
            await admin.close()
        await self._delete_topology()
        if self.redis_db is not None:
            client = Redis.from_url(self.redis_url)
            try:
                await client.flushdb()
            finally:
                await client.aclose()

    async def _stop_processes(self) -> None:
        everything = [p for ps in self.processes.values() for p in ps]
        for process in everything:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for _ in range(150):  # 15 s for a graceful stop
            if all(p.poll() is not None for p in everything):
                break
            await asyncio.sleep(0.1)
        for process in everything:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()

    async def _delete_topology(self) -> None:
        from kit.bus.rabbit import RabbitBus

        bus = RabbitBus(self.amqp, exchange=self.exchange, queue_prefix=self.queue_prefix)
        await bus.delete_queues(self.services)
        connection = await aio_pika.connect(self.amqp)
        try:
            channel = await connection.channel()
            await channel.queue_delete(self.events_queue)
            names = [self.exchange] + [
                bus.exchange_of(f"{name}.{kind}")
                for name in self.services
                for kind in ("internal", "work")
            ]
            for name in names:
                try:
                    await channel.exchange_delete(name)
                except aio_pika.exceptions.AMQPError:  # not there: the channel closes
                    channel = await connection.channel()
        finally:
            await connection.close()


def _epoch(value: Any) -> float:
    import datetime as dt

    if not value:
        return 0.0
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
