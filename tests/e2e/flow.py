"""The walking skeleton: one real flow through all five services, over HTTP only.

operator creates a school and its people (identity) → a teacher logs in and records a mark
(journal) → `journal.mark.recorded` leaves through the outbox → the class's summary sheet
shows it (reports) → the parent has a delivery (notify) → the archive stores a package of the
year on both stores and reads it back.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from ej.demo import Api
from kit.clock import Clock

TIMEZONE = "Europe/Moscow"


async def eventually(check: Callable[[], Awaitable[Any]], seconds: float = 30) -> Any:
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        result = await check()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not reached within {seconds} s")
        await asyncio.sleep(0.2)


async def person(
    api: Api, token: str, school: str, kind: str, last: str, first: str, roles: list[str]
) -> str:
    body = {"kind": kind, "last_name": last, "first_name": first, "roles": roles}
    return str((await api.call("POST", f"/identity/v1/schools/{school}/people", token, body))["id"])


async def logged_in(api: Api, issuer: str, person_id: str, password: str) -> str:
    """Credentials (one-time password) → first login → the forced change → a working token."""
    slip = await api.call("POST", f"/identity/v1/people/{person_id}/credentials", issuer, {})
    first = (await api.token(slip["login"], slip["password"]))["access_token"]
    refused = await api.client.get(
        "/journal/v1/schools/x/years", headers={"Authorization": f"Bearer {first}"}
    )
    assert refused.status_code == 403 and refused.json()["code"] == "password_change_required"
    await api.call(
        "POST",
        "/identity/v1/me/password",
        first,
        {"old_password": slip["password"], "new_password": password},
    )
    return str((await api.token(slip["login"], password))["access_token"])


async def open_school(api: Api, operator: str, name: str) -> tuple[str, str]:
    """The operator registers a school and its first administrator, who logs in: (id, token)."""
    school = (
        await api.call(
            "POST", "/identity/v1/schools", operator, {"name": name, "timezone": TIMEZONE}
        )
    )["id"]
    admin_id = await person(api, operator, school, "staff", "Админова", "Анна", ["school_admin"])
    return school, await logged_in(api, operator, admin_id, "e2e-admin-password")


async def school_reports(
    api: Api, leader: str, school: str, period_id: str, teacher_id: str
) -> None:
    """The leaders' reports: monitoring (R-RPT-2) and a school's term-end job made by workers."""
    monitoring = await api.call(
        "GET", f"/reports/v1/schools/{school}/monitoring", leader, params={"period_id": period_id}
    )
    teacher = next(t for t in monitoring["teachers"] if t["teacher_id"] == teacher_id)
    assert teacher["marks"] == 1 and teacher["lessons_held"] == 1
    names = await report_job(
        api, leader, {"kind": "school", "school_id": school, "period_id": period_id}
    )
    assert any(n.endswith(".pdf") for n in names) and any(n.endswith(".xlsx") for n in names)


async def report_job(api: Api, token: str, request: dict[str, Any]) -> list[str]:
    """Ask for a PDF+XLSX job, wait until the workers finish it, and list its ZIP's files."""
    job = await api.call(
        "POST", "/reports/v1/jobs", token, {**request, "format": "pdf+xlsx"}, expect=(202,)
    )

    async def finished() -> dict[str, Any] | None:
        state = await api.call("GET", f"/reports/v1/jobs/{job['job_id']}", token)
        assert state["status"] != "failed", state
        return state if state["status"] == "done" else None

    done = await eventually(finished, seconds=90)
    assert done["progress"] == 1 and done["result_url"]
    result = await api.client.get(
        f"/reports/v1/jobs/{job['job_id']}/result", headers={"Authorization": f"Bearer {token}"}
    )
    assert result.status_code == 200, result.text
    with zipfile.ZipFile(io.BytesIO(result.content)) as bundle:
        return bundle.namelist()


