"""docs/journal.md's walkthrough works as written: every bash block, in order, against `ej run`."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def walkthrough_script() -> str:
    text = (ROOT / "docs" / "journal.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, re.S)
    assert len(blocks) >= 7, "the walkthrough lost its steps"
    return "set -euo pipefail\n" + "\n".join(blocks)


def run_walkthrough(base_url: str) -> subprocess.CompletedProcess[str]:
    for tool in ("bash", "curl", "jq"):
        if shutil.which(tool) is None:
            pytest.fail(f"the walkthrough needs {tool} on the machine", pytrace=False)
    return subprocess.run(
        ["bash", "-c", walkthrough_script()],
        env={"BASE": base_url, "PATH": "/usr/bin:/bin", "HOME": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def assert_walked_through(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, done.stderr[-3000:]
    assert "about:blank" not in done.stdout, f"a step answered an error:\n{done.stdout[-3000:]}"
    assert '"ok":true' in done.stdout.replace(" ", ""), "the history chain check did not pass"
    assert "не учтена пересданная контрольная работа" in done.stdout  # the deputy's note (R-MRK-6)


def test_a_whole_quarter_through_the_http_api_as_documented(embedded_platform: str) -> None:
    assert_walked_through(run_walkthrough(embedded_platform))


def test_the_walkthrough_runs_again_against_the_same_platform(embedded_platform: str) -> None:
    """A reader who runs it twice gets a second school, not a wall of 401s (school names
    are unique: a fixed name was 409 `school_exists` the second time)."""
    first, second = run_walkthrough(embedded_platform), run_walkthrough(embedded_platform)
    assert_walked_through(first)
    assert_walked_through(second)
