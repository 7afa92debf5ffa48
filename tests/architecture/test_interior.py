"""One interior for every service (docs/developing.md, "The interior"), checked on the source.
The purity of `rules/` is checked in `test_pure_rules.py`, the boundaries between services and
the kit in `test_boundaries.py`.

Each rule is a function that returns the offences it finds under a root folder, so every rule
is proven twice: the real tree has no offence, and a tree with one planted offence is caught.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.architecture.source import ROOT, SERVICES, imports_of, python_files

REQUIRED = (
    "__init__.py",
    "__main__.py",
    "app.py",
    "settings.py",
    "models.py",
    "policy.py",
    "handlers.py",
    "api/",
    "service/",
    "repository/",
    "schemas/",
    "migrations/",
    "tests/",
)
"""What every service has."""

OPTIONAL = ("worker.py", "cli.py", "rules/", "adapters/")
"""What a service has when it has background work, operator commands, pure rules or the
outside world to talk to (stores, mail, HTTP, renderers)."""

VAGUE_NAMES = frozenset({"common.py", "core.py", "utils.py", "helpers.py", "misc.py", "deps.py"})
"""Module names that say nothing of what they hold (`api/deps.py` excepted: dependencies)."""

SQL_BUILDERS = frozenset({"select", "insert", "update", "delete", "text", "union_all", "exists"})


def layer_of(service_dir: Path, path: Path) -> str:
    relative = path.relative_to(service_dir)
    return relative.parts[0].removesuffix(".py") if relative.parts else ""


# --- the rules ----------------------------------------------------------------------------


def missing_parts(service_dir: Path) -> list[str]:
    """Files and folders of the interior a service lacks, and top-level ones it should not have."""
    present = {p.name + ("/" if p.is_dir() else "") for p in service_dir.iterdir()}
    present = {p for p in present if p != "__pycache__/"}
    missing = [f"{service_dir.name} lacks {name}" for name in REQUIRED if name not in present]
    extra = [
        f"{service_dir.name} has {name} outside the interior"
        for name in sorted(present)
        if name not in REQUIRED and name not in OPTIONAL
    ]
    return missing + extra


def wrong_direction(service_dir: Path) -> list[str]:
    """api → service → repository: no layer imports one above it or skips one."""
    name = service_dir.name
    forbidden = {
        "api": ("repository", "handlers", "cli"),
        "service": ("api", "handlers", "worker", "cli", "app"),
        "repository": ("api", "service", "handlers", "worker", "cli", "app", "policy"),
        "policy": ("service", "api", "repository", "handlers", "worker", "cli"),
        "rules": ("service", "api", "repository", "handlers", "worker", "cli", "adapters"),
        "schemas": ("service", "api", "repository", "handlers", "worker", "cli"),
        "models": ("service", "api", "repository", "handlers", "worker", "cli", "policy"),
    }
    out = []
    for path in python_files(service_dir):
        layer = layer_of(service_dir, path)
        if layer not in forbidden or "tests" in path.parts or "migrations" in path.parts:
            continue
        for module, _ in imports_of(path):
            parts = module.split(".")
            if parts[:2] == ["services", name] and len(parts) > 2 and parts[2] in forbidden[layer]:
                out.append(f"{path.relative_to(service_dir.parent.parent)} imports {module}")
    return out


def sql_in_use_cases(service_dir: Path) -> list[str]:
    """A use case never builds SQL statements: queries live in repository/."""
    out = []
    folder = service_dir / "service"
    for path in python_files(folder) if folder.exists() else iter(()):
        for module, names in imports_of(path):
            if module.startswith("sqlalchemy") and SQL_BUILDERS.intersection(names):
                builders = ", ".join(sorted(SQL_BUILDERS.intersection(names)))
                out.append(f"{path.relative_to(service_dir.parent.parent)} builds SQL ({builders})")
    return out


def units_of_work_inside(service_dir: Path) -> list[str]:
    """Units of work are opened at the edge (HTTP, consumer, worker, CLI), never in a use case."""
    out = []
    for layer in ("service", "repository", "rules", "policy.py"):
        target = service_dir / layer
        files = (
            [target] if target.is_file() else list(python_files(target)) if target.exists() else []
        )
        for path in files:
            text = path.read_text(encoding="utf-8")
            for match in re.finditer(r"\.(unit_of_work|read_only)\(|\.commit\(\)", text):
                line = text.count("\n", 0, match.start()) + 1
                out.append(
                    f"{path.relative_to(service_dir.parent.parent)}:{line} opens or commits "
                    "a unit of work"
                )
    return out


def bare_sessions(service_dir: Path) -> list[str]:
    """A use case takes the one context (`kit.usecase.UseCase`), never a bare session or
    database: the context reaches every use case the same way."""
    out = []
    folder = service_dir / "service"
    for path in python_files(folder) if folder.exists() else iter(()):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if node.name.startswith("_"):
                continue
            for arg in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs):
                kind = ast.unparse(arg.annotation) if arg.annotation is not None else ""
                if kind in {"AsyncSession", "Database", "Session"}:
                    out.append(
                        f"{path.relative_to(service_dir.parent.parent)}:{node.lineno} "
                        f"{node.name} takes {arg.arg}: {kind}"
                    )
    return out


def token_users(service_dir: Path) -> list[str]:
    """Use cases and policies know who acts from the context (`uc.actor`, a `kit.usecase.Actor`),
    never from the token's user (`kit.auth.CurrentUser`), which only the edge reads."""
    out = []
    folder, policy = service_dir / "service", service_dir / "policy.py"
    files = list(python_files(folder)) if folder.exists() else []
    if policy.is_file():
        files.append(policy)
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if node.name.startswith("_"):
                continue
            arguments = node.args
            for arg in (
                *arguments.posonlyargs,
                *arguments.args,
                *arguments.kwonlyargs,
                *([arguments.vararg] if arguments.vararg else []),
                *([arguments.kwarg] if arguments.kwarg else []),
            ):
                kind = ast.unparse(arg.annotation) if arg.annotation is not None else ""
                if re.search(r"\bCurrentUser\b", kind):
                    out.append(
                        f"{path.relative_to(service_dir.parent.parent)}:{node.lineno} "
                        f"{node.name} takes {arg.arg}: {kind}"
                    )
    return out


