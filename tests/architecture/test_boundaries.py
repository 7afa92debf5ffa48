"""The architecture's dependency rules, checked on the source: no service imports another;
the kit imports no contract, service or composition root (`ej`); contracts import no service."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.architecture.source import ROOT, SERVICES, imported_modules


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


FORBIDDEN = {
    "kit": ("contracts", "services", "ej"),
    "contracts": ("services", "ej"),
}
"""What each package must not import: the kit is below the published language."""


def forbidden_imports(root: Path, forbidden: tuple[str, ...]) -> list[str]:
    """`<file> imports <module>` for each import of a forbidden top-level package under root
    (imports inside functions too: `ast.walk` sees every statement)."""
    return [
        f"{path.relative_to(root.parent)} imports {module}"
        for path in sorted(root.rglob("*.py"))
        for module in imported_modules(path)
        if module.split(".")[0] in forbidden
    ]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_kit_imports_no_contract_service_or_ej_and_contracts_no_service(package: str) -> None:
    assert forbidden_imports(ROOT / package, FORBIDDEN[package]) == []


def test_the_check_catches_the_kit_importing_contracts_or_a_service(tmp_path: Path) -> None:
    """The rule's own test: a planted kit module importing contracts (at the top or inside a
    function, as `kit/asyncapi.py` once did), a service or `ej` is reported."""
    kit = tmp_path / "kit"
    (kit / "bus").mkdir(parents=True)
    (kit / "clean.py").write_text("from kit.events import Event\nimport asyncio\n")
    (kit / "bus" / "planted.py").write_text(
        "import contracts.journal\n"
        "from services.reports.adapters.work_queue import WORK_QUEUE\n"
        "def document():\n"
        "    import contracts  # registers every event\n"
        "    from ej.services import NAMES\n"
    )
    assert forbidden_imports(kit, FORBIDDEN["kit"]) == [
        "kit/bus/planted.py imports contracts.journal",
        "kit/bus/planted.py imports services.reports.adapters.work_queue",
        "kit/bus/planted.py imports contracts",
        "kit/bus/planted.py imports ej.services",
    ]


def test_the_check_catches_a_cross_service_import(tmp_path: Path) -> None:
    """The rule's own test: a file importing another service is reported."""
    bad = tmp_path / "bad.py"
    bad.write_text("from services.journal.models import Mark\nimport services.identity\n")
    assert imported_modules(bad) == ["services.journal.models", "services.identity"]


def test_the_five_services_exist() -> None:
    assert set(SERVICES) == {"identity", "journal", "reports", "archive", "notify"}
