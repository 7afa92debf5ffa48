"""The security suite runs against its own `ej run`, started as the end-to-end tests start
theirs (tests/e2e/conftest.py), with the demo school seeded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Embedded, embedded, embedded_demo, embedded_platform
from tests.security.fuzz import config_file, demo_ids

__all__ = ["embedded", "embedded_demo", "embedded_platform"]


@pytest.fixture(scope="session")
def fuzz_target(
    embedded: Embedded, embedded_demo: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    with httpx.Client(base_url=embedded.url, timeout=60) as client:
        ids = demo_ids(client, embedded_demo)
    yield embedded.url, config_file(tmp_path_factory.mktemp("fuzz") / "schemathesis.toml", ids)
