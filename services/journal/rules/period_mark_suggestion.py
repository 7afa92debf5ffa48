"""R-MRK-7: the period mark the journal suggests to the subject teacher, never sets.

The figure and the rounding are `contracts.grading`'s, shared with reports' preliminary
report (R-RPT-4), so a teacher and a class teacher see the same suggestion for the same marks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from contracts import grading


@dataclass(frozen=True)
class Suggestion:
    """A student's period so far: how many marks, their weighted average shown to two places,
    and the period mark the exact weighted mean suggests (None with no marks)."""

    count: int
    weighted_average: float | None
    suggested: str | None


def suggest(marks: Sequence[tuple[int, grading.Weight]]) -> Suggestion:
    """The suggestion comes from the exact mean (`grading.suggested_period_mark`), never from
    the two-place figure: 3.4965 shows as 3.5 and suggests «3»."""
    return Suggestion(
        count=len(marks),
        weighted_average=grading.rounded(grading.weighted_mean(marks), 2),
        suggested=grading.suggested_period_mark(marks),
    )
