"""One source of test data: a service's tests build the events they consume with
`kit.testing.events.build`, never by calling another producer's model (or writing its `data`)
by hand, so a test cannot send a field the producer never sends nor miss one it always sends.
A service's own events in its tests are expected outputs and may be written out."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from kit.events import Event
from tests.architecture.source import ROOT, SERVICES

PRODUCERS = sorted(p.stem for p in (ROOT / "contracts").glob("*.py") if p.stem != "__init__")


def hand_built_events(path: Path, service: str, root: Path = ROOT) -> list[str]:
    """Calls of a foreign producer's event class, and dicts in its wire form (`type` and
    `data`; a deliberately broken item without `data` is a test of refusal, not an event)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    foreign: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if parts[0] == "contracts" and len(parts) == 2 and parts[1] in PRODUCERS:
                if parts[1] != service:
                    module = importlib.import_module(node.module)
                    foreign.update(
                        a.asname or a.name
                        for a in node.names
                        if _is_event(getattr(module, a.name, None))
                    )
    out = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(root)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in foreign and (node.args or node.keywords):
                out.append(f"{where} calls {node.func.id}(...)")
        keys = {k.value for k in getattr(node, "keys", []) if isinstance(k, ast.Constant)}
        if isinstance(node, ast.Dict) and "data" in keys:
            for key, value in zip(node.keys, node.values, strict=True):
                if (
                    isinstance(key, ast.Constant)
                    and key.value == "type"
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                    and value.value.split(".")[0] in PRODUCERS
                    and value.value.split(".")[0] != service
                ):
                    out.append(f"{where} writes a {value.value} by hand")
    return out


def _is_event(value: object) -> bool:
    return isinstance(value, type) and issubclass(value, Event)


@pytest.mark.parametrize("service", SERVICES)
def test_tests_build_consumed_events_with_the_factory(service: str) -> None:
    tests = ROOT / "services" / service / "tests"
    assert [
        line for path in sorted(tests.rglob("*.py")) for line in hand_built_events(path, service)
    ] == []


def test_a_hand_built_event_is_caught(tmp_path: Path) -> None:
    planted = tmp_path / "test_planted.py"
    planted.write_text(
        "from contracts.journal import MarkRecorded\n"
        "from contracts.journal import ExportPage\n"
        "from kit.testing.events import build\n"
        "good = build(MarkRecorded, value=4)\n"
        "bad = MarkRecorded(mark_id='m', value=4)\n"
        "page = ExportPage(kind='marks', items=[], next_cursor=None)\n"
        "raw = {'type': 'journal.mark.recorded', 'data': {}}\n"
    )
    assert hand_built_events(planted, "notify", tmp_path) == [
        "test_planted.py:5 calls MarkRecorded(...)",
        "test_planted.py:7 writes a journal.mark.recorded by hand",
    ]
