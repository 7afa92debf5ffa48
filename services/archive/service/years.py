"""The school years the archive heard of (what a run can be asked for)."""

from __future__ import annotations

from kit.usecase import UseCase
from services.archive.models import SchoolYear
from services.archive.repository import years as year_rows


async def known(uc: UseCase, scope: str | None) -> list[SchoolYear]:
    """The years of the school in `scope` (of every school: None)."""
    return await year_rows.years(uc.session, scope)
