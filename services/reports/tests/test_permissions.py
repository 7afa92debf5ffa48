"""Who reads a class's summary sheet: every role × own school / another school (R-REC-3/4).

A teacher sees the sheets of the classes they teach or lead; the deputy, the director and the
school's administrator see the whole school's; students and parents see none (their data is
the journal's diary); another school's class answers 404 as if it did not exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kit.db import new_id
from services.reports.tests.conftest import Reports
from services.reports.tests.factories import SchoolStory


@pytest.fixture(scope="module")
async def school(reports: Reports) -> dict[str, Any]:
    s = SchoolStory()
    subject_teacher, class_teacher, marking_teacher = s.teacher(), s.teacher(), s.teacher()
    c = s.open_class("5Б", 5, class_teacher)
    student = s.student(c, "Зайцев", "Артём")
    math = s.subject("Математика")
    s.lesson(c, math, subject_teacher, dt.date(2026, 11, 10))
    # a mark whose lesson has not reached the reports service yet still names its teacher
    other_lesson = s.lesson(c, math, marking_teacher, dt.date(2026, 11, 11))
    s.mark(other_lesson, student, 4)
    await reports.feed(
        [
            e
            for e in s.take()
            if e.data.get("lesson_id") != other_lesson.lesson_id or "mark_id" in e.data
        ]
    )
    return {
        "school": s.school_id,
        "class": c,
        "period": s.quarters[1],
        "subject_teacher": subject_teacher,
        "class_teacher": class_teacher,
        "marking_teacher": marking_teacher,
        "student": student,
    }


async def status(reports: Reports, ctx: dict[str, Any], headers: dict[str, str]) -> int:
    return (await reports.sheet(ctx["class"], ctx["period"], headers)).status_code


@pytest.mark.parametrize("role", ["deputy", "director", "school_admin"])
async def test_leaders_read_every_sheet_of_their_school_only(
    reports: Reports, school: dict[str, Any], role: str
) -> None:
    assert await status(reports, school, reports.headers([role], school["school"])) == 200
    assert await status(reports, school, reports.headers([role], new_id())) == 404


@pytest.mark.parametrize("who", ["subject_teacher", "class_teacher", "marking_teacher"])
async def test_a_teacher_reads_the_sheets_of_classes_they_teach_or_lead_R_REC_3(
    reports: Reports, school: dict[str, Any], who: str
) -> None:
    headers = reports.headers(["teacher"], school["school"], person_id=school[who])
    assert await status(reports, school, headers) == 200


async def test_a_teacher_of_the_school_who_does_not_teach_the_class_is_refused_R_REC_3(
    reports: Reports, school: dict[str, Any]
) -> None:
    headers = reports.headers(["teacher"], school["school"], person_id=new_id())
    response = await reports.sheet(school["class"], school["period"], headers)
    assert response.status_code == 403
    assert response.json()["code"] == "not_your_class"


async def test_a_teacher_of_another_school_finds_no_such_class(
    reports: Reports, school: dict[str, Any]
) -> None:
    headers = reports.headers(["teacher"], new_id(), person_id=school["subject_teacher"])
    response = await reports.sheet(school["class"], school["period"], headers)
    assert response.status_code == 404
    assert response.json()["code"] == "class_not_found"


@pytest.mark.parametrize("role", ["student", "parent", "secretary", "scheduler", "operator"])
async def test_students_parents_and_other_roles_read_no_sheets(
    reports: Reports, school: dict[str, Any], role: str
) -> None:
    school_id = None if role == "operator" else school["school"]
    headers = reports.headers([role], school_id, person_id=school["student"])
    response = await reports.sheet(school["class"], school["period"], headers)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_sheet_needs_a_token(reports: Reports, school: dict[str, Any]) -> None:
    response = await reports.client.get(
        f"/reports/v1/classes/{school['class']}/summary-sheet",
        params={"period_id": school["period"]},
    )
    assert response.status_code == 401


async def test_unknown_class_and_period_answer_404_and_an_unknown_format_422(
    reports: Reports, school: dict[str, Any]
) -> None:
    deputy = reports.headers(["deputy"], school["school"])
    unknown_class = await reports.sheet(new_id(), school["period"], deputy)
    assert (unknown_class.status_code, unknown_class.json()["code"]) == (404, "class_not_found")
    unknown_period = await reports.sheet(school["class"], new_id(), deputy)
    assert (unknown_period.status_code, unknown_period.json()["code"]) == (404, "period_not_found")
    other = SchoolStory()
    await reports.feed(other.take())
    foreign_period = await reports.sheet(school["class"], other.quarters[1], deputy)
    assert foreign_period.status_code == 404
    docx = await reports.sheet(school["class"], school["period"], deputy, format="docx")
    assert (docx.status_code, docx.json()["code"]) == (422, "format_not_offered")
    missing = await reports.client.get(
        f"/reports/v1/classes/{school['class']}/summary-sheet", headers=deputy
    )
    assert missing.status_code == 422
