"""The journal's own `EJ_…` variables (the shared ones are in `kit.settings`)."""

from __future__ import annotations

from kit.settings import ServiceSettings


class JournalSettings(ServiceSettings):
    """The journal's own knobs; the regulation's windows are rules, not settings."""

    default_timezone: str = "Europe/Moscow"
