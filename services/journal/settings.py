from __future__ import annotations

from kit.settings import ServiceSettings


class JournalSettings(ServiceSettings):
    """The journal's own knobs; the regulation's windows are rules, not settings."""

    default_timezone: str = "Europe/Moscow"
    default_homework_limit_minutes: int = 120
    export_max_limit: int = 5000
