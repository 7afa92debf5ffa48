"""Runs: archive a school year now."""

from __future__ import annotations

from fastapi import APIRouter

from kit.auth import CurrentUserDep
from kit.errors import problem_responses
from kit.usecase import Actor
from services.archive import policy
from services.archive.api.deps import ArchiveWorkDep
from services.archive.rules.packaging import PackageKind
from services.archive.schemas.packages import PackageManifest
from services.archive.schemas.runs import RunRequest

router = APIRouter(prefix="/archive", tags=["archive"])


@router.post(
    "/v1/runs",
    status_code=201,
    response_model=PackageManifest,
    summary="Archive a school year now: one package, written to both stores and verified; "
    "one run per school at a time (429 `archive_run_running`) and a limited number of runs "
    "per school and hour (429 `too_many_archive_runs`)",
    responses=problem_responses(401, 403, 404, 409, 422, 429, 503),
)
async def run(body: RunRequest, user: CurrentUserDep, work: ArchiveWorkDep) -> PackageManifest:
    """R-ARC-1, R-ARC-2: 201 only once both copies read back with the package's SHA-256;
    503 `store_failed` names the store that failed, and nothing is recorded as stored.

    The run's steps open their own units of work (`worker.ArchiveWork`): no transaction stays
    open while the package travels to the stores. The run answers once its package is
    stored, so there is no running run to return: a second request for the same school while
    one runs is 429 `archive_run_running` with `Retry-After`."""
    school_id = policy.run_scope(Actor.of(user), body.school_id)
    view = await work.run(
        school_id, body.year_id, PackageKind(body.kind), trigger="request", actor=Actor.of(user)
    )
    return PackageManifest.of(view)
