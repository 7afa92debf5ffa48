"""Limits on expensive work (issue 16): printed sheets per account and per school, one running
report job per account and kind (the same job asked again is the running one), new jobs per
account; each refusal 429 problem+json with `Retry-After` and its code."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from kit.db import new_id
from services.reports.repository import jobs as job_rows
from services.reports.service.limits import ReportLimits
from services.reports.settings import ReportsSettings
from services.reports.tests.conftest import Reports
from services.reports.tests.factories import SchoolStory


@pytest.fixture
async def tight(reports: Reports) -> AsyncIterator[ReportLimits]:
    """The service with small limits, made from settings as `app.py` makes them."""
    before = reports.app.state.limits
    settings = ReportsSettings(
        reports_renders_per_user_minute=3,
        reports_renders_per_school_minute=5,
        reports_jobs_per_user_hour=2,
        reports_job_running_retry_after_s=17,
    )
    limits = ReportLimits.of(settings, reports.runtime.redis)
    reports.app.state.limits = limits
    try:
        yield limits
    finally:
        reports.app.state.limits = before


def assert_limited(response: httpx.Response, code: str, most: int) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert 1 <= int(response.headers["Retry-After"]) <= most


async def school_with_a_class(reports: Reports) -> dict[str, str]:
    s = SchoolStory(name=f"Гимназия №{new_id()[-4:]}")
    teacher = s.teacher()
    c = s.open_class("5А", 5, teacher)
    student = s.student(c, "Петрова", "Мария")
    lesson = s.lesson(c, s.subject("Математика"), teacher, dt.date(2026, 11, 10))
    s.mark(lesson, student, 5)
    await reports.feed(s.take())
    return {"school": s.school_id, "class": c, "period": s.quarters[1]}


async def test_printed_sheets_past_the_accounts_limit_are_429_with_retry_after(
    reports: Reports, tight: ReportLimits
) -> None:
    ids = await school_with_a_class(reports)
    deputy = reports.headers(["deputy"], ids["school"])
    for fmt in ("xlsx", "pdf", "xlsx"):
        ok = await reports.sheet(ids["class"], ids["period"], deputy, format=fmt)
        assert ok.status_code == 200, ok.text
    refused = await reports.sheet(ids["class"], ids["period"], deputy, format="pdf")
    assert_limited(refused, "too_many_renders", 60)
    # the JSON sheet is not printed work: never limited here
    json_sheet = await reports.sheet(ids["class"], ids["period"], deputy)
    assert json_sheet.status_code == 200
    # another account of the same school still prints
    director = reports.headers(["director"], ids["school"])
    other = await reports.sheet(ids["class"], ids["period"], director, format="xlsx")
    assert other.status_code == 200, other.text


async def test_printed_sheets_past_the_schools_limit_are_429_for_every_account_of_it(
    reports: Reports, tight: ReportLimits
) -> None:
    ids = await school_with_a_class(reports)
    for _ in range(5):  # five accounts, one sheet each: the school's five a minute
        leader = reports.headers(["deputy"], ids["school"])
        ok = await reports.sheet(ids["class"], ids["period"], leader, format="xlsx")
        assert ok.status_code == 200, ok.text
    fresh = reports.headers(["director"], ids["school"])
    refused = await reports.sheet(ids["class"], ids["period"], fresh, format="xlsx")
    assert_limited(refused, "too_many_renders", 60)
    # another school is not affected
    other = await school_with_a_class(reports)
    elsewhere = reports.headers(["deputy"], other["school"])
    ok = await reports.sheet(other["class"], other["period"], elsewhere, format="xlsx")
    assert ok.status_code == 200, ok.text


async def post_job(reports: Reports, headers: dict[str, str], **body: Any) -> httpx.Response:
    return await reports.client.post("/reports/v1/jobs", json=body, headers=headers)


async def test_one_running_job_per_account_and_kind_the_same_one_asked_again_is_returned(
    reports: Reports, tight: ReportLimits
) -> None:
    ids = await school_with_a_class(reports)
    deputy = reports.headers(["deputy"], ids["school"])
    body = {"kind": "school", "school_id": ids["school"], "period_id": ids["period"]}
    first = await post_job(reports, deputy, **body, format="pdf")
    assert first.status_code == 202, first.text
    job_id = first.json()["job_id"]
    # no worker runs: the job stays queued; the same request is that job, not a second one
    for _ in range(3):
        again = await post_job(reports, deputy, **body, format="pdf")
        assert again.status_code == 200, again.text
        assert again.json() == {"job_id": job_id, "status": "queued"}
    # another job of the same kind while the first runs
    second = await post_job(reports, deputy, **body, format="xlsx")
    assert_limited(second, "job_running", 17)
    assert job_id in second.json()["detail"]
    # another account of the school is not affected
    director = reports.headers(["director"], ids["school"])
    theirs = await post_job(reports, director, **body, format="xlsx")
    assert theirs.status_code == 202, theirs.text
    assert theirs.json()["job_id"] != job_id
    await close_jobs(reports, job_id, theirs.json()["job_id"])


async def test_new_jobs_past_the_accounts_limit_are_429(
    reports: Reports, tight: ReportLimits
) -> None:
    ids = await school_with_a_class(reports)
    deputy = reports.headers(["deputy"], ids["school"])
    body = {"kind": "school", "school_id": ids["school"], "period_id": ids["period"]}
    made = []
    for fmt in ("pdf", "xlsx"):
        created = await post_job(reports, deputy, **body, format=fmt)
        assert created.status_code == 202, created.text
        made.append(created.json()["job_id"])
        await close_jobs(reports, made[-1])  # over, so the next is not refused as running
    refused = await post_job(reports, deputy, **body, format="pdf+xlsx")
    assert_limited(refused, "too_many_jobs", 3600)
    other = reports.headers(["deputy"], ids["school"])
    assert (await post_job(reports, other, **body, format="pdf+xlsx")).status_code == 202


async def close_jobs(reports: Reports, *job_ids: str) -> None:
    """End queued jobs as a worker would have (failed), so they leave nothing running."""
    async with reports.runtime.db.unit_of_work() as session:
        for job_id in job_ids:
            await job_rows.close_job(session, job_id, "failed", reports.runtime.clock.now())
