"""The summary sheet equals one computed from first principles after any random history.

A random sequence of journal operations on one class (marks recorded, corrected, cancelled;
period marks set and corrected; students arriving and leaving) is told as events, delivered
in a random order and in random batches (out of order across and within aggregates), and the
sheet the service answers is compared with one computed here, directly from the operations,
with the contract's formulas written out again (R-RPT-1, R-RPT-3).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.reports.tests.conftest import Reports
from services.reports.tests.factories import QUARTERS, Lesson, Mark, SchoolStory

START, END = QUARTERS[1]
STUDENTS = ["Алексеева Анна", "Борисов Борис", "Васильева Вера", "Григорьев Гриша"]
SUBJECTS = ["Математика", "Физика"]
PERIOD_VALUES = ["5", "4", "3", "2", "1", "osv", "na"]
WORK = {"answer": 1.0, "test": 2.0, "control": 3.0, "half": 0.5, "one-and-half": 1.5}

student = st.integers(0, len(STUDENTS) - 1)
subject = st.integers(0, len(SUBJECTS) - 1)
day = st.integers(-12, 62)  # days from the period's start: some before, some after it
operation = st.one_of(
    st.tuples(
        st.just("mark"), student, subject, st.integers(1, 5), st.sampled_from(list(WORK)), day
    ),
    st.tuples(st.just("correct"), st.integers(0, 2), st.integers(1, 5)),
    st.tuples(st.just("cancel"), st.integers(0, 2)),
    st.tuples(
        st.just("period_mark"), student, subject, st.sampled_from(PERIOD_VALUES), st.booleans()
    ),
    st.tuples(st.just("leave"), student, day),
    st.tuples(st.just("enrol"), student, day),
)


@dataclass
class Truth:
    """The journal's own state after the operations: what the sheet must show."""

    marks: dict[str, dict[str, Any]] = field(default_factory=dict)
    period_marks: dict[tuple[int, int], str] = field(default_factory=dict)
    moves: dict[int, list[tuple[dt.date, int, str]]] = field(default_factory=dict)
    lesson_subjects: set[int] = field(default_factory=set)
    order: int = 0

    def move(self, who: int, on: dt.date, change: str) -> None:
        self.order += 1
        self.moves.setdefault(who, []).append((on, self.order, change))

    def enrolled_at(self, who: int, on: dt.date) -> bool:
        state = False
        for date, _, change in sorted(self.moves.get(who, [])):
            if date <= on:
                state = change == "enrolled"
        return state

    def enrolled_during(self, who: int) -> bool:
        return self.enrolled_at(who, START) or any(
            START < date <= END and change == "enrolled"
            for date, _, change in self.moves.get(who, [])
        )


def _last_first(name: str) -> tuple[str, str]:
    last, first = name.split()
    return last, first


def tell(story: SchoolStory, ops: list[tuple[Any, ...]]) -> tuple[Truth, dict[str, Any]]:
    truth = Truth()
    teacher = story.teacher()
    c = story.open_class("5А", 5, teacher)
    people = [story.person("student", *_last_first(name)) for name in STUDENTS]
    subjects = [story.subject(name) for name in SUBJECTS]
    for who in range(3):
        story.enrol(people[who], c)
        truth.move(who, dt.date(2026, 9, 1), "enrolled")
    period = story.quarters[1]
    lessons: dict[tuple[int, dt.date], Lesson] = {}
    recorded: list[Mark] = []
    for op in ops:
        kind = op[0]
        if kind == "mark":
            _, who, subj, value, work, offset = op
            on = START + dt.timedelta(days=offset)
            if (subj, on) not in lessons:
                lessons[(subj, on)] = story.lesson(c, subjects[subj], teacher, on)
                if START <= on <= END:
                    truth.lesson_subjects.add(subj)
            mark = story.mark(lessons[(subj, on)], people[who], value, work, weight=WORK[work])
            recorded.append(mark)
            truth.marks[mark.mark_id] = {
                "who": who, "subj": subj, "value": value, "weight": WORK[work], "on": on, "cancelled": False,
            }  # fmt: skip
        elif kind in ("correct", "cancel") and recorded:
            mark = recorded[-1 - op[1] % len(recorded)]  # one of the latest: corrected twice
            facts = truth.marks[mark.mark_id]
            if facts["cancelled"]:
                continue
            if kind == "correct":
                story.correct(mark, op[2])
                facts["value"] = op[2]
            else:
                story.cancel(mark)
                facts["cancelled"] = True
        elif kind == "period_mark":
            _, who, subj, value, corrected = op
            story.period_mark(c, subjects[subj], period, people[who], value, corrected=corrected)
            truth.period_marks[(who, subj)] = value
        elif kind in ("leave", "enrol"):
            on = START + dt.timedelta(days=op[2])
            change = "left" if kind == "leave" else "enrolled"
            story.enrol(people[op[1]], c, on, change)
            truth.move(op[1], on, change)
    return truth, {"class": c, "period": period, "people": people, "subjects": subjects}


