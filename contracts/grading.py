"""The grading semantics every service shares (R-MRK-1, R-MRK-7, R-RPT-3, R-RPT-4, R-MRK-9).

Not a decision of any one service but the language they all speak: the mark scale, the
period-mark values, which of them pass and which are good, the Russian labels people read,
the exact weighted mean of a set of marks and the one rounding rule that turns it into a
suggested period mark. The journal suggests period marks to teachers, reports shows them on
preliminary reports, notify names marks in its notices: all of them import this module, so
the same marks give the same answer everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Final, Literal, get_args

LOWEST_MARK: Final = 1
HIGHEST_MARK: Final = 5
MARK_SCALE: Final = tuple(range(LOWEST_MARK, HIGHEST_MARK + 1))
"""R-MRK-1: current marks are whole numbers 1–5 (the Russian scale)."""

PeriodMarkValue = Literal["5", "4", "3", "2", "1", "osv", "na"]
"""R-MRK-1: a period mark is a mark of the scale, «ОСВ» (osv) or «н/а» (na)."""

PERIOD_MARK_VALUES: Final[tuple[str, ...]] = get_args(PeriodMarkValue)
NUMERIC_PERIOD_MARKS: Final = ("5", "4", "3", "2", "1")
RELEASED: Final = "osv"
"""«ОСВ»: released from the subject (or mastered it): passing and good, outside N."""
NOT_CERTIFIED: Final = "na"
"""«н/а»: not certified: neither passing nor good, counted in N."""

PASSING: Final = frozenset({"5", "4", "3", RELEASED})
"""Успевает: a period mark of 3, 4, 5 or «ОСВ»."""
GOOD: Final = frozenset({"5", "4", RELEASED})
"""На «4» и «5» (качество знаний): a period mark of 4, 5 or «ОСВ»."""

PERIOD_MARK_LABELS: Final[dict[str, str]] = {
    **{value: value for value in NUMERIC_PERIOD_MARKS},
    RELEASED: "ОСВ",
    NOT_CERTIFIED: "н/а",
}
"""What people read for a period mark (R-MRK-9: records are shown in Russian)."""

Weight = int | float | Fraction | Decimal
"""A mark's weight (from the mark or its work type); a float counts at its exact value."""


def period_mark_label(value: str | int | None) -> str:
    """«5» for 5 or "5", «ОСВ» for osv, «н/а» for na, nothing for no mark; an unknown value is
    shown as it is rather than hidden."""
    if value is None:
        return ""
    text = str(value)
    return PERIOD_MARK_LABELS.get(text, text)


def is_passing(value: str | None) -> bool:
    """Успевает: 3, 4, 5 or «ОСВ»."""
    return value in PASSING


def is_good(value: str | None) -> bool:
    """Качество знаний: 4, 5 or «ОСВ»."""
    return value in GOOD


def weighted_mean(marks: Iterable[tuple[int, Weight]]) -> Fraction | None:
    """Σ value·weight ÷ Σ weight, exact (fractions, nothing rounded); None with no marks or
    when the weights sum to nothing."""
    weighted = total = Fraction(0)
    for value, weight in marks:
        w = Fraction(weight)
        weighted += value * w
        total += w
    if total == 0:
        return None
    return weighted / total


def mark_for_mean(mean: Fraction | None) -> str | None:
    """The one rounding rule: an exact mean rounded half up to a whole mark of the scale
    (3.5 → «4», 3.4965 → «3»); None for no mean."""
    if mean is None:
        return None
    whole = math.floor(mean)
    if mean - whole >= Fraction(1, 2):
        whole += 1
    return str(min(HIGHEST_MARK, max(LOWEST_MARK, whole)))


def suggested_period_mark(marks: Iterable[tuple[int, Weight]]) -> str | None:
    """R-MRK-7, R-RPT-4: the period mark a set of (value, weight) marks suggests, or None with
    no marks.

    The rule, the only one: take the exact weighted mean Σ value·weight ÷ Σ weight, computed
    with fractions (never a float, never a mean rounded to two places first), and round it
    half up to a whole mark. A suggestion is shown, never set automatically.
    """
    return mark_for_mean(weighted_mean(marks))


def rounded(value: Fraction | None, places: int) -> float | None:
    """An exact figure rounded half up for display (4.125 → 4.13; Python's `round` would give
    4.12). Only for showing: suggestions come from the exact mean, never from this."""
    if value is None:
        return None
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
