"""The five services, by name, for the composition roots."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from fastapi import FastAPI

from kit.runtime import Shared

NAMES = ("identity", "journal", "reports", "archive", "notify")
PORTS = {"identity": 8101, "journal": 8102, "reports": 8103, "archive": 8104, "notify": 8105}


def app_module(name: str) -> ModuleType:
    if name not in NAMES:
        raise ValueError(f"unknown service {name!r}; services are {', '.join(NAMES)}")
    return importlib.import_module(f"services.{name}.app")


def migrations_of(name: str) -> Path:
    return app_module(name).MIGRATIONS  # type: ignore[no-any-return]


def builder_of(name: str) -> Callable[..., FastAPI]:
    return app_module(name).build  # type: ignore[no-any-return]


def build_service(name: str, shared: Shared | None = None) -> FastAPI:
    return builder_of(name)(shared=shared)
