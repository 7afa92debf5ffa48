"""What people read on printed reports: Russian labels and number formats (R-MRK-9)."""

from __future__ import annotations

import datetime as dt

from contracts.grading import NOT_CERTIFIED, NUMERIC_PERIOD_MARKS, RELEASED, period_mark_label
from services.reports.models import Period

COUNTED_MARKS = (*NUMERIC_PERIOD_MARKS, NOT_CERTIFIED, RELEASED)
"""The period marks a printed table counts, in the order of its columns: 5…1, н/а, ОСВ."""
COUNTED_MARK_HEADS = tuple(period_mark_label(value) for value in COUNTED_MARKS)


def mark_counts(counts: dict[str, int]) -> list[int]:
    """How many of each period mark, in the order of `COUNTED_MARK_HEADS`."""
    return [counts[value] for value in COUNTED_MARKS]


PERIOD_KINDS = {"quarter": "четверть", "trimester": "триместр", "half": "полугодие", "year": "год"}


def period_label(period: Period, year_name: str | None) -> str:
    """«2 четверть 2026/2027 уч. г. (01.11.2026 – 27.12.2026)»."""
    kind = PERIOD_KINDS.get(period.kind, period.kind)
    head = "Учебный год" if period.kind == "year" else f"{period.number} {kind}"
    year = f" {year_name} уч. г." if year_name else ""
    return f"{head}{year} ({day(period.starts_on)} – {day(period.ends_on)})"


def day(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")


def number(value: float | None, places: int = 2) -> str:
    """4.25 → «4,25»; nothing → empty."""
    if value is None:
        return ""
    return f"{value:.{places}f}".replace(".", ",")


def period_mark(value: str | None) -> str:
    """«ОСВ», «н/а» or the mark itself, as `contracts.grading` words it everywhere."""
    return period_mark_label(value)


def chunks(items: list[str], size: int) -> list[list[str]]:
    """Subject columns split into groups that fit a page or a sheet."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]
