"""A school's "today": the calendar date in the school's own time zone, as identity announced
it (`identity.school.registered`, `identity.school.updated`), at the use case's instant.
Reports never assume a zone."""

from __future__ import annotations

import datetime as dt

from kit.clock import known_zone
from kit.usecase import UseCase
from services.reports.repository import reads


async def today(uc: UseCase, school_id: str) -> dt.date:
    """The school's date now; 409 `school_not_known` (with `Retry-After`) while identity's
    registration of the school has not reached reports (the journal's facts may come first)."""
    school = await reads.school(uc.session, school_id)
    zone = known_zone(school.timezone if school else None, school_id=school_id, service="reports")
    return uc.today(zone)
