"""Settings shared by every service; each service subclasses `ServiceSettings`.

Everything comes from environment variables with the prefix `EJ_` (documented in
`deploy/README.md`). The embedded mode has safe defaults for everything; the distributed mode
refuses to start without the secrets and endpoints it needs, and refuses the well-known
default credentials (RabbitMQ's `guest:guest`, MinIO's `minioadmin`, this repository's local
store keys, placeholder passwords) on any host but this machine's loopback, naming the
variable to set. Loopback stays allowed: `make up` and CI run the infrastructure locally.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Mode(StrEnum):
    embedded = "embedded"
    distributed = "distributed"


PLACEHOLDER_SECRETS = frozenset(
    {"guest", "postgres", "password", "secret", "changeme", "change-me", "admin", "minioadmin"}
)
"""Passwords and keys that are a product's default or a documentation's example, never a
secret."""

DEFAULT_S3_KEYS = frozenset(
    {
        ("minioadmin", "minioadmin"),  # MinIO's root user
        ("ej-store-a", "ej-store-a-secret"),  # deploy/local/env.sh's SeaweedFS stores
        ("ej-store-b", "ej-store-b-secret"),
    }
)


def is_loopback(host: str | None) -> bool:
    """This machine only: `localhost`, 127.0.0.0/8, ::1, or no host (a local socket)."""
    if not host or host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def default_credentials_in_url(variable: str, url: str | None) -> str | None:
    """Why `url` (the value of `variable`) carries default credentials to another machine, or
    None when it does not (no password, a real one, or a loopback host)."""
    if not url:
        return None
    parts = urlsplit(url)
    password = unquote(parts.password) if parts.password is not None else None
    if password is None or is_loopback(parts.hostname):
        return None
    user = unquote(parts.username or "")
    if password.lower() in PLACEHOLDER_SECRETS:
        return (
            f"{variable} logs in to {parts.hostname} as {user}:{password}, a default or "
            f"placeholder password; create a user with a password of its own and set {variable}"
        )
    return None


def default_s3_keys(
    prefix: str, endpoint: str | None, access_key: str | None, secret_key: str | None
) -> str | None:
    """Why the S3 keys `{prefix}ACCESS_KEY` / `{prefix}SECRET_KEY` for `endpoint` are a
    default pair or a placeholder on another machine, or None."""
    if not endpoint or is_loopback(
        urlsplit(endpoint if "//" in endpoint else f"//{endpoint}").hostname
    ):
        return None
    access, secret = access_key or "", secret_key or ""
    if (access, secret) in DEFAULT_S3_KEYS or secret.lower() in PLACEHOLDER_SECRETS:
        return (
            f"{prefix}ACCESS_KEY / {prefix}SECRET_KEY are default or placeholder keys for "
            f"{endpoint}; create keys for the platform and set {prefix}ACCESS_KEY and "
            f"{prefix}SECRET_KEY"
        )
    return None


def refuse(problems: Iterable[str | None]) -> None:
    """Raise one error naming every variable to set, when there is any."""
    found = [p for p in problems if p]
    if found:
        raise ValueError("the distributed mode refuses default credentials: " + "; ".join(found))


class OutboxRelayMode(StrEnum):
    inline = "inline"
    """The API process publishes its own outbox (the embedded mode, tests)."""
    off = "off"
    """The API process publishes nothing: `python -m services.<name> relay` runs apart."""


class ServiceSettings(BaseSettings):
    """What every service process needs to know about its surroundings."""

    model_config = SettingsConfigDict(env_prefix="EJ_", extra="ignore")

    mode: Mode = Mode.embedded
    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = Path("var/embedded")
    log_level: str = "INFO"
    log_format: str = Field("json", description="json or console")

    # Databases: one per service. `database_url` wins when set (one process, one service);
    # otherwise the URL is `postgres_url` + `/` + `db_prefix` + service name.
    database_url: str | None = None
    postgres_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432"
    db_prefix: str = "ej_"

    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    exchange: str = "edu.events"
    queue_prefix: str = ""
    redis_url: str | None = None

    identity_url: str = "http://127.0.0.1:8000"
    public_url: str | None = None

    outbox_batch: int = 500
    outbox_relay: OutboxRelayMode = Field(
        OutboxRelayMode.inline,
        description="inline: the API process runs the outbox relay; off: a relay process does",
    )
    outbox_lease_s: float = Field(
        30.0, gt=0, description="how long a relay's claim on outbox rows holds if it dies"
    )
    outbox_poll_ms: int = Field(
        25, ge=1, description="`relay`: how long an idle relay process waits between passes"
    )
    workers: int = Field(1, ge=1, description="`serve`: uvicorn worker processes on the port")
    metrics_token: str | None = Field(
        None,
        description="the bearer token Prometheus sends to /<service>/metrics; unset: metrics off",
    )
    consumer_prefetch: int = 64
    consumer_max_attempts: int = 5
    retry_delays_ms: list[int] = [200, 1000, 5000, 30000]

    @model_validator(mode="after")
    def _distributed_needs_redis(self) -> ServiceSettings:
        if self.mode is Mode.distributed and not self.redis_url:
            self.redis_url = "redis://127.0.0.1:6379/0"
        return self

    @model_validator(mode="after")
    def _distributed_refuses_default_credentials(self) -> ServiceSettings:
        if self.mode is Mode.distributed:
            refuse(
                [
                    default_credentials_in_url("EJ_AMQP_URL", self.amqp_url),
                    default_credentials_in_url("EJ_POSTGRES_URL", self.postgres_url),
                    default_credentials_in_url("EJ_DATABASE_URL", self.database_url),
                    default_credentials_in_url("EJ_REDIS_URL", self.redis_url),
                ]
            )
        return self

    def database_url_for(self, service: str) -> str:
        if self.database_url:
            return self.database_url
        if self.mode is Mode.embedded:
            path = (self.data_dir / f"{service}.db").resolve()
            return f"sqlite+aiosqlite:///{path}"
        return f"{self.postgres_url.rstrip('/')}/{self.db_prefix}{service}"

    @property
    def base_url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"
