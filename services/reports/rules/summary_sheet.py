"""Сводная ведомость: the contract's formulas (CONTRACT.md "Reports", R-RPT-1, R-RPT-3), pure.

Functions of values only, no I/O: the use cases in `service/` read the facts and call these.
Everything is computed on exact fractions and rounded half up only at the end (Python's
`round` would round 4.125 to 4.12), so a sheet is the same whichever way it was computed.
What a mark means (the scale, passing and good, the one rounding rule of a suggested period
mark) is not the sheet's: it comes from `contracts.grading`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from contracts.grading import (
    GOOD,
    NUMERIC_PERIOD_MARKS,
    PASSING,
    PERIOD_MARK_VALUES,
    mark_for_mean,
    rounded,
)

SOU_POINTS = {"5": 100, "4": 64, "3": 36, "2": 16, "1": 0, "na": 7}
"""Степень обученности: points per period mark («1» counts in N and adds nothing)."""


def share(part: int, whole: int) -> Fraction | None:
    """part × 100 ÷ whole; None when there is nothing to divide by (never an error)."""
    return None if whole == 0 else Fraction(part * 100, whole)


Number = int | float | Fraction


def ratio_half_up(numerator: Number, denominator: Number, places: int) -> float | None:
    """numerator ÷ denominator rounded half up; integers (the usual weights) stay integers,
    which keeps a city's worth of cells fast, anything else goes through exact fractions."""
    if denominator == 0:
        return None
    if _integral(numerator) and _integral(denominator) and denominator > 0:
        scale: int = 10**places
        quotient, remainder = divmod(int(numerator) * scale, int(denominator))
        if 2 * remainder >= int(denominator):
            quotient += 1
        return quotient / scale
    return rounded(Fraction(numerator) / Fraction(denominator), places)


def _integral(value: Number) -> bool:
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return value.is_integer()
    return value.denominator == 1


@dataclass(frozen=True, slots=True)
class MarkTally:
    """Current marks of one cell: their count, Σ value, Σ value × weight and Σ weight."""

    count: int = 0
    total: Number = 0
    weighted_total: Number = 0
    weights: Number = 0

    @classmethod
    def of(cls, marks: Iterable[tuple[int, float]]) -> MarkTally:
        pairs = list(marks)
        return cls(
            len(pairs),
            sum(v for v, _ in pairs),
            sum(Fraction(v) * Fraction(w) for v, w in pairs),
            sum(Fraction(w) for _, w in pairs),
        )

    @property
    def average(self) -> float | None:
        """Mean of the current marks (cancelled excluded, corrected at the new value)."""
        return ratio_half_up(self.total, self.count, 2)

    @property
    def weighted_average(self) -> float | None:
        """Σ(mark × weight) ÷ Σ(weight)."""
        return ratio_half_up(self.weighted_total, self.weights, 2)

    @property
    def exact_weighted_average(self) -> Fraction | None:
        """Σ(mark × weight) ÷ Σ(weight), exact: what a suggestion is rounded from."""
        if self.weights == 0:
            return None
        return Fraction(self.weighted_total) / Fraction(self.weights)

    @property
    def suggested_period_mark(self) -> str | None:
        """R-RPT-4: the period mark these marks suggest, by `contracts.grading`'s one rule
        (the exact weighted mean, half up); None with no marks."""
        return mark_for_mean(self.exact_weighted_average)


@dataclass(frozen=True)
class SubjectCounts:
    """Period marks of one subject column, over the students enrolled at the period's end."""

    counts: dict[str, int]
    without_mark: int

    @classmethod
    def of(cls, marks: Iterable[str | None]) -> SubjectCounts:
        values = list(marks)
        present = Counter(v for v in values if v is not None)
        return cls({v: present.get(v, 0) for v in PERIOD_MARK_VALUES}, values.count(None))

    def __add__(self, other: SubjectCounts) -> SubjectCounts:
        return SubjectCounts(
            {v: self.counts[v] + other.counts[v] for v in PERIOD_MARK_VALUES},
            self.without_mark + other.without_mark,
        )

    @property
    def n(self) -> int:
        """N: enrolled at the period's end, less «ОСВ», less no period mark («н/а» stays)."""
        return sum(self.counts[v] for v in (*NUMERIC_PERIOD_MARKS, "na"))

    @property
    def performance(self) -> Fraction | None:
        """Успеваемость = (n5 + n4 + n3) × 100 ÷ N."""
        c = self.counts
        return share(c["5"] + c["4"] + c["3"], self.n)

    @property
    def quality(self) -> Fraction | None:
        """Качество знаний = (n5 + n4) × 100 ÷ N."""
        return share(self.counts["5"] + self.counts["4"], self.n)

    @property
    def sou(self) -> Fraction | None:
        """СОУ = (n5·100 + n4·64 + n3·36 + n2·16 + n_na·7) ÷ N."""
        if self.n == 0:
            return None
        return Fraction(sum(self.counts[v] * p for v, p in SOU_POINTS.items()), self.n)

    @property
    def average(self) -> Fraction | None:
        """Средний балл: mean of the numeric period marks."""
        numeric = sum(self.counts[v] for v in NUMERIC_PERIOD_MARKS)
        if numeric == 0:
            return None
        return Fraction(sum(int(v) * self.counts[v] for v in NUMERIC_PERIOD_MARKS), numeric)


@dataclass(frozen=True)
class StudentTotals:
    """The whole class: students whose every period mark passes (or is good)."""

    with_marks: int
    passing: int
    good: int

    @classmethod
    def of(cls, students: Iterable[Iterable[str]]) -> StudentTotals:
        with_marks = passing = good = 0
        for marks in students:
            values = set(marks)
            if not values:
                continue
            with_marks += 1
            passing += values <= PASSING
            good += values <= GOOD
        return cls(with_marks, passing, good)

    def __add__(self, other: StudentTotals) -> StudentTotals:
        return StudentTotals(
            self.with_marks + other.with_marks,
            self.passing + other.passing,
            self.good + other.good,
        )

    @property
    def performance(self) -> Fraction | None:
        return share(self.passing, self.with_marks)

    @property
    def quality(self) -> Fraction | None:
        return share(self.good, self.with_marks)
