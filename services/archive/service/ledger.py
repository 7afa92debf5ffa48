"""The archive's own ledger of the journal: every journal event, once, with its year.

The archive does not read the journal's tables (no service does): it keeps its own
append-only copy of what the journal published, so a package can be built at any time, by
the archive alone, and says exactly what the journal said (R-ARC-1, R-ARC-6).
"""

from __future__ import annotations

import inspect
import json
from typing import Any

import contracts.journal
from contracts.journal import YearClosed, YearOpened
from kit.events import Envelope, Event
from kit.logging import get_logger
from kit.usecase import UseCase
from services.archive.repository import ledger as ledger_rows
from services.archive.repository import years as year_rows

log = get_logger(__name__)

YEAR_REFERENCES = ("class_id", "lesson_id", "mark_id", "entity_id")
"""Fields naming an object whose year an entry shares, in order of preference."""

YEAR_CLOSED_FLAG = "archive_year_closed"
"""Set on the session when a year closed, so the schedule wakes once the commit is done."""


def journal_events() -> list[type[Event]]:
    """Every event model of contracts/journal.py: the ledger keeps them all."""
    return [
        model
        for model in vars(contracts.journal).values()
        if inspect.isclass(model)
        and issubclass(model, Event)
        and "event_type" in model.__dict__
        and model.__module__ == contracts.journal.__name__
    ]


async def _year_of(
    uc: UseCase, school_id: str, data: dict[str, Any]
) -> tuple[str | None, str | None]:
    """(year_id, year_ref): the year itself when the event names it, else the object it names."""
    if data.get("year_id"):
        return str(data["year_id"]), None
    for field in YEAR_REFERENCES:
        if data.get(field):
            ref = str(data[field])
            return await ledger_rows.year_of_subject(uc.session, school_id, ref), ref
    return None, None


async def record(uc: UseCase, event: Event, envelope: Envelope) -> None:
    """Append a journal event to the ledger (the inbox already made redeliveries harmless)."""
    school_id = envelope.schoolid or envelope.data.get("school_id")
    if not school_id:
        log.warning("ledger_event_without_school", event_id=envelope.id, type=envelope.type)
        return
    if isinstance(event, YearOpened):
        await year_rows.save_year(
            uc.session,
            {
                "id": event.year_id,
                "school_id": event.school_id,
                "name": event.name,
                "starts_on": event.starts_on,
                "ends_on": event.ends_on,
            },
        )
    if isinstance(event, YearClosed):
        await year_rows.close_year(
            uc.session, event.school_id, event.year_id, event.closed_on, envelope.time
        )
        uc.session.info[YEAR_CLOSED_FLAG] = True
    year_id, year_ref = await _year_of(uc, school_id, envelope.data)
    await ledger_rows.add_entry(
        uc.session,
        {
            "event_id": envelope.id,
            "school_id": school_id,
            "event_type": envelope.type,
            "occurred_at": envelope.time,
            "subject": envelope.subject,
            "actor_id": envelope.actorid,
            "data": json.dumps(envelope.data, ensure_ascii=False, sort_keys=True),
            "year_id": year_id,
            "year_ref": year_ref,
            "recorded_at": uc.now,
        },
    )
