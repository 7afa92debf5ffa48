"""The schools' time zones, as identity announces them, and each school's "today" from them.

Identity owns a school's zone; the archive keeps a copy so that every date it judges by (is a
year running, is it over) is the date at the school, never the server's or UTC's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from contracts.identity import SchoolRegistered
from kit.usecase import UseCase
from services.archive.repository import schools as school_rows
from services.archive.rules.schedule import UNHEARD_SCHOOL_ZONE


async def remember_timezone(uc: UseCase, event: SchoolRegistered) -> None:
    await school_rows.save_timezone(uc.session, event.school_id, event.timezone)


async def todays(uc: UseCase, school_ids: Collection[str]) -> dict[str, dt.date]:
    """school id → the date at that school at the use case's instant."""
    zones = await school_rows.timezones(uc.session, school_ids)
    return {s: uc.today(zones.get(s, UNHEARD_SCHOOL_ZONE)) for s in school_ids}


async def today(uc: UseCase, school_id: str) -> dt.date:
    """The date at the school at the use case's instant."""
    return (await todays(uc, [school_id]))[school_id]
