"""A school's "today": the calendar date in the school's own time zone, as identity announced
it (`identity.school.registered`), at the use case's instant. Reports never assume a zone."""

from __future__ import annotations

import datetime as dt

from kit.errors import NotFound
from kit.usecase import UseCase
from services.reports.repository import reads


async def today(uc: UseCase, school_id: str) -> dt.date:
    """The school's date now; 404 `school_not_found` while identity's registration of the
    school has not reached this service (its zone, and so its date, are unknown)."""
    school = await reads.school(uc.session, school_id)
    if school is None:
        raise NotFound("school not found", code="school_not_found")
    return uc.today(school.timezone)
