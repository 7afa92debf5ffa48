"""Pure rules stay apart from I/O: a service's `rules/` package imports only the standard
library, `contracts`, pydantic and its own rules modules, never SQLAlchemy, the kit, a
repository or a use case. `contracts.grading` is held to the same."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RULES = [ROOT / "services" / name / "rules" for name in ("journal", "reports")]
"""The services whose rules are held to this so far (the journal's and reports')."""
ALLOWED = {"contracts", "pydantic", "__future__"}


def imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


def impure(path: Path, own: str) -> list[str]:
    return [
        f"{path.relative_to(ROOT)} imports {module}"
        for module in imports(path)
        if module.split(".")[0] not in ALLOWED | sys.stdlib_module_names
        and not (module == own or module.startswith(own + "."))
    ]


def test_the_rules_are_packages() -> None:
    assert all((rules / "__init__.py").is_file() for rules in RULES)


@pytest.mark.parametrize("rules", RULES, ids=lambda p: p.parent.name)
def test_rules_import_nothing_that_does_io(rules: Path) -> None:
    own = f"services.{rules.parent.name}.rules"
    assert [line for path in sorted(rules.rglob("*.py")) for line in impure(path, own)] == []


def test_grading_semantics_import_only_the_standard_library() -> None:
    assert impure(ROOT / "contracts" / "grading.py", "contracts.grading") == []
