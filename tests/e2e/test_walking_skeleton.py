"""The walking skeleton end to end, in the distributed mode and in the embedded mode."""

from __future__ import annotations

from tests.e2e.conftest import OPERATOR
from tests.e2e.flow import walking_skeleton


async def test_walking_skeleton_in_the_distributed_mode(distributed_platform: str) -> None:
    """Five processes, PostgreSQL, RabbitMQ, Redis, two SeaweedFS stores, behind the gateway."""
    result = await walking_skeleton(distributed_platform, OPERATOR)
    assert result["package_id"]


async def test_walking_skeleton_in_the_embedded_mode(embedded_platform: str) -> None:
    """One process (`ej run`), SQLite, the local bus, two folders; the demo's operator."""
    result = await walking_skeleton(embedded_platform, ("operator", "demo-password"))
    assert result["package_id"]
