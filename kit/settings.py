"""Settings shared by every service; each service subclasses `ServiceSettings`.

Everything comes from environment variables with the prefix `EJ_` (documented in
`deploy/README.md`). The embedded mode has safe defaults for everything; the distributed mode
refuses to start without the secrets and endpoints it needs.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Mode(StrEnum):
    embedded = "embedded"
    distributed = "distributed"


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
    consumer_prefetch: int = 64
    consumer_max_attempts: int = 5
    retry_delays_ms: list[int] = [200, 1000, 5000, 30000]

    @model_validator(mode="after")
    def _distributed_needs_redis(self) -> ServiceSettings:
        if self.mode is Mode.distributed and not self.redis_url:
            self.redis_url = "redis://127.0.0.1:6379/0"
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
