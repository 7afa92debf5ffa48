"""R-MRK-7: the period mark suggested to the teacher comes from the exact weighted mean."""

from __future__ import annotations

from services.journal.rules import period_mark_suggestion


def test_the_suggestion_is_the_weighted_mean_half_up_R_MRK_7() -> None:
    found = period_mark_suggestion.suggest([(5, 1), (3, 3)])  # (5 + 9) / 4 = 3.5
    assert (found.count, found.weighted_average, found.suggested) == (2, 3.5, "4")


def test_a_mean_shown_as_3_5_but_below_it_suggests_3_R_MRK_7() -> None:
    found = period_mark_suggestion.suggest([(4, 993), (3, 1007)])  # 3.4965 exactly
    assert found.weighted_average == 3.5
    assert found.suggested == "3"


def test_no_marks_suggest_nothing_R_MRK_7() -> None:
    found = period_mark_suggestion.suggest([])
    assert (found.count, found.weighted_average, found.suggested) == (0, None, None)
