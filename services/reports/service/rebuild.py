"""Rebuild a school's read model from the journal's export (`python -m services.reports
rebuild --school ID`, driven by `cli.py`).

The rebuild deletes what the read model holds about the school (not people's names, which
come from identity, nor report jobs) and applies every item of the export through the
consumers' own code, in the one unit of work the command opens: readers see the old model
until the new one is complete, and an export that cannot be read changes nothing. Events
that arrive meanwhile wait for it and then apply on top (items without a sequence count as
the oldest). A mark keeps the lateness and the time of entry the journal recorded.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.journal import EXPORT_KINDS
from kit.events import Envelope
from kit.usecase import UseCase
from services.reports.adapters import journal_export
from services.reports.repository import facts

Apply = Callable[[AsyncSession, Sequence[Envelope]], Awaitable[None]]
"""The consumers' own code, applied inside the caller's unit of work (`BatchConsumer.apply`)."""


async def rebuild_school(
    uc: UseCase,
    journal: httpx.AsyncClient,
    apply: Apply,
    school_id: str,
    *,
    limit: int = 1000,
    on_page: Callable[[str, int], None] = lambda kind, count: None,
) -> dict[str, int]:
    """Replace the school's read model with the journal's export; returns items per kind.
    Raises `journal_export.ExportUnreadable` (the edge rolls everything back)."""
    counts: dict[str, int] = dict.fromkeys(EXPORT_KINDS, 0)
    await facts.forget_school(uc.session, school_id)
    for kind in EXPORT_KINDS:
        async for envelopes in journal_export.pages(journal, school_id, kind, limit):
            await apply(uc.session, envelopes)
            counts[kind] += len(envelopes)
            on_page(kind, counts[kind])
    return counts