def half_up(value: Fraction | None, places: int) -> float | None:
    if value is None:
        return None
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def expected_sheet(truth: Truth, ids: dict[str, Any]) -> dict[str, Any]:
    live = [m for m in truth.marks.values() if not m["cancelled"] and START <= m["on"] <= END]
    rows = {w for w in range(len(STUDENTS)) if truth.enrolled_during(w)}
    rows |= {m["who"] for m in live} | {w for w, _ in truth.period_marks}
    columns = truth.lesson_subjects | {m["subj"] for m in live} | {s for _, s in truth.period_marks}
    at_end = {w for w in rows if truth.enrolled_at(w, END)}
    students = []
    for w in sorted(rows):
        cells = {}
        for s in sorted(columns):
            marks = [m for m in live if (m["who"], m["subj"]) == (w, s)]
            weights = sum(Fraction(m["weight"]) for m in marks)
            cells[ids["subjects"][s]] = {
                "average": half_up(Fraction(sum(m["value"] for m in marks), len(marks)), 2)
                if marks
                else None,
                "weighted_average": half_up(
                    sum(m["value"] * Fraction(m["weight"]) for m in marks) / weights, 2
                )
                if marks
                else None,
                "count": len(marks),
                "period_mark": truth.period_marks.get((w, s)),
            }
        students.append({"id": ids["people"][w], "name": STUDENTS[w], "cells": cells})
    subjects = []
    for s in sorted(columns):
        values = [truth.period_marks[(w, s)] for w in at_end if (w, s) in truth.period_marks]
        n = sum(v != "osv" for v in values)
        count = {v: values.count(v) for v in PERIOD_VALUES}
        numeric = [int(v) for v in values if v.isdigit()]
        points = (
            100 * count["5"] + 64 * count["4"] + 36 * count["3"] + 16 * count["2"] + 7 * count["na"]
        )
        subjects.append(
            {
                "id": ids["subjects"][s],
                "name": SUBJECTS[s],
                "performance_pct": half_up(Fraction((count["5"] + count["4"] + count["3"]) * 100, n), 1) if n else None,
                "quality_pct": half_up(Fraction((count["5"] + count["4"]) * 100, n), 1) if n else None,
                "sou_pct": half_up(Fraction(points, n), 1) if n else None,
                "average": half_up(Fraction(sum(numeric), len(numeric)), 1) if numeric else None,
            }
        )  # fmt: skip
    marks_of = {
        w: [truth.period_marks[(w, s)] for s in columns if (w, s) in truth.period_marks]
        for w in at_end
    }
    graded = [w for w in at_end if marks_of[w]]
    passing = [w for w in graded if set(marks_of[w]) <= {"5", "4", "3", "osv"}]
    good = [w for w in graded if set(marks_of[w]) <= {"5", "4", "osv"}]
    return {
        "class_id": ids["class"],
        "period_id": ids["period"],
        "subjects": subjects,
        "students": students,
        "totals": {
            "performance_pct": half_up(Fraction(len(passing) * 100, len(graded)), 1) if graded else None,
            "quality_pct": half_up(Fraction(len(good) * 100, len(graded)), 1) if graded else None,
        },
    }  # fmt: skip


def contract_fields(sheet: dict[str, Any]) -> dict[str, Any]:
    """The sheet as the contract shapes it (the additions and the clock left out)."""
    return {
        "class_id": sheet["class_id"],
        "period_id": sheet["period_id"],
        "subjects": [
            {
                k: s[k]
                for k in ("id", "name", "performance_pct", "quality_pct", "sou_pct", "average")
            }
            for s in sheet["subjects"]
        ],
        "students": [
            {"id": s["id"], "name": s["name"], "cells": s["cells"]} for s in sheet["students"]
        ],
        "totals": {k: sheet["totals"][k] for k in ("performance_pct", "quality_pct")},
    }


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    ops=st.lists(operation, min_size=10, max_size=60), shuffler=st.randoms(use_true_random=False)
)
async def test_sheet_equals_first_principles_after_random_history_R_RPT_1_R_RPT_3(
    reports: Reports, ops: list[tuple[Any, ...]], shuffler: random.Random
) -> None:
    story = SchoolStory()
    truth, ids = tell(story, ops)
    events = story.take()
    shuffler.shuffle(events)
    while events:
        size = shuffler.randint(1, 20)
        await reports.feed(events[:size])
        events = events[size:]
    response = await reports.sheet(
        ids["class"], ids["period"], reports.headers(["deputy"], story.school_id)
    )
    assert response.status_code == 200, response.text
    assert contract_fields(response.json()) == expected_sheet(truth, ids)
