"""The load generator against a tiny HTTP/1.1 server of the test's own: every request sent
once with its own Idempotency-Key, answers read by content-length and chunked, connections
the server closes reopened, warm-up left out. Counts only; no timing is asserted."""

from __future__ import annotations

import asyncio
from collections import Counter

from bench.load import req, run_load


async def serve(seen: list[dict[str, str]]) -> tuple[asyncio.Server, int]:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode().split("\r\n")
                headers = {
                    k.strip().lower(): v.strip()
                    for k, _, v in (line.partition(":") for line in lines[1:] if line)
                }
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                path = lines[0].split(" ")[1]
                seen.append(
                    {"path": path, "key": headers.get("idempotency-key", ""), "body": body.decode()}
                )
                if path.startswith("/chunked"):
                    writer.write(
                        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
                        b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
                    )
                elif path.startswith("/close"):  # answers, then closes the connection
                    writer.write(
                        b"HTTP/1.1 201 Created\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}"
                    )
                    await writer.drain()
                    writer.close()
                    return
                elif path.startswith("/bad"):
                    writer.write(b"HTTP/1.1 422 Unprocessable\r\ncontent-length: 5\r\n\r\nnope!")
                else:
                    writer.write(b"HTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\n{}")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionResetError):
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


async def test_each_request_once_with_its_own_idempotency_key() -> None:
    seen: list[dict[str, str]] = []
    server, port = await serve(seen)
    async with server:
        requests = [
            req("POST", f"/marks/{i}", body={"n": i}, idempotency_key=True, label="w", key=f"k{i}")
            for i in range(60)
        ]
        result = await run_load(
            f"http://127.0.0.1:{port}",
            requests,
            mode="closed",
            concurrency=4,
            warmup_s=0,
            duration_s=600,
            cycle=False,
            procs=2,
            start_delay_s=0.5,
        )
    assert sorted(s["path"] for s in seen) == sorted(f"/marks/{i}" for i in range(60))
    assert len({s["key"] for s in seen}) == 60 and all(s["key"] for s in seen)
    assert {s["body"] for s in seen} == {f'{{"n": {i}}}' for i in range(60)}
    assert result.sent == result.measured == result.ok("w") == 60
    assert result.status == {"w": {"201": 60}} and set(result.answered) == {
        f"k{i}" for i in range(60)
    }


async def test_chunked_answers_closed_connections_and_refusals_are_counted() -> None:
    seen: list[dict[str, str]] = []
    server, port = await serve(seen)
    async with server:
        requests = (
            [req("GET", "/chunked", label="chunked")] * 10
            + [req("POST", "/close", body="{}", label="close")] * 10
            + [req("GET", "/bad", label="bad")] * 5
        )
        result = await run_load(
            f"http://127.0.0.1:{port}",
            requests,
            mode="open",
            rate=200,
            concurrency=2,
            warmup_s=0,
            duration_s=600,
            cycle=False,
            procs=1,
            start_delay_s=0.5,
        )
    assert Counter(s["path"] for s in seen) == {"/chunked": 10, "/close": 10, "/bad": 5}
    assert result.ok("chunked") == 10 and result.ok("close") == 10 and result.ok("bad") == 0
    assert result.status["bad"] == {"422": 5} and result.failed() == 5
    assert not result.errors and any("nope!" in b for b in result.bad_bodies)
    assert result.late_ms_p99 is not None  # an open loop says how late its sends were
