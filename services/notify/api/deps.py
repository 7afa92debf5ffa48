"""Dependencies shared by notify's routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from kit.clock import Clock


def _clock(request: Request) -> Clock:
    return request.app.state.clock  # type: ignore[no-any-return]


ClockDep = Annotated[Clock, Depends(_clock)]
"""The service's clock (`app.state.clock`): tests set a `FixedClock` there."""
