"""What every journal endpoint is given: the kit's use-case context for the asking user."""

from __future__ import annotations

from kit.app import UseCaseDep

CtxDep = UseCaseDep
"""The asker, their unit of work, the outbox and the instant (from the runtime's clock)."""
