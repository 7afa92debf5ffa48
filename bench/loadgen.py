"""The load generator: `python -m bench.loadgen` reads a plan (JSON) on stdin, sends its
requests to one service over HTTP/1.1 keep-alive connections, and writes the samples (JSON)
on stdout. It runs in a process of its own, apart from the services and from the bench.

The client is a minimal HTTP/1.1 one on asyncio streams (uvloop when installed), so that the
generator spends little CPU per request: it writes the request's bytes, reads the status line,
the headers and a `content-length` or chunked body, and keeps the connection.

The plan (see bench/load.py, which builds it):

    {"url": "http://127.0.0.1:8101", "mode": "open" | "closed",
     "rate": 120.0, "arrivals": "poisson" | "uniform",   # open: requests/s of this process
     "concurrency": 16,           # closed: clients; open: connections at most
     "start_at": 1767000000.5,    # wall clock (time.time()) at which to begin
     "warmup_s": 2.0, "duration_s": 10.0,   # samples of the warm-up are dropped
     "cycle": false,              # false: each request is sent once, then the run ends
     "requests": [{"method": "POST", "path": "/…", "headers": {…}, "body": "…",
                   "label": "marks", "idempotency_key": true, "key": "l1:answer"}],
     "seed": 1}

Open loop: request i is due at its scheduled time (Poisson or evenly spaced arrivals at the
rate); it is sent then, or as soon as a connection is free, and its latency counts from the
scheduled time, so a server that falls behind shows in the latencies rather than slowing the
load down. Closed loop: `concurrency` clients, each sending its next request when the last
one is answered; latency from the send.

Output: {"samples": {label: [ms, …]}, "status": {label: {code: n}}, "errors": {…},
"sent": n, "measured": n, "window": [wall start, wall end] of the measured part,
"achieved_rate": measured requests/s, "cpu_s": this process's CPU seconds, "answered": {key:
wall clock when the answer arrived} for the requests with a `key` that succeeded, "late_ms": how far
behind schedule the sends fell at p99 (open loop)}.
"""

from __future__ import annotations

import asyncio
import json
import random
import resource
import sys
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

IDLE_S = 4.0
"""A connection idle this long is opened again before use: uvicorn closes idle keep-alive
connections after 5 s (`timeout_keep_alive`), as a browser's or httpx's pool expects."""


class Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.used = 0.0

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.used = time.monotonic()

    async def send(self, data: bytes) -> tuple[int, bytes]:
        """The request on this connection; on a kept-alive one the server closed before
        answering anything, once more on a new connection (what HTTP clients do)."""
        if self.writer is not None and time.monotonic() - self.used > IDLE_S:
            self.close()
        fresh = self.writer is None
        try:
            return await self.request(data)
        except (asyncio.IncompleteReadError, ConnectionResetError, BrokenPipeError) as exc:
            if fresh or (isinstance(exc, asyncio.IncompleteReadError) and exc.partial):
                raise
            self.close()
            return await self.request(data)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, data: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            await self.open()
        assert self.reader is not None and self.writer is not None
        self.writer.write(data)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length, chunked, close = None, False, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            key = name.strip().lower()
            if key == b"content-length":
                length = int(value.strip())
            elif key == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif key == b"connection" and b"close" in value.lower():
                close = True
        if chunked:
            body = bytearray()
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")
                    break
                body += await self.reader.readexactly(size + 2)
                del body[-2:]
            payload = bytes(body)
        else:
            payload = await self.reader.readexactly(length or 0)
        self.used = time.monotonic()
        if close:
            self.close()
        return status, payload


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    label: str
    idempotency_key: bool
    key: str | None

    def encode(self, host: str) -> bytes:
        lines = [f"{self.method} {self.path} HTTP/1.1", f"host: {host}"]
        headers = dict(self.headers)
        if self.idempotency_key:
            headers["Idempotency-Key"] = str(uuid.uuid4())
        if self.body or self.method in ("POST", "PUT", "PATCH"):
            headers.setdefault("content-type", "application/json")
            headers["content-length"] = str(len(self.body))
        lines += [f"{k}: {v}" for k, v in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + self.body


class Run:
    def __init__(self, plan: dict[str, Any]) -> None:
        self.plan = plan
        split = urlsplit(plan["url"])
        self.host, self.port = split.hostname or "127.0.0.1", split.port or 80
        self.netloc = split.netloc
        self.requests = [
            Request(
                r.get("method", "GET"),
                r["path"],
                r.get("headers") or {},
                (r.get("body") or "").encode(),
                r.get("label", "request"),
                bool(r.get("idempotency_key")),
                r.get("key"),
            )
            for r in plan["requests"]
        ]
        self.cycle = bool(plan.get("cycle", True))
        self.warmup = float(plan.get("warmup_s", 0))
        self.duration = float(plan.get("duration_s", 10))
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.status: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.errors: dict[str, int] = defaultdict(int)
        self.bad_bodies: list[str] = []
        self.late: list[float] = []
        self.answered: dict[str, float] = {}
        self.open_mode = plan.get("mode", "closed") == "open"
        self.sent = 0
        self.measured = 0
        self.next = 0
        self.pool: asyncio.Queue[Connection] = asyncio.Queue()
        for _ in range(int(plan.get("concurrency", 16))):
            self.pool.put_nowait(Connection(self.host, self.port))
        self.expect = set(plan.get("expect") or [200, 201, 204])

    def take(self) -> Request | None:
        if self.next >= len(self.requests):
            if not self.cycle or not self.requests:
                return None
            self.next = 0
        request = self.requests[self.next]
        self.next += 1
        return request

    async def send(self, request: Request, since: float, measured: bool) -> None:
        connection = await self.pool.get()
        sent_at = time.perf_counter()
        data = request.encode(self.netloc)
        try:
            status, body = await connection.send(data)
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            connection.close()
            self.errors[type(exc).__name__] += 1
            status, body = 0, b""
        finally:
            self.pool.put_nowait(connection)
        done = time.perf_counter()
        if request.key is not None and status in self.expect:
            self.answered[request.key] = time.time()
        self.sent += 1
        if measured:
            self.measured += 1
            self.status[request.label][str(status)] += 1
            if status in self.expect:
                self.samples[request.label].append((done - since) * 1000)
                if self.open_mode:
                    self.late.append((sent_at - since) * 1000)
            elif len(self.bad_bodies) < 5:
                self.bad_bodies.append(f"{status} {request.path}: {body[:300]!r}")

    async def open_loop(self, begin: float) -> None:
        rate = float(self.plan["rate"])
        rng = random.Random(self.plan.get("seed", 1))
        poisson = self.plan.get("arrivals", "poisson") == "poisson"
        end = begin + self.warmup + self.duration
        due = begin
        tasks: set[asyncio.Task[None]] = set()
        while due < end:
            request = self.take()
            if request is None:
                break
            wait = due - time.perf_counter()
            if wait > 0.0005:
                await asyncio.sleep(wait)
            task = asyncio.create_task(self.send(request, due, due >= begin + self.warmup))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            due += rng.expovariate(rate) if poisson else 1.0 / rate
        if tasks:
            await asyncio.wait(tasks)

    async def closed_loop(self, begin: float) -> None:
        end = begin + self.warmup + self.duration
        measure_from = begin + self.warmup

        async def client() -> None:
            while time.perf_counter() < end:
                request = self.take()
                if request is None:
                    return
                now = time.perf_counter()
                await self.send(request, now, now >= measure_from)

        await asyncio.gather(*(client() for _ in range(int(self.plan.get("concurrency", 16)))))

    async def run(self) -> dict[str, Any]:
        # open the connections before the start, as a client's pool would be
        connections = []
        while not self.pool.empty():
            connections.append(self.pool.get_nowait())
        await asyncio.gather(*(c.open() for c in connections))
        for c in connections:
            self.pool.put_nowait(c)
        start_at = float(self.plan.get("start_at") or time.time())
        await asyncio.sleep(max(0.0, start_at - time.time()))
        begin = time.perf_counter()
        wall_begin = time.time()
        cpu0 = _cpu()
        if self.plan.get("mode", "closed") == "open":
            await self.open_loop(begin)
        else:
            await self.closed_loop(begin)
        finished = time.perf_counter()
        cpu = _cpu() - cpu0
        for c in connections:
            c.close()
        measured_s = max(1e-9, finished - begin - self.warmup)
        late = sorted(self.late)
        return {
            "samples": self.samples,
            "status": self.status,
            "errors": self.errors,
            "bad_bodies": self.bad_bodies,
            "sent": self.sent,
            "measured": self.measured,
            "window": [wall_begin + self.warmup, wall_begin + (finished - begin)],
            "achieved_rate": self.measured / measured_s,
            "cpu_s": cpu,
            "answered": self.answered,
            "late_ms_p99": late[int(0.99 * (len(late) - 1))] if late else None,
        }


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    plan = json.loads(sys.stdin.read())
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    result = asyncio.run(Run(plan).run())
    sys.stdout.write(json.dumps(result))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
