"""The service as its own process, as `make up` runs it: migrate, create-operator, serve."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from services.identity.tests.conftest import TEST_KEY_SECRET

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Finished:
    returncode: int
    output: str


async def _command(env: dict[str, str], *args: str) -> Finished:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.identity",
        *args,
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    return Finished(await process.wait(), output.decode())


async def test_the_identity_process_migrates_creates_the_operator_and_serves(
    make_database: Any,
    amqp_url: str,
    redis_url: str,
    run_id: str,
    rabbit_cleanup: list[str],
) -> None:
    url = await make_database("identity_process", None)
    port = _free_port()
    prefix = f"{run_id}.process."
    rabbit_cleanup.extend(f"{prefix}identity{s}" for s in ("", ".dlq", ".retry.0", ".retry.1"))
    env = {
        **os.environ,
        "EJ_MODE": "distributed",
        "EJ_DATABASE_URL": url,
        "EJ_AMQP_URL": amqp_url,
        "EJ_REDIS_URL": redis_url,
        "EJ_EXCHANGE": f"edu.events.{run_id}",
        "EJ_QUEUE_PREFIX": prefix,
        "EJ_IDENTITY_KEY_SECRET": TEST_KEY_SECRET,
        "EJ_ARGON2_TIME_COST": "1",
        "EJ_ARGON2_MEMORY_KIB": "1024",
        "EJ_PORT": str(port),
        "EJ_LOG_LEVEL": "WARNING",
    }
    unmigrated = await _command(env, "create-operator", "--login", "operator", "--password", "x")
    assert unmigrated.returncode != 0 and "migrate" in unmigrated.output
    assert (await _command(env, "migrate")).returncode == 0
    weak = await _command(env, "create-operator", "--login", "operator", "--password", "12345")
    assert weak.returncode == 1 and "password_too_short" in weak.output
    created = await _command(
        env, "create-operator", "--login", "operator", "--password", "demo-password"
    )
    assert created.returncode == 0, created.output
    for _ in range(2):  # the first makes the ring's first key, the second a successor
        assert (await _command(env, "rotate-keys", "--activation-delay", "0")).returncode == 0

    server = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.identity",
        "serve",
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            await _until_ready(client, server)
            token = await client.post(
                "/identity/v1/token", data={"username": "operator", "password": "demo-password"}
            )
            assert token.status_code == 200, token.text
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            school = await client.post(
                "/identity/v1/schools",
                json={"name": f"Школа {run_id}", "timezone": "Europe/Moscow"},
                headers=headers,
            )
            assert school.status_code == 201, school.text
            assert len((await client.get("/identity/.well-known/jwks.json")).json()["keys"]) == 2
            openapi = (await client.get("/identity/openapi.json")).json()
            assert "/identity/v1/people/{person_id}/credentials" in openapi["paths"]
    finally:
        server.terminate()
        await asyncio.wait_for(server.wait(), timeout=30)


async def _until_ready(client: httpx.AsyncClient, server: asyncio.subprocess.Process) -> None:
    for _ in range(300):
        if server.returncode is not None:
            error = await server.stderr.read() if server.stderr else b"exited"
            raise AssertionError(error.decode())
        try:
            if (await client.get("/identity/readyz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError("the identity process did not become ready")
