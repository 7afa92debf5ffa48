"""Running schemathesis on a service of `ej run`: see test_api_fuzz.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

SERVICES = ("journal", "reports", "archive", "notify", "identity")
"""Identity last: its admin may change people's roles, which ends their sessions."""
ROLES = ("parent1", "teacher1", "admin")
"""Demo logins (ej/demo.py): a parent, a subject teacher, the school's admin; the admin last
in each service, for the same reason."""
PASSWORD = "demo-password"
CHECKS = "not_a_server_error,response_schema_conformance"
EXAMPLES = int(os.environ.get("EJ_FUZZ_EXAMPLES", "8"))
SEED = int(os.environ.get("EJ_FUZZ_SEED", "160016"))

ENDS_THE_SESSION = (
    r"/identity/v1/(logout|me/password|accounts/\{account_id\}/compromise"
    r"|people/\{person_id\}/credentials|classes/\{class_id\}/credentials)$"
)
"""Operations that may end a session or a password (the caller's own, or a demo login's, by
issuing new credentials): test_session_fuzz.py runs them after everything else, so they do not
turn the rest into a run of 401s."""

ID_KEYS = (
    "school_id",
    "year_id",
    "class_id",
    "student_id",
    "subject_id",
    "period_id",
    "lesson_id",
    "mark_id",
    "attendance_id",
    "period_mark_id",
    "teacher_id",
    "person_id",
    "package_id",
    "message_id",
)


def login(client: httpx.Client, name: str) -> str:
    """An access token of a demo login, by a real login."""
    answer = client.post("/identity/v1/token", data={"username": name, "password": PASSWORD})
    assert answer.status_code == 200, f"login {name}: {answer.status_code} {answer.text[:300]}"
    return str(answer.json()["access_token"])


def _walk(found: dict[str, set[str]], value: Any, key: str | None = None) -> None:
    """Every identifier in an answer, by the name of the field that holds it."""
    if isinstance(value, dict):
        for k, v in value.items():
            _walk(found, v, k)
    elif isinstance(value, list):
        for v in value:
            _walk(found, v, key[:-1] if key and key.endswith("_ids") else key)
    elif isinstance(value, str) and key in ID_KEYS and len(value) == 36:
        found.setdefault(key, set()).add(value)


def demo_ids(client: httpx.Client, demo: dict[str, Any]) -> dict[str, set[str]]:
    """Identifiers of the demo school's things, read the way its admin and deputy read them."""
    admin = {"Authorization": f"Bearer {login(client, 'admin')}"}
    deputy = {"Authorization": f"Bearer {login(client, 'deputy')}"}
    school, year = demo["school_id"], demo["year_id"]
    found: dict[str, set[str]] = {"school_id": {school}, "year_id": {year}}

    def read(
        path: str, headers: dict[str, str], key_of_id: str | None = None, **params: Any
    ) -> Any:
        answer = client.get(path, headers=headers, params=params)
        assert answer.status_code == 200, f"{path}: {answer.status_code} {answer.text[:300]}"
        body = answer.json()
        _walk(found, body)
        if key_of_id:
            for item in next(v for v in body.values() if isinstance(v, list)):
                found.setdefault(key_of_id, set()).add(item["id"])
        return body

    classes = read(f"/journal/v1/years/{year}/classes", admin, "class_id")["classes"]
    read(f"/journal/v1/years/{year}/periods", admin, "period_id")
    read(f"/journal/v1/schools/{school}/subjects", admin, "subject_id")
    for c in classes:
        read(f"/journal/v1/classes/{c['id']}/students", admin)
        read(f"/journal/v1/classes/{c['id']}/assignments", admin)
    people = read(f"/identity/v1/schools/{school}/people", admin, limit=500)["people"]
    found.setdefault("person_id", set()).update(
        p["id"] for p in people if "school_admin" not in p["roles"]
    )
    found.setdefault("teacher_id", set()).update(p["id"] for p in people if "teacher" in p["roles"])
    for kind in ("lessons", "marks", "attendance"):
        read(f"/journal/v1/schools/{school}/export", deputy, kind=kind, limit=60)
    read("/archive/v1/packages", admin, "package_id")
    return found


def config_file(path: Path, ids: dict[str, set[str]]) -> Path:
    """A schemathesis.toml: the demo's identifiers as dictionaries for path and query parameters
    of the same name (most draws take one of them, the rest stay generated)."""
    lines = []
    for key, values in sorted(ids.items()):
        listed = ", ".join(f'"{v}"' for v in sorted(values)[:40])
        lines += [f"[dictionaries.{key}]", f"values = [{listed}]", ""]
    lines.append("[parameters]")
    for key in sorted(ids):
        lines.append(f'"path.{key}" = {{ dictionary = "{key}", probability = 0.9 }}')
        lines.append(f'"query.{key}" = {{ dictionary = "{key}", probability = 0.7 }}')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def schemathesis(
    url: str, config: Path, service: str, token: str, *selection: str
) -> subprocess.CompletedProcess[str]:
    command = [
        str(Path(sys.executable).with_name("st")),
        "--config-file",
        str(config),
        "run",
        f"{url}/{service}/openapi.json",
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        CHECKS,
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        str(SEED),
        "--workers",
        "1",  # hypothesis' lambda descriptions race across threads (a runtime error)
        "--request-timeout",
        "30",
        "--suppress-health-check",
        "all",
        "--output-truncate",
        "true",
        "--warnings",
        "off",
        *selection,
    ]
    return subprocess.run(
        command, cwd=config.parent, capture_output=True, text=True, timeout=600, check=False
    )


def check(run: subprocess.CompletedProcess[str], what: str) -> None:
    tested = "Test cases:" in run.stdout and " generated" in run.stdout
    assert run.returncode == 0 and tested, (
        f"schemathesis on {what} (seed {SEED}):\n{run.stdout[-12000:]}\n{run.stderr[-3000:]}"
    )
