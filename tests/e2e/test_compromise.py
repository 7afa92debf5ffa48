"""R-SEC-4 across services: once a compromise is reported, the account's tokens die in every
service at once (the journal's invalidation of later changes is tested in the journal)."""

from __future__ import annotations

import datetime as dt

import httpx

from ej.demo import Api
from kit.clock import Clock
from tests.e2e.conftest import OPERATOR
from tests.e2e.flow import TIMEZONE, logged_in, open_school, person


async def test_compromise_kills_access_in_identity_and_journal_at_once_R_SEC_4(
    distributed_platform: str,
) -> None:
    today = Clock().today(TIMEZONE)
    async with httpx.AsyncClient(base_url=distributed_platform, timeout=30) as client:
        api = Api(client)
        op = (await api.token(*OPERATOR))["access_token"]
        school, admin = await open_school(api, op, "Школа №8 (компрометация)")
        teacher_id = await person(api, admin, school, "staff", "Учителев", "Пётр", ["teacher"])
        teacher = await logged_in(api, admin, teacher_id, "e2e-teacher-password")
        await api.call(
            "POST",
            f"/journal/v1/schools/{school}/years",
            admin,
            {
                "name": "2026/2027",
                "starts_on": (today - dt.timedelta(days=60)).isoformat(),
                "ends_on": (today + dt.timedelta(days=200)).isoformat(),
            },
        )
        me = await api.call("GET", "/identity/v1/me", teacher)
        assert (
            await client.get(
                f"/journal/v1/schools/{school}/years",
                headers={"Authorization": f"Bearer {teacher}"},
            )
        ).status_code == 200

        await api.call(
            "POST",
            f"/identity/v1/accounts/{me['account_id']}/compromise",
            admin,
            {"note": "пароль записан на доске в учительской"},
        )

        for path in (
            "/identity/v1/me",
            f"/journal/v1/schools/{school}/years",
            f"/reports/v1/schools/{school}/monitoring",
            "/notify/v1/deliveries",
        ):
            refused = await client.get(path, headers={"Authorization": f"Bearer {teacher}"})
            assert refused.status_code == 401, (path, refused.text)
            assert refused.json()["code"] == "token_revoked", path
