"""Who belongs to a class on a given day, from the history of enrolment changes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

_ORDER = {"enrolled": 0, "left": 1, "promoted": 1}


@dataclass
class Membership:
    """One student's history in one class: (date, seq, change), oldest first."""

    changes: list[tuple[dt.date, int, int, str]] = field(default_factory=list)

    def add(self, date: dt.date, seq: int, change: str) -> None:
        self.changes.append((date, seq, _ORDER.get(change, 1), change))
        self.changes.sort()

    def at(self, day: dt.date) -> bool:
        """Enrolled at the end of `day`: the last change up to that day was an enrolment."""
        state = False
        for date, _, _, change in self.changes:
            if date > day:
                break
            state = change == "enrolled"
        return state

    def during(self, starts_on: dt.date, ends_on: dt.date) -> bool:
        """Enrolled at some moment of the span."""
        if self.at(starts_on):
            return True
        return any(
            starts_on < date <= ends_on and change == "enrolled"
            for date, _, _, change in self.changes
        )


def memberships(rows: Iterable[Any]) -> dict[str, dict[str, Membership]]:
    """{class_id: {student_id: Membership}} from enrolment rows."""
    found: dict[str, dict[str, Membership]] = defaultdict(dict)
    for row in rows:
        per_class = found[row.class_id]
        membership = per_class.get(row.student_id)
        if membership is None:
            membership = per_class[row.student_id] = Membership()
        membership.add(row.date, row.seq, row.change)
    return found
