"""Rebuild a school's read model from the journal's export (`python -m services.reports
rebuild --school ID`).

The journal serves its current state as pages of event-shaped items,
`GET /journal/v1/schools/{school_id}/export?kind=&cursor=&limit=` →
`{"kind", "items": [{"type", "data", "sequence"?, "recorded_at"?}], "next_cursor"}`. The
rebuild deletes what the read model holds about the school (not people's names, which come
from identity, nor report jobs) and applies every item through the consumers' own code, in one
transaction: readers see the old model until the new one is complete. Events that arrive
meanwhile wait for it and then apply on top (items without a sequence count as the oldest).
An item's optional `sequence` and a mark's `recorded_at` (when it was entered) are honoured.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx

from kit.consumer import BatchConsumer
from kit.db import Database
from kit.events import Envelope
from services.reports import handlers
from services.reports.models import inbox
from services.reports.repository import facts
from services.reports.service.ingest import UNTIMED_SOURCE

KINDS = (
    "years",
    "periods",
    "subjects",
    "classes",
    "enrolments",
    "lessons",
    "marks",
    "attendance",
    "period_marks",
)
_VERSIONED = re.compile(r"\.v\d+$")


class RebuildFailed(Exception):
    """The journal's export could not be read; the read model was left as it was."""


def envelope_of(item: dict[str, Any], school_id: str) -> Envelope:
    """An export item as the envelope its event would have come in."""
    ce_type = str(item["type"])
    if not _VERSIONED.search(ce_type):
        ce_type = f"{ce_type}.v1"
    data = item["data"]
    entered = item.get("recorded_at") or data.get("recorded_at")
    return Envelope(
        source="/journal" if entered else UNTIMED_SOURCE,
        type=ce_type,
        schoolid=school_id,
        sequence=item.get("sequence"),
        time=dt.datetime.fromisoformat(entered) if entered else dt.datetime.now(dt.UTC),
        data=data,
    )


async def pages(
    client: httpx.AsyncClient, school_id: str, kind: str, limit: int
) -> AsyncIterator[list[dict[str, Any]]]:
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"kind": kind, "limit": limit}
        if cursor:
            params["cursor"] = cursor
        response = await client.get(f"/journal/v1/schools/{school_id}/export", params=params)
        if response.status_code != 200:
            raise RebuildFailed(
                f"the journal's export of {kind} answered {response.status_code}: "
                f"{response.text[:300]}"
            )
        body = response.json()
        yield list(body.get("items", []))
        cursor = body.get("next_cursor")
        if not cursor:
            return


async def rebuild_school(
    db: Database,
    client: httpx.AsyncClient,
    school_id: str,
    *,
    timezone: str,
    limit: int = 1000,
    on_page: Callable[[str, int], None] = lambda kind, count: None,
) -> dict[str, int]:
    """Replace the school's read model with the journal's export; returns items per kind."""
    consumer = BatchConsumer("reports", db, inbox)
    handlers.register(consumer, timezone)
    counts = dict.fromkeys(KINDS, 0)
    async with db.unit_of_work() as session:
        await facts.forget_school(session, school_id)
        for kind in KINDS:
            async for items in pages(client, school_id, kind, limit):
                await consumer.apply(session, [envelope_of(i, school_id) for i in items])
                counts[kind] += len(items)
                on_page(kind, counts[kind])
    return counts


def journal_client(base_url: str, token: str, timeout: float = 60.0) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base_url.rstrip("/"),
        headers={"Authorization": f"Bearer {token}"},
        timeout=timeout,
    )
