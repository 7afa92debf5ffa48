"""Request-scoped dependencies shared by the reports routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from kit.app import RuntimeDep
from services.reports.settings import ReportsSettings


def settings_of(runtime: RuntimeDep) -> ReportsSettings:
    settings = runtime.settings
    assert isinstance(settings, ReportsSettings)
    return settings


SettingsDep = Annotated[ReportsSettings, Depends(settings_of)]
"""The service's settings (thresholds, the public URL) from its runtime."""