def vague_modules(service_dir: Path) -> list[str]:
    return [
        f"{path.relative_to(service_dir.parent.parent)} is named for nothing it holds"
        for path in python_files(service_dir)
        if path.name in VAGUE_NAMES
        and not (path.name == "deps.py" and path.parent.name == "api")
        and "tests" not in path.parts
    ]


def clocks_outside_the_runtime(service_dir: Path) -> list[str]:
    """The runtime owns the clock: nothing keeps another on the app's state or builds one
    (but `cli.py`, an operator's command with no runtime, which runs on the real time)."""
    out = []
    for path in python_files(service_dir):
        if "tests" in path.relative_to(service_dir).parts:
            continue
        text = path.read_text(encoding="utf-8")
        patterns = [r"state\.clock\b"]
        if path.relative_to(service_dir) != Path("cli.py"):
            patterns.append(r"(?<![\w.])Clock\(\)")  # an operator's command runs on the real time
        for pattern in patterns:
            for match in re.finditer(pattern, text):
                line = text.count("\n", 0, match.start()) + 1
                out.append(f"{path.relative_to(service_dir.parent.parent)}:{line} {match.group()}")
    return out


RULES: dict[str, Callable[[Path], list[str]]] = {
    "interior": missing_parts,
    "direction": wrong_direction,
    "sql_in_use_cases": sql_in_use_cases,
    "units_of_work": units_of_work_inside,
    "names": vague_modules,
    "context": bare_sessions,
    "actor": token_users,
    "clock": clocks_outside_the_runtime,
}


@pytest.mark.parametrize("rule", sorted(RULES))
@pytest.mark.parametrize("service", SERVICES)
def test_every_service_keeps_the_interior(service: str, rule: str) -> None:
    assert RULES[rule](ROOT / "services" / service) == []


