"""The summary sheet's formulas (CONTRACT.md "Reports", R-RPT-1, R-RPT-3, R-RPT-4), pure."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from services.reports.rules.summary_sheet import (
    MarkTally,
    StudentTotals,
    SubjectCounts,
    ratio_half_up,
    share,
)

weights = st.sampled_from([1, 2, 3, 0.5, 1.5, 2.5])
marks = st.lists(st.tuples(st.integers(1, 5), weights), max_size=30)


def test_cell_average_and_weighted_average_rounded_half_up_to_two_places_R_RPT_1() -> None:
    tally = MarkTally.of([(5, 1), (4, 2), (4, 3)])  # 13 / 3 and (5 + 8 + 12) / 6
    assert (tally.count, tally.average, tally.weighted_average) == (3, 4.33, 4.17)
    eight = [(4, 1)] * 7 + [(5, 1)]  # 33 / 8 = 4.125: half up, where round() gives 4.12
    assert MarkTally.of(eight).average == 4.13


def test_an_empty_cell_has_no_averages_R_RPT_1() -> None:
    tally = MarkTally.of([])
    assert (tally.count, tally.average, tally.weighted_average) == (0, None, None)
    assert tally.suggested_period_mark is None


@given(marks)
def test_integer_fast_path_equals_exact_fractions_R_RPT_1(pairs: list[tuple[int, float]]) -> None:
    tally = MarkTally.of(pairs)
    exact = tally.exact_weighted_average
    if exact is None:
        assert tally.weighted_average is None
        return
    assert tally.weighted_average == ratio_half_up(exact.numerator, exact.denominator, 2)


def test_subject_column_figures_follow_the_contract_R_RPT_3() -> None:
    # N = 7 (two «5», one «4», one «3», one «2», one «1», one «н/а»); «ОСВ» and no mark are out
    counts = SubjectCounts.of(["5", "5", "4", "3", "2", "1", "na", "osv", None])
    assert counts.n == 7
    assert counts.without_mark == 1
    assert counts.performance == Fraction(4 * 100, 7)
    assert counts.quality == Fraction(3 * 100, 7)
    assert counts.sou == Fraction(2 * 100 + 64 + 36 + 16 + 0 + 7, 7)
    assert counts.average == Fraction(5 + 5 + 4 + 3 + 2 + 1, 6)


def test_no_one_to_count_gives_null_not_an_error_R_RPT_3() -> None:
    counts = SubjectCounts.of(["osv", None])
    assert counts.n == 0
    assert (counts.performance, counts.quality, counts.sou, counts.average) == (
        None,
        None,
        None,
        None,
    )
    assert share(1, 0) is None


def test_counts_add_up_across_columns_R_RPT_3() -> None:
    a, b = SubjectCounts.of(["5", "na"]), SubjectCounts.of(["3", None, "osv"])
    total = a + b
    assert total.counts["5"] == total.counts["3"] == total.counts["na"] == 1
    assert (total.n, total.without_mark) == (3, 1)


def test_class_totals_count_students_whose_every_mark_passes_or_is_good_R_RPT_3() -> None:
    totals = StudentTotals.of([["5", "4"], ["5", "osv"], ["3", "5"], ["2", "5"], ["na"], []])
    assert (totals.with_marks, totals.passing, totals.good) == (5, 3, 2)
    assert totals.performance == Fraction(300, 5)
    assert totals.quality == Fraction(200, 5)
    assert (totals + totals).with_marks == 10
    assert StudentTotals.of([]).performance is None


def test_ratio_half_up_rounds_halves_away_from_zero() -> None:
    assert ratio_half_up(33, 8, 2) == 4.13  # 4.125
    assert ratio_half_up(1, 3, 1) == 0.3
    assert ratio_half_up(2, 3, 1) == 0.7
    assert ratio_half_up(1, 0, 1) is None
    assert ratio_half_up(0.3, 0.2, 2) == 1.5


def test_a_tally_suggests_the_exact_mean_half_up_R_RPT_4() -> None:
    assert MarkTally.of([(5, 1), (3, 3)]).suggested_period_mark == "4"  # 3.5
    assert MarkTally.of([(4, 993), (3, 1007)]).suggested_period_mark == "3"  # 3.4965
