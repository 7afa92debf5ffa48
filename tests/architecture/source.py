"""What the architecture checks read from the source: the repository's root, its services,
a folder's Python files and each file's absolute imports (parsed, never imported)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICES = sorted(p.name for p in (ROOT / "services").iterdir() if (p / "__init__.py").exists())


def python_files(folder: Path) -> Iterator[Path]:
    yield from sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def imports_of(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names imported from it) for every absolute import of a file, in functions
    too (`ast.walk` sees every statement); `import a.b` gives ("a.b", [])."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[str, list[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [alias.name for alias in node.names]))
    return found


def imported_modules(path: Path) -> list[str]:
    """The modules a file imports, in order."""
    return [module for module, _ in imports_of(path)]
