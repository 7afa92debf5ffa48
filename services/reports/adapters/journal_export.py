"""The journal's export over HTTP, read by the rebuild (`service/rebuild.py`).

The journal serves its current state as pages of event-shaped items,
`GET /journal/v1/schools/{school_id}/export?kind=&cursor=&limit=`, in the format both sides
import from `contracts.journal` (`ExportPage`, `ExportItem`). An item's data is its event's,
so an item becomes the envelope its event would have come in.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
from pydantic import ValidationError

from contracts.journal import ExportItem, ExportKind, ExportPage
from kit.events import Envelope

_VERSIONED = re.compile(r"\.v\d+$")


class ExportUnreadable(Exception):
    """The journal's export could not be read (refused, or not in the export's page format)."""


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
) -> AsyncIterator[list[Envelope]]:
    """The export of one kind, page by page, each item as its event's envelope."""
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"kind": kind, "limit": limit}
        if cursor:
            params["cursor"] = cursor
        response = await client.get(f"/journal/v1/schools/{school_id}/export", params=params)
        if response.status_code != 200:
            raise ExportUnreadable(
                f"the journal's export of {kind} answered {response.status_code}: "
                f"{response.text[:300]}"
            )
        try:
            page = ExportPage.model_validate_json(response.content)
        except ValidationError as exc:
            raise ExportUnreadable(
                f"the journal's export of {kind} is not an export page: {exc}"
            ) from exc
        if page.kind != kind:
            raise ExportUnreadable(f"asked the journal for {kind}, it answered {page.kind}")
        yield [envelope_of(item, school_id) for item in page.items]
        cursor = page.next_cursor
        if not cursor:
            return


def journal_client(base_url: str, token: str, timeout: float = 60.0) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base_url.rstrip("/"),
        headers={"Authorization": f"Bearer {token}"},
        timeout=timeout,
    )
