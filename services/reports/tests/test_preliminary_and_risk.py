"""The class teacher's watch (R-RPT-4, R-RPT-5): what the suggestion and the risk group make
of a student's current marks, without infrastructure."""

from __future__ import annotations

import datetime as dt

from services.reports.rules.summary_sheet import MarkTally
from services.reports.service import watch
from services.reports.service.enrolment import Membership


def test_the_preliminary_report_suggests_the_exact_mean_half_up_and_na_without_marks_R_RPT_4() -> (
    None
):
    found = watch.suggestions(
        ["maths", "physics", "art"],
        {"maths": MarkTally.of([(4, 993), (3, 1007)]), "physics": MarkTally.of([(5, 1), (3, 3)])},
    )
    assert found["maths"].mark == "3"
    assert found["maths"].weighted_average == 3.5
    assert found["physics"].mark == "4"
    assert (found["art"].mark, found["art"].count, found["art"].weighted_average) == (
        "na",
        0,
        None,
    )


def test_a_student_whose_mean_suggests_a_2_is_at_risk_R_RPT_5() -> None:
    day = dt.date(2026, 11, 23)
    members = {"s1": Membership(), "s2": Membership()}
    members["s1"].add(dt.date(2026, 9, 1), 0, "enrolled")
    members["s2"].add(dt.date(2026, 9, 1), 0, "enrolled")
    marks = {
        ("c", "s1"): {"maths": MarkTally.of([(2, 1), (3, 1)])},  # 2.5 suggests «3»
        ("c", "s2"): {"maths": MarkTally.of([(2, 2), (3, 1)])},  # 2.33 suggests «2»
    }
    group = watch.risk_group("c", members, day, marks, {}, absences_threshold=10)
    assert [(s.student_id, s.low_subjects) for s in group] == [("s2", [("maths", 2.33)])]
