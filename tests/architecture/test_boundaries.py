"""The architecture's dependency rules, checked on the source (no service imports another)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = sorted(p.name for p in (ROOT / "services").iterdir() if (p / "__init__.py").exists())


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def foreign_service_imports(service: str) -> list[str]:
    found = []
    for path in sorted((ROOT / "services" / service).rglob("*.py")):
        for module in imported_modules(path):
            parts = module.split(".")
            if parts[0] == "services" and len(parts) > 1 and parts[1] != service:
                found.append(f"{path.relative_to(ROOT)} imports {module}")
    return found


@pytest.mark.parametrize("service", SERVICES)
def test_service_does_not_import_another_service(service: str) -> None:
    assert foreign_service_imports(service) == []


@pytest.mark.parametrize("package", ["kit", "contracts"])
def test_kit_and_contracts_import_no_service(package: str) -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for module in imported_modules(path)
        if module.split(".")[0] in ("services", "ej")
    ]
    assert offenders == []


def test_the_check_catches_a_cross_service_import(tmp_path: Path) -> None:
    """The rule's own test: a file importing another service is reported."""
    bad = tmp_path / "bad.py"
    bad.write_text("from services.journal.models import Mark\nimport services.identity\n")
    assert imported_modules(bad) == ["services.journal.models", "services.identity"]


def test_the_five_services_exist() -> None:
    assert set(SERVICES) == {"identity", "journal", "reports", "archive", "notify"}
