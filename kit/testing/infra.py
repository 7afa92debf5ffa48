"""Where the tests' real infrastructure comes from.

1. `EJ_*` environment variables (what `make test` and CI set);
2. otherwise, where a Docker engine answers, containers started with testcontainers;
3. otherwise the tests that need it are skipped with the reason, except under
   `EJ_REQUIRE_INFRA=1`, where a missing service fails the run.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

REQUIRE = os.environ.get("EJ_REQUIRE_INFRA") == "1"


@dataclass(frozen=True)
class S3Endpoint:
    name: str
    endpoint: str
    access_key: str
    secret_key: str


@dataclass
class Infra:
    postgres_url: str | None = None
    amqp_url: str | None = None
    redis_url: str | None = None
    s3: tuple[S3Endpoint, S3Endpoint] | None = None
    problems: dict[str, str] | None = None
    containers: list[Any] | None = None

    def missing(self, what: str) -> str | None:
        return (self.problems or {}).get(what)


def _reachable(url: str, default_port: int) -> str | None:
    parsed = urlparse(url.replace("postgresql+asyncpg", "postgresql"))
    host, port = parsed.hostname or "127.0.0.1", parsed.port or default_port
    try:
        with socket.create_connection((host, port), timeout=2):
            return None
    except OSError as exc:
        return f"{host}:{port} does not answer ({exc})"


def _docker_available() -> bool:
    try:
        import docker

        docker.from_env().ping()
        return True
    except Exception:
        return False


def _wait_port(host: str, port: int, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=1):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{host}:{port} did not open")


def _container(
    image: str, port: int, env: dict[str, str] | None = None, command: str | None = None
) -> Any:
    from testcontainers.core.container import DockerContainer

    container = DockerContainer(image).with_exposed_ports(port)
    for key, value in (env or {}).items():
        container = container.with_env(key, value)
    if command:
        container = container.with_command(command)
    container.start()
    host = container.get_container_host_ip()
    _wait_port(host, int(container.get_exposed_port(port)))
    return container


def discover() -> Infra:
    infra = Infra(problems={}, containers=[])
    env = os.environ
    infra.postgres_url = env.get("EJ_POSTGRES_URL")
    infra.amqp_url = env.get("EJ_AMQP_URL")
    infra.redis_url = env.get("EJ_REDIS_URL")
    if env.get("EJ_S3_A_ENDPOINT") and env.get("EJ_S3_B_ENDPOINT"):
        infra.s3 = tuple(  # type: ignore[assignment]
            S3Endpoint(
                name,
                env[f"EJ_S3_{name.upper()}_ENDPOINT"],
                env.get(f"EJ_S3_{name.upper()}_ACCESS_KEY", ""),
                env.get(f"EJ_S3_{name.upper()}_SECRET_KEY", ""),
            )
            for name in ("a", "b")
        )
    missing = [
        k
        for k, v in {
            "postgres": infra.postgres_url,
            "rabbitmq": infra.amqp_url,
            "redis": infra.redis_url,
            "s3": infra.s3,
        }.items()
        if not v
    ]
    if missing and _docker_available():
        _start_containers(infra, missing)
    checks = {
        "postgres": (infra.postgres_url, 5432),
        "rabbitmq": (infra.amqp_url, 5672),
        "redis": (infra.redis_url, 6379),
    }
    assert infra.problems is not None
    for what, (url, port) in checks.items():
        if not url:
            infra.problems[what] = f"no {what}: set EJ_{_ENV[what]} or run Docker"
        elif problem := _reachable(url, port):
            infra.problems[what] = problem
    if not infra.s3:
        infra.problems["s3"] = (
            "no S3 stores: set EJ_S3_A_ENDPOINT and EJ_S3_B_ENDPOINT or run Docker"
        )
    else:
        for store in infra.s3:
            if problem := _reachable(
                store.endpoint if "://" in store.endpoint else f"http://{store.endpoint}", 80
            ):
                infra.problems["s3"] = f"store {store.name}: {problem}"
    return infra


_ENV = {"postgres": "POSTGRES_URL", "rabbitmq": "AMQP_URL", "redis": "REDIS_URL"}


def _start_containers(infra: Infra, missing: list[str]) -> None:
    assert infra.containers is not None
    if "postgres" in missing:
        c = _container("postgres:16", 5432, {"POSTGRES_HOST_AUTH_METHOD": "trust"})
        infra.containers.append(c)
        infra.postgres_url = (
            f"postgresql+asyncpg://postgres@{c.get_container_host_ip()}:{c.get_exposed_port(5432)}"
        )
    if "rabbitmq" in missing:
        c = _container("rabbitmq:3.13", 5672)
        infra.containers.append(c)
        infra.amqp_url = (
            f"amqp://guest:guest@{c.get_container_host_ip()}:{c.get_exposed_port(5672)}/"
        )
    if "redis" in missing:
        c = _container("redis:7", 6379)
        infra.containers.append(c)
        infra.redis_url = f"redis://{c.get_container_host_ip()}:{c.get_exposed_port(6379)}/0"
    if "s3" in missing:
        stores = []
        for name in ("a", "b"):
            key, secret = f"ej-store-{name}", f"ej-store-{name}-secret"
            c = _container(
                "minio/minio",
                9000,
                {"MINIO_ROOT_USER": key, "MINIO_ROOT_PASSWORD": secret},
                "server /data",
            )
            infra.containers.append(c)
            stores.append(
                S3Endpoint(
                    name,
                    f"http://{c.get_container_host_ip()}:{c.get_exposed_port(9000)}",
                    key,
                    secret,
                )
            )
        infra.s3 = (stores[0], stores[1])


def stop_containers(infra: Infra) -> None:
    for container in infra.containers or []:
        try:
            container.stop()
        except Exception:
            pass
