"""Schemathesis on the operations that end sessions or passwords (logout, password change,
compromise reports, new credentials), after every other test of this folder: they may leave
the demo's logins unusable, so they run last on this folder's `ej run` (files run in order of
their names; the end-to-end tests have their own `ej run`)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.security.fuzz import ENDS_THE_SESSION, ROLES, check, login, schemathesis

pytestmark = pytest.mark.infra


def test_ending_sessions_makes_no_server_error(fuzz_target: tuple[str, Path]) -> None:
    url, config = fuzz_target
    for role in ROLES:
        with httpx.Client(base_url=url, timeout=60) as client:
            token = login(client, role)
        check(
            schemathesis(url, config, "identity", token, "--include-path-regex", ENDS_THE_SESSION),
            f"identity's session-ending operations as {role}",
        )