# --- each rule catches a planted violation -------------------------------------------------


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    """A well-formed service named `demo` to plant one violation into."""
    service = tmp_path / "services" / "demo"
    for name in REQUIRED:
        if name.endswith("/"):
            (service / name).mkdir(parents=True)
            (service / name / "__init__.py").write_text("")
        else:
            service.mkdir(parents=True, exist_ok=True)
            (service / name).write_text('"""demo"""\n')
    (service / "rules").mkdir()
    (service / "rules" / "window.py").write_text("import datetime as dt\n")
    for rule in RULES.values():
        assert rule(service) == []
    return service


def test_a_missing_folder_and_a_stray_module_are_caught(planted: Path) -> None:
    (planted / "schemas" / "__init__.py").unlink()
    (planted / "schemas").rmdir()
    (planted / "archivist.py").write_text("")
    assert missing_parts(planted) == [
        "demo lacks schemas/",
        "demo has archivist.py outside the interior",
    ]


def test_an_api_calling_the_repository_is_caught(planted: Path) -> None:
    (planted / "api" / "marks.py").write_text("from services.demo.repository import marks\n")
    (planted / "policy.py").write_text("from services.demo.service.marks import record\n")
    assert wrong_direction(planted) == [
        "services/demo/api/marks.py imports services.demo.repository",
        "services/demo/policy.py imports services.demo.service.marks",
    ]


def test_a_use_case_building_sql_is_caught(planted: Path) -> None:
    (planted / "service" / "marks.py").write_text("from sqlalchemy import insert, func\n")
    assert sql_in_use_cases(planted) == ["services/demo/service/marks.py builds SQL (insert)"]


def test_a_use_case_opening_a_unit_of_work_is_caught(planted: Path) -> None:
    (planted / "service" / "runs.py").write_text(
        "async def run(db):\n    async with db.unit_of_work() as s:\n        await s.commit()\n"
    )
    assert units_of_work_inside(planted) == [
        "services/demo/service/runs.py:2 opens or commits a unit of work",
        "services/demo/service/runs.py:3 opens or commits a unit of work",
    ]


def test_a_use_case_taking_a_bare_session_is_caught(planted: Path) -> None:
    (planted / "service" / "marks.py").write_text(
        "async def record(uc: UseCase, value: int): ...\n"
        "async def box(session: AsyncSession, school_id: str): ...\n"
        "async def _helper(session: AsyncSession): ...\n"
    )
    assert bare_sessions(planted) == [
        "services/demo/service/marks.py:2 box takes session: AsyncSession"
    ]


def test_a_use_case_taking_the_token_user_is_caught(planted: Path) -> None:
    (planted / "service" / "marks.py").write_text(
        "async def record(uc: UseCase, value: int): ...\n"
        "async def box(uc: UseCase, user: CurrentUser, school_id: str): ...\n"
        "async def _helper(user: CurrentUser): ...\n"
        "def log(uc: UseCase, *, actor: kit.auth.CurrentUser | None = None): ...\n"
    )
    (planted / "policy.py").write_text(
        "def may_read(actor: Actor, school_id: str): ...\n"
        "def may_write(user: CurrentUser, school_id: str): ...\n"
    )
    assert token_users(planted) == [
        "services/demo/service/marks.py:2 box takes user: CurrentUser",
        "services/demo/service/marks.py:4 log takes actor: kit.auth.CurrentUser | None",
        "services/demo/policy.py:2 may_write takes user: CurrentUser",
    ]


def test_a_vague_module_name_is_caught(planted: Path) -> None:
    (planted / "repository" / "core.py").write_text("")
    assert vague_modules(planted) == [
        "services/demo/repository/core.py is named for nothing it holds"
    ]


def test_a_second_clock_is_caught(planted: Path) -> None:
    (planted / "app.py").write_text("app.state.clock = Clock()\n")
    assert clocks_outside_the_runtime(planted) == [
        "services/demo/app.py:1 state.clock",
        "services/demo/app.py:1 Clock()",
    ]
