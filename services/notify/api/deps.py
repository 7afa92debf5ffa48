"""Request-scoped dependencies shared by notify's routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.notify.service.limits import NotifyLimits


def limits_of(request: Request) -> NotifyLimits:
    return request.app.state.limits  # type: ignore[no-any-return]


LimitsDep = Annotated[NotifyLimits, Depends(limits_of)]
"""The service's limits on noisy work (`service/limits.py`), made once in `app.py`."""
