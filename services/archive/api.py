"""The archive's HTTP API: runs, packages, their content, fixity audits, known years."""

from __future__ import annotations

import base64
import hashlib
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from kit.app import SessionDep
from kit.auth import CurrentUser, CurrentUserDep
from kit.errors import NotFound, problem_responses
from services.archive import policy, repository
from services.archive.archivist import Archivist
from services.archive.models import PackageKind
from services.archive.packaging import MEDIA_TYPE
from services.archive.schemas import (
    AuditOut,
    AuditRequest,
    PackageList,
    PackageManifest,
    PackageOut,
    RunRequest,
    YearList,
    YearOut,
)
from services.archive.service import PackageView

router = APIRouter(prefix="/archive", tags=["archive"])

PackageId = Annotated[str, Path(min_length=1, max_length=36)]
SchoolFilter = Annotated[str | None, Query(min_length=1, max_length=36)]


def archivist_of(request: Request) -> Archivist:
    return request.app.state.archivist  # type: ignore[no-any-return]


ArchivistDep = Annotated[Archivist, Depends(archivist_of)]


async def _readable_package(session: SessionDep, user: CurrentUser, package_id: str) -> PackageView:
    package = await repository.package(session, package_id)
    if package is None:
        raise NotFound("no such package", code="package_not_found")
    policy.ensure_may_read(user, package.school_id)
    copies = await repository.copies_of(session, [package.id])
    return PackageView(package, copies.get(package.id, []))


@router.post(
    "/v1/runs",
    status_code=201,
    response_model=PackageManifest,
    summary="Archive a school year now: one package, written to both stores and verified",
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
async def run(body: RunRequest, user: CurrentUserDep, archivist: ArchivistDep) -> PackageManifest:
    """R-ARC-1, R-ARC-2: 201 only once both copies read back with the package's SHA-256;
    503 `store_failed` names the store that failed, and nothing is recorded as stored."""
    school_id = policy.run_scope(user, body.school_id)
    view = await archivist.run(
        school_id,
        body.year_id,
        PackageKind(body.kind),
        trigger="request",
        requested_by=user.account_id,
    )
    return PackageManifest.of(view)


@router.get(
    "/v1/packages",
    response_model=PackageList,
    summary="Packages of a school, newest first (every school's for the operator)",
    responses=problem_responses(401, 403, 404, 422),
)
async def list_packages(
    user: CurrentUserDep,
    session: SessionDep,
    school_id: SchoolFilter = None,
    year_id: Annotated[str | None, Query(min_length=1, max_length=36)] = None,
    kind: Literal["weekly", "year_end"] | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> PackageList:
    scope = policy.read_scope(user, school_id)
    packages = await repository.packages(session, scope, year_id=year_id, kind=kind, limit=limit)
    copies = await repository.copies_of(session, [p.id for p in packages])
    return PackageList(
        packages=[PackageOut.of(PackageView(p, copies.get(p.id, []))) for p in packages]
    )


@router.get(
    "/v1/packages/{package_id}",
    response_model=PackageManifest,
    summary="A package's manifest: files, sizes, SHA-256, where each copy lives, last verified",
    responses=problem_responses(401, 403, 404, 422),
)
async def get_package(
    package_id: PackageId, user: CurrentUserDep, session: SessionDep
) -> PackageManifest:
    return PackageManifest.of(await _readable_package(session, user, package_id))


@router.get(
    "/v1/packages/{package_id}/content",
    response_class=Response,
    summary="The package itself (ZIP), from a copy that re-hashes right",
    responses={
        200: {
            "content": {MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            "description": "the package; `X-Archive-Store` names the store that served it",
        },
        **problem_responses(401, 403, 404, 409, 422, 503),
    },
)
async def get_content(
    package_id: PackageId, user: CurrentUserDep, session: SessionDep, archivist: ArchivistDep
) -> Response:
    """R-ARC-1: served only from a copy whose SHA-256 matches; a bad copy falls back to the
    other store."""
    view = await _readable_package(session, user, package_id)
    content, store = await archivist.content(view.package, view.copies)
    digest = base64.b64encode(hashlib.sha256(content).digest()).decode()
    filename = f"{view.package.kind}-{view.package.id}.zip"
    return Response(
        content,
        media_type=MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Repr-Digest": f"sha-256=:{digest}:",
            "X-Archive-Store": store,
        },
    )


@router.post(
    "/v1/audits",
    response_model=AuditOut,
    summary="Re-hash every copy now; repair bad copies from good ones",
    responses=problem_responses(401, 403, 404, 422),
)
async def audit(
    user: CurrentUserDep, archivist: ArchivistDep, body: AuditRequest | None = None
) -> AuditOut:
    """R-ARC-1: `checked` packages, of which `ok`, `repaired` (a copy rewritten and verified,
    `archive.fixity.repaired`), `lost` (no intact copy: `archive.fixity.failed`)."""
    school_id = policy.audit_scope(user, body.school_id if body else None)
    record, counts = await archivist.audit(
        school_id, trigger="request", requested_by=user.account_id
    )
    return AuditOut.of(record, counts)


@router.get(
    "/v1/years",
    response_model=YearList,
    summary="School years the archive heard of (what a run can be asked for)",
    responses=problem_responses(401, 403, 404, 422),
)
async def list_years(
    user: CurrentUserDep, session: SessionDep, school_id: SchoolFilter = None
) -> YearList:
    scope = policy.read_scope(user, school_id)
    return YearList(years=[YearOut.of(y) for y in await repository.years(session, scope)])
