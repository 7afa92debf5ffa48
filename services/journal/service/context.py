"""What every journal use case is given: the kit's one use-case context (`kit.usecase`)."""

from __future__ import annotations

from kit.usecase import SYSTEM, Actor, UseCase

Ctx = UseCase
"""The journal's name for `kit.usecase.UseCase` (the same type in every service)."""

__all__ = ["SYSTEM", "Actor", "Ctx"]
