"""pytest plugin: real PostgreSQL, RabbitMQ, Redis and two S3 stores for integration tests.

Each run gets its own names (databases `ej_<run>_…`, exchanges `edu.events.<run>` and the
services' private `<service>.internal.<run>`, queues `<run>.…`), so runs and helpers on one
machine never see each other's data, and everything is removed at the end of the session.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from kit.settings import Mode
from kit.testing.infra import REQUIRE, Infra, S3Endpoint, discover, stop_containers

_infra: Infra | None = None


def _get_infra() -> Infra:
    global _infra
    if _infra is None:
        _infra = discover()
    return _infra


INFRA_FIXTURES = frozenset({"postgres_url", "amqp_url", "redis_url", "s3_endpoints"})
END_TO_END = "e2e"
"""The folder of end-to-end tests: they start the whole platform in processes of their own."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "infra: the integration tier: needs PostgreSQL, RabbitMQ, Redis or S3, or starts the "
        "whole platform (end-to-end tests). Set by this plugin from the fixtures a test uses "
        "and from the `e2e` folder; a fixture that picks its infrastructure at run time "
        "(`request.getfixturevalue`) marks that param itself "
        "(`pytest.param('rabbit', marks=pytest.mark.infra)`). `make test-fast` runs the rest.",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        needs_infra = INFRA_FIXTURES & set(getattr(item, "fixturenames", ()))
        if needs_infra or END_TO_END in item.path.parts:
            item.add_marker(pytest.mark.infra)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _infra is not None:
        stop_containers(_infra)


def _need(what: str) -> None:
    problem = _get_infra().missing(what)
    if problem:
        message = f"{what} is not available: {problem}"
        if REQUIRE:
            pytest.fail(f"EJ_REQUIRE_INFRA=1 and {message}", pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="session")
def run_id() -> str:
    return f"t{secrets.token_hex(4)}"


@pytest.fixture(scope="session")
def postgres_url() -> str:
    _need("postgres")
    url = _get_infra().postgres_url
    assert url is not None
    return url.rstrip("/")


@pytest.fixture(scope="session")
def amqp_url() -> str:
    _need("rabbitmq")
    url = _get_infra().amqp_url
    assert url is not None
    return url


@pytest.fixture(scope="session")
def redis_url() -> str:
    _need("redis")
    url = _get_infra().redis_url
    assert url is not None
    return url


@pytest.fixture(scope="session")
def s3_endpoints() -> tuple[S3Endpoint, S3Endpoint]:
    _need("s3")
    stores = _get_infra().s3
    assert stores is not None
    return stores


async def drop_databases(postgres_url: str, names: list[str]) -> None:
    admin = create_async_engine(
        f"{postgres_url}/postgres", poolclass=NullPool, isolation_level="AUTOCOMMIT"
    )
    try:
        async with admin.connect() as conn:
            for name in names:
                await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


@pytest.fixture(scope="session")
async def make_database(
    postgres_url: str, run_id: str
) -> AsyncIterator[Callable[[str, Path | None], Awaitable[str]]]:
    """`await make_database("journal", migrations_dir)` → URL of a new, migrated database."""
    from kit.migrations import ensure_database, upgrade

    created: list[str] = []

    async def make(label: str, migrations: Path | None = None) -> str:
        name = f"ej_{run_id}_{label}_{len(created)}"
        url = f"{postgres_url}/{name}"
        created.append(name)
        if migrations is not None:
            await upgrade(url, migrations)
        else:
            await ensure_database(url)
        return url

    yield make
    await drop_databases(postgres_url, created)


@pytest.fixture(scope="session")
def distributed_settings(
    postgres_url: str, amqp_url: str, redis_url: str, run_id: str
) -> Callable[..., dict[str, str]]:
    """Environment for a distributed-mode service process of this test run."""

    def env(**extra: str) -> dict[str, str]:
        values = {
            "EJ_MODE": Mode.distributed.value,
            "EJ_POSTGRES_URL": postgres_url,
            "EJ_DB_PREFIX": f"ej_{run_id}_",
            "EJ_AMQP_URL": amqp_url,
            "EJ_EXCHANGE": f"edu.events.{run_id}",
            "EJ_QUEUE_PREFIX": f"{run_id}.",
            "EJ_REDIS_URL": redis_url,
        }
        values.update(extra)
        return values

    return env


def _listed(what: str) -> list[str]:
    """The names of the local broker's queues or exchanges (`what`); nothing where
    `rabbitmqctl` is not at hand."""
    import shutil
    import subprocess

    if shutil.which("rabbitmqctl") is None:
        return []
    try:
        listed = subprocess.run(
            ["rabbitmqctl", f"list_{what}", "name", "-q", "--no-table-headers"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [n.strip() for n in listed.splitlines() if n.strip()]


def _queues_named_for(run_id: str) -> list[str]:
    """Every queue of this run the local broker holds (processes started by the tests declare
    queues this process never named)."""
    return [n for n in _listed("queues") if n.startswith(f"{run_id}.")]


def _exchanges_named_for(run_id: str) -> list[str]:
    """The run's exchanges: `edu.events.<run>` and every private `<service>.internal.<run>`
    (a bus names them from the public one, so the kit need not know the services)."""
    named = {n for n in _listed("exchanges") if n.endswith(f".{run_id}")}
    return sorted(named | {f"edu.events.{run_id}"})


@pytest.fixture(scope="session")
async def rabbit_cleanup(amqp_url: str, run_id: str) -> AsyncIterator[list[str]]:
    """Queue names to delete at the end of the session (plus the run's exchanges)."""
    import aio_pika

    names: list[str] = []
    yield names
    names.extend(_queues_named_for(run_id))
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        for name in names:
            try:
                await channel.queue_delete(name)
            except Exception:
                channel = await connection.channel()
        for exchange in _exchanges_named_for(run_id):
            try:
                await channel.exchange_delete(exchange)
            except Exception:
                channel = await connection.channel()
    finally:
        await connection.close()
