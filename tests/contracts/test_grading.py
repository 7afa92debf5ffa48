"""`contracts.grading`: one scale, one set of labels, one rounding rule for every service.

The journal suggests a period mark to the subject teacher (R-MRK-7), reports shows one on the
class teacher's preliminary report (R-RPT-4): for the same marks they must say the same. They
used to differ (the journal rounded the mean to two places, then half up; reports rounded
the exact mean once): a mean of 3.4965 gave «4» in one and «3» in the other.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from contracts import grading
from services.journal.rules import period_mark_suggestion
from services.reports.rules.summary_sheet import MarkTally
from services.reports.service import watch

# The default weights, a school's own halves, and weights that are not exact in binary.
weights = st.one_of(
    st.sampled_from([1, 2, 3]),
    st.sampled_from([0.5, 1.5, 2.5, 0.25]),
    st.sampled_from([0.1, 0.3, 1.2]),
    st.integers(1, 2000),
)
marks = st.lists(st.tuples(st.integers(1, 5), weights), max_size=40)

AT_3_4965 = [(4, 993), (3, 1007)]
"""(4·993 + 3·1007) ÷ 2000 = 6993 / 2000 = 3.4965 exactly."""


def journal_suggestion(pairs: list[tuple[int, grading.Weight]]) -> str | None:
    """What the journal answers on GET /period-marks/suggestions."""
    return period_mark_suggestion.suggest(pairs).suggested


def reports_suggestion(pairs: list[tuple[int, grading.Weight]]) -> str | None:
    """What reports shows on the preliminary report («н/а» there means no suggestion)."""
    mark = watch.suggestions(["s"], {"s": MarkTally.of(pairs)})["s"].mark
    return None if mark == grading.NOT_CERTIFIED else mark


def test_a_mean_of_3_4965_suggests_3_in_the_journal_and_in_reports_R_MRK_7_R_RPT_4() -> None:
    assert grading.weighted_mean(AT_3_4965) == Fraction(6993, 2000)
    assert grading.suggested_period_mark(AT_3_4965) == "3"
    assert journal_suggestion(AT_3_4965) == reports_suggestion(AT_3_4965) == "3"
    # shown to two places it reads 3.5, yet the suggestion is never rounded from the display
    assert period_mark_suggestion.suggest(AT_3_4965).weighted_average == 3.5


@given(marks)
def test_journal_and_reports_suggest_the_same_period_mark_R_MRK_7_R_RPT_4(
    pairs: list[tuple[int, grading.Weight]],
) -> None:
    expected = grading.suggested_period_mark(pairs)
    assert journal_suggestion(pairs) == expected
    assert reports_suggestion(pairs) == expected


@given(marks)
def test_the_suggestion_is_the_exact_mean_rounded_half_up_once_R_MRK_7(
    pairs: list[tuple[int, grading.Weight]],
) -> None:
    suggested = grading.suggested_period_mark(pairs)
    if not pairs:
        assert suggested is None
        return
    mean = sum(Fraction(v) * Fraction(w) for v, w in pairs) / sum(Fraction(w) for _, w in pairs)
    exact = Decimal(mean.numerator) / Decimal(mean.denominator)
    assert suggested == str(int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)))
    assert suggested in {str(m) for m in grading.MARK_SCALE}


def test_halves_round_up_and_below_half_rounds_down_R_MRK_7() -> None:
    assert grading.suggested_period_mark([(5, 1), (4, 1)]) == "5"  # 4.5
    assert grading.suggested_period_mark([(3, 1), (2, 1)]) == "3"  # 2.5
    assert grading.suggested_period_mark([(5, 1), (3, 3)]) == "4"  # 3.5
    assert grading.suggested_period_mark([(5, 1), (1, 1), (1, 1)]) == "2"  # 2.33
    assert grading.suggested_period_mark([(5, 2)]) == "5"
    assert grading.suggested_period_mark([(1, 1)]) == "1"
    assert grading.suggested_period_mark([]) is None


def test_the_scale_and_the_period_mark_values_R_MRK_1() -> None:
    assert grading.MARK_SCALE == (1, 2, 3, 4, 5)
    assert grading.PERIOD_MARK_VALUES == ("5", "4", "3", "2", "1", "osv", "na")


def test_passing_and_good_period_marks_R_RPT_3() -> None:
    assert {v for v in grading.PERIOD_MARK_VALUES if grading.is_passing(v)} == {
        "5",
        "4",
        "3",
        "osv",
    }
    assert {v for v in grading.PERIOD_MARK_VALUES if grading.is_good(v)} == {"5", "4", "osv"}
    assert not grading.is_passing(None) and not grading.is_good("na")


def test_period_marks_are_shown_in_russian_R_MRK_9() -> None:
    assert grading.period_mark_label("osv") == "ОСВ"
    assert grading.period_mark_label("na") == "н/а"
    assert grading.period_mark_label("5") == grading.period_mark_label(5) == "5"
    assert grading.period_mark_label(None) == ""


def test_display_rounding_is_half_up_not_bankers() -> None:
    assert grading.rounded(Fraction(33, 8), 2) == 4.13
    assert grading.rounded(Fraction(5, 2), 0) == 3.0
    assert grading.rounded(None, 2) is None
