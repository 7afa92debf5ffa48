"""Notify's own `EJ_…` variables: the SMTP relay, digests, the sender and the dispatcher."""

from __future__ import annotations

from pydantic import Field

from kit.settings import ServiceSettings


class NotifySettings(ServiceSettings):
    # E-mail. No `smtp_host` means e-mails wait as pending rows until one is configured;
    # the service stays ready (SMTP is not a readiness check: the API works without it).
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool | None = Field(
        None, description="None: upgrade when the server offers STARTTLS"
    )
    smtp_timeout_seconds: float = 10.0
    mail_from: str = "journal@school.local"
    mail_from_name: str = "Электронный журнал"
    mail_batch: int = 50
    mail_tick_seconds: float = 5.0
    mail_retry_delays_ms: list[int] = [1000, 5000, 30000, 120000, 600000]
    mail_max_attempts: int = Field(
        8, description="for messages the server refuses (5xx); an unreachable server never fails"
    )

    # Digests (R-REC-2): collected notices go out once a day or once a week, at this hour in
    # each school's own time zone (identity.school.registered).
    digest_hour: int = Field(18, ge=0, le=23)
    digest_weekday: int = Field(6, ge=0, le=6, description="0 = Monday … 6 = Sunday")

    # Webhooks for integrators.
    webhook_tick_seconds: float = 2.0
    webhook_batch: int = 20
    webhook_timeout_seconds: float = 10.0
    webhook_retry_delays_ms: list[int] = [1000, 5000, 30000, 120000, 600000, 1800000]
    webhook_max_attempts: int = 8

    # Limits on internal mail per sender (429 with Retry-After past them; 0 turns one off).
    messages_per_sender_minute: int = Field(
        10, ge=0, description="letters a sender sends in a minute"
    )
    messages_per_sender_day: int = Field(100, ge=0, description="letters a sender sends in a day")
