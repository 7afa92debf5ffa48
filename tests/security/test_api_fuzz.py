"""Schemathesis on every service's OpenAPI, as a school's people use it (issue 16).

`ej run` (what `make run` starts) serves the demo school; for each service and for a parent, a
teacher and the school's admin, each logged in for real, schemathesis generates requests from
the service's OpenAPI document — valid and invalid, at the edges of every declared bound
(kit/params.py), then sequences of operations (the stateful phase, on the links it infers) —
and checks every answer: never a server error, and each documented answer's body matches its
schema. Identifiers of the demo school (its year, classes, students, lessons, marks…) are fed
in as schemathesis dictionaries, so most requests reach the code behind the 404.

Reproduce one case from the output: `st run <url>/<service>/openapi.json -H "Authorization:
Bearer …" --seed <seed>` against `make run`, or the `curl` line schemathesis prints.
Environment: `EJ_FUZZ_EXAMPLES` (examples per operation, default 8), `EJ_FUZZ_SEED` (default
fixed, so CI is repeatable; set another to explore).
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.security.fuzz import ENDS_THE_SESSION, ROLES, SERVICES, check, login, schemathesis

pytestmark = pytest.mark.infra


@pytest.mark.parametrize(
    ("service", "role"), [(service, role) for service in SERVICES for role in ROLES]
)
def test_no_input_makes_a_server_error(
    fuzz_target: tuple[str, Path], service: str, role: str
) -> None:
    """Every operation, every phase (examples, coverage of the bounds, fuzzing, stateful):
    0 server errors and answers that match their documented schemas."""
    url, config = fuzz_target
    with httpx.Client(base_url=url, timeout=60) as client:
        token = login(client, role)
    check(
        schemathesis(url, config, service, token, "--exclude-path-regex", ENDS_THE_SESSION),
        f"{service} as {role}",
    )
