"""Fixity audits on request."""

from __future__ import annotations

from fastapi import APIRouter

from kit.auth import CurrentUserDep
from kit.errors import problem_responses
from kit.usecase import Actor
from services.archive import policy
from services.archive.api.deps import ArchiveWorkDep
from services.archive.schemas.audits import AuditOut, AuditRequest

router = APIRouter(prefix="/archive", tags=["archive"])


@router.post(
    "/v1/audits",
    response_model=AuditOut,
    summary="Re-hash every copy now; repair bad copies from good ones",
    responses=problem_responses(401, 403, 404, 422),
)
async def audit(
    user: CurrentUserDep, work: ArchiveWorkDep, body: AuditRequest | None = None
) -> AuditOut:
    """R-ARC-1: `checked` packages, of which `ok`, `repaired` (a copy rewritten and verified,
    `archive.fixity.repaired`), `lost` (no intact copy: `archive.fixity.failed`)."""
    school_id = policy.audit_scope(Actor.of(user), body.school_id if body else None)
    record, counts = await work.audit(school_id, trigger="request", actor=Actor.of(user))
    return AuditOut.of(record, counts)
