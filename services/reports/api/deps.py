"""Request-scoped helpers shared by the reports routers."""

from __future__ import annotations

from kit.app import clock_of
from kit.runtime import Runtime
from services.reports.settings import ReportsSettings

__all__ = ["clock_of", "settings_of"]


def settings_of(runtime: Runtime) -> ReportsSettings:
    settings = runtime.settings
    assert isinstance(settings, ReportsSettings)
    return settings
