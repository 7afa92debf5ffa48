"""The edge of `ej run` over real TCP (issue 16): what every answer carries and what it hides."""

from __future__ import annotations

import httpx

from tests.e2e.conftest import Embedded


async def test_the_landing_page_hides_the_data_folder_and_the_server(embedded: Embedded) -> None:
    async with httpx.AsyncClient(base_url=embedded.url) as client:
        page = await client.get("/")
        assert page.status_code == 200
        assert str(embedded.data_dir) not in page.text and "var/embedded" not in page.text
        assert "server" not in page.headers
        assert page.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        api = await client.get("/journal/healthz")
        assert "server" not in api.headers and api.headers["cache-control"] == "no-store"


async def test_odd_input_at_the_edge_is_a_4xx_never_a_500(embedded: Embedded) -> None:
    async with httpx.AsyncClient(base_url=embedded.url) as client:
        odd = await client.get(
            "/identity/healthz", headers=[(b"x-correlation-id", b"\xff\xfe\xfd")]
        )
        assert odd.status_code == 200
        big = await client.post(
            "/identity/v1/token",
            content=b"username=" + b"x" * (2 * 1024 * 1024),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert big.status_code == 413 and big.json()["code"] == "body_too_large"
