"""The identity service's own `EJ_…` variables (documented in docs/identity.md)."""

from __future__ import annotations

from pydantic import Field, model_validator

from kit.settings import Mode, ServiceSettings
from services.identity.adapters import passwords

EMBEDDED_KEY_SECRET = "embedded-mode-signing-key-secret-not-for-production"
"""The embedded mode keeps its SQLite file on the operator's own machine: a fixed secret is
enough there. The distributed mode refuses to start without a real one."""


class IdentitySettings(ServiceSettings):
    identity_key_secret: str | None = Field(
        None, description="encrypts the private signing keys at rest (≥ 32 characters)"
    )
    access_token_ttl_seconds: int = Field(900, ge=60, le=900)
    refresh_token_ttl_days: int = Field(
        30,
        ge=1,
        le=180,
        description="each refresh starts it again: one login serves every school day after it",
    )
    key_activation_delay_seconds: int = Field(
        60, ge=0, description="a rotated key is published this long before it starts signing"
    )

    # OWASP's argon2id configuration (m=19 MiB, t=2, p=1): adapters/passwords.py says why
    argon2_time_cost: int = Field(passwords.TIME_COST, ge=1)
    argon2_memory_kib: int = Field(passwords.MEMORY_KIB, ge=1024)
    argon2_parallelism: int = Field(passwords.PARALLELISM, ge=1)

    login_failures_before_lock: int = Field(5, ge=1)
    login_lock_seconds: int = Field(30, ge=1)
    login_lock_max_seconds: int = Field(300, ge=1)
    login_failure_window_seconds: int = Field(900, ge=60)
    address_failures_limit: int = Field(30, ge=1)
    address_window_seconds: int = Field(600, ge=10)
    # none by default: a peer's X-Forwarded-For is believed only when the deployment names
    # the proxy in front (deploy/local/services.sh names the gateway); see docs/security.md
    deny_list_check_seconds: float = Field(
        10.0,
        gt=0,
        description="how often identity checks that Redis still holds the deny-list, and "
        "writes it again from the database when it does not",
    )
    trusted_proxies: list[str] = Field(
        [],
        description="peers whose X-Forwarded-For names the client (the gateway, an ingress)",
    )

    @model_validator(mode="after")
    def _key_secret_for_the_mode(self) -> IdentitySettings:
        if self.identity_key_secret is None:
            if self.mode is Mode.distributed:
                raise ValueError("EJ_IDENTITY_KEY_SECRET is required in the distributed mode")
            self.identity_key_secret = EMBEDDED_KEY_SECRET
        elif self.mode is Mode.distributed and (
            len(self.identity_key_secret) < 32 or self.identity_key_secret == EMBEDDED_KEY_SECRET
        ):
            raise ValueError("EJ_IDENTITY_KEY_SECRET must be a real secret of ≥ 32 characters")
        return self

    @property
    def key_secret(self) -> str:
        assert self.identity_key_secret is not None
        return self.identity_key_secret
