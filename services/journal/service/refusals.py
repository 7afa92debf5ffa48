"""A pure rule's refusal (`services.journal.rules`) raised as the domain exception of its kind,
and the year's two refusals every writing use case asks (R-YR-1, R-YR-2)."""

from __future__ import annotations

import datetime as dt

from kit.errors import Conflict, Invalid
from services.journal.models import SchoolYear
from services.journal.rules import school_year
from services.journal.rules.refusal import Refusal


def enforce(*refusals: Refusal | None) -> None:
    """Raise the first refusal as the domain exception of its kind, with its code: 409 for a
    conflict, 422 for an invalid request."""
    for refusal in refusals:
        if refusal is None:
            continue
        error = Conflict if refusal.kind == "conflict" else Invalid
        raise error(refusal.detail, code=refusal.code, **refusal.extra)


def open_year(year: SchoolYear) -> None:
    """R-YR-2: a closed year's records are kept as they are."""
    enforce(school_year.closed_refusal(year))


def inside_year(year: SchoolYear, *days: dt.date) -> None:
    """R-YR-1: the days fall inside the year."""
    enforce(school_year.outside_refusal(year, *days))
