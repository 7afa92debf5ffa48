"""The deputy's monitoring (R-RPT-2), the risk group (R-RPT-5) and the preliminary report
(R-RPT-4), on a small school computed by hand, seen on 1 December of the second quarter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from kit.clock import FixedClock
from kit.db import new_id
from services.reports.tests.conftest import Reports
from services.reports.tests.factories import SchoolStory

D = dt.date
MSK = dt.timezone(dt.timedelta(hours=3))
TODAY = dt.datetime(2026, 12, 1, 12, 0, tzinfo=MSK)


@pytest.fixture
def on_first_of_december(reports: Reports) -> Iterator[None]:
    before = reports.runtime.clock
    reports.runtime.clock = FixedClock(TODAY)
    yield
    reports.runtime.clock = before


@pytest.fixture(scope="module")
async def school(reports: Reports) -> dict[str, Any]:
    s = SchoolStory()
    t1, t2, t3 = (
        s.teacher("Орлов", "Антон"),
        s.teacher("Белкина", "Ирина"),
        s.teacher("Зуев", "Лев"),
    )
    ct = s.teacher("Смирнова", "Ольга")
    c = s.open_class("6А", 6, ct)
    s1, s2, s3 = (
        s.student(c, last, first)
        for last, first in (("Аксёнов", "Иван"), ("Быкова", "Ада"), ("Волков", "Ян"))
    )
    math, history = s.subject("Математика"), s.subject("История")

    def entered(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(15, 0), tzinfo=MSK)

    m1 = s.lesson(c, math, t1, D(2026, 11, 10))
    m2 = s.lesson(c, math, t1, D(2026, 11, 12), homework=None)
    s.lesson(c, math, t3, D(2026, 11, 17), topic=" ")  # a substitute; no topic written
    s.lesson(c, math, t1, D(2026, 12, 15))  # in the plan, not held yet
    h1 = s.lesson(c, history, t2, D(2026, 11, 11))
    s.mark(m1, s1, 2, entered=entered(m1.date))
    s.mark(m2, s1, 2, entered=entered(D(2026, 11, 14)), entered_late=True)  # two days later
    s.mark(m1, s2, 5, entered=entered(m1.date))
    s.mark(h1, s3, 4, entered=entered(h1.date))
    s.attend(m1, s2, "absent", "respected")
    s.attend(m1, s3, "absent", "unrespected")
    s.attend(m1, s1, "late")
    s.attend(m2, s3, "absent")
    s.attend(h1, s3, "absent", "unrespected")
    await reports.feed(s.take())
    return {
        "school": s.school_id, "class": c, "period": s.quarters[1],
        "teachers": {"t1": t1, "t2": t2, "t3": t3, "ct": ct},
        "students": {"s1": s1, "s2": s2, "s3": s3},
        "subjects": {"math": math, "history": history},
    }  # fmt: skip


async def get(reports: Reports, path: str, headers: dict[str, str], **params: str) -> Any:
    response = await reports.client.get(f"/reports/v1{path}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_monitoring_counts_lessons_marks_and_attendance_per_class_subject_R_RPT_2(
    reports: Reports, school: dict[str, Any], on_first_of_december: None
) -> None:
    found = await get(
        reports,
        f"/schools/{school['school']}/monitoring",
        reports.headers(["deputy"], school["school"]),
        period_id=school["period"],
    )
    assert found["as_of"] == "2026-12-01"
    rows = {r["subject_name"]: r for r in found["rows"]}
    math = rows["Математика"]
    assert math["teacher_ids"] == [school["teachers"]["t1"]]
    assert math["teacher_names"] == ["Орлов Антон Сергеевна"]
    assert {k: math[k] for k in (
        "lessons_planned", "lessons_held", "plan_progress_pct", "lessons_with_topic", "topic_pct",
        "lessons_with_homework", "homework_pct", "replaced_lessons",
    )} == {
        "lessons_planned": 4, "lessons_held": 3, "plan_progress_pct": 75.0,
        "lessons_with_topic": 2, "topic_pct": 66.7, "lessons_with_homework": 2,
        "homework_pct": 66.7, "replaced_lessons": 1,
    }  # fmt: skip
    assert {k: math[k] for k in (
        "marks", "marks_on_time", "marks_late", "students", "students_without_marks",
        "students_with_one_mark", "mark_accumulation",
    )} == {
        "marks": 3, "marks_on_time": 2, "marks_late": 1, "students": 3,
        "students_without_marks": 1, "students_with_one_mark": 1, "mark_accumulation": 1.0,
    }  # fmt: skip
    assert (math["absences"], math["absences_respected"], math["absences_unrespected"]) == (3, 1, 1)
    assert (math["absences_unexplained"], math["lates"]) == (1, 1)
    history = rows["История"]
    assert (history["marks"], history["students_without_marks"], history["absences"]) == (1, 2, 1)


async def test_monitoring_per_teacher_and_participation_R_RPT_2(
    reports: Reports, school: dict[str, Any], on_first_of_december: None
) -> None:
    found = await get(
        reports,
        f"/schools/{school['school']}/monitoring",
        reports.headers(["director"], school["school"]),
        period_id=school["period"],
    )
    teachers = {t["teacher_id"]: t for t in found["teachers"]}
    t1, t3 = teachers[school["teachers"]["t1"]], teachers[school["teachers"]["t3"]]
    assert (t1["lessons_held"], t1["lessons_with_homework"], t1["marks"], t1["marks_late"]) == (
        2,
        1,
        3,
        1,
    )
    assert t1["late_pct"] == 33.3
    assert (t3["lessons_held"], t3["lessons_as_substitute"], t3["lessons_with_topic"]) == (1, 1, 0)
    # four teachers known to the school, three of them gave lessons or marks
    assert found["participation"] == {
        "teachers": 4,
        "teachers_active": 3,
        "teachers_active_pct": 75.0,
    }
    [school_class] = found["classes"]
    assert school_class["class_teacher_name"] == "Смирнова Ольга Сергеевна"
    assert (
        school_class["students"],
        school_class["absences"],
        school_class["absences_unrespected"],
    ) == (3, 4, 2)


async def test_risk_group_lists_a_failing_average_and_unexcused_absences_R_RPT_5(
    reports: Reports,
    school: dict[str, Any],
    on_first_of_december: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(reports.settings, "risk_unexcused_absences", 3)
    found = await get(
        reports,
        f"/classes/{school['class']}/risk-group",
        reports.headers(["teacher"], school["school"], person_id=school["teachers"]["ct"]),
        period_id=school["period"],
    )
    by_id = {r["student_id"]: r for r in found["students"]}
    st = school["students"]
    assert set(by_id) == {st["s1"], st["s3"]}
    assert by_id[st["s1"]]["low_subjects"] == [
        {
            "subject_id": school["subjects"]["math"],
            "subject_name": "Математика",
            "weighted_average": 2.0,
        }
    ]
    assert by_id[st["s3"]]["unexcused_absences"] == 3  # one unrespected, one without a reason
    assert by_id[st["s3"]]["low_subjects"] == []
    monitoring = await get(
        reports,
        f"/schools/{school['school']}/monitoring",
        reports.headers(["deputy"], school["school"]),
        period_id=school["period"],
    )
    listed = {r["student_id"] for r in monitoring["classes"][0]["risk_group"]}
    assert listed == {st["s1"], st["s3"]}


async def test_preliminary_report_suggests_period_marks_and_counts_absences_R_RPT_4(
    reports: Reports, on_first_of_december: None
) -> None:
    s = SchoolStory()
    ct, teacher = s.teacher(), s.teacher()
    c = s.open_class("7А", 7, ct)
    x, y = s.student(c, "Ильин", "Пётр"), s.student(c, "Яковлева", "Ева")
    math, history = s.subject("Математика"), s.subject("История")
    lesson = s.lesson(c, math, teacher, D(2026, 11, 20))
    s.mark(lesson, x, 4, weight=1)
    s.mark(lesson, x, 5, weight=2)  # (4 + 10) / 3 = 4.67 → «5»
    h = s.lesson(c, history, teacher, D(2026, 11, 21))
    s.mark(h, x, 2)
    s.mark(h, x, 3)  # 2.5 → «3» (half up)
    s.mark(h, y, 4)
    s.attend(h, y, "absent", "respected")
    s.attend(lesson, y, "late")
    s.mark(s.lesson(c, math, teacher, D(2026, 12, 5)), y, 2)  # after 1 December: not yet
    await reports.feed(s.take())
    found = await get(
        reports,
        f"/classes/{c}/preliminary",
        reports.headers(["teacher"], s.school_id, person_id=ct),
        period_id=s.quarters[1],
    )
    assert (found["as_of"], found["due_on"]) == ("2026-12-01", "2026-12-14")
    assert [sub["name"] for sub in found["subjects"]] == ["История", "Математика"]
    rows = {r["id"]: r for r in found["students"]}
    assert rows[x]["subjects"][math] == {
        "weighted_average": 4.67,
        "count": 2,
        "suggested_mark": "5",
    }
    assert rows[x]["subjects"][history]["suggested_mark"] == "3"
    assert rows[y]["subjects"][math] == {
        "weighted_average": None,
        "count": 0,
        "suggested_mark": "na",
    }
    assert rows[y]["attendance"] == {
        "absences": 1, "absences_respected": 1, "absences_unrespected": 0,
        "absences_unexplained": 0, "lates": 1,
    }  # fmt: skip
    subject_teacher = reports.headers(["teacher"], s.school_id, person_id=teacher)
    refused = await reports.client.get(
        f"/reports/v1/classes/{c}/preliminary",
        params={"period_id": s.quarters[1]},
        headers=subject_teacher,
    )
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("roles", "own_school", "expected"),
    [
        (["deputy"], False, 404),
        (["teacher"], True, 403),
        (["student"], True, 403),
        (["parent"], True, 403),
    ],
)
async def test_monitoring_is_for_the_schools_leaders_R_RPT_2(
    reports: Reports,
    school: dict[str, Any],
    roles: list[str],
    own_school: bool,
    expected: int,
) -> None:
    school_id = school["school"] if own_school else new_id()
    response = await reports.client.get(
        f"/reports/v1/schools/{school['school']}/monitoring",
        params={"period_id": school["period"]},
        headers=reports.headers(roles, school_id, person_id=school["teachers"]["t1"]),
    )
    assert response.status_code == expected


async def test_performance_per_class_grade_subject_and_school_R_RPT_3(reports: Reports) -> None:
    s = SchoolStory()
    a, b, c6 = s.open_class("5А", 5), s.open_class("5Б", 5), s.open_class("6А", 6)
    a1, a2 = s.student(a, "Агеев", "Ян"), s.student(a, "Адамова", "Ия")
    b1, c1 = s.student(b, "Барсов", "Ян"), s.student(c6, "Вьюгин", "Ян")
    math, russian = s.subject("Математика"), s.subject("Русский язык")
    q = s.quarters[1]
    for school_class, student, m, r in (
        (a, a1, "5", "4"),
        (a, a2, "3", "2"),
        (b, b1, "4", "osv"),
        (c6, c1, "na", "5"),
    ):
        s.period_mark(school_class, math, q, student, m)
        s.period_mark(school_class, russian, q, student, r)
    await reports.feed(s.take())
    deputy = reports.headers(["deputy"], s.school_id)

    async def table(by: str) -> dict[str, dict[str, Any]]:
        found = await get(
            reports, f"/schools/{s.school_id}/performance", deputy, period_id=q, by=by
        )
        return {r["name"] or r["key"]: r for r in found["rows"]}

    def figures(row: dict[str, Any]) -> tuple[Any, ...]:
        keys = (
            "performance_pct",
            "quality_pct",
            "sou_pct",
            "average",
            "students_performance_pct",
            "students_quality_pct",
        )
        return tuple(row[k] for k in keys)

    classes = await table("class")
    assert list(classes) == ["5А", "5Б", "6А"]
    assert figures(classes["5А"]) == (75.0, 50.0, 54.0, 3.5, 50.0, 50.0)
    assert figures(classes["5Б"]) == (100.0, 100.0, 64.0, 4.0, 100.0, 100.0)
    assert figures(classes["6А"]) == (50.0, 50.0, 53.5, 5.0, 0.0, 0.0)
    grades = await table("grade")
    assert figures(grades["5"]) == (80.0, 60.0, 56.0, 3.6, 66.7, 66.7)
    assert grades["5"]["counts"]["n"] == 5 and grades["5"]["counts"]["osv"] == 1
    subjects = await table("subject")
    assert figures(subjects["Математика"]) == (75.0, 50.0, 51.8, 4.0, 75.0, 50.0)
    assert figures(subjects["Русский язык"]) == (66.7, 66.7, 60.0, 3.7, 75.0, 75.0)
    [whole] = (await table("school")).values()
    assert figures(whole) == (71.4, 57.1, 55.3, 3.8, 50.0, 50.0)
    assert whole["key"] == s.school_id and whole["students"] == 4


async def test_a_mark_the_journal_found_after_the_cut_off_counts_late_R_MRK_2_R_RPT_2(
    reports: Reports, on_first_of_december: None
) -> None:
    s = SchoolStory()
    teacher = s.teacher("Орлов", "Антон")
    c = s.open_class("7А", 7, teacher)
    student = s.student(c, "Аксёнов", "Иван")
    math = s.subject("Математика")
    lesson = s.lesson(c, math, teacher, D(2026, 11, 10))
    evening = dt.datetime.combine(lesson.date, dt.time(19, 0), tzinfo=MSK)
    s.mark(lesson, student, 4, entered=evening, entered_late=True)  # same day, after 16:00
    s.mark(
        lesson, student, 5, "test", entered=dt.datetime.combine(lesson.date, dt.time(11, 0), MSK)
    )
    await reports.feed(s.take())
    found = await get(
        reports,
        f"/schools/{s.school_id}/monitoring",
        reports.headers(["deputy"], s.school_id),
        period_id=s.quarters[1],
    )
    [row] = found["rows"]
    assert (row["marks"], row["marks_on_time"], row["marks_late"]) == (2, 1, 1)
