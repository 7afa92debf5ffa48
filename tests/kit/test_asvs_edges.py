"""ASVS 5.0 checks met by the design that no other test pinned down (docs/security.md).

V9.2.2/V9.2.3: a token of another type, audience or issuer is refused even with a good
signature. V3.4.2/V3.5.2: no CORS answer is ever given, so no other origin is let read an
answer. V13.4.4: TRACE is not served.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import jwt
import pytest

from kit.auth import TokenVerifier
from kit.errors import Unauthorized
from kit.migrations import upgrade
from kit.settings import ServiceSettings
from kit.testing.tokens import TestTokens
from tests.kit.test_service_app import NOTIFY_MIGRATIONS, _app, _client


def _signed(tokens: TestTokens, **changes: Any) -> str:
    now = int(time.time())
    claims = {
        "iss": "ej-identity",
        "aud": "ej",
        "sub": "account",
        "roles": ["director"],
        "login": "d",
        "typ": "access",
        "iat": now,
        "exp": now + 60,
        "jti": "j1",
        **changes,
    }
    return jwt.encode(claims, tokens.private_key, algorithm="EdDSA", headers={"kid": tokens.kid})


async def test_the_baseline_token_of_these_tests_is_accepted() -> None:
    tokens = TestTokens()
    user = await TokenVerifier(tokens.keys, None).verify(_signed(tokens))
    assert user.roles == frozenset({"director"})


@pytest.mark.parametrize(
    "changes",
    [{"aud": "another-system"}, {"iss": "someone-else"}, {"typ": "refresh"}, {"typ": None}],
    ids=["audience", "issuer", "refresh-type", "no-type"],
)
async def test_a_well_signed_token_of_another_audience_issuer_or_type_is_refused(
    changes: dict[str, Any],
) -> None:
    tokens = TestTokens()
    claims = {k: v for k, v in changes.items() if v is not None}
    token = _signed(tokens, **claims)
    if changes.get("typ", "") is None:
        payload = jwt.decode(token, options={"verify_signature": False})
        payload.pop("typ")
        token = jwt.encode(
            payload, tokens.private_key, algorithm="EdDSA", headers={"kid": tokens.kid}
        )
    with pytest.raises(Unauthorized):
        await TokenVerifier(tokens.keys, None).verify(token)


async def test_no_cross_origin_answer_and_no_trace(tmp_path: Path) -> None:
    settings = ServiceSettings(data_dir=tmp_path)
    await upgrade(settings.database_url_for("probe"), NOTIFY_MIGRATIONS)
    app = _app(tmp_path)
    origin = {"Origin": "https://evil.example"}
    async with app.router.lifespan_context(app), await _client(app) as client:
        answers = [
            await client.post("/probe/v1/things", json={"value": 5}, headers=origin),
            await client.options(
                "/probe/v1/things",
                headers={**origin, "Access-Control-Request-Method": "POST"},
            ),
            await client.get("/probe/healthz", headers=origin),
        ]
        for answer in answers:
            assert not any(h.startswith("access-control-") for h in answer.headers), answer
        assert answers[0].status_code == 200
        assert answers[1].status_code == 405  # no preflight is ever granted
        trace = await client.request("TRACE", "/probe/v1/things", headers={"X-Secret": "s3"})
        assert trace.status_code == 405
        assert "s3" not in trace.text
