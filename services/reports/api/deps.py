"""Request-scoped dependencies shared by the reports routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from kit.app import RuntimeDep
from services.reports.service.limits import ReportLimits
from services.reports.settings import ReportsSettings


def settings_of(runtime: RuntimeDep) -> ReportsSettings:
    settings = runtime.settings
    assert isinstance(settings, ReportsSettings)
    return settings


SettingsDep = Annotated[ReportsSettings, Depends(settings_of)]
"""The service's settings (thresholds, the public URL) from its runtime."""


def limits_of(request: Request) -> ReportLimits:
    return request.app.state.limits  # type: ignore[no-any-return]


LimitsDep = Annotated[ReportLimits, Depends(limits_of)]
"""The service's limits on expensive work (`service/limits.py`), made once in `app.py`."""
