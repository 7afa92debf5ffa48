from __future__ import annotations

from kit.settings import ServiceSettings


class NotifySettings(ServiceSettings):
    smtp_host: str | None = None
    smtp_port: int = 25
    mail_from: str = "journal@school.local"
