"""What every journal endpoint is given: the kit's use-case context for the asking user."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from kit.app import UseCaseDep
from kit.usecase import UseCase
from services.journal import policy


async def _journal_use_case(ctx: UseCaseDep) -> UseCase:
    """The README's promise, asked once for every journal endpoint: the city operator reads
    no people or journals and writes no school's journal (403 `operator_reads_no_journal`)."""
    policy.no_operator(ctx.actor)
    return ctx


CtxDep = Annotated[UseCase, Depends(_journal_use_case)]
"""The asker (never the city operator), their unit of work, the outbox and the instant (from
the runtime's clock)."""

OperatorMayCtxDep = UseCaseDep
"""The same, for the only two endpoints the operator's work needs: the export a reports
rebuild pages through (logged) and the history chain's check (no records)."""
