"""Pure rules stay apart from I/O: a service's `rules/` package imports only the standard
library, `contracts`, pydantic, the kit's error types (a rule may refuse) and its own rules
modules, never SQLAlchemy, the rest of the kit, a repository or a use case.
`contracts.grading` is held to the same."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.architecture.source import ROOT, imported_modules, imports_of

RULES = sorted(p for p in (ROOT / "services").glob("*/rules") if p.is_dir())
"""Every service's pure rules."""
ALLOWED = {"contracts", "pydantic", "email_validator", "__future__"}
"""Packages whose every module is pure (`email_validator` checks an address's syntax only:
the rules call it with `check_deliverability=False`)."""
ALLOWED_MODULES = {"kit.errors"}


def impure(path: Path, own: str, root: Path = ROOT) -> list[str]:
    return [
        f"{path.relative_to(root)} imports {module}"
        for module in imported_modules(path)
        if module.split(".")[0] not in ALLOWED | sys.stdlib_module_names
        and module not in ALLOWED_MODULES
        and not (module == own or module.startswith(own + "."))
    ]


def test_the_rules_are_packages() -> None:
    assert {rules.parent.name for rules in RULES} >= {"journal", "reports", "identity", "archive"}
    assert all((rules / "__init__.py").is_file() for rules in RULES)


def test_a_rule_doing_io_is_caught(tmp_path: Path) -> None:
    """The check's own test: a rule reaching a database or a use case is reported."""
    planted = tmp_path / "window.py"
    planted.write_text(
        "import datetime as dt\nfrom kit.errors import Invalid\nfrom sqlalchemy import select\n"
        "from kit.db import Database\nfrom services.demo.service import marks\n"
    )
    assert impure(planted, "services.demo.rules", tmp_path) == [
        "window.py imports sqlalchemy",
        "window.py imports kit.db",
        "window.py imports services.demo.service",
    ]


@pytest.mark.parametrize("rules", RULES, ids=lambda p: p.parent.name)
def test_rules_import_nothing_that_does_io(rules: Path) -> None:
    own = f"services.{rules.parent.name}.rules"
    assert [line for path in sorted(rules.rglob("*.py")) for line in impure(path, own)] == []


def test_grading_semantics_import_only_the_standard_library() -> None:
    assert impure(ROOT / "contracts" / "grading.py", "contracts.grading") == []


def untested_rules(rules: Path) -> list[str]:
    """Rules modules no test in the service's `tests/rules/` imports (the fast tier)."""
    service = rules.parent.name
    tests = rules.parent / "tests" / "rules"
    imported = {m for path in sorted(tests.rglob("*.py")) for m in imported_names(path)}
    return [
        f"services/{service}/rules/{path.name} has no test in tests/rules/"
        for path in sorted(rules.glob("*.py"))
        if path.name != "__init__.py" and f"services.{service}.rules.{path.stem}" not in imported
    ]


def imported_names(path: Path) -> set[str]:
    """Modules a file imports, `from package import module` counted as `package.module`."""
    found: set[str] = set()
    for module, names in imports_of(path):
        found.add(module)
        found.update(f"{module}.{name}" for name in names)
    return found


@pytest.mark.parametrize("rules", RULES, ids=lambda p: p.parent.name)
def test_every_rule_is_tested_with_nothing_running(rules: Path) -> None:
    assert untested_rules(rules) == []
