"""Rebuild a school's read model from the journal's export (`python -m services.reports
rebuild --school ID`).

The journal serves its current state as pages of event-shaped items,
`GET /journal/v1/schools/{school_id}/export?kind=&cursor=&limit=`, in the format both sides
import from `contracts.journal` (`ExportPage`, `ExportItem`). The rebuild deletes what the read
model holds about the school (not people's names, which come from identity, nor report jobs)
and applies every item through the consumers' own code, in one transaction: readers see the
old model until the new one is complete. Events that arrive meanwhile wait for it and then
apply on top (items without a sequence count as the oldest). An item's data is its event's,
so a mark keeps the lateness and the time of entry the journal recorded.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
from pydantic import ValidationError

from contracts.journal import EXPORT_KINDS, ExportItem, ExportKind, ExportPage
from kit.consumer import BatchConsumer
from kit.db import Database
from kit.events import Envelope
from services.reports import handlers
from services.reports.models import inbox
from services.reports.repository import facts

_VERSIONED = re.compile(r"\.v\d+$")


class RebuildFailed(Exception):
    """The journal's export could not be read; the read model was left as it was."""


def envelope_of(item: ExportItem, school_id: str) -> Envelope:
    """An export item as the envelope its event would have come in."""
    ce_type = item.type if _VERSIONED.search(item.type) else f"{item.type}.v1"
    return Envelope(
        source="/journal",
        type=ce_type,
        schoolid=school_id,
        sequence=item.sequence,
        data=item.data,
    )


async def pages(
    client: httpx.AsyncClient, school_id: str, kind: ExportKind, limit: int
) -> AsyncIterator[list[ExportItem]]:
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
        try:
            page = ExportPage.model_validate_json(response.content)
        except ValidationError as exc:
            raise RebuildFailed(
                f"the journal's export of {kind} is not an export page: {exc}"
            ) from exc
        if page.kind != kind:
            raise RebuildFailed(f"asked the journal for {kind}, it answered {page.kind}")
        yield page.items
        cursor = page.next_cursor
        if not cursor:
            return


async def rebuild_school(
    db: Database,
    client: httpx.AsyncClient,
    school_id: str,
    *,
    limit: int = 1000,
    on_page: Callable[[str, int], None] = lambda kind, count: None,
) -> dict[str, int]:
    """Replace the school's read model with the journal's export; returns items per kind."""
    consumer = BatchConsumer("reports", db, inbox)
    handlers.register(consumer)
    counts = dict.fromkeys(EXPORT_KINDS, 0)
    async with db.unit_of_work() as session:
        await facts.forget_school(session, school_id)
        for kind in EXPORT_KINDS:
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