async def walking_skeleton(base_url: str, operator: tuple[str, str]) -> dict[str, Any]:
    today = Clock().today(TIMEZONE)
    day = lambda n: (today + dt.timedelta(days=n)).isoformat()  # noqa: E731
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        api = Api(client)
        op = (await api.token(*operator))["access_token"]
        school, admin = await open_school(api, op, "Школа №7 (сквозной тест)")
        teacher_id = await person(api, admin, school, "staff", "Учителева", "Ольга", ["teacher"])
        teacher = await logged_in(api, admin, teacher_id, "e2e-teacher-password")
        student_id = await person(api, admin, school, "student", "Иванов", "Иван", ["student"])
        parent_id = await person(api, admin, school, "parent", "Иванова", "Наталья", ["parent"])
        parent = await logged_in(api, admin, parent_id, "e2e-parent-password")
        await api.call(
            "POST",
            "/identity/v1/guardianships",
            admin,
            {"parent_id": parent_id, "student_id": student_id},
        )

        year = await api.call(
            "POST",
            f"/journal/v1/schools/{school}/years",
            admin,
            {"name": "2026/2027", "starts_on": day(-60), "ends_on": day(200)},
        )
        quarter = await api.call(
            "POST",
            f"/journal/v1/years/{year['id']}/periods",
            admin,
            {"kind": "quarter", "number": 2, "starts_on": day(-30), "ends_on": day(30)},
        )
        subject = await api.call(
            "POST", f"/journal/v1/schools/{school}/subjects", admin, {"name": "Математика"}
        )
        school_class = await api.eventually(
            "POST",
            f"/journal/v1/years/{year['id']}/classes",
            admin,
            {"name": "5А", "grade": 5, "class_teacher_id": teacher_id},
        )
        await api.eventually(
            "POST",
            f"/journal/v1/classes/{school_class['id']}/students",
            admin,
            {"student_id": student_id},
        )
        await api.call(
            "POST",
            f"/journal/v1/classes/{school_class['id']}/assignments",
            admin,
            {"subject_id": subject["id"], "teacher_id": teacher_id},
        )
        lesson = await api.call(
            "POST",
            "/journal/v1/lessons",
            admin,
            {
                "class_id": school_class["id"],
                "subject_id": subject["id"],
                "teacher_id": teacher_id,
                "date": day(0),
                "number": 1,
            },
        )

        recorded = await api.call(
            "POST",
            f"/journal/v1/lessons/{lesson['id']}/marks",
            teacher,
            {"marks": [{"student_id": student_id, "value": 5, "work_type": "answer"}]},
        )
        mark_id = recorded["marks"][0]["id"]

        async def sheet_shows_the_mark() -> dict[str, Any] | None:
            sheet = await api.call(
                "GET",
                f"/reports/v1/classes/{school_class['id']}/summary-sheet",
                admin,
                params={"period_id": quarter["id"]},
                expect=(200, 404),
            )
            if not sheet or not sheet.get("students"):
                return None
            cell = sheet["students"][0]["cells"].get(subject["id"])
            return sheet if cell and cell["count"] == 1 else None

        sheet = await eventually(sheet_shows_the_mark)
        cell = sheet["students"][0]["cells"][subject["id"]]
        assert (cell["average"], cell["weighted_average"]) == (5.0, 5.0)
        assert sheet["students"][0]["name"].startswith("Иванов")
        await school_reports(api, admin, school, quarter["id"], teacher_id)
        city = await report_job(api, op, {"kind": "city", "period_id": quarter["id"]})
        assert sum(n.endswith(".pdf") for n in city) >= 1

        async def parent_told() -> list[Any]:
            answer = await api.call("GET", "/notify/v1/deliveries", parent)
            return [d for d in answer["deliveries"] if "5" in d["text"]]

        assert await eventually(parent_told)

        async def archived_with_the_mark() -> dict[str, Any] | None:
            manifest = await api.call(
                "POST",
                "/archive/v1/runs",
                admin,
                {"school_id": school, "year_id": year["id"], "kind": "weekly"},
                expect=(201, 404, 409),
            )
            if manifest is None or "id" not in manifest:
                return None
            content = await client.get(
                f"/archive/v1/packages/{manifest['id']}/content",
                headers={"Authorization": f"Bearer {admin}"},
            )
            assert content.status_code == 200
            with zipfile.ZipFile(io.BytesIO(content.content)) as package:
                text = "".join(package.read(n).decode() for n in package.namelist())
            if mark_id not in text:
                return None
            assert hashlib.sha256(content.content).hexdigest() == manifest["sha256"]
            return manifest

        manifest = await eventually(archived_with_the_mark)
        stored = await api.call("GET", f"/archive/v1/packages/{manifest['id']}", admin)
        assert sorted(c["store"] for c in stored["copies"]) == ["a", "b"]
        assert all(c["state"] == "ok" and c["sha256"] == stored["sha256"] for c in stored["copies"])
        return {"school_id": school, "mark_id": mark_id, "package_id": manifest["id"]}
