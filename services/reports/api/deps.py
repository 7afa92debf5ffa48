"""Request-scoped helpers shared by the reports routers."""

from __future__ import annotations

from fastapi import Request

from kit.clock import Clock
from kit.runtime import Runtime
from services.reports.settings import ReportsSettings


def clock_of(request: Request) -> Clock:
    """The app's clock (tests put a FixedClock on `app.state.clock`)."""
    clock = getattr(request.app.state, "clock", None)
    return clock if isinstance(clock, Clock) else Clock()


def settings_of(runtime: Runtime) -> ReportsSettings:
    settings = runtime.settings
    assert isinstance(settings, ReportsSettings)
    return settings
