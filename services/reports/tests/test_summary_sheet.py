"""The summary sheet against one computed by hand (CONTRACT.md "Reports", R-RPT-1, R-RPT-3).

Class 5А, second quarter (05.11–28.12), Математика and Русский язык, and Физика that had a
lesson but no marks. Демидов leaves on 1 December, Ершова arrives on 10 December.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from services.reports.tests.conftest import Reports
from services.reports.tests.factories import SchoolStory

D = dt.date


@pytest.fixture(scope="module")
async def class_5a(reports: Reports) -> dict[str, Any]:
    s = SchoolStory()
    teacher = s.teacher()
    class_teacher = s.teacher("Смирнова", "Ольга")
    c = s.open_class("5А", 5, class_teacher)
    a = s.student(c, "Алексеев", "Борис")
    b = s.student(c, "Белова", "Вера")
    v = s.student(c, "Волков", "Глеб")
    g = s.student(c, "Громова", "Дарья")
    d = s.student(c, "Демидов", "Егор")
    s.enrol(d, c, D(2026, 12, 1), "left")
    e = s.student(c, "Ершова", "Жанна", on=D(2026, 12, 10))
    q1, q2 = s.quarters[0], s.quarters[1]
    math, russian, physics = s.subject("Математика"), s.subject("Русский язык"), s.subject("Физика")

    m = s.lesson(c, math, teacher, D(2026, 11, 10))
    m2 = s.lesson(c, math, teacher, D(2026, 12, 15))
    old = s.lesson(c, math, teacher, D(2026, 10, 20))
    s.mark(old, a, 2)  # first quarter: not on this sheet
    s.mark(m, a, 5, "answer")
    s.mark(m, a, 4, "test")
    s.mark(m2, a, 3, "control")
    s.mark(m, b, 4)
    wrong = s.mark(m, b, 5)
    s.correct(wrong, 3)  # R-MRK-5: counts at its new value
    cancelled = s.mark(m2, b, 2)
    s.cancel(cancelled)  # no longer counts anywhere
    s.mark(m, v, 1)  # a «1»
    s.mark(m2, v, 2, "test")
    s.mark(m, d, 5)
    s.mark(m2, e, 4, "control")

    r = s.lesson(c, russian, teacher, D(2026, 11, 12))
    s.mark(r, a, 5, "dictation", weight=2)
    s.mark(r, b, 5)
    s.mark(r, b, 4, "essay", weight=2)
    for value, weight in ((5, 1), (4, 3), (4, 2), (4, 2)):
        s.mark(r, v, value, weight=weight)  # weighted 33/8 = 4.125 → 4.13 (half up)
    s.lesson(c, physics, teacher, D(2026, 11, 13))

    s.period_mark(c, math, q2, a, "4")
    s.period_mark(c, math, q2, b, "3")
    s.period_mark(c, math, q2, v, "na")
    s.period_mark(c, math, q2, g, "osv")
    s.period_mark(c, math, q2, d, "5")  # left before the end: not in N
    reset = s.period_mark(c, math, q2, e, "2")
    s.period_mark(c, math, q2, e, "1", period_mark_id=reset)  # reset within the window
    s.period_mark(c, math, q1, a, "2")  # another period
    s.period_mark(c, russian, q2, a, "5")
    pm = s.period_mark(c, russian, q2, b, "3")
    s.period_mark(c, russian, q2, b, "4", corrected=True, period_mark_id=pm)  # R-MRK-6
    s.period_mark(c, russian, q2, v, "4")
    s.period_mark(c, russian, q2, g, "2")
    await reports.feed(s.take())
    return {
        "school": s.school_id,
        "class": c,
        "period": q2,
        "teacher": teacher,
        "class_teacher": class_teacher,
        "students": dict(zip("abvgde", (a, b, v, g, d, e), strict=True)),
        "subjects": {"math": math, "russian": russian, "physics": physics},
    }


async def read_sheet(reports: Reports, ctx: dict[str, Any], **params: str) -> Any:
    headers = reports.headers(["deputy"], ctx["school"])
    response = await reports.sheet(ctx["class"], ctx["period"], headers, **params)
    assert response.status_code == 200, response.text
    return response


async def test_sheet_rows_columns_and_cells_match_the_hand_computed_sheet_R_RPT_1(
    reports: Reports, class_5a: dict[str, Any]
) -> None:
    sheet = (await read_sheet(reports, class_5a)).json()
    st, sub = class_5a["students"], class_5a["subjects"]
    assert sheet["class_id"] == class_5a["class"]
    assert sheet["period_id"] == class_5a["period"]
    assert [s["name"] for s in sheet["subjects"]] == ["Математика", "Русский язык", "Физика"]
    assert [s["name"] for s in sheet["students"]] == [
        "Алексеев Борис",
        "Белова Вера",
        "Волков Глеб",
        "Громова Дарья",
        "Демидов Егор",
        "Ершова Жанна",
    ]
    rows = {s["id"]: s for s in sheet["students"]}
    assert not rows[st["d"]]["enrolled_at_end"] and rows[st["e"]]["enrolled_at_end"]

    def cell(student: str, subject: str) -> tuple[Any, ...]:
        c = rows[st[student]]["cells"][sub[subject]]
        return c["average"], c["weighted_average"], c["count"], c["period_mark"]

    assert cell("a", "math") == (4.0, 3.67, 3, "4")  # (5·1 + 4·2 + 3·3) / 6
    assert cell("b", "math") == (3.5, 3.5, 2, "3")  # corrected 5→3, cancelled 2 gone
    assert cell("v", "math") == (1.5, 1.67, 2, "na")  # a «1» is a mark like any other
    assert cell("g", "math") == (None, None, 0, "osv")
    assert cell("d", "math") == (5.0, 5.0, 1, "5")
    assert cell("e", "math") == (4.0, 4.0, 1, "1")
    assert cell("a", "russian") == (5.0, 5.0, 1, "5")
    assert cell("b", "russian") == (4.5, 4.33, 2, "4")
    assert cell("v", "russian") == (4.25, 4.13, 4, "4")
    assert cell("e", "russian") == (None, None, 0, None)
    assert cell("a", "physics") == (None, None, 0, None)


async def test_subject_figures_follow_the_contract_formulas_R_RPT_3(
    reports: Reports, class_5a: dict[str, Any]
) -> None:
    sheet = (await read_sheet(reports, class_5a)).json()
    by_name = {s["name"]: s for s in sheet["subjects"]}
    math = by_name["Математика"]
    # N = 5 enrolled at the end − Громова («ОСВ») = 4: «4», «3», «н/а», «1»
    assert math["counts"] == {
        "n": 4, "n5": 0, "n4": 1, "n3": 1, "n2": 0, "n1": 1, "na": 1, "osv": 1, "without_mark": 0,
    }  # fmt: skip
    assert math["performance_pct"] == 50.0  # (4, 3) of 4
    assert math["quality_pct"] == 25.0  # (4) of 4
    assert math["sou_pct"] == 26.8  # (64 + 36 + 7 + 0) / 4 = 26.75, half up
    assert math["average"] == 2.7  # (4 + 3 + 1) / 3 numeric marks
    russian = by_name["Русский язык"]
    # Ершова has no period mark: not in N
    assert russian["counts"]["n"] == 4 and russian["counts"]["without_mark"] == 1
    assert russian["performance_pct"] == 75.0
    assert russian["quality_pct"] == 75.0
    assert russian["sou_pct"] == 61.0  # (100 + 64·2 + 16) / 4
    assert russian["average"] == 3.8  # 15 / 4 = 3.75, half up
    physics = by_name["Физика"]
    assert physics["counts"]["n"] == 0
    assert [physics[k] for k in ("performance_pct", "quality_pct", "sou_pct", "average")] == [
        None,
        None,
        None,
        None,
    ]


async def test_class_totals_count_students_whose_every_period_mark_passes_R_RPT_3(
    reports: Reports, class_5a: dict[str, Any]
) -> None:
    totals = (await read_sheet(reports, class_5a)).json()["totals"]
    # Алексеев (4, 5) passes and is good; Белова (3, 4) passes; Волков («н/а», 4),
    # Громова («ОСВ», 2) and Ершова (1) do not; Демидов left before the end.
    assert totals == {
        "performance_pct": 40.0,
        "quality_pct": 20.0,
        "students": 5,
        "students_with_period_marks": 5,
        "students_performing": 2,
        "students_good": 1,
    }
