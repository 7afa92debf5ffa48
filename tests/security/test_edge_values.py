"""The probe's 500s of issue 16, sent again to `ej run`: each is a 422 problem+json now.

The probe sent huge offsets to lists, far dates to the diary, access-log bounds with extreme
UTC offsets, `activity month=9999-12`, and school years in 0001 and 9999. Each reached code
that overflowed (a bigint, `date + timedelta`, `datetime.astimezone`, month arithmetic); now
the bounds of kit/params.py refuse them at the edge.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Embedded

pytestmark = pytest.mark.infra

PASSWORD = "demo-password"


def _headers(client: httpx.Client, login: str) -> dict[str, str]:
    answer = client.post("/identity/v1/token", data={"username": login, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _refused(answer: httpx.Response) -> None:
    assert answer.status_code == 422, (answer.request.url, answer.status_code, answer.text)
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == "validation_error"


def test_the_probes_edge_values_answer_422(
    embedded: Embedded, embedded_demo: dict[str, Any]
) -> None:
    school, year = embedded_demo["school_id"], embedded_demo["year_id"]
    with httpx.Client(base_url=embedded.url, timeout=60) as client:
        admin = _headers(client, "admin")
        students = client.get(
            f"/identity/v1/schools/{school}/people", params={"kind": "student"}, headers=admin
        )
        student = students.json()["people"][0]["id"]
        for offset in ("99999999999999999999", str(2**63), str(2**63 - 1), "1000001"):
            _refused(
                client.get(
                    f"/identity/v1/schools/{school}/people",
                    params={"offset": offset},
                    headers=admin,
                )
            )
            _refused(
                client.get(
                    f"/identity/v1/schools/{school}/consents/missing",
                    params={"offset": offset},
                    headers=admin,
                )
            )
        for far in ({"from": "9999-12-31"}, {"to": "9999-12-31"}, {"from": "0001-01-01"}):
            _refused(client.get(f"/journal/v1/students/{student}/diary", params=far, headers=admin))
        for bound in ("9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59"):
            for side in ("from", "to"):
                _refused(
                    client.get(
                        f"/identity/v1/schools/{school}/access-log",
                        params={side: bound},
                        headers=admin,
                    )
                )
        for month in ("9999-12", "0001-01"):
            _refused(
                client.get(
                    f"/identity/v1/schools/{school}/activity",
                    params={"month": month},
                    headers=admin,
                )
            )
        for starts_on, ends_on in (("0001-09-01", "0002-05-31"), ("9999-01-01", "9999-12-31")):
            _refused(
                client.post(
                    f"/journal/v1/schools/{school}/years",
                    json={"name": "far", "starts_on": starts_on, "ends_on": ends_on},
                    headers=admin,
                )
            )
        _refused(
            client.post(
                f"/journal/v1/years/{year}/holidays",
                json={"name": "far", "starts_on": "9999-12-30", "ends_on": "9999-12-31"},
                headers=admin,
            )
        )
        # and the same lists still answer at their largest bound
        deepest = client.get(
            f"/identity/v1/schools/{school}/people",
            params={"offset": 1_000_000},
            headers=admin,
        )
        assert deepest.status_code == 200 and deepest.json()["people"] == []
