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


def test_a_whole_quarter_through_the_http_api_as_documented(embedded_platform: str) -> None:
    for tool in ("bash", "curl", "jq"):
        if shutil.which(tool) is None:
            pytest.fail(f"the walkthrough needs {tool} on the machine", pytrace=False)
    done = subprocess.run(
        ["bash", "-c", walkthrough_script()],
        env={"BASE": embedded_platform, "PATH": "/usr/bin:/bin", "HOME": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "about:blank" not in done.stdout, f"a step answered an error:\n{done.stdout[-3000:]}"
    assert '"ok":true' in done.stdout.replace(" ", ""), "the history chain check did not pass"
    assert "не учтена пересданная контрольная работа" in done.stdout  # the deputy's note (R-MRK-6)
