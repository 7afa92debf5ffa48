"""The platform as a user meets it: real processes started the way `make up` / `make run` do."""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from kit.testing.plugin import drop_databases

ROOT = Path(__file__).resolve().parents[2]
OPERATOR = ("e2e-operator", "city-ops-secret-2026")


def _free_port_block(size: int = 6) -> int:
    for _ in range(200):
        base = random.randrange(20000, 60000, 10)
        ok = True
        for port in range(base, base + size):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    ok = False
                    break
        if ok:
            return base
    raise RuntimeError("no free block of ports")


def _wait_http(url: str, seconds: float, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(
                f"the process exited with {process.returncode} before {url} answered"
            )
        try:
            answer = httpx.get(url, timeout=2)
            if answer.status_code == 200:
                return
            last = f"{answer.status_code} {answer.text[:200]}"
        except httpx.HTTPError as exc:
            last = repr(exc)
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer 200 within {seconds} s: {last}")


@pytest.fixture(scope="session")
def distributed_platform(
    distributed_settings: Callable[..., dict[str, str]],
    rabbit_cleanup: list[str],
    run_id: str,
    postgres_url: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """`deploy/local/up.sh` with this run's names and ports; yields the gateway's URL."""
    base = _free_port_block()
    run_dir = tmp_path_factory.mktemp("run")
    env = {
        **os.environ,
        **distributed_settings(),
        "EJ_PORT_BASE": str(base),
        "EJ_PORT": str(base),
        "EJ_RUN_DIR": str(run_dir),
        "WORKERS": "1",
        "EJ_BOOTSTRAP_OPERATOR_LOGIN": OPERATOR[0],
        "EJ_BOOTSTRAP_OPERATOR_PASSWORD": OPERATOR[1],
    }
    rabbit_cleanup.extend(
        f"{run_id}.{c}{s}"
        for c in ("identity", "journal", "reports", "archive", "notify", "reports.jobs")
        for s in ("", ".dlq", ".retry.0", ".retry.1", ".retry.2", ".retry.3")
    )
    up = subprocess.run(
        [str(ROOT / "deploy/local/up.sh")],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        if up.returncode != 0:
            logs = "\n".join(
                f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
                for p in run_dir.glob("*.log")
            )
            pytest.fail(f"make up failed:\n{up.stdout}\n{up.stderr}\n{logs}", pytrace=False)
        gateway = f"http://127.0.0.1:{base}"
        _wait_http(f"{gateway}/journal/healthz", 60)
        yield gateway
    finally:
        subprocess.run([str(ROOT / "deploy/local/down.sh")], env=env, cwd=ROOT, timeout=120)
        _drop_databases(postgres_url, distributed_settings()["EJ_DB_PREFIX"])


def _drop_databases(postgres_url: str, prefix: str) -> None:
    names = [f"{prefix}{s}" for s in ("identity", "journal", "reports", "archive", "notify")]
    asyncio.run(drop_databases(postgres_url, names))


@dataclass(frozen=True)
class Embedded:
    """A running `ej run`: its address and its data folder."""

    url: str
    data_dir: Path


@pytest.fixture(scope="session")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Embedded]:
    """`ej run` (what `make run` starts) in its own process and data folder."""
    port = _free_port_block(1)
    data = tmp_path_factory.mktemp("embedded")
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("EJ_") or k in ("EJ_REQUIRE_INFRA",)
    }
    env.update({"EJ_DATA_DIR": str(data), "EJ_PORT": str(port), "EJ_LOG_FORMAT": "json"})
    log = open(data / "ej.log", "wb")
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/ej"), "run"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_http(f"{url}/journal/healthz", 120, process)
        yield Embedded(url, data)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def embedded_platform(embedded: Embedded) -> str:
    """The address of `ej run`."""
    return embedded.url


@pytest.fixture(scope="session")
def embedded_demo(embedded: Embedded) -> dict[str, Any]:
    """The demo school `ej run` seeds in the background, once seeded: what `demo-seeded.json`
    says (`school_id`, `year_id`, and the lessons the seed made late on purpose)."""
    marker = embedded.data_dir / "demo-seeded.json"
    log = embedded.data_dir / "ej.log"
    deadline = time.monotonic() + 300
    while not marker.exists():
        said = log.read_text(encoding="utf-8", errors="replace")
        if "demo_seed_failed" in said or time.monotonic() > deadline:
            pytest.fail(f"the demo school was not seeded:\n{said[-3000:]}", pytrace=False)
        time.sleep(0.5)
    return json.loads(marker.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
