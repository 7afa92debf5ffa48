"""The schools' time zones, as identity announces them, and each school's "today" from them.

Identity owns a school's zone; the archive keeps a copy so that every date it judges by (is a
year running, is it over) is the date at the school, never the server's or UTC's. A school
whose registration has not reached the archive has no date here: a request that needs it is
refused with 409 `school_not_known` (`kit.clock.known_zone`), and the schedule skips the
school until its registration arrives. No zone is guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from contracts.identity import SchoolRegistered, SchoolUpdated
from kit.clock import known_zone
from kit.usecase import UseCase
from services.archive.repository import schools as school_rows

SERVICE = "the archive"


async def remember_timezone(
    uc: UseCase, event: SchoolRegistered | SchoolUpdated, sequence: int | None
) -> None:
    """Identity's word on a school's zone; the newer sequence wins."""
    await school_rows.save_timezone(uc.session, event.school_id, event.timezone, sequence)


async def todays(uc: UseCase, school_ids: Collection[str]) -> dict[str, dt.date]:
    """school id → the date at that school at the use case's instant, for the schools whose
    registration has arrived (the others are left out)."""
    zones = await school_rows.timezones(uc.session, school_ids)
    return {school_id: uc.today(zone) for school_id, zone in zones.items()}


async def today(uc: UseCase, school_id: str) -> dt.date:
    """The date at the school at the use case's instant; 409 `school_not_known` before
    identity's registration of the school arrives."""
    zones = await school_rows.timezones(uc.session, [school_id])
    return uc.today(known_zone(zones.get(school_id), school_id=school_id, service=SERVICE))
